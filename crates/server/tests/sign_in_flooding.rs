//! Issue 14, items 1 and 2: what an unauthenticated caller can make the server do through
//! `POST /api/console/signIn`. A name no account could have is refused before any database work;
//! throttled attempts are a count, not an event each; each address has its own limit; argon2 work is
//! bounded by the hashing slots, so 200 sign-ins at once keep the real server's memory small and the
//! API answering.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_error, retry_after, TestServer, OWNER};
use serde_json::{json, Value};

async fn sign_in(base: &str, username: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/console/signIn"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("sign-in sent")
}

async fn sign_in_failed_events(t: &TestServer) -> Value {
    let (status, events) = t
        .send(t.client.get(t.url(&format!(
            "/groups/{}/events?eventType=SIGN_IN_FAILED&itemsPerPage=500",
            t.group_id
        ))))
        .await;
    assert_eq!(status, 200, "{events}");
    events
}

async fn count(t: &TestServer, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(t.server.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

#[tokio::test]
async fn names_no_account_could_have_are_refused_before_any_database_work() {
    let t = TestServer::start().await;
    let huge = "a".repeat(3 * 1024 * 1024);
    for (username, password, code) in [
        (huge.as_str(), "whatever", "ACCOUNT_NAME_INVALID"),
        ("my secret password", "x", "ACCOUNT_NAME_INVALID"),
        ("", "x", "ACCOUNT_NAME_INVALID"),
        (OWNER.0, &"p".repeat(10_000), "PASSWORD_TOO_LONG"),
    ] {
        let response = sign_in(&t.base, username, password).await;
        assert_eq!(response.status().as_u16(), 400);
        let body: Value = response.json().await.expect("JSON");
        assert_error(&body, 400, code);
        assert!(
            body.to_string().len() < 2000,
            "the name is not echoed whole"
        );
    }
    assert_eq!(sign_in_failed_events(&t).await["totalCount"], 0);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM sign_in_failures").await, 0);
    // The legitimate use still works.
    assert_eq!(
        sign_in(&t.base, OWNER.0, OWNER.1).await.status().as_u16(),
        200
    );
    t.stop().await;
}

#[tokio::test]
async fn throttled_attempts_are_counted_not_recorded_each() {
    let t = TestServer::start().await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&t.base, OWNER.0, "wrong password!")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    for _ in 0..20 {
        let response = sign_in(&t.base, OWNER.0, "wrong password!").await;
        assert_eq!(response.status().as_u16(), 429);
    }
    assert_eq!(sign_in_failed_events(&t).await["totalCount"], 5);
    assert_eq!(
        count(&t, "SELECT attempts FROM sign_in_throttled").await,
        20,
        "one row, counting"
    );
    // Once the lock lifts (its failures forgotten here), the next failure's event carries the count.
    sqlx::query("DELETE FROM sign_in_failures")
        .execute(t.server.pool())
        .await
        .expect("forget the failures");
    assert_eq!(
        sign_in(&t.base, OWNER.0, "wrong password!")
            .await
            .status()
            .as_u16(),
        401
    );
    let events = sign_in_failed_events(&t).await;
    assert_eq!(events["totalCount"], 6, "{events}");
    assert_eq!(
        events["results"][0]["diff"]["after"]["throttledAttempts"], 20,
        "{events}"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM sign_in_throttled").await, 0);
    t.stop().await;
}

#[tokio::test]
async fn each_address_has_its_own_limit() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = access_console::spawn(access_console::ServeOptions {
        sign_in_rate_limit: 5,
        ..access_console::ServeOptions::local(common::new_database_url(dir.path()).await)
    })
    .await
    .expect("server starts");
    let base = format!("http://{}", server.addr);
    // A new name each time: the per-name throttle never applies.
    for i in 0..5 {
        let response = sign_in(&base, &format!("name{i}"), "wrong password!").await;
        assert_eq!(response.status().as_u16(), 401);
    }
    let response = sign_in(&base, "name5", "wrong password!").await;
    assert_eq!(response.status().as_u16(), 429);
    let retry = retry_after(&response);
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = response.json().await.expect("JSON");
    let detail = assert_error(&body, 429, "TOO_MANY_SIGN_IN_ATTEMPTS");
    assert!(detail.contains("from 127.0.0.1"), "{detail}");
    server.shutdown().await;
}

/// The real server binary (its memory is its own process's): `serve` on a free port, its address read
/// from its first line.
struct RealServer {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl RealServer {
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database = format!("sqlite://{}/console.db", dir.path().display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_access-console"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                &database,
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("a first line");
        // Read the rest, so that the server's next lines do not meet a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let base = first
            .trim()
            .strip_prefix("Access Console listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_owned();
        RealServer {
            child,
            base,
            _dir: dir,
        }
    }

    /// `VmHWM` of /proc/PID/status: the most resident memory the process has had, in KiB.
    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// 200 sign-ins at once, each with a new random name (so no per-name throttle), from one address
/// whose limit is raised out of the way: only the hashing slots stand between them and 200 × 19 MiB.
/// The server's peak resident memory stays under 200 MiB, every answer is 401 or 429 `SIGN_IN_BUSY`
/// (never 5xx), and the API answers other requests meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_parallel_sign_ins_keep_memory_bounded_and_the_api_answering() {
    use rand::Rng;
    let server = RealServer::start(&["--sign-in-rate-limit", "100000"]);
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let name: String = {
            let mut rng = rand::thread_rng();
            (0..16)
                .map(|_| char::from(b'a' + rng.gen_range(0..26u8)))
                .collect()
        };
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(format!("{base}/api/console/signIn"))
                .json(&json!({"username": name, "password": "a long wrong password"}))
                .send()
                .await
                .expect("sign-in sent");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("JSON");
            (status, body["errorCode"].as_str().unwrap_or("").to_owned())
        }));
    }
    // Meanwhile, the API answers.
    let started = Instant::now();
    let status = client
        .get(format!("{base}/api/console/status"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("the API answers during the flood");
    assert_eq!(status.status().as_u16(), 200);
    let answered_in = started.elapsed();
    let mut busy = 0;
    for task in tasks {
        let (status, code) = task.await.expect("task");
        match (status, code.as_str()) {
            (401, "INVALID_CREDENTIALS") => {}
            (429, "SIGN_IN_BUSY") => busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let peak_mib = server.peak_rss_kib() / 1024;
    println!(
        "200 parallel sign-ins: peak RSS {peak_mib} MiB, {busy} answered SIGN_IN_BUSY, \
         GET /status answered in {answered_in:?}"
    );
    assert!(peak_mib < 200, "peak RSS {peak_mib} MiB");
    // After the flood, a sign-in gets a slot again.
    let response = sign_in(&base, "someone", "a long wrong password").await;
    assert_eq!(response.status().as_u16(), 401);
}
