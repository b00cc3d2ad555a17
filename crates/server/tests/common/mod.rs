//! Shared fixtures of the API and CLI tests: certificates made by the real openssl CLI (re-exported
//! from `crates/test-support`, which the browser tests use too), and the real server on a free port
//! with a temporary SQLite file, or, with `ACCESS_CONSOLE_TEST_BACKEND=postgres`, a fresh database of
//! a PostgreSQL cluster that this test process starts (see [`postgres`]).

#![allow(dead_code)] // each test crate uses a part of it

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use access_console::{spawn, ServeOptions, Spawned};
use tempfile::TempDir;

/// The scratch PKI shared with the browser tests (crates/test-support), made by the real openssl CLI.
#[allow(unused_imports)] // each test crate uses a part of it
pub use test_support::pki::{openssl, Cert, Pki, OPENSSL};
#[allow(unused_imports)]
pub use test_support::{now, DAY};

/// The database the tests run on: `ACCESS_CONSOLE_TEST_BACKEND` = `sqlite` (default) or `postgres`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub fn test_backend() -> TestBackend {
    match std::env::var("ACCESS_CONSOLE_TEST_BACKEND").as_deref() {
        Ok("postgres") => TestBackend::Postgres,
        Ok("sqlite") | Ok("") | Err(_) => TestBackend::Sqlite,
        Ok(other) => panic!("ACCESS_CONSOLE_TEST_BACKEND={other:?}: use sqlite or postgres"),
    }
}

/// A PostgreSQL cluster of Debian's packages, one per test process: `initdb` into a temporary directory
/// and `pg_ctl start` listening on a Unix socket in it only (no TCP, no system service). initdb refuses to
/// run as root: as root, the cluster belongs to the `postgres` user (created by the package). A watcher
/// process stops the cluster and removes the directory once this test process has exited.
pub mod postgres {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    /// Where Debian's `postgresql` package puts the server programs.
    pub const BIN: &str = "/usr/lib/postgresql/15/bin";

    #[derive(Debug)]
    pub struct Cluster {
        /// The directory of the socket (and of the data directory, `data/`).
        pub dir: PathBuf,
    }

    impl Cluster {
        /// `postgres://` URL of `database` on this cluster, as the superuser `postgres`.
        pub fn url(&self, database: &str) -> String {
            format!(
                "postgres://postgres@localhost/{database}?host={}",
                self.dir.display()
            )
        }
    }

    fn run(command: &mut Command, what: &str) {
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("{what}: {e} (is Debian's postgresql package installed?)"));
        assert!(
            output.status.success(),
            "{what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `program` of [`BIN`] with `args`, as the `postgres` user when this process is root.
    fn as_owner(root: bool, program: &str, args: &[&str]) -> Command {
        let program = Path::new(BIN).join(program);
        let mut command = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command.args(args);
        command
    }

    fn is_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }

    // The watcher outlives this process on purpose: nothing waits for it.
    #[allow(clippy::zombie_processes)]
    pub fn start() -> Cluster {
        let root = is_root();
        let dir = tempfile::Builder::new()
            .prefix("access-console-pg-")
            .tempdir()
            .expect("temporary directory")
            // Removed by the watcher below, after the cluster stopped.
            .keep();
        if root {
            run(
                Command::new("chown").arg("postgres:").arg(&dir),
                "chown the cluster directory to postgres",
            );
        }
        let dir_str = dir.to_str().expect("UTF-8 temporary path").to_owned();
        let data = format!("{dir_str}/data");
        run(
            &mut as_owner(
                root,
                "initdb",
                &[
                    "-D",
                    &data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ],
            ),
            "initdb",
        );
        let server_options = format!(
            "-c listen_addresses='' -k {dir_str} -c max_connections=300 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off"
        );
        let log = format!("{dir_str}/server.log");
        // Its output goes to the log (the server it starts must not hold a pipe of ours open).
        let started = as_owner(
            root,
            "pg_ctl",
            &[
                "-D",
                &data,
                "-o",
                &server_options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run pg_ctl");
        assert!(
            started.success(),
            "pg_ctl start failed: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        // Stops the cluster when this process is gone (a static is never dropped).
        let pg_ctl = Path::new(BIN).join("pg_ctl");
        let stop = if root {
            format!(
                "runuser -u postgres -- {} -D {data} -m immediate stop",
                pg_ctl.display()
            )
        } else {
            format!("{} -D {data} -m immediate stop", pg_ctl.display())
        };
        let watcher = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir_str}",
            pid = std::process::id()
        );
        Command::new("sh")
            .args(["-c", &watcher])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the cluster's watcher");
        Cluster { dir }
    }
}

static CLUSTER: OnceLock<postgres::Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// This process's PostgreSQL cluster, started on first use.
pub fn cluster() -> &'static postgres::Cluster {
    CLUSTER.get_or_init(postgres::start)
}

