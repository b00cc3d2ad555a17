//! Existing Atlas Admin API clients from public registries, unchanged but for their base URL and API
//! keys, against the real server (every request authenticated) with an API key made by the CLI (HTTP
//! Digest as Atlas does it):
//!
//! - PyPI `pyatlassdk` (httpx Digest: one nonce reused with counting `nc`): X.509 CAs written and read,
//!   custom roles and certificate database users listed, created, read, updated and deleted, X.509 off;
//!   a project API key created, listed, given another role, used, taken out of the project, found in
//!   the organization's keys and deleted there; a project found by name.
//! - npm `mongodb-atlas-api-client` (urllib Digest: a new nonce per request, `nc` counted across
//!   nonces): custom roles and database users, the same five operations, on `/api/atlas/v1.0`.
//!
//! Both are installed by `scripts/bootstrap --with-browser` into `$ACCESS_CONSOLE_TOOLS/atlas-clients`
//! (`make test` runs it first).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Pki, TestServer};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

fn tools() -> PathBuf {
    std::env::var_os("ACCESS_CONSOLE_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/access-console/tools"))
        })
        .expect("ACCESS_CONSOLE_TOOLS or HOME")
        .join("atlas-clients")
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/atlas_clients")
        .join(name)
}

fn installed(path: &Path) -> &Path {
    assert!(
        path.exists(),
        "{} is missing: run scripts/bootstrap --with-browser (make test does)",
        path.display()
    );
    path
}

/// An API key with `role` in the project and `org_role` in its organization, made by
/// `access-console api-keys create --json` on the server's database.
fn create_key(t: &TestServer, role: &str, org_role: &str) -> (String, String) {
    let output = Command::new(BINARY)
        .args([
            "api-keys",
            "create",
            "--role",
            role,
            "--org-role",
            org_role,
            "--description",
            "Atlas client test",
            "--json",
            "--database-url",
            &t.database_url,
        ])
        .output()
        .expect("run access-console api-keys create");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    (
        key["publicKey"].as_str().expect("publicKey").to_owned(),
        key["privateKey"].as_str().expect("privateKey").to_owned(),
    )
}

/// Runs a client check script; asserts every step printed `ok` and none `FAILED`.
fn run_check(mut command: Command, steps: &[&str]) {
    let output = command.output().expect("run the client");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the client failed:\n{stdout}\n{stderr}"
    );
    for step in steps {
        assert!(
            stdout.lines().any(|line| line == format!("ok {step}")),
            "step {step:?} not done:\n{stdout}\n{stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyatlassdk_manages_x509_custom_roles_and_users_with_digest() {
    let t = TestServer::start().await;
    let (public_key, private_key) = create_key(&t, "GROUP_OWNER", "ORG_OWNER");
    let pki = Pki::new();
    let ca = pki.self_signed("/CN=pyatlassdk Test CA/O=Example", 365);
    let python = installed(&tools().join("venv/bin/python")).to_path_buf();
    let mut command = Command::new(python);
    command.arg(script("pyatlassdk_check.py")).args([
        &t.url(""),
        &public_key,
        &private_key,
        &t.group_id,
        ca.path.to_str().expect("UTF-8 path"),
    ]);
    run_check(
        command,
        &[
            "x509 write (PATCH userSecurity)",
            "x509 read (GET userSecurity)",
            "custom role create",
            "custom role list",
            "custom role get",
            "custom role update",
            "database user create",
            "database user list",
            "database user get",
            "database user update",
            "database user delete",
            "custom role delete",
            "x509 disable (DELETE userSecurity/customerX509)",
            "api key create (private key shown once)",
            "api key list (private key masked)",
            "api key update roles",
            "new api key used",
            "api key taken out of the project (404 there afterwards)",
            "project by name",
            "organization api keys list",
            "api key delete (key refused afterwards)",
            "wrong private key refused",
        ],
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongodb_atlas_api_client_manages_custom_roles_and_users_with_digest() {
    let t = TestServer::start().await;
    let (public_key, private_key) = create_key(&t, "GROUP_DATABASE_ACCESS_ADMIN", "ORG_MEMBER");
    // Certificate users need self-managed X.509 on (this client has no userSecurity call).
    let pki = Pki::new();
    let ca = pki.self_signed("/CN=npm Test CA/O=Example", 365);
    let (status, body) = t.patch_cas(&ca.pem).await;
    assert_eq!(status, 200, "{body}");
    let modules = installed(&tools().join("node_modules")).to_path_buf();
    let mut command = Command::new("node");
    command
        .env("NODE_PATH", modules)
        .arg(script("mongodb_atlas_api_client_check.js"))
        .args([
            &format!("{}/api/atlas/v1.0", t.base),
            &public_key,
            &private_key,
            &t.group_id,
        ]);
    run_check(
        command,
        &[
            "custom role create",
            "custom role list",
            "custom role get",
            "custom role update",
            "database user create",
            "database user list",
            "database user get",
            "database user update",
            "database user delete",
            "custom role delete",
            "wrong private key refused",
        ],
    );
    t.stop().await;
}
