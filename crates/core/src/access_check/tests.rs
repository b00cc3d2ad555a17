//! Table-driven cases. Each names the source it follows:
//! - MANUAL_ROLES: MongoDB Manual, "Built-In Roles" (reference/built-in-roles), as in `catalog/roles.rs`;
//! - MANUAL_RESOURCE: MongoDB Manual, "Resource Document on Self-Managed Deployments";
//! - MANUAL_ACTIONS: MongoDB Manual, "Privilege Actions" (version notes), as in `catalog/actions.rs`;
//! - SEED_PRIVILEGES: the seed's "Atlas Specific Privilege / Database / Privilege Actions" table
//!   (/work/shared/reference/atlas-self-managed-x509.txt, `privileges.rs`);
//! - SEED_CUSTOM: the seed's custom roles page (/work/shared/reference/atlas-custom-roles.txt:
//!   inherited roles, custom roles on admin);
//! - ATLAS_USERS: Atlas Admin API database users (`scopes`, `deleteAfterDate`);
//! - RFC5280: RFC 5280 4.2.1.3 (keyUsage) and 4.2.1.12 (extendedKeyUsage), openssl's SSL client purpose.

use super::resource::{covers, GrantSource, Target};
use super::*;
use crate::custom_role::{ActionResource, InheritedRole, PrivilegeResource, RoleAction};
use crate::database_user::UserRole;
use crate::database_user::{
    AwsIamType, LdapAuthType, OidcAuthType, ScopeType, UserScope, X509Type,
};
use crate::test_certificates::{exists, now, KeyType, Spec, Workdir, OPENSSL};

const MANUAL_ROLES: &str = "MongoDB Manual, Built-In Roles";
const MANUAL_RESOURCE: &str = "MongoDB Manual, Resource Document";
const MANUAL_ACTIONS: &str = "MongoDB Manual, Privilege Actions";
const SEED_PRIVILEGES: &str = "seed, Atlas Specific Privilege table";
const SEED_CUSTOM: &str = "seed, Configure Custom Database Roles";
const ATLAS_USERS: &str = "Atlas Admin API, Database Users";

fn coll(db: &str, c: &str) -> Target {
    Target::Collection {
        db: db.into(),
        collection: c.into(),
    }
}

fn db(name: &str) -> Target {
    Target::Database { db: name.into() }
}

#[test]
fn resource_rules() {
    use GrantSource::{BuiltInRole as B, CustomRole as C};
    use PrivilegeResource as R;
    let database = |d: &str| R::Database { db: d.into() };
    let collection = |d: &str, c: &str| R::Collection {
        db: d.into(),
        collection: c.into(),
    };
    let any_coll = |c: &str| R::AnyDatabaseCollection {
        collection: c.into(),
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, R, GrantSource, Target, bool)> = vec![
        (MANUAL_RESOURCE, database("sales"), C, coll("sales", "orders"), true),
        (MANUAL_RESOURCE, database("sales"), C, coll("sales", "system.profile"), false),
        (MANUAL_RESOURCE, database("sales"), C, coll("other", "orders"), false),
        (MANUAL_RESOURCE, database("sales"), C, db("sales"), true),
        (MANUAL_RESOURCE, collection("sales", "orders"), C, coll("sales", "orders"), true),
        (MANUAL_RESOURCE, collection("sales", "orders"), C, db("sales"), false),
        (MANUAL_RESOURCE, collection("sales", "system.profile"), C, coll("sales", "system.profile"), true),
        (MANUAL_RESOURCE, R::AnyDatabase, C, coll("any", "thing"), true),
        (MANUAL_RESOURCE, R::AnyDatabase, C, coll("any", "system.js"), false),
        (MANUAL_RESOURCE, R::AnyDatabase, C, coll("local", "startup_log"), true),
        (MANUAL_ROLES, R::AnyDatabase, B, coll("local", "startup_log"), false),
        (MANUAL_ROLES, R::AnyDatabase, B, db("config"), false),
        (MANUAL_ROLES, R::AnyDatabase, B, coll("sales", "orders"), true),
        (MANUAL_RESOURCE, any_coll("system.profile"), C, coll("sales", "system.profile"), true),
        (MANUAL_RESOURCE, any_coll("system.profile"), C, db("sales"), false),
        (MANUAL_RESOURCE, R::Cluster, C, R_CLUSTER, true),
        (MANUAL_RESOURCE, R::Cluster, C, coll("admin", "x"), false),
        (MANUAL_RESOURCE, database("admin"), C, R_CLUSTER, false),
        (MANUAL_RESOURCE, R::AnyResource, B, coll("local", "system.replset"), true),
        (MANUAL_RESOURCE, R::AnyResource, B, R_CLUSTER, true),
    ];
    for (source, granted, from, target, expected) in cases {
        assert_eq!(
            covers(&granted, from, &target),
            expected,
            "{granted} ({from:?}) on {target} [{source}]"
        );
    }
}

