use serde_json::json;

use super::rules::{check_action_version, CustomRoleChoice};
use super::*;
use crate::catalog::{self, Category};
use crate::cluster::{Cluster, MongoVersion};
use crate::database_user::{DatabaseUser, UserRole};
use crate::field_issue::FieldError;

fn role(value: serde_json::Value) -> CustomDbRole {
    serde_json::from_value(value).expect("test role JSON")
}

/// A role that inherits the named custom roles (on admin) and has no action.
fn inheriting(name: &str, parents: &[&str]) -> CustomDbRole {
    CustomDbRole {
        role_name: name.into(),
        actions: Vec::new(),
        inherited_roles: parents
            .iter()
            .map(|p| InheritedRole::new(*p, "admin"))
            .collect(),
    }
}

fn find_on(db: &str, coll: &str) -> RoleAction {
    RoleAction {
        action: "FIND".into(),
        resources: vec![ActionResource::collection(db, coll)],
    }
}

fn with_find(name: &str) -> CustomDbRole {
    CustomDbRole {
        role_name: name.into(),
        actions: vec![find_on("sales", "orders")],
        inherited_roles: Vec::new(),
    }
}

fn errors(
    role: &CustomDbRole,
    roles: &[CustomDbRole],
    clusters: &[Cluster],
    mode: Mode,
) -> Vec<(String, &'static str)> {
    match validate_custom_role(role, &Project { roles, clusters }, mode) {
        Ok(()) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| (e.field.clone(), e.error_code()))
            .collect(),
    }
}

fn create_errors(role: &CustomDbRole) -> Vec<(String, &'static str)> {
    errors(role, &[], &[], Mode::Create)
}

fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(field.to_owned(), code)]
}

// ---------------------------------------------------------------- names

#[test]
fn name_accepts_letters_digits_underscores_and_dashes() {
    for ok in [
        "analyst",
        "Analyst_2",
        "read-only-sales",
        "a",
        "R",
        "Read",
        "xgen",
        "my-xgen-role",
        "_x",
        "-",
    ] {
        assert_eq!(validate_role_name(ok, &["other"]), Ok(()), "{ok}");
    }
}

#[test]
fn name_rules_each_have_their_own_code_and_message() {
    let existing = ["analyst"];
    let check = |n: &str| validate_role_name(n, &existing).unwrap_err();
    assert_eq!(check("").error_code(), "ROLE_NAME_REQUIRED");
    assert_eq!(check("").to_string(), "enter a name for the role");

    let e = check("sales reader");
    assert_eq!(
        e,
        CustomRoleErrorKind::NameInvalidCharacter {
            ch: ' ',
            position: 6
        }
    );
    assert_eq!(e.error_code(), "INVALID_ROLE_NAME");
    assert_eq!(e.to_string(), "a role name can only contain letters, digits, underscores and dashes; ' ' at character 6 is not allowed");
    for bad in ["a.b", "a$b", "a/b", "rôle", "a+b", "a@b"] {
        assert_eq!(check(bad).error_code(), "INVALID_ROLE_NAME", "{bad}");
    }

    assert_eq!(
        check("analyst"),
        CustomRoleErrorKind::NameTaken("analyst".into())
    );
    assert_eq!(
        check("analyst").error_code(),
        "DUPLICATE_ATLAS_CUSTOM_ROLE_NAME"
    );
    assert_eq!(
        check("analyst").to_string(),
        "a custom role named \"analyst\" already exists in this project"
    );

    assert_eq!(check("atlasAdmin").error_code(), "ROLE_NAME_IS_ATLAS_ADMIN");
    assert!(check("atlasAdmin")
        .to_string()
        .contains("atlasAdmin is reserved"));

    for builtin in [
        "read",
        "readWrite",
        "dbAdmin",
        "dbOwner",
        "userAdmin",
        "clusterMonitor",
        "backup",
        "restore",
        "root",
        "__system",
        "clusterAdmin",
        "readAnyDatabase",
        "enableSharding",
        "killOpSession",
    ] {
        assert_eq!(
            check(builtin).error_code(),
            "ROLE_NAME_IS_BUILT_IN_ROLE",
            "{builtin}"
        );
    }
    assert_eq!(
        check("readWrite").to_string(),
        "\"readWrite\" is the name of a built-in role; choose another name"
    );

    for reserved in ["xgen-", "xgen-admin", "XGEN-admin", "Xgen-a"] {
        assert_eq!(
            check(reserved).error_code(),
            "ROLE_NAME_RESERVED_PREFIX",
            "{reserved}"
        );
    }
    assert!(check("xgen-a")
        .to_string()
        .contains("\"xgen-\" are reserved"));
}

#[test]
fn name_rules_apply_on_create_only() {
    let stored = [with_find("analyst")];
    let dup = errors(&with_find("analyst"), &stored, &[], Mode::Create);
    assert_eq!(dup, one("roleName", "DUPLICATE_ATLAS_CUSTOM_ROLE_NAME"));
    assert_eq!(
        errors(&with_find("analyst"), &stored, &[], Mode::Update),
        Vec::new()
    );
    assert_eq!(
        errors(&with_find("ghost"), &stored, &[], Mode::Update),
        one("roleName", "ATLAS_CUSTOM_ROLE_NOT_FOUND")
    );
}

// ---------------------------------------------------------------- JSON shapes

#[test]
fn reads_and_writes_the_atlas_json_of_the_api_notes() {
    let text = r#"{"roleName": "analyst", "actions": [{"action": "FIND", "resources": [{"db": "sales",
        "collection": "orders", "cluster": false}]}], "inheritedRoles": [{"role": "read", "db": "reports"}]}"#;
    let r: CustomDbRole = serde_json::from_str(text).unwrap();
    assert_eq!(r.role_name, "analyst");
    assert_eq!(r.actions[0].resources[0].db_name(), Some("sales"));
    assert_eq!(r.actions[0].resources[0].collection_name(), Some("orders"));
    assert!(!r.actions[0].resources[0].is_cluster());
    assert_eq!(r.inherited_roles, [InheritedRole::new("read", "reports")]);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    assert_eq!(
        validate_custom_role(
            &r,
            &Project {
                roles: &[],
                clusters: &[]
            },
            Mode::Create
        ),
        Ok(())
    );
}

#[test]
fn cluster_resources_and_missing_lists() {
    let r = role(
        json!({"roleName": "ops", "actions": [{"action": "IN_PROG", "resources": [{"cluster": true}]}]}),
    );
    assert!(r.inherited_roles.is_empty());
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"roleName": "ops", "actions": [{"action": "IN_PROG", "resources": [{"cluster": true}]}], "inheritedRoles": []})
    );
    assert_eq!(
        serde_json::to_value(ActionResource::database("sales")).unwrap(),
        json!({"db": "sales", "collection": ""})
    );
    assert_eq!(create_errors(&r), Vec::new());
}

