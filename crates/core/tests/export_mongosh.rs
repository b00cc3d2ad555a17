//! The mongosh export, run: syntax-checked by `node --check`, then run by node against the recording
//! stand-in for mongosh's `db` (`mongosh/stand_in.js`; no MongoDB server runs here), which keeps the state
//! mongod would keep.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use access_core::catalog::{self, Origin};
use access_core::cluster::Cluster;
use access_core::custom_role::{ActionResource, CustomDbRole, InheritedRole, RoleAction};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};
use access_core::export::self_managed::{target_state, TargetState};
use access_core::export::{mongosh, ProjectAccess};
use serde_json::{json, Value};

fn user(name: &str, roles: Vec<UserRole>) -> DatabaseUser {
    serde_json::from_value(json!({
        "databaseName": "$external", "username": name, "x509Type": "CUSTOMER",
        "roles": roles,
    }))
    .map(|mut u: DatabaseUser| {
        u.x509_type = X509Type::Customer;
        u
    })
    .unwrap()
}

fn role(name: &str, actions: &[(&str, ActionResource)], inherits: &[(&str, &str)]) -> CustomDbRole {
    CustomDbRole {
        role_name: name.into(),
        actions: actions
            .iter()
            .map(|(a, r)| RoleAction {
                action: (*a).into(),
                resources: vec![r.clone()],
            })
            .collect(),
        inherited_roles: inherits
            .iter()
            .map(|(r, d)| InheritedRole::new(*r, *d))
            .collect(),
    }
}

struct Fixture {
    roles: Vec<CustomDbRole>,
    users: Vec<DatabaseUser>,
    clusters: Vec<Cluster>,
}

impl Fixture {
    fn new() -> Self {
        // Declared children first, so the script's order must come from inheritance, not from the input.
        let roles = vec![
            role(
                "grandchild",
                &[("KILL_OP", ActionResource::cluster())],
                &[("child", "admin")],
            ),
            role(
                "child",
                &[("INSERT", ActionResource::collection("sales", "orders"))],
                &[("base", "admin"), ("read", "hr")],
            ),
            role(
                "base",
                &[
                    ("FIND", ActionResource::collection("sales", "orders")),
                    ("LIST_COLLECTIONS", ActionResource::database("sales")),
                ],
                &[],
            ),
        ];
        let mut temp = user("CN=Temp,O=Acme", vec![UserRole::new("read", "sales")]);
        temp.delete_after_date = Some("2026-12-05T10:00:00Z".into());
        let users = vec![
            user(
                "CN=Jane Doe,O=Acme",
                vec![UserRole::new("grandchild", "admin")],
            ),
            user("CN=Ops,O=Acme", vec![UserRole::new("atlasAdmin", "admin")]),
            user(
                "CN=Reader,O=Acme",
                vec![
                    UserRole::on_collection("read", "sales", "orders"),
                    UserRole::new("readWrite", "hr"),
                ],
            ),
            temp,
        ];
        Self {
            roles,
            users,
            clusters: vec![Cluster::new("main", "8.0")],
        }
    }

    fn project(&self) -> ProjectAccess<'_> {
        ProjectAccess {
            users: &self.users,
            custom_roles: &self.roles,
            clusters: &self.clusters,
            ca_bundle: None,
        }
    }
}