const R_CLUSTER: Target = Target::Cluster;

fn x509_user(name: &str, roles: Vec<UserRole>) -> DatabaseUser {
    DatabaseUser {
        group_id: None,
        database_name: "$external".into(),
        username: name.into(),
        x509_type: X509Type::Customer,
        aws_iam_type: AwsIamType::None,
        ldap_auth_type: LdapAuthType::None,
        oidc_auth_type: OidcAuthType::None,
        roles,
        scopes: Vec::new(),
        labels: Vec::new(),
        description: None,
        delete_after_date: None,
        password: None,
    }
}

fn custom(name: &str, actions: Vec<RoleAction>, inherited: Vec<InheritedRole>) -> CustomDbRole {
    CustomDbRole {
        role_name: name.into(),
        actions,
        inherited_roles: inherited,
    }
}

fn act(action: &str, resources: Vec<ActionResource>) -> RoleAction {
    RoleAction {
        action: action.into(),
        resources,
    }
}

fn any_db() -> ActionResource {
    ActionResource {
        db: Some(String::new()),
        collection: Some(String::new()),
        cluster: None,
    }
}

/// Three levels of custom roles, plus roles for the resource rules.
fn project_roles() -> Vec<CustomDbRole> {
    vec![
        custom(
            "level3",
            vec![act(
                "FIND",
                vec![ActionResource::collection("sales", "orders")],
            )],
            vec![],
        ),
        custom(
            "level2",
            vec![act("INSERT", vec![ActionResource::database("sales")])],
            vec![InheritedRole::new("level3", "admin")],
        ),
        custom(
            "level1",
            vec![],
            vec![
                InheritedRole::new("level2", "admin"),
                InheritedRole::new("read", "reports"),
            ],
        ),
        custom("anyDbFind", vec![act("FIND", vec![any_db()])], vec![]),
        custom(
            "profileReader",
            vec![act(
                "FIND",
                vec![ActionResource {
                    db: Some(String::new()),
                    collection: Some("system.profile".into()),
                    cluster: None,
                }],
            )],
            vec![],
        ),
        custom(
            "clusterOps",
            vec![act("SERVER_STATUS", vec![ActionResource::cluster()])],
            vec![InheritedRole::new("clusterMonitor", "admin")],
        ),
    ]
}

const NAME: &str = "CN=app,OU=billing,O=Acme";

fn clusters() -> Vec<Cluster> {
    vec![Cluster::new("Old", "4.4"), Cluster::new("New", "8.0")]
}

fn run_with(
    users: &[DatabaseUser],
    request: &AccessCheckRequest,
    at: UnixTime,
) -> AccessCheckAnswer {
    let roles = project_roles();
    let clusters = clusters();
    let usernames: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
    let checked = check_request(request, &clusters).expect("request is valid");
    let project = ProjectData {
        ca_bundle: None,
        clusters: &clusters,
        custom_roles: &roles,
        users,
        usernames: &usernames,
    };
    check(&checked, &project, at)
}

fn request(action: &str, database: Option<&str>, collection: Option<&str>) -> AccessCheckRequest {
    AccessCheckRequest {
        username: Some(NAME.into()),
        actions: vec![action.into()],
        database: database.map(Into::into),
        collection: collection.map(Into::into),
        ..Default::default()
    }
}

struct AuthCase {
    source: &'static str,
    roles: &'static [(&'static str, &'static str, Option<&'static str>)],
    action: &'static str,
    db: Option<&'static str>,
    collection: Option<&'static str>,
    allowed: bool,
}

const fn case(
    source: &'static str,
    roles: &'static [(&'static str, &'static str, Option<&'static str>)],
    action: &'static str,
    db: Option<&'static str>,
    collection: Option<&'static str>,
    allowed: bool,
) -> AuthCase {
    AuthCase {
        source,
        roles,
        action,
        db,
        collection,
        allowed,
    }
}