#[test]
fn patch_body_shape() {
    let u: CustomDbRoleUpdate =
        serde_json::from_value(json!({"inheritedRoles": [{"role": "read", "db": "x"}]})).unwrap();
    assert_eq!(u.role_name, None);
    assert_eq!(u.actions, None);
    assert_eq!(
        u.inherited_roles,
        Some(vec![InheritedRole::new("read", "x")])
    );
}

// ---------------------------------------------------------------- actions

#[test]
fn unknown_and_internal_actions() {
    let r = role(json!({"roleName": "r", "actions": [
        {"action": "find", "resources": [{"db": "a", "collection": "b"}]},
        {"action": "FROBNICATE", "resources": [{"cluster": true}]},
        {"action": "ANY_ACTION", "resources": [{"cluster": true}]},
        {"action": "", "resources": [{"cluster": true}]}
    ]}));
    let errs = validate_custom_role(
        &r,
        &Project {
            roles: &[],
            clusters: &[],
        },
        Mode::Create,
    )
    .unwrap_err();
    let got: Vec<_> = errs
        .iter()
        .map(|e| (e.field.as_str(), e.error_code()))
        .collect();
    assert_eq!(
        got,
        [
            ("actions[0].action", "UNKNOWN_ACTION"),
            ("actions[1].action", "UNKNOWN_ACTION"),
            ("actions[2].action", "ACTION_NOT_ASSIGNABLE"),
            ("actions[3].action", "ACTION_REQUIRED"),
        ]
    );
    assert_eq!(
        errs[0].to_string(),
        "\"find\" is not a privilege action (did you mean FIND?)"
    );
    assert_eq!(
        errs[1].to_string(),
        "\"FROBNICATE\" is not a privilege action"
    );
}

#[test]
fn older_clients_spellings_are_accepted() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "REPLSET_GET_STATUS", "resources": [{"cluster": true}]}, {"action": "KILLOP", "resources": [{"cluster": true}]}]}),
    );
    assert_eq!(create_errors(&r), Vec::new());
}

#[test]
fn collection_actions_need_a_database_and_a_collection() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "FIND", "resources": [
            {"db": "sales"},
            {"collection": "orders"},
            {"db": "", "collection": ""},
            {"cluster": true},
            {"db": "sa.les", "collection": "o$"},
            {"db": "sales", "collection": "system.profile"}
        ]}]}),
    );
    assert_eq!(
        create_errors(&r),
        vec![
            (
                "actions[0].resources[0].collection".to_owned(),
                "COLLECTION_REQUIRED"
            ),
            ("actions[0].resources[1].db".to_owned(), "DATABASE_REQUIRED"),
            ("actions[0].resources[2].db".to_owned(), "DATABASE_REQUIRED"),
            (
                "actions[0].resources[2].collection".to_owned(),
                "COLLECTION_REQUIRED"
            ),
            (
                "actions[0].resources[3].cluster".to_owned(),
                "CLUSTER_RESOURCE_NOT_ALLOWED"
            ),
            (
                "actions[0].resources[4].db".to_owned(),
                "DATABASE_NAME_INVALID_CHARACTER"
            ),
            (
                "actions[0].resources[4].collection".to_owned(),
                "COLLECTION_NAME_INVALID_CHARACTER"
            ),
        ]
    );
    let e = &validate_custom_role(
        &r,
        &Project {
            roles: &[],
            clusters: &[],
        },
        Mode::Create,
    )
    .unwrap_err()[0];
    assert_eq!(
        e.to_string(),
        "FIND: a collection is required (Collection Actions apply to a database and a collection)"
    );
}

#[test]
fn namespace_length_is_checked_with_the_database() {
    let long = "c".repeat(250);
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "INSERT", "resources": [{"db": "sales", "collection": long}]}]}),
    );
    assert_eq!(
        create_errors(&r),
        one("actions[0].resources[0].collection", "NAMESPACE_TOO_LONG")
    );
}

#[test]
fn database_actions_take_a_database_and_no_collection() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "DROP_DATABASE", "resources": [
            {"db": "sales", "collection": ""},
            {"db": "sales2"},
            {"db": "sales3", "collection": "orders"},
            {"collection": ""}
        ]}]}),
    );
    assert_eq!(
        create_errors(&r),
        vec![
            (
                "actions[0].resources[2].collection".to_owned(),
                "COLLECTION_NOT_ALLOWED"
            ),
            ("actions[0].resources[3].db".to_owned(), "DATABASE_REQUIRED"),
        ]
    );
}

#[test]
fn global_actions_take_the_cluster_resource() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "SERVER_STATUS", "resources": [
            {"cluster": true},
            {"cluster": false},
            {"db": "admin", "cluster": true},
            {"db": "admin", "collection": "x"}
        ]}]}),
    );
    assert_eq!(
        create_errors(&r),
        vec![
            (
                "actions[0].resources[1].cluster".to_owned(),
                "CLUSTER_RESOURCE_REQUIRED"
            ),
            (
                "actions[0].resources[2].db".to_owned(),
                "CLUSTER_RESOURCE_WITH_NAMES"
            ),
            (
                "actions[0].resources[3].cluster".to_owned(),
                "CLUSTER_RESOURCE_REQUIRED"
            ),
            (
                "actions[0].resources[3].db".to_owned(),
                "CLUSTER_RESOURCE_WITH_NAMES"
            ),
            (
                "actions[0].resources[3].collection".to_owned(),
                "CLUSTER_RESOURCE_WITH_NAMES"
            ),
        ]
    );
}

#[test]
fn actions_and_resources_are_listed_once() {
    let r = role(json!({"roleName": "r", "actions": [
        {"action": "FIND", "resources": [{"db": "a", "collection": "b"}, {"db": "a", "collection": "b", "cluster": false}]},
        {"action": "FIND", "resources": [{"db": "c", "collection": "d"}]},
        {"action": "TOP", "resources": []},
        {"action": "TOP", "resources": [{"cluster": true}]}
    ]}));
    assert_eq!(
        create_errors(&r),
        vec![
            ("actions[0].resources[1]".to_owned(), "DUPLICATE_RESOURCE"),
            ("actions[1].action".to_owned(), "DUPLICATE_ACTION"),
            (
                "actions[2].resources".to_owned(),
                "ACTION_RESOURCES_REQUIRED"
            ),
            ("actions[3].action".to_owned(), "DUPLICATE_ACTION"),
        ]
    );
}

#[test]
fn a_role_needs_an_action_or_an_inherited_role() {
    assert_eq!(
        create_errors(&CustomDbRole {
            role_name: "r".into(),
            ..Default::default()
        }),
        one("actions", "CUSTOM_ROLE_EMPTY")
    );
    let only_inherited =
        role(json!({"roleName": "r", "inheritedRoles": [{"role": "read", "db": "sales"}]}));
    assert_eq!(create_errors(&only_inherited), Vec::new());
}