struct Run {
    state: Value,
    calls: Vec<(String, String)>,
    printed: Vec<String>,
}

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "access-console-mongosh-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn node_check(script: &Path) {
    let out = Command::new("node")
        .arg("--check")
        .arg(script)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node --check: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run(dir: &Path, script: &str, state: &Value) -> Run {
    let script_path = dir.join("access.js");
    std::fs::write(&script_path, script).unwrap();
    node_check(&script_path);
    let state_in = dir.join("state-in.json");
    let state_out = dir.join("state-out.json");
    std::fs::write(&state_in, state.to_string()).unwrap();
    let stand_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mongosh/stand_in.js");
    let out = Command::new("node")
        .arg(stand_in)
        .arg(&script_path)
        .arg(&state_in)
        .arg(&state_out)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "the script failed against the stand-in: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_str(&std::fs::read_to_string(state_out).unwrap()).unwrap();
    let calls = result["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c[0].as_str().unwrap().to_owned(),
                c[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let printed = result["printed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    Run {
        state: result,
        calls,
        printed,
    }
}

fn builtin_roles() -> Vec<&'static str> {
    catalog::roles()
        .iter()
        .filter(|r| r.origin == Origin::Mongodb)
        .map(|r| r.name)
        .collect()
}

type Roles = BTreeSet<(String, String)>;
type PrivilegeMap = BTreeMap<String, BTreeSet<String>>;
/// Users (name → roles) and roles (name → (privileges, roles)).
type Deployment = (
    BTreeMap<String, Roles>,
    BTreeMap<String, (PrivilegeMap, Roles)>,
);

fn role_set(v: &Value) -> Roles {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap().to_owned(),
                r["db"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Privileges merged by resource, actions sorted.
fn privilege_map(v: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in v.as_array().unwrap() {
        out.entry(p["resource"].to_string()).or_default().extend(
            p["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned()),
        );
    }
    out
}

/// The deployment's users and roles as (name → roles) and (name → (privileges, roles)).
fn deployment(state: &Value) -> Deployment {
    let users = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["user"].as_str().unwrap().to_owned(),
                role_set(&u["roles"]),
            )
        })
        .collect();
    let roles = state["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap().to_owned(),
                (privilege_map(&r["privileges"]), role_set(&r["roles"])),
            )
        })
        .collect();
    (users, roles)
}

fn expected(target: &TargetState) -> Deployment {
    let users = target
        .users
        .iter()
        .map(|u| {
            (
                u.name.clone(),
                u.roles
                    .iter()
                    .map(|r| (r.role.clone(), r.db.clone()))
                    .collect(),
            )
        })
        .collect();
    let roles = target
        .roles
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                (
                    privilege_map(&access_core::export::self_managed::privileges_json(
                        &r.privileges,
                    )),
                    r.roles
                        .iter()
                        .map(|x| (x.role.clone(), x.db.clone()))
                        .collect(),
                ),
            )
        })
        .collect();
    (users, roles)
}

#[test]
fn the_script_makes_an_empty_deployment_match_and_a_second_run_changes_nothing() {
    let fixture = Fixture::new();
    let project = fixture.project();
    let target = target_state(&project, None).unwrap();
    let script = mongosh::script(&project, None).unwrap();
    let dir = work_dir("empty");
    let first = run(
        &dir,
        &script,
        &json!({"users": [], "roles": [], "builtinRoles": builtin_roles()}),
    );
    assert_eq!(deployment(&first.state), expected(&target));

    // Inheritance order: every createRole comes after the creation of the custom roles it inherits (the
    // stand-in also refuses a role whose parent does not exist yet, as mongod does).
    let created: Vec<&str> = first
        .calls
        .iter()
        .filter(|(m, _)| m == "createRole")
        .map(|(_, n)| n.as_str())
        .collect();
    let position = |n: &str| created.iter().position(|c| *c == n).unwrap();
    assert!(position("base") < position("child"), "{created:?}");
    assert!(position("child") < position("grandchild"), "{created:?}");
    assert!(created.contains(&"atlasAdmin") && created.contains(&"read@sales.orders"));

    let second = run(&dir, &script, &first.state);
    assert!(
        second.calls.is_empty(),
        "a second run changed: {:?}",
        second.calls
    );
    assert!(second.printed.iter().any(|p| p == "already up to date"));
    assert_eq!(deployment(&second.state), expected(&target));
}