#[rustfmt::skip]
const AUTH_CASES: &[AuthCase] = &[
    // Built-in database roles on a named database.
    case(MANUAL_ROLES, &[("read", "sales", None)], "FIND", Some("sales"), Some("orders"), true),
    case(MANUAL_ROLES, &[("read", "sales", None)], "INSERT", Some("sales"), Some("orders"), false),
    case(MANUAL_ROLES, &[("read", "sales", None)], "FIND", Some("other"), Some("orders"), false),
    case(MANUAL_ROLES, &[("read", "sales", None)], "LIST_COLLECTIONS", Some("sales"), None, true),
    case(MANUAL_ROLES, &[("read", "sales", None)], "FIND", Some("sales"), Some("system.js"), true),
    case(MANUAL_ROLES, &[("read", "sales", None)], "FIND", Some("sales"), Some("system.profile"), false),
    case(SEED_PRIVILEGES, &[("read", "sales", Some("orders"))], "FIND", Some("sales"), Some("orders"), true),
    case(SEED_PRIVILEGES, &[("read", "sales", Some("orders"))], "FIND", Some("sales"), Some("invoices"), false),
    case(MANUAL_ROLES, &[("readWrite", "sales", None)], "INSERT", Some("sales"), Some("orders"), true),
    case(MANUAL_ROLES, &[("readWrite", "sales", None)], "REMOVE", Some("sales"), Some("orders"), true),
    case(MANUAL_ROLES, &[("readWrite", "sales", None)], "DROP_DATABASE", Some("sales"), None, false),
    case(MANUAL_ROLES, &[("dbAdmin", "sales", None)], "DROP_DATABASE", Some("sales"), None, true),
    case(MANUAL_ROLES, &[("dbAdmin", "sales", None)], "FIND", Some("sales"), Some("system.profile"), true),
    case(MANUAL_ROLES, &[("dbAdmin", "sales", None)], "FIND", Some("sales"), Some("orders"), false),
    case(MANUAL_ROLES, &[("dbOwner", "sales", None)], "INSERT", Some("sales"), Some("orders"), true),
    case(MANUAL_ROLES, &[("dbOwner", "sales", None)], "CREATE_USER", Some("sales"), None, true),
    case(MANUAL_ROLES, &[("userAdmin", "sales", None)], "FIND", Some("sales"), Some("orders"), false),
    // "Any database" roles: every database except local and config.
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "FIND", Some("shop"), Some("items"), true),
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "FIND", Some("local"), Some("oplog.rs"), false),
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "FIND", Some("config"), Some("settings"), false),
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "LIST_DATABASES", None, None, true),
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "INSERT", Some("shop"), Some("items"), false),
    case(MANUAL_ROLES, &[("readAnyDatabase", "admin", None)], "FIND", Some("shop"), Some("system.profile"), false),
    case(MANUAL_ROLES, &[("readWriteAnyDatabase", "admin", None)], "INSERT", Some("shop"), Some("items"), true),
    case(MANUAL_ROLES, &[("readWriteAnyDatabase", "admin", None)], "INSERT", Some("config"), Some("items"), false),
    case(MANUAL_ROLES, &[("dbAdminAnyDatabase", "admin", None)], "FIND", Some("shop"), Some("system.profile"), true),
    case(MANUAL_ROLES, &[("dbAdminAnyDatabase", "admin", None)], "FIND", Some("local"), Some("system.profile"), false),
    // Cluster roles.
    case(MANUAL_ROLES, &[("clusterMonitor", "admin", None)], "SERVER_STATUS", None, None, true),
    case(MANUAL_ROLES, &[("clusterMonitor", "admin", None)], "FIND", Some("shop"), Some("items"), false),
    case(MANUAL_ROLES, &[("clusterMonitor", "admin", None)], "FIND", Some("local"), Some("system.replset"), true),
    case(MANUAL_ROLES, &[("clusterManager", "admin", None)], "INSERT", Some("config"), Some("settings"), true),
    case(MANUAL_ROLES, &[("backup", "admin", None)], "LIST_COLLECTIONS", Some("local"), None, true),
    case(MANUAL_ROLES, &[("backup", "admin", None)], "INSERT", Some("shop"), Some("items"), false),
    // Atlas roles (seed's table and the manual's Atlas section).
    case(MANUAL_ROLES, &[("atlasAdmin", "admin", None)], "INSERT", Some("shop"), Some("items"), true),
    case(MANUAL_ROLES, &[("atlasAdmin", "admin", None)], "UPDATE", Some("config"), Some("settings"), true),
    case(MANUAL_ROLES, &[("atlasAdmin", "admin", None)], "SHUTDOWN", None, None, false),
    case(SEED_PRIVILEGES, &[("killOpSession", "sales", None)], "KILL_OP", None, None, true),
    case(SEED_PRIVILEGES, &[("killOpSession", "sales", None)], "KILL_CURSORS", Some("sales"), Some("orders"), true),
    case(SEED_PRIVILEGES, &[("killOpSession", "sales", None)], "FIND", Some("sales"), Some("orders"), false),
    case(SEED_PRIVILEGES, &[("enableSharding", "admin", None)], "ENABLE_SHARDING", Some("shop"), None, true),
    // Custom roles, inherited several levels deep.
    case(SEED_CUSTOM, &[("level1", "admin", None)], "FIND", Some("sales"), Some("orders"), true),
    case(SEED_CUSTOM, &[("level1", "admin", None)], "FIND", Some("sales"), Some("invoices"), false),
    case(SEED_CUSTOM, &[("level1", "admin", None)], "INSERT", Some("sales"), Some("invoices"), true),
    case(SEED_CUSTOM, &[("level1", "admin", None)], "INSERT", Some("sales"), Some("system.js"), false),
    case(SEED_CUSTOM, &[("level1", "admin", None)], "FIND", Some("reports"), Some("daily"), true),
    case(SEED_CUSTOM, &[("level1", "admin", None)], "INSERT", Some("reports"), Some("daily"), false),
    case(SEED_CUSTOM, &[("clusterOps", "admin", None)], "SERVER_STATUS", None, None, true),
    case(SEED_CUSTOM, &[("clusterOps", "admin", None)], "TOP", None, None, true),
    // A custom role's {db: "", collection: ""} and {db: "", collection: "system.profile"}.
    case(MANUAL_RESOURCE, &[("anyDbFind", "admin", None)], "FIND", Some("shop"), Some("items"), true),
    case(MANUAL_RESOURCE, &[("anyDbFind", "admin", None)], "FIND", Some("shop"), Some("system.users"), false),
    case(MANUAL_RESOURCE, &[("profileReader", "admin", None)], "FIND", Some("shop"), Some("system.profile"), true),
    case(MANUAL_RESOURCE, &[("profileReader", "admin", None)], "FIND", Some("shop"), Some("items"), false),
    // Two roles: either may grant.
    case(SEED_PRIVILEGES, &[("read", "sales", None), ("readWrite", "shop", None)], "INSERT", Some("shop"), Some("items"), true),
];