// ---------------------------------------------------------------- versions

#[test]
fn actions_newer_than_a_cluster_are_refused_naming_action_version_and_cluster() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "CHECK_METADATA_CONSISTENCY", "resources": [{"db": "a", "collection": "b"}]}]}),
    );
    let clusters = [
        Cluster::new("Cluster0", "7.0"),
        Cluster::new("legacy", "6.0"),
    ];
    let errs = validate_custom_role(
        &r,
        &Project {
            roles: &[],
            clusters: &clusters,
        },
        Mode::Create,
    )
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "actions[0].action");
    assert_eq!(
        errs[0].error_code(),
        "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION"
    );
    assert_eq!(
        errs[0].to_string(),
        "CHECK_METADATA_CONSISTENCY (checkMetadataConsistency) needs MongoDB 7.0 or later, and cluster \"legacy\" runs MongoDB 6.0"
    );
    // At the boundary the action is accepted.
    assert_eq!(
        errors(&r, &[], &[Cluster::new("Cluster0", "7.0")], Mode::Create),
        Vec::new()
    );
    assert_eq!(
        errors(&r, &[], &[Cluster::new("Cluster0", "8.0")], Mode::Create),
        Vec::new()
    );
}

#[test]
fn version_error_names_every_outdated_cluster_oldest_first() {
    let a = catalog::action_by_api_name("MOVE_COLLECTION").unwrap();
    let clusters = [
        Cluster::new("c7", "7.0"),
        Cluster::new("c8", "8.0"),
        Cluster::new("c6", "6.0"),
        Cluster::new("c5", "5.0"),
    ];
    let kind = check_action_version(a, &clusters).unwrap_err();
    match &kind {
        CustomRoleErrorKind::UnsupportedByClusters {
            since,
            cluster,
            cluster_version,
            other_clusters,
            ..
        } => {
            assert_eq!(*since, MongoVersion::new(8, 0));
            assert_eq!(cluster, "c5");
            assert_eq!(*cluster_version, MongoVersion::new(5, 0));
            assert_eq!(other_clusters, &["c6".to_owned(), "c7".to_owned()]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        kind.to_string(),
        "MOVE_COLLECTION (moveCollection) needs MongoDB 8.0 or later, and cluster \"c5\" runs MongoDB 5.0 (and 2 more clusters: c6, c7)"
    );
    let two =
        check_action_version(a, &[Cluster::new("x", "7.0"), Cluster::new("y", "7.0")]).unwrap_err();
    assert!(
        two.to_string()
            .ends_with("cluster \"x\" runs MongoDB 7.0 (cluster \"y\" too)"),
        "{two}"
    );
}

#[test]
fn version_rule_ignores_atlas_actions_and_projects_without_clusters() {
    let s3 = catalog::action_by_api_name("OUT_TO_S3").unwrap();
    assert_eq!(
        check_action_version(s3, &[Cluster::new("old", "4.4")]),
        Ok(())
    );
    let newest = catalog::action_by_api_name("REWRITE_COLLECTION").unwrap();
    assert_eq!(check_action_version(newest, &[]), Ok(()));
    assert!(check_action_version(newest, &[Cluster::new("c", "8.0")]).is_err());
}

// ---------------------------------------------------------------- inherited roles

#[test]
fn inherited_built_in_roles() {
    let r = role(json!({"roleName": "r", "inheritedRoles": [
        {"role": "read", "db": "sales"},
        {"role": "readWrite", "db": ""},
        {"role": "dbAdmin", "db": "bad db"},
        {"role": "clusterMonitor", "db": "admin"},
        {"role": "backup", "db": "sales"},
        {"role": "root", "db": "admin"},
        {"role": "atlasAdmin", "db": "admin"},
        {"role": "Read", "db": "sales"},
        {"role": "", "db": "sales"},
        {"role": "read", "db": "sales"}
    ]}));
    assert_eq!(
        create_errors(&r),
        vec![
            ("inheritedRoles[1].db".to_owned(), "DATABASE_REQUIRED"),
            (
                "inheritedRoles[2].db".to_owned(),
                "DATABASE_NAME_INVALID_CHARACTER"
            ),
            (
                "inheritedRoles[4].db".to_owned(),
                "ROLE_REQUIRES_ADMIN_DATABASE"
            ),
            ("inheritedRoles[5].role".to_owned(), "ROLE_NOT_INHERITABLE"),
            ("inheritedRoles[6].role".to_owned(), "ROLE_NOT_INHERITABLE"),
            (
                "inheritedRoles[7].role".to_owned(),
                "UNKNOWN_INHERITED_ROLE"
            ),
            ("inheritedRoles[8].role".to_owned(), "ROLE_NAME_REQUIRED"),
            ("inheritedRoles[9]".to_owned(), "DUPLICATE_INHERITED_ROLE"),
        ]
    );
    let errs = validate_custom_role(
        &r,
        &Project {
            roles: &[],
            clusters: &[],
        },
        Mode::Create,
    )
    .unwrap_err();
    let unknown = errs
        .iter()
        .find(|e| e.field == "inheritedRoles[7].role")
        .unwrap();
    assert_eq!(unknown.to_string(), "\"Read\" is neither a built-in role nor a custom role of this project (did you mean read?)");
    let admin = errs
        .iter()
        .find(|e| e.field == "inheritedRoles[4].db")
        .unwrap();
    assert_eq!(
        admin.to_string(),
        "backup exists on the admin database only: inherit it with db \"admin\", not \"sales\""
    );
}

#[test]
fn inherited_custom_roles_must_exist_and_live_on_admin() {
    let stored = [with_find("reporting")];
    let ok = inheriting("r", &["reporting"]);
    assert_eq!(errors(&ok, &stored, &[], Mode::Create), Vec::new());
    let wrong_db =
        role(json!({"roleName": "r", "inheritedRoles": [{"role": "reporting", "db": "sales"}]}));
    assert_eq!(
        errors(&wrong_db, &stored, &[], Mode::Create),
        one("inheritedRoles[0].db", "ROLE_REQUIRES_ADMIN_DATABASE")
    );
    let unknown = inheriting("r", &["ghost"]);
    assert_eq!(
        errors(&unknown, &stored, &[], Mode::Create),
        one("inheritedRoles[0].role", "UNKNOWN_INHERITED_ROLE")
    );
}

#[test]
fn a_role_inheriting_itself_is_a_cycle() {
    let r = inheriting("a", &["a"]);
    let errs = validate_custom_role(
        &r,
        &Project {
            roles: &[],
            clusters: &[],
        },
        Mode::Create,
    )
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "inheritedRoles[0].role");
    assert_eq!(
        errs[0].kind,
        CustomRoleErrorKind::Cycle(vec!["a".into(), "a".into()])
    );
    assert_eq!(errs[0].error_code(), "INHERITED_ROLE_CYCLE");
    assert_eq!(
        errs[0].to_string(),
        "inheriting this role creates a cycle: a → a"
    );
}

#[test]
fn direct_cycle_is_refused() {
    // b inherits a; now a is edited to inherit b.
    let stored = [with_find("a"), inheriting("b", &["a"])];
    let edited = CustomDbRole {
        inherited_roles: vec![InheritedRole::new("b", "admin")],
        ..with_find("a")
    };
    let errs = validate_custom_role(
        &edited,
        &Project {
            roles: &stored,
            clusters: &[],
        },
        Mode::Update,
    )
    .unwrap_err();
    assert_eq!(
        errs.iter().map(|e| &e.kind).collect::<Vec<_>>(),
        [&CustomRoleErrorKind::Cycle(vec![
            "a".into(),
            "b".into(),
            "a".into()
        ])]
    );
}

#[test]
fn indirect_cycle_is_refused_and_named() {
    let stored = [
        with_find("a"),
        inheriting("b", &["c"]),
        inheriting("c", &["d"]),
        inheriting("d", &["a"]),
    ];
    let edited = CustomDbRole {
        inherited_roles: vec![
            InheritedRole::new("read", "x"),
            InheritedRole::new("b", "admin"),
        ],
        ..with_find("a")
    };
    let errs = validate_custom_role(
        &edited,
        &Project {
            roles: &stored,
            clusters: &[],
        },
        Mode::Update,
    )
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "inheritedRoles[1].role");
    assert_eq!(
        errs[0].to_string(),
        "inheriting this role creates a cycle: a → b → c → d → a"
    );
}