/// A new, empty database for one test server: its URL (SQLite: a file in `dir`, in a directory that does
/// not exist yet, which the server creates).
pub async fn new_database_url(dir: &Path) -> String {
    match test_backend() {
        TestBackend::Sqlite => format!("sqlite://{}/data/access-console.db", dir.display()),
        TestBackend::Postgres => new_postgres_database().await,
    }
}

/// A new, empty database of this test process's PostgreSQL cluster (started on first use), whatever
/// the test backend: its URL.
pub async fn new_postgres_database() -> String {
    use sqlx::Connection as _;
    let cluster = cluster();
    let name = format!("test_{}", DATABASES.fetch_add(1, Ordering::SeqCst));
    let mut admin = sqlx::PgConnection::connect(&cluster.url("postgres"))
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.expect("close");
    cluster.url(&name)
}

/// The test server's database, opened (and migrated) as the server opens it: for tests that look at
/// rows, or write some, directly.
pub async fn open_database(database_url: &str) -> sqlx::AnyPool {
    access_console::storage::open(database_url, now())
        .await
        .expect("open the test database")
        .pool
}

/// The real server on a free port of 127.0.0.1, with an SQLite file in a temporary directory (or a
/// fresh PostgreSQL database: see [`test_backend`]).
pub struct TestServer {
    pub server: Spawned,
    pub base: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
    pub database_url: String,
    pub group_id: String,
    /// The organization of the first project.
    #[allow(dead_code)]
    pub org_id: String,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    pub async fn start_with(dist: Option<PathBuf>) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = new_database_url(dir.path()).await;
        Self::start_in(dir, database_url, dist, false).await
    }

    /// A server on an SQLite file, whatever the test backend (the source of `migrate-db`).
    #[allow(dead_code)]
    pub async fn start_on_sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = format!("sqlite://{}/data/access-console.db", dir.path().display());
        Self::start_in(dir, database_url, None, false).await
    }

    /// A server started with `--allow-private-webhooks`: tests' webhook receivers listen on
    /// 127.0.0.1, the only place a receiver can live here, which a server refuses without it.
    #[allow(dead_code)]
    pub async fn start_allowing_private_webhooks() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = new_database_url(dir.path()).await;
        Self::start_in(dir, database_url, None, true).await
    }

    async fn start_in(
        dir: TempDir,
        database_url: String,
        dist: Option<PathBuf>,
        allow_private_webhooks: bool,
    ) -> Self {
        let server = spawn(ServeOptions {
            dist,
            allow_private_webhooks,
            ..ServeOptions::local(database_url.clone())
        })
        .await
        .expect("server starts");
        let base = format!("http://{}", server.addr);
        let token = owner_token(server.pool()).await;
        let client = client_with_token(&token);
        let groups: serde_json::Value = client
            .get(format!("{base}/api/atlas/v2/groups"))
            .send()
            .await
            .expect("GET /groups")
            .json()
            .await
            .expect("groups JSON");
        let group_id = groups["results"][0]["id"]
            .as_str()
            .expect("a first project")
            .to_owned();
        let org_id = groups["results"][0]["orgId"]
            .as_str()
            .expect("the first project's organization")
            .to_owned();
        Self {
            server,
            base,
            client,
            dir,
            database_url,
            group_id,
            org_id,
        }
    }

    /// Stops the server and starts a new one on the same database.
    pub async fn restart(self) -> Self {
        let Self {
            server,
            dir,
            database_url,
            ..
        } = self;
        server.shutdown().await;
        Self::start_in(dir, database_url, None, false).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/atlas/v2{path}", self.base)
    }

    pub fn user_security(&self) -> String {
        self.url(&format!("/groups/{}/userSecurity", self.group_id))
    }

    /// PATCH `{"customerX509": {"cas": cas}}`: status and JSON body.
    pub async fn patch_cas(&self, cas: &str) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "customerX509": { "cas": cas } });
        self.send(self.client.patch(self.user_security()).json(&body))
            .await
    }

    /// PATCH `body` as JSON on `path` (under `/api/atlas/v2`).
    pub async fn patch_on(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(self.client.patch(self.url(path)).json(&body))
            .await
    }

    /// The stored bundle (`None` when self-managed X.509 is off).
    pub async fn stored_cas(&self) -> Option<String> {
        let (status, body) = self.send(self.client.get(self.user_security())).await;
        assert_eq!(status, 200, "{body}");
        body["customerX509"]["cas"].as_str().map(str::to_owned)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("response body");
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        (status, body)
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
    }
}

