use super::self_managed::{target_state, RoleRef, RoleSource};
use super::*;
use crate::custom_role::{ActionResource, InheritedRole, RoleAction};
use crate::database_user::{UserRole, UserScope, X509Type};

fn user(name: &str, roles: Vec<UserRole>) -> DatabaseUser {
    DatabaseUser {
        group_id: None,
        database_name: "$external".into(),
        username: name.into(),
        x509_type: X509Type::Customer,
        aws_iam_type: Default::default(),
        ldap_auth_type: Default::default(),
        oidc_auth_type: Default::default(),
        roles,
        scopes: vec![],
        labels: vec![],
        description: None,
        delete_after_date: None,
        password: None,
    }
}

fn role(name: &str, actions: Vec<RoleAction>, inherited: Vec<InheritedRole>) -> CustomDbRole {
    CustomDbRole {
        role_name: name.into(),
        actions,
        inherited_roles: inherited,
    }
}

fn action(name: &str, resource: ActionResource) -> RoleAction {
    RoleAction {
        action: name.into(),
        resources: vec![resource],
    }
}

#[test]
fn atlas_action_names_become_mongodb_names_and_roles_follow_inheritance() {
    let roles = vec![
        role(
            "child",
            vec![action("IN_PROG", ActionResource::cluster())],
            vec![InheritedRole::new("parent", "admin")],
        ),
        role(
            "parent",
            vec![
                action("FIND", ActionResource::collection("sales", "orders")),
                action("INSERT", ActionResource::collection("sales", "orders")),
                action("SQL_GET_SCHEMA", ActionResource::database("sales")),
            ],
            vec![InheritedRole::new("read", "hr")],
        ),
    ];
    let project = ProjectAccess {
        users: &[],
        custom_roles: &roles,
        clusters: &[],
        ca_bundle: None,
    };
    let state = target_state(&project, None).unwrap();
    let names: Vec<&str> = state.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["parent", "child"]);
    let parent = state.role("parent").unwrap();
    let actions: Vec<&str> = parent
        .privileges
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    assert_eq!(actions, ["find", "insert"]);
    assert!(
        parent.notes[0].contains("SQL_GET_SCHEMA"),
        "{:?}",
        parent.notes
    );
    assert!(parent.roles.contains(&RoleRef::new("read", "hr")));
    let child = state.role("child").unwrap();
    assert!(child.privileges.values().flatten().any(|a| a == "inprog"));
    assert!(child.roles.contains(&RoleRef::new("parent", "admin")));
}

#[test]
fn atlas_admin_and_collection_roles_become_generated_roles() {
    let users = vec![
        user("CN=a", vec![UserRole::new("atlasAdmin", "admin")]),
        user(
            "CN=b",
            vec![UserRole::on_collection("read", "sales", "orders")],
        ),
        user("CN=c", vec![UserRole::new("killOpSession", "sales")]),
    ];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &[],
        clusters: &[],
        ca_bundle: None,
    };
    let state = target_state(&project, None).unwrap();
    let admin = state.role("atlasAdmin").expect("atlasAdmin generated");
    assert!(matches!(admin.source, RoleSource::Generated { .. }));
    assert!(admin
        .roles
        .contains(&RoleRef::new("readWriteAnyDatabase", "admin")));
    assert!(!admin.roles.iter().any(|r| r.role == "root"));
    let read = state.role("read@sales.orders").expect("collection role");
    let (resource, actions) = read.privileges.iter().next().unwrap();
    assert_eq!(
        *resource,
        self_managed::Resource::namespace("sales", "orders")
    );
    assert!(actions.contains("find"));
    assert!(!actions.contains("insert"));
    assert!(state.role("killOpSession@sales").is_some());
    assert_eq!(
        state.user("CN=b").unwrap().roles.iter().next().unwrap(),
        &RoleRef::new("read@sales.orders", "admin")
    );
}

#[test]
fn cluster_filter_keeps_unscoped_users_and_those_of_the_cluster() {
    let mut scoped = user("CN=scoped", vec![UserRole::new("read", "x")]);
    scoped.scopes = vec![UserScope {
        name: "east".into(),
        scope_type: crate::database_user::ScopeType::Cluster,
    }];
    let users = vec![scoped, user("CN=all", vec![UserRole::new("read", "x")])];
    let clusters = vec![Cluster::new("east", "8.0"), Cluster::new("west", "8.0")];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &[],
        clusters: &clusters,
        ca_bundle: None,
    };
    let names = |c| -> Vec<String> {
        target_state(&project, c)
            .unwrap()
            .users
            .into_iter()
            .map(|u| u.name)
            .collect()
    };
    assert_eq!(names(Some("east")), ["CN=scoped", "CN=all"]);
    assert_eq!(names(Some("west")), ["CN=all"]);
    let err = target_state(&project, Some("north")).unwrap_err();
    assert_eq!(err.error_code(), "EXPORT_UNKNOWN_CLUSTER");
    assert!(err.to_string().contains("east, west"), "{err}");
}