#[test]
fn authorization_cases() {
    for c in AUTH_CASES {
        let roles = c
            .roles
            .iter()
            .map(|(r, d, coll)| match coll {
                Some(coll) => UserRole::on_collection(*r, *d, *coll),
                None => UserRole::new(*r, *d),
            })
            .collect();
        let users = [x509_user(NAME, roles)];
        let answer = run_with(&users, &request(c.action, c.db, c.collection), now());
        let label = format!(
            "{:?} {} on {:?}.{:?} [{}]",
            c.roles, c.action, c.db, c.collection, c.source
        );
        let auth = answer
            .authorization
            .as_ref()
            .unwrap_or_else(|| panic!("{label}: no authorization"));
        assert_eq!(auth.allowed, c.allowed, "{label}: {auth:?}");
        assert_eq!(answer.connects_and_allowed, c.allowed, "{label}");
        if c.allowed {
            assert!(!auth.grants.is_empty(), "{label}");
            assert!(auth
                .grants
                .iter()
                .all(|g| g.path.first().map(String::as_str) == Some(NAME)));
        } else {
            assert_eq!(auth.missing.len(), 1, "{label}");
        }
    }
    assert!(AUTH_CASES.len() >= 50);
}

#[test]
fn grant_path_follows_inheritance() {
    // SEED_CUSTOM: level1 → level2 → level3 → FIND on sales.orders.
    let users = [x509_user(NAME, vec![UserRole::new("level1", "admin")])];
    let answer = run_with(
        &users,
        &request("FIND", Some("sales"), Some("orders")),
        now(),
    );
    let auth = answer.authorization.unwrap();
    assert_eq!(
        auth.grants,
        [GrantPath {
            action: "FIND".into(),
            resource: "sales.orders".into(),
            path: vec![
                NAME.into(),
                "level1@admin".into(),
                "level2".into(),
                "level3".into()
            ],
        }]
    );
    // And through a built-in role a custom role inherits (read@reports).
    let answer = run_with(
        &users,
        &request("FIND", Some("reports"), Some("daily")),
        now(),
    );
    assert_eq!(
        answer.authorization.unwrap().grants[0].path,
        [NAME, "level1@admin", "read@reports"]
    );
}

#[test]
fn denial_lists_held_actions_and_roles_that_would_grant() {
    // MANUAL_ROLES: read has no insert; readWrite (built in) and level2 (custom) would grant it.
    let users = [x509_user(NAME, vec![UserRole::new("read", "sales")])];
    let answer = run_with(
        &users,
        &request("INSERT", Some("sales"), Some("orders")),
        now(),
    );
    let auth = answer.authorization.unwrap();
    assert!(!auth.allowed);
    let missing = &auth.missing[0];
    assert_eq!(missing.code, DenialCode::NotGranted);
    assert!(missing.held.contains(&"FIND".to_owned()), "{missing:?}");
    assert!(!missing.held.contains(&"INSERT".to_owned()));
    let roles: Vec<(&str, &str, bool)> = auth
        .suggestions
        .iter()
        .map(|s| (s.role.as_str(), s.db.as_str(), s.built_in))
        .collect();
    assert!(roles.contains(&("readWrite", "sales", true)), "{roles:?}");
    assert!(
        roles.contains(&("readWriteAnyDatabase", "admin", true)),
        "{roles:?}"
    );
    assert!(roles.contains(&("level2", "admin", false)), "{roles:?}");
    assert!(roles.contains(&("level1", "admin", false)), "{roles:?}");
    assert!(!roles.iter().any(|(r, _, _)| *r == "read"), "{roles:?}");
}

