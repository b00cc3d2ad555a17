//! The Terraform export, parsed by an HCL parser (PyPI python-hcl2, installed by
//! `scripts/bootstrap --with-browser` into `$ACCESS_CONSOLE_TOOLS/hcl2`) and checked by
//! `terraform/check.py` against the mongodbatlas provider's arguments.

use std::path::PathBuf;
use std::process::Command;

use access_core::cluster::Cluster;
use access_core::custom_role::{ActionResource, CustomDbRole, InheritedRole, RoleAction};
use access_core::database_user::DatabaseUser;
use access_core::export::{terraform, ProjectAccess};
use serde_json::{json, Value};

fn python() -> PathBuf {
    let tools = std::env::var_os("ACCESS_CONSOLE_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/access-console/tools"))
        })
        .expect("ACCESS_CONSOLE_TOOLS or HOME");
    let python = tools.join("hcl2/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/bootstrap --with-browser",
        python.display()
    );
    python
}

fn user(value: Value) -> DatabaseUser {
    serde_json::from_value(value).unwrap()
}

#[test]
fn terraform_parses_and_has_every_required_argument_with_unique_identifiers() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n";
    let users = vec![
        user(
            json!({"databaseName": "$external", "username": "CN=Jane Doe,O=Acme", "x509Type": "CUSTOMER",
            "roles": [{"roleName": "child", "databaseName": "admin"}],
            "scopes": [{"name": "east", "type": "CLUSTER"}], "labels": [{"key": "team", "value": "a\"b ${x}"}],
            "description": "line one\nline two"}),
        ),
        // The same CN twice, and one starting with a digit: identifiers must stay valid and unique.
        user(
            json!({"databaseName": "$external", "username": "CN=Jane Doe,O=Other", "x509Type": "CUSTOMER",
            "roles": [{"roleName": "read", "databaseName": "sales", "collectionName": "orders"}]}),
        ),
        user(
            json!({"databaseName": "$external", "username": "CN=9 lives\\, inc", "x509Type": "CUSTOMER",
            "roles": [{"roleName": "atlasAdmin", "databaseName": "admin"}],
            "deleteAfterDate": "2026-12-05T00:00:00Z"}),
        ),
    ];
    let roles = vec![
        CustomDbRole {
            role_name: "child".into(),
            actions: vec![RoleAction {
                action: "IN_PROG".into(),
                resources: vec![ActionResource::cluster()],
            }],
            inherited_roles: vec![
                InheritedRole::new("base", "admin"),
                InheritedRole::new("read", "hr"),
            ],
        },
        CustomDbRole {
            role_name: "base".into(),
            actions: vec![RoleAction {
                action: "FIND".into(),
                resources: vec![
                    ActionResource::collection("sales", "orders"),
                    ActionResource::database("hr"),
                ],
            }],
            inherited_roles: vec![],
        },
    ];
    let clusters = vec![Cluster::new("east", "8.0")];
    let project = ProjectAccess {
        users: &users,
        custom_roles: &roles,
        clusters: &clusters,
        ca_bundle: Some(pem),
    };
    let hcl = terraform::hcl(&project);
    let dir = std::env::temp_dir().join(format!("access-console-tf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("access.tf");
    std::fs::write(&file, &hcl).unwrap();
    let checker = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/check.py");
    let out = Command::new(python())
        .arg(checker)
        .arg(&file)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}\n{hcl}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], json!([]), "{hcl}");
    assert_eq!(report["cas"], pem);
    let parsed_users = report["users"].as_object().unwrap();
    assert_eq!(parsed_users.len(), 3);
    assert_eq!(
        parsed_users["CN=Jane Doe,O=Acme"]["labels"],
        json!([["team", "a\"b ${x}"]]),
        "strings survive escaping"
    );
    assert_eq!(
        parsed_users["CN=Jane Doe,O=Acme"]["scopes"],
        json!([["east", "CLUSTER"]])
    );
    assert_eq!(
        parsed_users["CN=Jane Doe,O=Other"]["roles"],
        json!([["read", "sales", "orders"]])
    );
    assert!(parsed_users.contains_key("CN=9 lives\\, inc"));
    let parsed_roles = report["roles"].as_object().unwrap();
    assert_eq!(
        parsed_roles["child"]["depends_on"],
        json!(["${mongodbatlas_custom_db_role.role_base}"])
    );
    assert_eq!(
        parsed_roles["child"]["inherited"],
        json!([["base", "admin"], ["read", "hr"]])
    );
    assert_eq!(
        parsed_roles["base"]["actions"],
        json!([["FIND", [
            {"database_name": "sales", "collection_name": "orders"},
            {"database_name": "hr", "collection_name": ""}
        ]]])
    );
}