#[test]
fn shared_ancestors_are_not_cycles() {
    // Diamond: a → b, a → c, b → d, c → d.
    let stored = [
        with_find("d"),
        inheriting("b", &["d"]),
        inheriting("c", &["d"]),
    ];
    let a = inheriting("a", &["b", "c"]);
    assert_eq!(errors(&a, &stored, &[], Mode::Create), Vec::new());
    assert_eq!(find_inheritance_cycle("a", ["b", "c"], &stored), None);
}

#[test]
fn cycle_search_terminates_on_stored_cycles_not_involving_the_role() {
    // x ↔ y is broken stored data; r inherits x: no cycle through r, and the search ends.
    let stored = [inheriting("x", &["y"]), inheriting("y", &["x"])];
    assert_eq!(find_inheritance_cycle("r", ["x"], &stored), None);
}

#[test]
fn picker_disables_custom_roles_that_would_close_a_cycle() {
    let stored = [with_find("a"), inheriting("b", &["a"]), with_find("c")];
    let choices = custom_roles_for_picker("a", &stored);
    assert_eq!(
        choices,
        [
            CustomRoleChoice {
                name: "b",
                cycle: Some(vec!["a".into(), "b".into(), "a".into()])
            },
            CustomRoleChoice {
                name: "c",
                cycle: None
            },
        ]
    );
}

// ---------------------------------------------------------------- the whole role at once

#[test]
fn every_problem_is_reported_at_once() {
    let r = role(json!({"roleName": "xgen-bad", "actions": [
        {"action": "FIND", "resources": [{"db": "sales"}]},
        {"action": "MOVE_COLLECTION", "resources": [{"cluster": true}]}
    ], "inheritedRoles": [{"role": "backup", "db": "sales"}]}));
    let got = errors(&r, &[], &[Cluster::new("c", "7.0")], Mode::Create);
    assert_eq!(
        got,
        vec![
            ("roleName".to_owned(), "ROLE_NAME_RESERVED_PREFIX"),
            (
                "actions[0].resources[0].collection".to_owned(),
                "COLLECTION_REQUIRED"
            ),
            (
                "actions[1].action".to_owned(),
                "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION"
            ),
            (
                "inheritedRoles[0].db".to_owned(),
                "ROLE_REQUIRES_ADMIN_DATABASE"
            ),
        ]
    );
}

#[test]
fn http_status_of_each_kind() {
    assert_eq!(CustomRoleErrorKind::NotFound("x".into()).http_status(), 404);
    assert_eq!(
        CustomRoleErrorKind::NameTaken("x".into()).http_status(),
        409
    );
    assert_eq!(
        CustomRoleErrorKind::DeleteWouldEmptyRoles {
            role: "a".into(),
            children: vec![]
        }
        .http_status(),
        409
    );
    assert_eq!(CustomRoleErrorKind::Empty.http_status(), 400);
}

// ---------------------------------------------------------------- rows

fn project<'a>(roles: &'a [CustomDbRole], clusters: &'a [Cluster]) -> Project<'a> {
    Project { roles, clusters }
}

fn row(items: &[RowItem], targets: &[RowTarget]) -> RoleRow {
    RoleRow {
        items: items.to_vec(),
        targets: targets.to_vec(),
    }
}

fn row_errors(
    name: &str,
    rows: &[RoleRow],
    roles: &[CustomDbRole],
    clusters: &[Cluster],
    mode: Mode,
) -> Vec<(String, &'static str)> {
    match validate_rows(name, rows, &project(roles, clusters), mode) {
        Ok(()) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| (e.field.clone(), e.error_code()))
            .collect(),
    }
}