#[test]
fn version_gated_actions() {
    // MANUAL_ACTIONS: listSearchIndexes arrived in 6.0 (6.0.7), analyzeShardKey in 7.0.
    #[rustfmt::skip]
    let cases = [
        (MANUAL_ACTIONS, "LIST_SEARCH_INDEXES", "Old", false),
        (MANUAL_ACTIONS, "LIST_SEARCH_INDEXES", "New", true),
        (MANUAL_ACTIONS, "FIND", "Old", true),
    ];
    for (source, action, cluster, allowed) in cases {
        let users = [x509_user(NAME, vec![UserRole::new("readWrite", "sales")])];
        let mut req = request(action, Some("sales"), Some("orders"));
        req.cluster = Some(cluster.into());
        let answer = run_with(&users, &req, now());
        let auth = answer.authorization.unwrap();
        assert_eq!(auth.allowed, allowed, "{action} on {cluster} [{source}]");
        if !allowed {
            assert_eq!(auth.missing[0].code, DenialCode::NeedsNewerVersion);
            assert!(
                auth.missing[0].detail.contains("4.4"),
                "{:?}",
                auth.missing[0]
            );
        }
    }
}

/// Source, deleteAfterDate, scopes, chosen cluster, expected result.
type UserCase<'a> = (
    &'a str,
    Option<&'a str>,
    Vec<UserScope>,
    Option<&'a str>,
    Outcome,
    StepCode,
);

#[test]
fn user_step_cases() {
    let past = "2020-01-01T00:00:00Z";
    let future = "2999-01-01T00:00:00Z";
    let scoped = |clusters: &[&str]| -> Vec<UserScope> {
        clusters
            .iter()
            .map(|c| UserScope {
                name: (*c).into(),
                scope_type: ScopeType::Cluster,
            })
            .collect()
    };
    #[rustfmt::skip]
    let cases: Vec<UserCase> = vec![
        (ATLAS_USERS, Some(past), vec![], None, Outcome::Fail, StepCode::UserExpired),
        (ATLAS_USERS, Some(future), vec![], None, Outcome::Pass, StepCode::UserFound),
        (ATLAS_USERS, None, scoped(&["Old"]), Some("New"), Outcome::Fail, StepCode::ClusterNotInScopes),
        (ATLAS_USERS, None, scoped(&["Old"]), Some("Old"), Outcome::Pass, StepCode::UserFound),
        (ATLAS_USERS, None, scoped(&["Old"]), None, Outcome::Warn, StepCode::LimitedToClusters),
        (ATLAS_USERS, None, vec![], Some("New"), Outcome::Pass, StepCode::UserFound),
    ];
    for (source, delete_after, scopes, cluster, outcome, code) in cases {
        let mut user = x509_user(NAME, vec![UserRole::new("read", "sales")]);
        user.delete_after_date = delete_after.map(Into::into);
        user.scopes = scopes;
        let req = AccessCheckRequest {
            username: Some(NAME.into()),
            cluster: cluster.map(Into::into),
            ..Default::default()
        };
        let answer = run_with(&[user], &req, now());
        let step = answer
            .steps
            .iter()
            .find(|s| s.step == StepKind::User)
            .unwrap();
        assert_eq!(
            (step.result, step.code),
            (outcome, code),
            "{step:?} [{source}]"
        );
        assert_eq!(
            answer.connects_and_allowed,
            outcome != Outcome::Fail,
            "[{source}]"
        );
        // Without an operation, the effective privileges are listed (only when the user gets in).
        assert_eq!(
            answer.effective_privileges.is_empty(),
            outcome == Outcome::Fail
        );
    }
}

#[test]
fn nearest_users_cases() {
    #[rustfmt::skip]
    let cases: Vec<(&str, &str, Option<Difference>)> = vec![
        ("Atlas X.509: RFC 2253 order", "O=Acme,OU=billing,CN=app", Some(Difference::Order)),
        ("Atlas X.509: exact comparison", "CN=App,OU=Billing,O=Acme", Some(Difference::SpacingOrCase)),
        ("Atlas X.509: exact comparison", "CN=app,OU=billing  team,O=Acme", None),
        ("Atlas X.509: exact comparison", "CN=app,OU=billing,O=Acme,C=US", Some(Difference::ExtraAttribute { attribute: "C=US".into() })),
        ("Atlas X.509: exact comparison", "CN=app,O=Acme", Some(Difference::MissingAttribute { attribute: "OU=billing".into() })),
        ("Atlas X.509: exact comparison", "CN=other,OU=sales,O=Else", None),
    ];
    // An escaped comma is part of its value, not a separator.
    let escaped = nearest_users(r"CN=a\,b,O=Acme", &[r"O=Acme,CN=a\,b", r"CN=a,O=Acme"]);
    assert_eq!(escaped.len(), 1, "{escaped:?}");
    assert_eq!(escaped[0].difference, Difference::Order);
    for (source, stored, expected) in cases {
        let near = nearest_users(NAME, &[stored]);
        assert_eq!(
            near.first().map(|n| n.difference.clone()),
            expected,
            "{stored} [{source}]"
        );
    }
    // Through the check: the user step names them.
    let users = [x509_user(
        "CN=App,OU=Billing,O=Acme",
        vec![UserRole::new("read", "sales")],
    )];
    let answer = run_with(
        &users,
        &request("FIND", Some("sales"), Some("orders")),
        now(),
    );
    assert_eq!(answer.nearest_users.len(), 1);
    let step = answer
        .steps
        .iter()
        .find(|s| s.step == StepKind::User)
        .unwrap();
    assert_eq!(step.code, StepCode::NoSuchUser);
    assert!(
        step.detail.contains("CN=App,OU=Billing,O=Acme"),
        "{}",
        step.detail
    );
    assert!(answer.authorization.is_none());
    assert!(!answer.connects_and_allowed);
}