#[test]
fn mongosh_comments_carry_expiry_and_clusters_and_cannot_be_broken_out_of() {
    let mut temp = user("CN=temp\nprint('x')", vec![UserRole::new("read", "x")]);
    temp.delete_after_date = Some("2026-12-05T10:00:00Z".into());
    temp.scopes = vec![UserScope {
        name: "east".into(),
        scope_type: crate::database_user::ScopeType::Cluster,
    }];
    let users = vec![temp];
    let clusters = vec![Cluster::new("east", "8.0")];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &[],
        clusters: &clusters,
        ca_bundle: None,
    };
    let script = render(Format::Mongosh, &project, None).unwrap();
    assert!(script.contains("// temporary: Access Console deletes it at 2026-12-05T10:00:00Z"));
    assert!(script.contains("// only on the clusters: east"));
    assert!(script.contains(r#"user("CN=temp\nprint('x')""#), "{script}");
    assert!(script.starts_with("// Access Console"));
    assert!(script.contains("\nconst prune = false;\n"));
}

#[test]
fn terraform_identifiers_are_valid_and_unique() {
    let users = vec![
        user("CN=Jane Doe,O=Acme", vec![UserRole::new("read", "x")]),
        user("CN=Jane Doe,O=Other", vec![UserRole::new("read", "x")]),
        user("CN=9lives", vec![UserRole::new("read", "x")]),
    ];
    let roles = vec![role("a-b", vec![], vec![InheritedRole::new("read", "x")])];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &roles,
        clusters: &[],
        ca_bundle: None,
    };
    let hcl = terraform::hcl(&project);
    assert!(hcl.contains(r#"resource "mongodbatlas_database_user" "user_jane_doe" {"#));
    assert!(hcl.contains(r#"resource "mongodbatlas_database_user" "user_jane_doe_2" {"#));
    assert!(hcl.contains(r#"resource "mongodbatlas_database_user" "user_9lives" {"#));
    assert!(hcl.contains(r#"resource "mongodbatlas_custom_db_role" "role_a-b" {"#));
    assert_eq!(
        terraform::string("${x} %{y} \"q\""),
        r#""$${x} %%{y} \"q\"""#
    );
}

#[test]
fn ca_formats_need_a_bundle_and_cluster_only_fits_mongosh() {
    let project = ProjectAccess {
        users: &[],
        custom_roles: &[],
        clusters: &[],
        ca_bundle: None,
    };
    assert_eq!(
        render(Format::CaBundle, &project, None).unwrap_err(),
        ExportError::NoCaBundle
    );
    assert_eq!(
        render(Format::Terraform, &project, Some("x"))
            .unwrap_err()
            .error_code(),
        "EXPORT_CLUSTER_NOT_APPLICABLE"
    );
    let with = ProjectAccess {
        ca_bundle: Some("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"),
        ..project
    };
    let conf = render(Format::MongodConf, &with, None).unwrap();
    for needle in [
        "mode: requireTLS",
        "CAFile: /etc/mongodb/ca.pem",
        "authorization: enabled",
        "rotateCertificates: 1",
    ] {
        assert!(conf.contains(needle), "{needle} missing:\n{conf}");
    }
    assert!(render(Format::CaBundle, &with, None)
        .unwrap()
        .ends_with("-----\n"));
}

#[test]
fn backup_round_trips_and_says_where_it_is_malformed() {
    let users = vec![
        user("CN=b", vec![UserRole::new("read", "x")]),
        user("CN=a", vec![]),
    ];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &[],
        clusters: &[],
        ca_bundle: None,
    };
    let doc = backup::Backup::of(&project, vec![]);
    assert_eq!(doc.database_users[0].username, "CN=a");
    let text = doc.to_json();
    assert_eq!(backup::Backup::parse(&text).unwrap(), doc);
    let err = backup::Backup::parse(
        "{\n  \"format\": \"access-console-project\",\n  \"version\": 1,\n  x\n}",
    )
    .unwrap_err();
    assert!(
        matches!(err, backup::BackupError::Malformed { line: 4, .. }),
        "{err}"
    );
    let err = backup::Backup::parse(&text.replace("\"version\": 1", "\"version\": 9")).unwrap_err();
    assert_eq!(err.error_code(), "IMPORT_UNSUPPORTED_VERSION");
    let empty = backup::Backup::of(
        &ProjectAccess {
            users: &[],
            ..project
        },
        vec![],
    );
    let plan = backup::plan(&empty, &doc);
    assert_eq!(plan.len(), 2);
    assert!(plan.iter().all(|c| c.change == backup::ChangeKind::Add));
    assert!(backup::plan(&doc, &doc).is_empty());
}
