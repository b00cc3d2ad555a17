//! Drift: each kind of difference, and a malformed state says what and where.

use access_core::custom_role::{ActionResource, CustomDbRole, InheritedRole, RoleAction};
use access_core::database_user::DatabaseUser;
use access_core::drift::{diff, parse_state, state_json, state_of, Detail, Kind, Side};
use access_core::export::self_managed::target_state;
use access_core::export::ProjectAccess;
use serde_json::{json, Value};

fn project() -> (Vec<DatabaseUser>, Vec<CustomDbRole>) {
    let users = vec![serde_json::from_value(json!({
        "databaseName": "$external", "username": "CN=Jane", "x509Type": "CUSTOMER",
        "roles": [{"roleName": "analyst", "databaseName": "admin"}]
    }))
    .unwrap()];
    let roles = vec![CustomDbRole {
        role_name: "analyst".into(),
        actions: vec![RoleAction {
            action: "FIND".into(),
            resources: vec![ActionResource::collection("sales", "orders")],
        }],
        inherited_roles: vec![InheritedRole::new("read", "hr")],
    }];
    (users, roles)
}

fn drift_with(edit: impl FnOnce(&mut Value)) -> access_core::drift::Drift {
    let (users, roles) = project();
    let access = ProjectAccess {
        users: &users,
        custom_roles: &roles,
        clusters: &[],
        ca_bundle: None,
    };
    let target = target_state(&access, None).unwrap();
    let mut state = state_json(&state_of(&target));
    edit(&mut state);
    diff(&target, &parse_state(&state.to_string()).unwrap())
}

#[test]
fn no_drift_when_the_deployment_matches() {
    assert!(drift_with(|_| {}).is_empty());
}

#[test]
fn a_user_or_role_only_in_the_project() {
    let drift = drift_with(|s| {
        s["users"]["users"] = json!([]);
        s["roles"]["roles"] = json!([]);
    });
    let names: Vec<(Kind, &str)> = drift
        .only_in_project
        .iter()
        .map(|e| (e.kind, e.name.as_str()))
        .collect();
    assert_eq!(names, [(Kind::Role, "analyst"), (Kind::User, "CN=Jane")]);
    // Roles are created before the users that hold them.
    let role_at = drift.fix.find("createRole").unwrap();
    let user_at = drift.fix.find("createUser").unwrap();
    assert!(role_at < user_at, "{}", drift.fix);
}

#[test]
fn a_user_or_role_only_in_the_deployment_can_be_adopted() {
    let drift = drift_with(|s| {
        s["users"]["users"].as_array_mut().unwrap().push(
            json!({"user": "CN=Bob", "db": "$external", "roles": [{"role": "read", "db": "x"}]}),
        );
        s["roles"]["roles"]
            .as_array_mut()
            .unwrap()
            .push(json!({"role": "extra", "db": "admin", "roles": [],
            "privileges": [{"resource": {"cluster": true}, "actions": ["inprog"]}]}));
    });
    assert_eq!(drift.only_in_deployment.len(), 2);
    let bob = &drift.only_in_deployment[0];
    assert_eq!(
        bob.adopt.as_ref().unwrap()["roles"],
        json!([{"roleName": "read", "databaseName": "x"}])
    );
    let extra = &drift.only_in_deployment[1];
    assert_eq!(
        extra.adopt.as_ref().unwrap()["actions"],
        json!([{"action": "IN_PROG", "resources": [{"cluster": true}]}])
    );
    assert!(drift
        .fix
        .contains("// not in the project: db.getSiblingDB(\"$external\").dropUser(\"CN=Bob\");"));
}

#[test]
fn a_privilege_differs_in_either_direction() {
    let drift = drift_with(|s| {
        s["roles"]["roles"][0]["privileges"] = json!([
            {"resource": {"db": "sales", "collection": "orders"}, "actions": ["insert"]}
        ]);
    });
    assert_eq!(drift.different.len(), 1);
    assert_eq!(
        drift.different[0].details,
        [
            Detail::Action {
                side: Side::OnlyInProject,
                action: "find".into(),
                resource: "sales.orders".into()
            },
            Detail::Action {
                side: Side::OnlyInDeployment,
                action: "insert".into(),
                resource: "sales.orders".into()
            },
        ]
    );
    assert!(drift.fix.contains("updateRole(\"analyst\""));
}

#[test]
fn an_inherited_role_or_a_users_role_differs() {
    let drift = drift_with(|s| {
        s["roles"]["roles"][0]["roles"] = json!([{"role": "read", "db": "finance"}]);
        s["users"]["users"][0]["roles"] =
            json!([{"role": "analyst", "db": "admin"}, {"role": "root", "db": "admin"}]);
    });
    let role = drift
        .different
        .iter()
        .find(|d| d.kind == Kind::Role)
        .unwrap();
    assert_eq!(
        role.details,
        [
            Detail::Role {
                side: Side::OnlyInProject,
                role: "read@hr".into()
            },
            Detail::Role {
                side: Side::OnlyInDeployment,
                role: "read@finance".into()
            },
        ]
    );
    let user = drift
        .different
        .iter()
        .find(|d| d.kind == Kind::User)
        .unwrap();
    assert_eq!(
        user.details,
        [Detail::Role {
            side: Side::OnlyInDeployment,
            role: "root@admin".into()
        }]
    );
    assert!(drift
        .fix
        .contains("updateUser(\"CN=Jane\", {roles: [{\"role\":\"analyst\",\"db\":\"admin\"}]});"));
}

#[test]
fn bare_arrays_of_older_shells_are_read_too() {
    let state = parse_state(
        r#"{"users": [{"user": "CN=A", "db": "$external", "roles": []}], "roles": []}"#,
    )
    .unwrap();
    assert_eq!(state.users[0].name, "CN=A");
}

#[test]
fn a_malformed_state_says_what_and_where() {
    let cases = [
        ("{\n  \"users\": [,]\n}", "line 2"),
        ("[]", "(document)"),
        (r#"{"roles": []}"#, "users: missing"),
        (
            r#"{"users": [{"db": "$external"}], "roles": []}"#,
            "users[0].user: missing",
        ),
        (
            r#"{"users": [], "roles": [{"role": "r", "db": "admin"}]}"#,
            "roles[0].privileges: missing",
        ),
        (
            r#"{"users": [], "roles": [{"role": "r", "db": "admin", "privileges": [{"resource": {"db": "x"}, "actions": ["find"]}]}]}"#,
            "roles[0].privileges[0].resource",
        ),
        (
            r#"{"users": [], "roles": [{"role": "r", "db": "admin", "privileges": [{"resource": {"cluster": true}, "actions": [1]}]}]}"#,
            "roles[0].privileges[0].actions[0]: expected a string",
        ),
    ];
    for (text, expected) in cases {
        let error = parse_state(text).unwrap_err();
        assert!(error.to_string().contains(expected), "{text}: {error}");
    }
}