#[test]
fn request_errors() {
    let clusters = clusters();
    let base = AccessCheckRequest {
        username: Some(NAME.into()),
        ..Default::default()
    };
    #[rustfmt::skip]
    let cases: Vec<(AccessCheckRequest, &str)> = vec![
        (AccessCheckRequest::default(), "ACCESS_CHECK_INPUT_REQUIRED"),
        (AccessCheckRequest { certificate: Some("x".into()), ..base.clone() }, "ACCESS_CHECK_TWO_INPUTS"),
        (AccessCheckRequest { username: None, certificate: Some("x".repeat(MAX_CERTIFICATE_BYTES + 1)), ..base.clone() }, "ACCESS_CHECK_CERTIFICATE_TOO_LARGE"),
        (AccessCheckRequest { username: Some("CN".into()), ..base.clone() }, "INVALID_DN"),
        (AccessCheckRequest { cluster: Some("Nope".into()), ..base.clone() }, "CLUSTER_NOT_FOUND"),
        (AccessCheckRequest { actions: vec!["find".into()], database: Some("x".into()), ..base.clone() }, "UNKNOWN_ACTION"),
        (AccessCheckRequest { actions: vec!["FIND".into()], ..base.clone() }, "DATABASE_REQUIRED"),
        (AccessCheckRequest { collection: Some("c".into()), ..base.clone() }, "DATABASE_REQUIRED"),
        (AccessCheckRequest { actions: vec!["FIND".into()], database: Some("a b".into()), ..base.clone() }, "DATABASE_NAME_INVALID_CHARACTER"),
        (AccessCheckRequest { actions: vec!["FIND".into(); MAX_ACTIONS + 1], database: Some("x".into()), ..base.clone() }, "ACCESS_CHECK_TOO_MANY_ACTIONS"),
    ];
    for (req, code) in cases {
        let error = check_request(&req, &clusters).expect_err(code);
        assert_eq!(error.error_code(), code, "{error}");
    }
    // A cluster-wide action needs no database; the suggestion for a misspelt action.
    let ok = AccessCheckRequest {
        actions: vec!["SERVER_STATUS".into()],
        ..base.clone()
    };
    assert_eq!(
        check_request(&ok, &clusters).unwrap().operations[0].target,
        Target::Cluster
    );
    let typo = AccessCheckRequest {
        actions: vec!["find".into()],
        database: Some("x".into()),
        ..base
    };
    assert!(check_request(&typo, &clusters)
        .unwrap_err()
        .to_string()
        .contains("did you mean FIND"));
}

/// Extension sections the certificate cases need, on top of `test_certificates`' own.
fn client(dir: &Workdir, stem: &str, extensions: &'static str, issuer: &str, days: i64) -> String {
    let section = match extensions {
        "client" => "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
        "server_only" => "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        "no_signature" => "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=clientAuth\n",
        "intermediate" => "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        other => panic!("{other}"),
    };
    dir.write(&format!("{stem}.ext"), section);
    dir.key(stem, KeyType::Ec("P-256"));
    dir.openssl(&[
        "req",
        "-new",
        "-key",
        &format!("{stem}.key"),
        "-subj",
        "/O=Acme/OU=billing/CN=app",
        "-out",
        &format!("{stem}.csr"),
    ]);
    dir.openssl(&[
        "x509",
        "-req",
        "-in",
        &format!("{stem}.csr"),
        "-CA",
        &format!("{issuer}.pem"),
        "-CAkey",
        &format!("{issuer}.key"),
        "-days",
        &days.to_string(),
        "-set_serial",
        "0x42",
        "-extfile",
        &format!("{stem}.ext"),
        "-out",
        &format!("{stem}.pem"),
    ]);
    dir.read_text(&format!("{stem}.pem"))
}

fn certificate_answer(pem: &str, bundle: Option<&str>, at: UnixTime) -> AccessCheckAnswer {
    let users = [x509_user(NAME, vec![UserRole::new("readWrite", "sales")])];
    let roles = project_roles();
    let clusters = clusters();
    let usernames = vec![NAME.to_owned()];
    let req = AccessCheckRequest {
        certificate: Some(pem.into()),
        actions: vec!["INSERT".into()],
        database: Some("sales".into()),
        collection: Some("orders".into()),
        ..Default::default()
    };
    let checked = check_request(&req, &clusters).unwrap();
    let project = ProjectData {
        ca_bundle: bundle,
        clusters: &clusters,
        custom_roles: &roles,
        users: &users,
        usernames: &usernames,
    };
    check(&checked, &project, at)
}