#[test]
fn rows_convert_to_the_api_shape() {
    let stored = [with_find("reporting")];
    let rows = [
        row(
            &[RowItem::action("FIND"), RowItem::action("INSERT")],
            &[
                RowTarget::new("sales", "orders"),
                RowTarget::new("sales", "returns"),
            ],
        ),
        row(
            &[RowItem::action("DROP_DATABASE"), RowItem::role("read")],
            &[
                RowTarget::database("reports"),
                RowTarget::database("archive"),
            ],
        ),
        row(
            &[
                RowItem::action("SERVER_STATUS"),
                RowItem::role("clusterMonitor"),
                RowItem::role("reporting"),
            ],
            &[],
        ),
        row(
            &[RowItem::action("FIND")],
            &[RowTarget::new("hr", "people")],
        ),
    ];
    assert_eq!(
        validate_rows("analyst", &rows, &project(&stored, &[]), Mode::Create),
        Ok(())
    );
    let r = rows_to_role("analyst", &rows, &stored).unwrap();
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({
            "roleName": "analyst",
            "actions": [
                {"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}, {"db": "sales", "collection": "returns"}, {"db": "hr", "collection": "people"}]},
                {"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}, {"db": "sales", "collection": "returns"}]},
                {"action": "DROP_DATABASE", "resources": [{"db": "reports", "collection": ""}, {"db": "archive", "collection": ""}]},
                {"action": "SERVER_STATUS", "resources": [{"cluster": true}]}
            ],
            "inheritedRoles": [
                {"role": "read", "db": "reports"},
                {"role": "read", "db": "archive"},
                {"role": "clusterMonitor", "db": "admin"},
                {"role": "reporting", "db": "admin"}
            ]
        })
    );
    // What rows produce passes the API rules too.
    assert_eq!(
        validate_custom_role(&r, &project(&stored, &[]), Mode::Create),
        Ok(())
    );
}

#[test]
fn a_row_takes_one_category_except_global_with_custom_roles() {
    let stored = [with_find("reporting")];
    let mixed = [row(
        &[
            RowItem::action("FIND"),
            RowItem::action("DROP_DATABASE"),
            RowItem::role("readAnyDatabase"),
        ],
        &[RowTarget::new("a", "b")],
    )];
    let errs = validate_rows("r", &mixed, &project(&stored, &[]), Mode::Create).unwrap_err();
    let got: Vec<_> = errs
        .iter()
        .map(|e| (e.field.as_str(), e.error_code()))
        .collect();
    assert_eq!(
        got,
        [
            ("rows[0].items[1]", "ROW_MIXES_CATEGORIES"),
            ("rows[0].items[2]", "ROW_MIXES_CATEGORIES")
        ]
    );
    assert_eq!(errs[0].to_string(), "DROP_DATABASE belongs to Database Actions and Roles, but this row holds Collection Actions: add another row for it");

    // Custom roles with a Collection action: refused.
    let coll_custom = [row(
        &[RowItem::action("FIND"), RowItem::role("reporting")],
        &[RowTarget::new("a", "b")],
    )];
    assert_eq!(
        row_errors("r", &coll_custom, &stored, &[], Mode::Create),
        one("rows[0].items[1]", "ROW_MIXES_CATEGORIES")
    );

    // Global + Custom, in either order: allowed.
    for items in [
        vec![RowItem::action("IN_PROG"), RowItem::role("reporting")],
        vec![
            RowItem::role("reporting"),
            RowItem::role("backup"),
            RowItem::action("TOP"),
        ],
        vec![RowItem::role("reporting")],
    ] {
        assert_eq!(
            row_errors("r", &[row(&items, &[])], &stored, &[], Mode::Create),
            Vec::new(),
            "{items:?}"
        );
    }
    // Database roles and database actions share a category.
    let db_row = [row(
        &[RowItem::role("readWrite"), RowItem::action("DB_STATS")],
        &[RowTarget::database("sales")],
    )];
    assert_eq!(
        row_errors("r", &db_row, &stored, &[], Mode::Create),
        Vec::new()
    );
}

#[test]
fn row_targets_follow_the_category() {
    let rows = [
        row(&[RowItem::action("FIND")], &[]),
        row(
            &[RowItem::action("FIND")],
            &[
                RowTarget::new("sales", ""),
                RowTarget::new("", "orders"),
                RowTarget::new("a b", "$x"),
            ],
        ),
        row(
            &[RowItem::role("read")],
            &[RowTarget::new("sales", "orders"), RowTarget::database("")],
        ),
        row(&[RowItem::action("TOP")], &[RowTarget::database("admin")]),
        row(&[RowItem::action("TOP")], &[RowTarget::default()]),
        row(
            &[RowItem::action("INSERT")],
            &[RowTarget::new("s", "o"), RowTarget::new("s", "o")],
        ),
    ];
    assert_eq!(
        row_errors("r", &rows, &[], &[], Mode::Create),
        vec![
            ("rows[0].targets".to_owned(), "ROW_TARGETS_REQUIRED"),
            (
                "rows[1].targets[0].collection".to_owned(),
                "COLLECTION_REQUIRED"
            ),
            ("rows[1].targets[1].db".to_owned(), "DATABASE_REQUIRED"),
            (
                "rows[1].targets[2].db".to_owned(),
                "DATABASE_NAME_INVALID_CHARACTER"
            ),
            (
                "rows[1].targets[2].collection".to_owned(),
                "COLLECTION_NAME_INVALID_CHARACTER"
            ),
            (
                "rows[2].targets[0].collection".to_owned(),
                "COLLECTION_NOT_ALLOWED"
            ),
            ("rows[2].targets[1].db".to_owned(), "DATABASE_REQUIRED"),
            ("rows[3].targets".to_owned(), "ROW_TARGETS_NOT_ALLOWED"),
            ("rows[5].targets[1]".to_owned(), "DUPLICATE_TARGET"),
        ]
    );
    let errs = validate_rows("r", &rows, &project(&[], &[]), Mode::Create).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "Collection Actions need a database for each entry: add a database"
    );
    assert_eq!(errs[2].to_string(), "FIND: a database is required");
}

#[test]
fn rows_must_choose_something() {
    assert_eq!(
        row_errors("r", &[], &[], &[], Mode::Create),
        one("rows", "CUSTOM_ROLE_EMPTY")
    );
    assert_eq!(
        row_errors("r", &[row(&[], &[])], &[], &[], Mode::Create),
        vec![
            ("rows".to_owned(), "CUSTOM_ROLE_EMPTY"),
            ("rows[0].items".to_owned(), "ROW_EMPTY")
        ]
    );
    assert_eq!(
        row_errors(
            "r",
            &[row(&[RowItem::action("TOP")], &[]), row(&[], &[])],
            &[],
            &[],
            Mode::Create
        ),
        one("rows[1].items", "ROW_EMPTY")
    );
}

#[test]
fn row_items_are_known_unique_supported_and_acyclic() {
    let stored = [with_find("a"), inheriting("b", &["a"])];
    let rows = [
        row(
            &[
                RowItem::action("TOP"),
                RowItem::action("TOP"),
                RowItem::action("FROB"),
                RowItem::action("MOVE_COLLECTION"),
            ],
            &[],
        ),
        row(
            &[
                RowItem::role("b"),
                RowItem::role("ghost"),
                RowItem::role("root"),
            ],
            &[],
        ),
    ];
    assert_eq!(
        row_errors(
            "a",
            &rows,
            &stored,
            &[Cluster::new("old", "7.0")],
            Mode::Update
        ),
        vec![
            ("rows[0].items[1]".to_owned(), "DUPLICATE_ROW_ITEM"),
            ("rows[0].items[2]".to_owned(), "UNKNOWN_ACTION"),
            (
                "rows[0].items[3]".to_owned(),
                "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION"
            ),
            ("rows[1].items[1]".to_owned(), "UNKNOWN_INHERITED_ROLE"),
            ("rows[1].items[2]".to_owned(), "ROLE_NOT_INHERITABLE"),
            ("rows[1].items[0]".to_owned(), "INHERITED_ROLE_CYCLE"),
        ]
    );
    // The name rules apply to rows too.
    assert_eq!(
        row_errors(
            "atlasAdmin",
            &[row(&[RowItem::action("TOP")], &[])],
            &[],
            &[],
            Mode::Create
        ),
        one("roleName", "ROLE_NAME_IS_ATLAS_ADMIN")
    );
}

