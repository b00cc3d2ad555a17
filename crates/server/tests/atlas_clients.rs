//! Existing Atlas Admin API clients from public registries, unchanged but for their base URL and API
//! keys, against the real server with an API key made by the CLI (HTTP Digest as Atlas does it):
//!
//! - PyPI `pyatlassdk` (httpx Digest: one nonce reused with counting `nc`): X.509 CAs written and read,
//!   custom roles and certificate database users listed, created, read, updated and deleted, X.509 off.
//! - npm `mongodb-atlas-api-client` (urllib Digest: a new nonce per request, `nc` counted across
//!   nonces): custom roles and database users, the same five operations, on `/api/atlas/v1.0`.
//!
//! Both are installed by `scripts/bootstrap --with-browser` into `$ACCESS_CONSOLE_TOOLS/atlas-clients`
//! (`make test` runs it first).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{DigestClient, Pki};
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

/// Interim, until console sign-in lands on main: the real application with API keys required (a
/// request without credentials is answered 401 with a Digest challenge, as Atlas does), on a temporary
/// database.
struct KeyedServer {
    base: String,
    group_id: String,
    database_url: String,
    _dir: tempfile::TempDir,
}

impl KeyedServer {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = format!("sqlite://{}/access-console.db", dir.path().display());
        let database = access_console::storage::open(&database_url, common::now())
            .await
            .expect("database");
        let api_key_auth = access_console::access::api_key::ApiKeyAuth::load(
            &database.pool,
            access_console::access::rate_limit::DEFAULT_PER_MINUTE,
        )
        .await
        .expect("nonce secret");
        let group_id = access_console::storage::projects::list(&database.pool, 0, 1)
            .await
            .expect("projects")
            .first()
            .expect("a first project")
            .id
            .clone();
        let app = access_console::app(
            access_console::api::AppState {
                pool: database.pool.clone(),
                api_key_auth: std::sync::Arc::new(api_key_auth),
                require_api_keys: true,
            },
            None,
            &[],
        )
        .expect("app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await;
        });
        Self {
            base: format!("http://{addr}"),
            group_id,
            database_url,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/atlas/v2{path}", self.base)
    }
}

/// An API key with `role`, made by `access-console api-keys create --json` on the server's database.
fn create_key(t: &KeyedServer, role: &str) -> (String, String) {
    let output = Command::new(BINARY)
        .args([
            "api-keys",
            "create",
            "--role",
            role,
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
    let t = KeyedServer::start().await;
    let (public_key, private_key) = create_key(&t, "GROUP_OWNER");
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
            "wrong private key refused",
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongodb_atlas_api_client_manages_custom_roles_and_users_with_digest() {
    let t = KeyedServer::start().await;
    let (public_key, private_key) = create_key(&t, "GROUP_DATABASE_ACCESS_ADMIN");
    // Certificate users need self-managed X.509 on (this client has no userSecurity call).
    let pki = Pki::new();
    let ca = pki.self_signed("/CN=npm Test CA/O=Example", 365);
    let mut digest =
        DigestClient::new(&serde_json::json!({"publicKey": public_key, "privateKey": private_key}));
    let path = format!("/api/atlas/v2/groups/{}/userSecurity", t.group_id);
    let http = reqwest::Client::new();
    let body = serde_json::json!({"customerX509": {"cas": ca.pem}});
    let challenge = http
        .patch(format!("{}{path}", t.base))
        .json(&body)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(
        challenge.status().as_u16(),
        401,
        "no credentials: a challenge"
    );
    digest.read_challenge(&challenge);
    let response = http
        .patch(format!("{}{path}", t.base))
        .header("authorization", digest.authorization("PATCH", &path))
        .json(&body)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(response.status().as_u16(), 200);
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
}