fn step(answer: &AccessCheckAnswer, kind: StepKind) -> (Outcome, StepCode) {
    let s = answer
        .steps
        .iter()
        .find(|s| s.step == kind)
        .unwrap_or_else(|| panic!("no {kind:?} step in {:?}", answer.steps));
    (s.result, s.code)
}

/// Source, PEM, CA bundle, time, step, expected result, connects.
type CertificateCase<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    UnixTime,
    StepKind,
    (Outcome, StepCode),
    bool,
);

#[test]
fn certificate_chain_and_client_use_cases() {
    if !exists(OPENSSL) {
        eprintln!("skipped: {OPENSSL} is not installed");
        return;
    }
    let dir = Workdir::new("access-check");
    let ca = dir.self_signed("ca", &Spec::ca(KeyType::Ec("P-256"), "/O=Acme/CN=Acme CA"));
    // Same name, another key.
    let twin = dir.self_signed(
        "twin",
        &Spec::ca(KeyType::Ec("P-256"), "/O=Acme/CN=Acme CA"),
    );
    let other = dir.self_signed(
        "other",
        &Spec::ca(KeyType::Ec("P-256"), "/O=Else/CN=Else CA"),
    );
    let old_ca = dir.self_signed(
        "oldca",
        &Spec {
            days: -1,
            ..Spec::ca(KeyType::Ec("P-256"), "/O=Old/CN=Old CA")
        },
    );
    // The intermediate: its key and extensions from `client`, then re-issued under its own name.
    client(&dir, "inter", "intermediate", "ca", 365);
    dir.openssl(&[
        "req",
        "-new",
        "-key",
        "inter.key",
        "-subj",
        "/O=Acme/CN=Acme Issuing CA",
        "-out",
        "inter.csr",
    ]);
    dir.openssl(&[
        "x509",
        "-req",
        "-in",
        "inter.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-days",
        "365",
        "-set_serial",
        "0x43",
        "-extfile",
        "inter.ext",
        "-out",
        "inter.pem",
    ]);
    let inter = dir.read_text("inter.pem");

    let good = client(&dir, "good", "client", "ca", 365);
    let soon = client(&dir, "soon", "client", "ca", 10);
    let expired = client(&dir, "expired", "client", "ca", -1);
    let server_only = client(&dir, "server", "server_only", "ca", 365);
    let no_signature = client(&dir, "nosig", "no_signature", "ca", 365);
    let from_old = client(&dir, "fromold", "client", "oldca", 365);
    let from_inter = client(&dir, "frominter", "client", "inter", 365);
    let with_chain = format!("{from_inter}{inter}");
    let with_key = format!("{}{good}", dir.read_text("good.key"));
    let three_days_ago = now() - 3 * 86_400;
    let ca_and_inter = format!("{ca}{inter}");

    use Outcome::{Fail, Pass, Warn};
    use StepKind::{Certificate as Cert, Chain, ClientUse};
    #[rustfmt::skip]
    let cases: Vec<CertificateCase> = vec![
        ("RFC5280 validity", &good, Some(&ca), now(), Cert, (Pass, StepCode::Valid), true),
        ("RFC5280 validity", &soon, Some(&ca), now(), Cert, (Warn, StepCode::ExpiresSoon), true),
        ("RFC5280 validity", &expired, Some(&ca), now(), Cert, (Fail, StepCode::Expired), false),
        ("RFC5280 validity", &good, Some(&ca), three_days_ago, Cert, (Fail, StepCode::NotYetValid), false),
        ("RFC5280 4.2.1.12", &server_only, Some(&ca), now(), ClientUse, (Fail, StepCode::NoClientAuth), false),
        ("RFC5280 4.2.1.3", &no_signature, Some(&ca), now(), ClientUse, (Fail, StepCode::NoDigitalSignature), false),
        ("RFC5280 4.2.1.12", &good, Some(&ca), now(), ClientUse, (Pass, StepCode::ClientUseAllowed), true),
        ("Atlas X.509: CA bundle", &good, Some(&ca), now(), Chain, (Pass, StepCode::IssuedByStoredCa), true),
        ("Atlas X.509: CA bundle", &good, Some(&other), now(), Chain, (Fail, StepCode::NoCaOfIssuerName), false),
        ("Atlas X.509: CA bundle", &good, Some(&twin), now(), Chain, (Fail, StepCode::CaKeyDidNotSign), false),
        ("Atlas X.509: CA bundle", &good, None, now(), Chain, (Fail, StepCode::NoCaBundle), false),
        ("Atlas X.509: CA bundle", &from_old, Some(&old_ca), now(), Chain, (Fail, StepCode::CaExpired), false),
        ("Atlas X.509: CA bundle", &with_chain, Some(&ca), now(), Chain, (Fail, StepCode::IntermediateMissing), false),
        ("Atlas X.509: CA bundle", &from_inter, Some(&ca_and_inter), now(), Chain, (Pass, StepCode::IssuedByStoredCa), true),
        ("Atlas X.509: private key never read", &with_key, Some(&ca), now(), Cert, (Pass, StepCode::Valid), true),
    ];
    for (source, pem, bundle, at, kind, expected, connects) in cases {
        let answer = certificate_answer(pem, bundle, at);
        assert_eq!(
            step(&answer, kind),
            expected,
            "{kind:?} [{source}]: {:?}",
            answer.steps
        );
        assert_eq!(
            answer.connects_and_allowed, connects,
            "[{source}] {:?}",
            answer.steps
        );
        assert_eq!(answer.username.as_deref(), Some(NAME));
    }
    let intermediate = certificate_answer(&with_chain, Some(&ca), now());
    let detail = &intermediate
        .steps
        .iter()
        .find(|s| s.step == Chain)
        .unwrap()
        .detail;
    assert!(detail.contains("CN=Acme Issuing CA,O=Acme"), "{detail}");
    let keyed = certificate_answer(&with_key, Some(&ca), now());
    assert!(
        keyed.steps[0].detail.contains("private key"),
        "{:?}",
        keyed.steps[0]
    );
    // A file without a certificate, and a CA certificate.
    let key_only = certificate_answer(&dir.read_text("good.key"), Some(&ca), now());
    assert_eq!(step(&key_only, Cert), (Fail, StepCode::NoCertificate));
    assert!(key_only.username.is_none());
    let ca_file = certificate_answer(&ca, Some(&ca), now());
    assert_eq!(step(&ca_file, Cert), (Fail, StepCode::CaCertificate));
}