#[test]
fn rows_to_role_refuses_what_it_cannot_convert() {
    let bad = [row(&[RowItem::action("FIND")], &[])];
    let errs = rows_to_role("r", &bad, &[]).unwrap_err();
    assert_eq!(errs[0].error_code(), "ROW_TARGETS_REQUIRED");
}

#[test]
fn enabled_categories_follow_atlas_dialog() {
    let stored = [with_find("reporting")];
    let all = enabled_categories(&[], "r", &stored);
    assert_eq!(all, Category::ALL.to_vec());
    // Custom Roles are offered only when the project has some (other than the role being edited).
    let no_custom = enabled_categories(&[], "reporting", &stored);
    assert_eq!(
        no_custom,
        [
            Category::CollectionActions,
            Category::DatabaseActionsAndRoles,
            Category::GlobalActionsAndRoles
        ]
    );
    assert_eq!(
        enabled_categories(&[RowItem::action("FIND")], "r", &stored),
        [Category::CollectionActions]
    );
    assert_eq!(
        enabled_categories(&[RowItem::role("read")], "r", &stored),
        [Category::DatabaseActionsAndRoles]
    );
    assert_eq!(
        enabled_categories(&[RowItem::action("TOP")], "r", &stored),
        [Category::GlobalActionsAndRoles, Category::CustomRoles]
    );
    assert_eq!(
        enabled_categories(&[RowItem::role("reporting")], "r", &stored),
        [Category::GlobalActionsAndRoles, Category::CustomRoles]
    );
    // An unknown first item does not lock the row.
    assert_eq!(
        enabled_categories(
            &[RowItem::action("FROB"), RowItem::action("DB_STATS")],
            "r",
            &stored
        ),
        [Category::DatabaseActionsAndRoles]
    );
}

#[test]
fn role_to_rows_groups_like_the_dialog_and_round_trips() {
    let stored = [with_find("reporting")];
    let r = role(json!({
        "roleName": "analyst",
        "actions": [
            {"action": "FIND", "resources": [{"db": "sales", "collection": "orders", "cluster": false}]},
            {"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]},
            {"action": "UPDATE", "resources": [{"db": "sales", "collection": "returns"}]},
            {"action": "DB_STATS", "resources": [{"db": "sales", "collection": ""}]},
            {"action": "IN_PROG", "resources": [{"cluster": true}]}
        ],
        "inheritedRoles": [
            {"role": "read", "db": "reports"}, {"role": "read", "db": "archive"},
            {"role": "dbAdmin", "db": "reports"}, {"role": "dbAdmin", "db": "archive"},
            {"role": "readWrite", "db": "sales"},
            {"role": "backup", "db": "admin"}, {"role": "reporting", "db": "admin"}
        ]
    }));
    let rows = role_to_rows(&r);
    assert_eq!(
        rows,
        [
            row(
                &[RowItem::action("FIND"), RowItem::action("INSERT")],
                &[RowTarget::new("sales", "orders")]
            ),
            row(
                &[RowItem::action("UPDATE")],
                &[RowTarget::new("sales", "returns")]
            ),
            row(
                &[RowItem::action("DB_STATS"), RowItem::role("readWrite")],
                &[RowTarget::database("sales")]
            ),
            row(
                &[
                    RowItem::action("IN_PROG"),
                    RowItem::role("backup"),
                    RowItem::role("reporting")
                ],
                &[]
            ),
            row(
                &[RowItem::role("read"), RowItem::role("dbAdmin")],
                &[
                    RowTarget::database("archive"),
                    RowTarget::database("reports")
                ]
            ),
        ]
    );
    assert_eq!(
        validate_rows("analyst", &rows, &project(&stored, &[]), Mode::Create),
        Ok(())
    );
    let back = rows_to_role("analyst", &rows, &stored).unwrap();
    assert_eq!(normalized(&back), normalized(&r));
}

/// A role as sets, to compare roles that differ only in order or in the spelling of empty fields.
type NormalizedResource = (bool, Option<String>, Option<String>);
type NormalizedRole = (
    String,
    Vec<(String, Vec<NormalizedResource>)>,
    Vec<InheritedRole>,
);

fn normalized(r: &CustomDbRole) -> NormalizedRole {
    let mut actions: Vec<_> = r
        .actions
        .iter()
        .map(|a| {
            let mut res: Vec<_> = a
                .resources
                .iter()
                .map(|x| {
                    (
                        x.is_cluster(),
                        x.db_name().map(str::to_owned),
                        x.collection_name().map(str::to_owned),
                    )
                })
                .collect();
            res.sort();
            (a.action.clone(), res)
        })
        .collect();
    actions.sort();
    let mut inherited = r.inherited_roles.clone();
    inherited.sort_by(|a, b| (&a.role, &a.db).cmp(&(&b.role, &b.db)));
    (r.role_name.clone(), actions, inherited)
}

#[test]
fn role_to_rows_keeps_unknown_entries_visible_for_validation() {
    let r = role(
        json!({"roleName": "r", "actions": [{"action": "FROB", "resources": [{"db": "a", "collection": "b"}]}], "inheritedRoles": [{"role": "ghost", "db": "admin"}]}),
    );
    let rows = role_to_rows(&r);
    assert_eq!(
        rows,
        [
            row(&[RowItem::action("FROB")], &[RowTarget::new("a", "b")]),
            row(&[RowItem::role("ghost")], &[])
        ]
    );
    let got = row_errors("r", &rows, &[], &[], Mode::Create);
    assert_eq!(
        got,
        vec![
            ("rows[0].items[0]".to_owned(), "UNKNOWN_ACTION"),
            ("rows[1].items[0]".to_owned(), "UNKNOWN_INHERITED_ROLE")
        ]
    );
}

#[test]
fn rows_serialize_for_the_ui_state() {
    let r = row(
        &[RowItem::action("FIND"), RowItem::role("read")],
        &[RowTarget::new("a", "b")],
    );
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v,
        json!({"items": [{"kind": "action", "name": "FIND"}, {"kind": "role", "name": "read"}], "targets": [{"db": "a", "collection": "b"}]})
    );
    assert_eq!(serde_json::from_value::<RoleRow>(v).unwrap(), r);
}

// ---------------------------------------------------------------- effective privileges