#[test]
fn the_script_updates_what_differs_and_prunes_only_when_asked() {
    let fixture = Fixture::new();
    let project = fixture.project();
    let target = target_state(&project, None).unwrap();
    let script = mongosh::script(&project, None).unwrap();
    let dir = work_dir("drifted");
    let drifted = json!({
        "users": [
            {"user": "CN=Jane Doe,O=Acme", "db": "$external", "roles": [{"role": "root", "db": "admin"}]},
            {"user": "CN=Stranger", "db": "$external", "roles": [{"role": "read", "db": "x"}]},
        ],
        "roles": [
            {"role": "base", "db": "admin", "roles": [], "privileges": [
                {"resource": {"db": "sales", "collection": "orders"}, "actions": ["find", "remove"]}]},
            {"role": "leftover", "db": "admin", "roles": [], "privileges": []},
        ],
        "builtinRoles": builtin_roles(),
    });
    let run1 = run(&dir, &script, &drifted);
    assert!(run1.calls.contains(&("updateRole".into(), "base".into())));
    assert!(run1
        .calls
        .contains(&("updateUser".into(), "CN=Jane Doe,O=Acme".into())));
    assert!(
        !run1.calls.iter().any(|(m, _)| m.starts_with("drop")),
        "{:?}",
        run1.calls
    );
    assert!(run1
        .printed
        .iter()
        .any(|p| p.starts_with("// not in the project: user CN=Stranger")));
    assert!(run1
        .printed
        .iter()
        .any(|p| p.starts_with("// not in the project: role leftover")));
    let (users, roles) = deployment(&run1.state);
    assert!(users.contains_key("CN=Stranger") && roles.contains_key("leftover"));

    let pruning = script.replacen("const prune = false;", "const prune = true;", 1);
    assert_ne!(pruning, script);
    let run2 = run(&dir, &pruning, &run1.state);
    let drops: BTreeSet<&(String, String)> = run2.calls.iter().collect();
    assert_eq!(
        drops,
        [
            ("dropRole".to_owned(), "leftover".to_owned()),
            ("dropUser".to_owned(), "CN=Stranger".to_owned())
        ]
        .iter()
        .collect()
    );
    assert_eq!(deployment(&run2.state), expected(&target));
}

#[test]
fn a_cluster_script_holds_only_that_clusters_users() {
    let mut fixture = Fixture::new();
    fixture.clusters.push(Cluster::new("other", "8.0"));
    fixture.users[0].scopes =
        vec![serde_json::from_value(json!({"name": "other", "type": "CLUSTER"})).unwrap()];
    let project = fixture.project();
    let script = mongosh::script(&project, Some("main")).unwrap();
    let dir = work_dir("cluster");
    let result = run(
        &dir,
        &script,
        &json!({"users": [], "roles": [], "builtinRoles": builtin_roles()}),
    );
    let (users, _) = deployment(&result.state);
    assert!(!users.contains_key("CN=Jane Doe,O=Acme"));
    assert!(users.contains_key("CN=Ops,O=Acme"));
}

#[test]
fn drift_of_the_deployment_the_script_built_is_empty() {
    let fixture = Fixture::new();
    let project = fixture.project();
    let target = target_state(&project, None).unwrap();
    let script = mongosh::script(&project, None).unwrap();
    let dir = work_dir("drift");
    let built = run(
        &dir,
        &script,
        &json!({"users": [], "roles": [], "builtinRoles": builtin_roles()}),
    );
    // As the one-liner prints it: mongosh's answer documents.
    let printed = json!({
        "users": {"users": built.state["users"], "ok": 1},
        "roles": {"roles": built.state["roles"], "ok": 1},
    });
    let deployment = access_core::drift::parse_state(&printed.to_string()).unwrap();
    let drift = access_core::drift::diff(&target, &deployment);
    assert!(drift.is_empty(), "{drift:?}");
    assert_eq!(drift.fix, "");

    // The fix lines of a drifted deployment, run by node against the stand-in, remove the drift.
    let drifted = json!({
        "users": [{"user": "CN=Jane Doe,O=Acme", "db": "$external", "roles": [{"role": "root", "db": "admin"}]}],
        "roles": [{"role": "base", "db": "admin", "roles": [], "privileges": []}],
        "builtinRoles": builtin_roles(),
    });
    let deployment = access_core::drift::parse_state(
        &json!({"users": drifted["users"], "roles": drifted["roles"]}).to_string(),
    )
    .unwrap();
    let drift = access_core::drift::diff(&target, &deployment);
    assert!(!drift.is_empty());
    let fixed = run(
        &dir,
        &format!("const prune = false;\n{}", drift.fix),
        &drifted,
    );
    let printed = json!({"users": fixed.state["users"], "roles": fixed.state["roles"]});
    let after = access_core::drift::diff(
        &target,
        &access_core::drift::parse_state(&printed.to_string()).unwrap(),
    );
    assert!(after.is_empty(), "{after:?}");
}