const MANUAL_X509: &str =
    "MongoDB Manual, x.509 (core/security-x.509): client O/OU/DC must differ from the member certificate's";

#[test]
fn cluster_member_step_cases() {
    let mut members = Cluster::new("Members", "8.0");
    members.member_certificate_subject = Some("CN=node1,OU=billing,O=Acme".into());
    let mut elsewhere = Cluster::new("Elsewhere", "7.0");
    elsewhere.member_certificate_subject = Some("CN=node1,OU=servers,O=Acme".into());
    let plain = Cluster::new("Plain", "7.0");
    let clusters = vec![members, elsewhere, plain];
    #[rustfmt::skip]
    let cases: Vec<(&str, &str, Option<&str>, Outcome, StepCode)> = vec![
        // NAME is CN=app,OU=billing,O=Acme: the same O and OU as Members' member certificates.
        (MANUAL_X509, NAME, None, Outcome::Fail, StepCode::TakenAsClusterMember),
        (MANUAL_X509, NAME, Some("Members"), Outcome::Fail, StepCode::TakenAsClusterMember),
        // The chosen cluster's members differ (OU): only that cluster's rule applies.
        (MANUAL_X509, NAME, Some("Elsewhere"), Outcome::Pass, StepCode::NotAClusterMember),
        (MANUAL_X509, NAME, Some("Plain"), Outcome::Pass, StepCode::NotAClusterMember),
        // A client with another OU, or an extra DC, is a client.
        (MANUAL_X509, "CN=app,OU=clients,O=Acme", None, Outcome::Pass, StepCode::NotAClusterMember),
        (MANUAL_X509, "CN=app,OU=billing,O=Acme,DC=example", None, Outcome::Pass, StepCode::NotAClusterMember),
        // Attribute order does not matter.
        (MANUAL_X509, "O=Acme,CN=other,OU=billing", Some("Members"), Outcome::Fail, StepCode::TakenAsClusterMember),
    ];
    let users = [x509_user(NAME, vec![UserRole::new("readWrite", "sales")])];
    let roles = project_roles();
    let usernames = vec![NAME.to_owned()];
    for (source, username, cluster, outcome, code) in cases {
        let req = AccessCheckRequest {
            username: Some(username.into()),
            cluster: cluster.map(Into::into),
            ..Default::default()
        };
        let checked = check_request(&req, &clusters).unwrap();
        let project = ProjectData {
            ca_bundle: None,
            clusters: &clusters,
            custom_roles: &roles,
            users: &users,
            usernames: &usernames,
        };
        let answer = check(&checked, &project, now());
        assert_eq!(
            step(&answer, StepKind::ClusterMember),
            (outcome, code),
            "{username} on {cluster:?} [{source}]"
        );
        let detail = &answer
            .steps
            .iter()
            .find(|s| s.step == StepKind::ClusterMember)
            .unwrap()
            .detail;
        if outcome == Outcome::Fail {
            assert!(detail.contains("Cluster Members"), "{detail}");
            assert!(detail.contains("O=Acme, OU=billing"), "{detail}");
            assert!(!answer.connects_and_allowed, "{username}");
        }
    }
}