#[test]
fn effective_privileges_flatten_built_in_and_custom_inheritance() {
    let reporting = role(
        json!({"roleName": "reporting", "actions": [{"action": "LIST_DATABASES", "resources": [{"cluster": true}]}],
        "inheritedRoles": [{"role": "dbOwner", "db": "reports"}]}),
    );
    let analyst = role(json!({"roleName": "analyst",
        "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}],
        "inheritedRoles": [{"role": "read", "db": "sales"}, {"role": "reporting", "db": "admin"}]}));
    let stored = [reporting.clone(), analyst.clone()];
    let eff = effective_privileges(&analyst, &stored);

    let has = |action: &str, resource: PrivilegeResource, via: &[&str]| {
        eff.iter()
            .any(|p| p.action == action && p.resource == resource && p.via == via)
    };
    assert!(has(
        "find",
        PrivilegeResource::Collection {
            db: "sales".into(),
            collection: "orders".into()
        },
        &["analyst"]
    ));
    assert!(has(
        "find",
        PrivilegeResource::Database { db: "sales".into() },
        &["analyst", "read@sales"]
    ));
    assert!(has(
        "find",
        PrivilegeResource::Collection {
            db: "sales".into(),
            collection: "system.js".into()
        },
        &["analyst", "read@sales"]
    ));
    assert!(has(
        "listDatabases",
        PrivilegeResource::Cluster,
        &["analyst", "reporting"]
    ));
    assert!(has(
        "insert",
        PrivilegeResource::Database {
            db: "reports".into()
        },
        &[
            "analyst",
            "reporting",
            "dbOwner@reports",
            "readWrite@reports"
        ]
    ));
    assert!(has(
        "createUser",
        PrivilegeResource::Database {
            db: "reports".into()
        },
        &[
            "analyst",
            "reporting",
            "dbOwner@reports",
            "userAdmin@reports"
        ]
    ));
    assert!(has(
        "dropDatabase",
        PrivilegeResource::Database {
            db: "reports".into()
        },
        &["analyst", "reporting", "dbOwner@reports", "dbAdmin@reports"]
    ));
    // Nothing is granted that no role grants.
    assert!(!eff.iter().any(|p| p.action == "insert"
        && p.resource == PrivilegeResource::Database { db: "sales".into() }));
    assert!(!eff.iter().any(|p| p.action == "shutdown"));
    // The first entry is the role's own action, with its API name.
    assert_eq!(eff[0].api_name, Some("FIND"));
    assert_eq!(eff[0].resource.to_string(), "sales.orders");
    // Identical entries are listed once.
    let n = eff.len();
    let mut keys: Vec<_> = eff
        .iter()
        .map(|p| (p.action.clone(), p.resource.clone(), p.via.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
}

#[test]
fn effective_privileges_of_global_roles_and_display() {
    let r = role(
        json!({"roleName": "ops", "inheritedRoles": [{"role": "readAnyDatabase", "db": "admin"}, {"role": "clusterMonitor", "db": "admin"}]}),
    );
    let eff = effective_privileges(&r, &[]);
    let find_any = eff
        .iter()
        .find(|p| p.action == "find" && p.resource == PrivilegeResource::AnyDatabase)
        .unwrap();
    assert_eq!(find_any.via, ["ops", "readAnyDatabase@admin"]);
    assert_eq!(find_any.resource.to_string(), "*.*");
    let profile = eff
        .iter()
        .find(|p| {
            p.resource
                == PrivilegeResource::AnyDatabaseCollection {
                    collection: "system.profile".into(),
                }
        })
        .unwrap();
    assert_eq!(profile.resource.to_string(), "*.system.profile");
    assert!(eff
        .iter()
        .any(|p| p.action == "serverStatus" && p.resource == PrivilegeResource::Cluster));
    assert_eq!(
        serde_json::to_value(&eff[0]).unwrap(),
        json!({"action": "changeStream", "apiName": "CHANGE_STREAM", "resource": {"kind": "anyDatabase"}, "via": ["ops", "readAnyDatabase@admin"]})
    );
}

#[test]
fn effective_privileges_survive_stored_cycles() {
    let a = role(
        json!({"roleName": "a", "actions": [{"action": "TOP", "resources": [{"cluster": true}]}], "inheritedRoles": [{"role": "b", "db": "admin"}]}),
    );
    let b = role(
        json!({"roleName": "b", "actions": [{"action": "GET_LOG", "resources": [{"cluster": true}]}], "inheritedRoles": [{"role": "a", "db": "admin"}]}),
    );
    let eff = effective_privileges(&a, &[a.clone(), b]);
    let got: Vec<_> = eff
        .iter()
        .map(|p| (p.action.as_str(), p.via.join(">")))
        .collect();
    assert_eq!(got, [("top", "a".to_owned()), ("getLog", "a>b".to_owned())]);
}

// ---------------------------------------------------------------- modify and delete

#[test]
fn renaming_is_refused() {
    assert_eq!(check_rename("analyst", None), Ok(()));
    assert_eq!(check_rename("analyst", Some("analyst")), Ok(()));
    let e = check_rename("analyst", Some("auditor")).unwrap_err();
    assert_eq!(e.field, "roleName");
    assert_eq!(e.error_code(), "CUSTOM_ROLE_RENAME_NOT_ALLOWED");
    assert_eq!(e.to_string(), "custom roles cannot be renamed: the body names \"auditor\" but the role is \"analyst\"; create a new role instead");
}

#[test]
fn updates_replace_only_what_they_give() {
    let stored = role(
        json!({"roleName": "analyst", "actions": [{"action": "FIND", "resources": [{"db": "a", "collection": "b"}]}], "inheritedRoles": [{"role": "read", "db": "x"}]}),
    );
    let only_roles: CustomDbRoleUpdate =
        serde_json::from_value(json!({"inheritedRoles": [{"role": "readWrite", "db": "y"}]}))
            .unwrap();
    let updated = apply_update(&stored, &only_roles).unwrap();
    assert_eq!(updated.actions, stored.actions);
    assert_eq!(
        updated.inherited_roles,
        [InheritedRole::new("readWrite", "y")]
    );
    let renaming: CustomDbRoleUpdate =
        serde_json::from_value(json!({"roleName": "other", "actions": []})).unwrap();
    assert_eq!(
        apply_update(&stored, &renaming).unwrap_err().error_code(),
        "CUSTOM_ROLE_RENAME_NOT_ALLOWED"
    );
    // Emptying a role through PATCH is caught by the validation that follows.
    let emptying: CustomDbRoleUpdate =
        serde_json::from_value(json!({"actions": [], "inheritedRoles": []})).unwrap();
    let empty = apply_update(&stored, &emptying).unwrap();
    let store = [stored.clone()];
    assert_eq!(
        errors(&empty, &store, &[], Mode::Update),
        one("actions", "CUSTOM_ROLE_EMPTY")
    );
}

fn user(name: &str, roles: &[(&str, &str)]) -> DatabaseUser {
    serde_json::from_value(json!({
        "databaseName": "$external", "username": name, "x509Type": "CUSTOMER",
        "roles": roles.iter().map(|(r, d)| json!({"roleName": r, "databaseName": d})).collect::<Vec<_>>()
    }))
    .unwrap()
}

#[test]
fn delete_is_refused_when_a_child_role_would_be_left_empty() {
    let stored = [
        with_find("base"),
        inheriting("only-child", &["base"]),
        inheriting("two-parents", &["base", "other"]),
        CustomDbRole {
            inherited_roles: vec![InheritedRole::new("base", "admin")],
            ..with_find("has-actions")
        },
        with_find("other"),
        inheriting("empty-too", &["base"]),
    ];
    let errs = check_delete("base", &stored, &[]).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].error_code(), "CUSTOM_ROLE_IN_USE_BY_ROLES");
    assert_eq!(
        errs[0].kind,
        CustomRoleErrorKind::DeleteWouldEmptyRoles {
            role: "base".into(),
            children: vec!["only-child".into(), "empty-too".into()]
        }
    );
    assert_eq!(errs[0].to_string(), "deleting base would leave the roles only-child, empty-too with no parent roles or actions: give them an action or another inherited role, or delete them first");
    // A parent whose children keep something can go.
    assert_eq!(check_delete("other", &stored, &[]), Ok(()));
}

