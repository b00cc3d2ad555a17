//! Durability: the real `access-console serve` binary is killed with SIGKILL in the middle of 1,000
//! concurrent user creations, then restarted on the same SQLite file. Every create it acknowledged
//! (201) must be there with its role and its `MONGODB_USER_ADDED` event, and nothing half-written:
//! each stored user has its event and each event its user.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;

const CREATES: usize = 1_000;
const CLIENTS: usize = 8;
/// Acknowledged creates after which the server is killed.
const KILL_AFTER: usize = 400;

/// The server binary running as a child process.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `access-console serve` on a free port of 127.0.0.1 and waits until it answers.
    async fn start(database_url: &str, log: &Path) -> Self {
        let log = std::fs::File::create(log).expect("server log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_access-console"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start access-console serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        // Reads the announced address, then keeps draining stdout so the server never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Access Console listening on ") {
                    let _ = address_tx.send(url.to_owned());
                }
            }
        });
        let base = address_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server announces its address");
        let server = Self { child, base };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let answer = client
                .get(format!("{}/api/console/status", server.base))
                .send()
                .await;
            if answer.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(Instant::now() < deadline, "the server does not answer");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/atlas/v2{path}", self.base)
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reaps the process.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

impl Drop for Server {
    /// A failed test leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const OWNER: (&str, &str) = ("owner", "owner's long password");

/// `access-console accounts create --owner`, the password on standard input.
fn create_owner(database_url: &str) {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_access-console"))
        .args([
            "accounts",
            "create",
            "--owner",
            "--password-stdin",
            "--username",
            OWNER.0,
        ])
        .args(["--database-url", database_url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start access-console accounts create");
    let mut stdin = child.stdin.take().expect("piped stdin");
    writeln!(stdin, "{}", OWNER.1).expect("write the password");
    drop(stdin);
    let output = child.wait_with_output().expect("accounts create");
    assert!(output.status.success(), "{output:?}");
}

/// A client with the owner's bearer session (sessions are stored: it outlives a restart).
async fn signed_in_client(server: &Server) -> reqwest::Client {
    let response = reqwest::Client::new()
        .post(format!("{}/api/console/signIn", server.base))
        .json(&json!({"username": OWNER.0, "password": OWNER.1, "session": "bearer"}))
        .send()
        .await
        .expect("sign in");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("a bearer token");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

fn username(n: usize) -> String {
    format!("CN=user-{n},O=Acme")
}

/// The username as one path segment.
fn encoded(username: &str) -> String {
    username.replace('=', "%3D").replace(',', "%2C")
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.json().await.expect("JSON body");
    (status, body)
}

async fn first_group(client: &reqwest::Client, server: &Server) -> String {
    let response = client
        .get(server.url("/groups"))
        .send()
        .await
        .expect("GET /groups");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    body["results"][0]["id"]
        .as_str()
        .expect("a first project")
        .to_owned()
}

/// Every item of a paged list (`itemsPerPage=500`), following pages until a short one.
async fn all_pages(client: &reqwest::Client, url: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for page in 1.. {
        let separator = if url.contains('?') { '&' } else { '?' };
        let response = client
            .get(format!("{url}{separator}itemsPerPage=500&pageNum={page}"))
            .send()
            .await
            .expect("GET a page");
        let (status, body) = json_of(response).await;
        assert_eq!(status, 200, "{body}");
        let results = body["results"].as_array().expect("results").clone();
        let short = results.len() < 500;
        items.extend(results);
        if short {
            break;
        }
    }
    items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_survive_sigkill_whole() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    let dir_path = dir.path().to_owned();
    let database_url = format!("sqlite://{}/db.sqlite", dir.path().display());
    create_owner(&database_url);
    let server = Server::start(&database_url, &dir.path().join("first.log")).await;
    let client = signed_in_client(&server).await;
    let group = first_group(&client, &server).await;
    let ca = common::Pki::new()
        .self_signed("/CN=Durability Root CA/O=Acme", 30)
        .pem;
    let response = client
        .patch(server.url(&format!("/groups/{group}/userSecurity")))
        .json(&json!({"customerX509": {"cas": ca}}))
        .send()
        .await
        .expect("PATCH userSecurity");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");

    // Creates from a few concurrent clients; each stops at its first failed request (the kill).
    let users_url = server.url(&format!("/groups/{group}/databaseUsers"));
    let next = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let acknowledged_count = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url, log) = (client.clone(), users_url.clone(), dir_path.clone());
        let (next, acknowledged, count) = (
            next.clone(),
            acknowledged.clone(),
            acknowledged_count.clone(),
        );
        clients.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= CREATES {
                    break;
                }
                let body = json!({
                    "databaseName": "$external",
                    "username": username(n),
                    "x509Type": "CUSTOMER",
                    "roles": [{"roleName": "read", "databaseName": "reports"}],
                });
                match client.post(&url).json(&body).send().await {
                    Ok(response) if response.status().as_u16() == 201 => {
                        acknowledged.lock().expect("lock").insert(n);
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(response) => {
                        let status = response.status();
                        let text = response.text().await.unwrap_or_default();
                        let log =
                            std::fs::read_to_string(log.join("first.log")).unwrap_or_default();
                        panic!("create {n}: {status} {text}\nserver log:\n{log}");
                    }
                    Err(_) => break,
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged_count.load(Ordering::SeqCst) < KILL_AFTER {
        if clients.iter().any(|client| client.is_finished()) {
            break; // a failed create: its panic surfaces below
        }
        assert!(
            Instant::now() < deadline,
            "too slow to reach {KILL_AFTER} creates"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill();
    for task in clients {
        task.await.expect("client task");
    }
    // Requests started (at most CREATES; the clients stop at the first failure).
    let sent = next.load(Ordering::SeqCst).min(CREATES);
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        sent < CREATES,
        "the server was killed after all {CREATES} creates"
    );

    // Same database, new process.
    let server = Server::start(&database_url, &dir.path().join("second.log")).await;
    assert_eq!(first_group(&client, &server).await, group);
    let users_url = server.url(&format!("/groups/{group}/databaseUsers"));
    let read_reports = json!([{"databaseName": "reports", "roleName": "read"}]);
    for &n in &acknowledged {
        let name = username(n);
        let response = client
            .get(format!("{users_url}/%24external/{}", encoded(&name)))
            .send()
            .await
            .expect("GET a user");
        let (status, body) = json_of(response).await;
        assert_eq!(status, 200, "acknowledged {name} is gone: {body}");
        assert_eq!(body["username"], name.as_str());
        assert_eq!(body["roles"], read_reports, "{name}");
    }

    let stored: BTreeMap<String, Value> = all_pages(&client, &users_url)
        .await
        .into_iter()
        .map(|user| {
            (
                user["username"].as_str().unwrap_or_default().to_owned(),
                user,
            )
        })
        .collect();
    for (name, user) in &stored {
        assert!(name.starts_with("CN=user-"), "{name}");
        assert_eq!(user["roles"], read_reports, "{name}");
    }
    let events = all_pages(
        &client,
        &server.url(&format!(
            "/groups/{group}/events?eventType=MONGODB_USER_ADDED"
        )),
    )
    .await;
    let targets: BTreeSet<String> = events
        .iter()
        .map(|e| e["target"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(targets.len(), events.len(), "one event per user");
    let stored_names: BTreeSet<String> = stored.keys().cloned().collect();
    assert_eq!(
        stored_names.difference(&targets).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "users without their event"
    );
    assert_eq!(
        targets.difference(&stored_names).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "events without their user"
    );
    assert!(stored.len() >= acknowledged.len());
    assert!(stored.len() <= sent, "{} stored, {sent} sent", stored.len());
    server.kill();
    println!(
        "durability: {} acknowledged before SIGKILL, {sent} sent, {} stored after restart \
         (all acknowledged present, {} events), {:.1} s",
        acknowledged.len(),
        stored.len(),
        events.len(),
        started.elapsed().as_secs_f64()
    );
}