/// The name and password of the owner every [`TestServer`] has.
pub const OWNER: (&str, &str) = ("owner", "owner's long password");

/// A session token of the test owner (created on first use in that database).
pub async fn owner_token(pool: &sqlx::AnyPool) -> String {
    account_token(
        pool,
        OWNER.0,
        OWNER.1,
        access_core::project_role::ProjectRole::Owner,
    )
    .await
}

/// A session token of the account `username` with `role` in every project (created if missing).
pub async fn account_token(
    pool: &sqlx::AnyPool,
    username: &str,
    password: &str,
    role: access_core::project_role::ProjectRole,
) -> String {
    let account = match access_console::storage::accounts::create_account(
        pool, username, password, role, "test",
    )
    .await
    {
        Ok(account) => account,
        Err(access_console::storage::accounts::CreateAccountError::Duplicate(_)) => {
            let mut conn = pool.acquire().await.expect("connection");
            access_console::storage::accounts::find(&mut conn, username)
                .await
                .expect("find account")
                .expect("the account exists")
        }
        Err(error) => panic!("cannot create the account {username}: {error}"),
    };
    access_console::storage::accounts::open_bearer_session(pool, &account.id)
        .await
        .expect("a session")
}

/// Adds a CA_EXPIRING alert configuration that notifies the webhook `url` (its events carry the URL).
#[allow(dead_code)]
pub async fn add_webhook_alert_config(t: &TestServer, url: &str) {
    let (status, body) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{}/alertConfigs", t.group_id)))
                .json(&serde_json::json!({"eventTypeName": "CA_EXPIRING",
                    "threshold": {"operator": "LESS_THAN", "units": "DAYS", "threshold": 30},
                    "notifications": [{"typeName": "WEBHOOK", "intervalMin": 1440, "webhookUrl": url}]})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

/// A client signed in as `reader`, Read Only in the first project.
#[allow(dead_code)]
pub async fn read_only_client(t: &TestServer) -> reqwest::Client {
    client_with_token(
        &account_token(
            t.server.pool(),
            "reader",
            "a long password 1",
            access_core::project_role::ProjectRole::ReadOnly,
        )
        .await,
    )
}

/// A client that sends `Authorization: Bearer token` with every request.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

/// Asserts the Atlas error envelope with `status` and `code`, and returns its detail.
pub fn assert_error(body: &serde_json::Value, status: u16, code: &str) -> String {
    assert_eq!(body["error"], status, "{body}");
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(
        body["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert!(body["parameters"].is_array(), "{body}");
    let detail = body["detail"].as_str().unwrap_or_default().to_owned();
    assert!(detail.ends_with('.'), "detail is a sentence: {detail}");
    detail
}

/// The seconds of a 429 answer's `Retry-After` header (which it must have).
pub fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds")
}

/// A Digest client written from RFC 7616: asks, reads the challenge, answers it.
pub struct DigestClient {
    pub public_key: String,
    pub private_key: String,
    pub nonce: Option<String>,
    pub nc: u32,
}

impl DigestClient {
    pub fn new(created: &serde_json::Value) -> Self {
        Self {
            public_key: created["publicKey"].as_str().expect("publicKey").to_owned(),
            private_key: created["privateKey"]
                .as_str()
                .expect("privateKey")
                .to_owned(),
            nonce: None,
            nc: 0,
        }
    }

    pub fn authorization(&mut self, method: &str, uri: &str) -> String {
        use access_console::access::digest::{expected_response, ha1, REALM};
        self.nc += 1;
        let nc = format!("{:08x}", self.nc);
        let nonce = self.nonce.clone().unwrap_or_default();
        let cnonce = format!("c{}", self.nc);
        let response = expected_response(
            &ha1(&self.public_key, &self.private_key),
            &nonce,
            &nc,
            &cnonce,
            method,
            uri,
        );
        format!(
            "Digest username=\"{}\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, \
             response=\"{response}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\"",
            self.public_key
        )
    }

    /// Takes the nonce of a 401's challenge.
    pub fn read_challenge(&mut self, response: &reqwest::Response) -> String {
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .expect("a Digest challenge")
            .to_owned();
        let nonce = challenge
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("nonce")
            .to_owned();
        self.nonce = Some(nonce);
        self.nc = 0;
        challenge
    }
}