#[test]
fn delete_consequences_split_who_loses_the_role_from_who_would_be_left_empty() {
    let stored = [
        with_find("base"),
        inheriting("only-child", &["base"]),
        inheriting("two-parents", &["base", "other"]),
        CustomDbRole {
            inherited_roles: vec![InheritedRole::new("base", "admin")],
            ..with_find("has-actions")
        },
        with_find("other"),
    ];
    let users = [
        user("CN=only,O=x", &[("base", "admin")]),
        user("CN=two,O=x", &[("base", "admin"), ("read", "sales")]),
        user("CN=none,O=x", &[("read", "sales")]),
    ];
    let found = delete_consequences("base", &stored, &users);
    assert_eq!(found.roles_losing_it, ["two-parents", "has-actions"]);
    assert_eq!(found.roles_left_empty, ["only-child"]);
    assert_eq!(found.users_losing_it, ["CN=two,O=x"]);
    assert_eq!(found.users_left_without_roles, ["CN=only,O=x"]);
    assert!(!found.allowed());
    // The refusal names the same roles and users.
    let errs = check_delete("base", &stored, &users).unwrap_err();
    assert_eq!(errs.len(), 2);
    let nobody = delete_consequences("other", &stored, &users);
    assert_eq!(nobody.roles_losing_it, ["two-parents"]);
    assert!(nobody.allowed());
}

#[test]
fn delete_is_refused_when_a_user_would_be_left_without_roles() {
    let stored = [with_find("analyst")];
    let users = [
        user("CN=Jane Doe,O=MongoDB,C=US", &[("analyst", "admin")]),
        user("CN=Bob,O=MongoDB,C=US", &[("read", "sales")]),
    ];
    let errs = check_delete("analyst", &stored, &users).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].error_code(), "CUSTOM_ROLE_IN_USE_BY_USERS");
    assert_eq!(
        errs[0].to_string(),
        "deleting analyst would leave the database user CN=Jane Doe,O=MongoDB,C=US with no roles: give it another role, or delete it first"
    );
    assert_eq!(errs[0].kind.http_status(), 409);
}

#[test]
fn delete_reports_both_reasons_and_unknown_roles() {
    let stored = [with_find("base"), inheriting("child", &["base"])];
    let users = [
        user("CN=a", &[("base", "admin")]),
        user("CN=b", &[("base", "admin")]),
    ];
    let codes: Vec<_> = check_delete("base", &stored, &users)
        .unwrap_err()
        .iter()
        .map(|e| e.error_code())
        .collect();
    assert_eq!(
        codes,
        ["CUSTOM_ROLE_IN_USE_BY_ROLES", "CUSTOM_ROLE_IN_USE_BY_USERS"]
    );
    let missing = check_delete("ghost", &stored, &users).unwrap_err();
    assert_eq!(missing[0].error_code(), "ATLAS_CUSTOM_ROLE_NOT_FOUND");
    assert_eq!(missing[0].kind.http_status(), 404);
    // Nobody depends on "child": it can be deleted.
    assert_eq!(check_delete("child", &stored, &users), Ok(()));
}

#[test]
fn detaching_a_deleted_role_updates_only_its_dependents() {
    let stored = [
        with_find("base"),
        inheriting("two", &["base", "other"]),
        with_find("other"),
    ];
    let users = [
        user("CN=a", &[("base", "admin"), ("read", "x")]),
        user("CN=b", &[("read", "x")]),
    ];
    let (roles, users) = detach_deleted_role("base", &stored, &users);
    assert_eq!(roles, [inheriting("two", &["other"])]);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].roles, [UserRole::new("read", "x")]);
}

// ---------------------------------------------------------------- error codes

#[test]
fn error_codes_are_stable_upper_snake() {
    use CustomRoleErrorKind as K;
    let samples = [
        K::NameEmpty,
        K::NameInvalidCharacter {
            ch: ' ',
            position: 1,
        },
        K::NameIsBuiltIn("read".into()),
        K::NameIsAtlasAdmin,
        K::NameReservedPrefix,
        K::NameTaken("x".into()),
        K::Empty,
        K::NotFound("x".into()),
        K::RenameNotAllowed {
            from: "a".into(),
            to: "b".into(),
        },
        K::ActionEmpty,
        K::UnknownAction {
            name: "x".into(),
            suggestion: None,
        },
        K::ActionNotAssignable("x".into()),
        K::DuplicateAction {
            action: "x".into(),
            first: 0,
        },
        K::ResourcesRequired("x".into()),
        K::DatabaseRequired("x".into()),
        K::CollectionRequired("x".into()),
        K::CollectionNotAllowed("x".into()),
        K::ClusterResourceRequired("x".into()),
        K::ClusterResourceNotAllowed("x".into()),
        K::NamesNotAllowedWithCluster("x".into()),
        K::DuplicateResource { first: 0 },
        K::RoleEmpty,
        K::UnknownRole {
            name: "x".into(),
            suggestion: None,
        },
        K::RoleNotInheritable("x".into()),
        K::RoleRequiresAdminDatabase {
            role: "x".into(),
            db: "y".into(),
        },
        K::DuplicateInheritedRole { first: 0 },
        K::Cycle(vec![]),
        K::RowEmpty,
        K::RowTargetsRequired(Category::CollectionActions),
        K::RowTargetsNotAllowed(Category::GlobalActionsAndRoles),
        K::DuplicateRowItem {
            item: "x".into(),
            first: 0,
        },
        K::DuplicateTarget { first: 0 },
        K::DeleteWouldEmptyRoles {
            role: "x".into(),
            children: vec![],
        },
        K::DeleteWouldLeaveUsersWithoutRoles {
            role: "x".into(),
            users: vec![],
        },
    ];
    for k in &samples {
        let code = k.error_code();
        assert!(
            !code.is_empty() && code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{code}"
        );
        assert!(!k.to_string().is_empty());
    }
    let issue = CustomRoleError::new(
        "actions[2].resources[0].collection",
        K::CollectionRequired("FIND".into()),
    )
    .to_issue();
    assert_eq!(issue.field, "actions[2].resources[0].collection");
    assert_eq!(issue.error_code, "COLLECTION_REQUIRED");
}
