//! Running the server in production (issue 20): health and readiness, request ids, JSON logs, graceful
//! shutdown of the real binary on SIGTERM, `GET /metrics` checked by the real promtool and scraped by
//! a real Prometheus, the shipped alerting rules (`promtool test rules`) and the systemd unit
//! (`systemd-analyze verify`).

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use access_console::{spawn, MetricsExposure, ServeOptions};
use common::{TestServer, DAY};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

fn deploy(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(path)
}

/// A tool the test runs, found on `PATH` (`make test` runs scripts/bootstrap --with-browser first, which
/// installs them).
fn tool(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
        .unwrap_or_else(|| panic!("{name} is not installed: run scripts/bootstrap --with-browser"))
}

#[tokio::test]
async fn health_and_readiness_answer_without_authentication_and_without_data() {
    let server = TestServer::start().await;
    let anonymous = reqwest::Client::new();
    for (path, text) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
        let response = anonymous
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.text().await.expect("text"), text, "{path}");
    }
    // A migration recorded as not applied: not ready (503), still alive.
    let pool = server.server.pool();
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(pool)
    .await
    .expect("forget a migration");
    let ready = anonymous
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.expect("text"), "not ready\n");
    let alive = anonymous
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(alive.status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn request_ids_are_taken_or_made_and_echoed_in_headers_and_error_bodies() {
    let server = TestServer::start().await;
    let missing = server.url(&format!("/groups/{}/nothingHere", server.group_id));

    let response = server
        .client
        .get(&missing)
        .header("X-Request-Id", "lb-7f3a.12:9")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["x-request-id"], "lb-7f3a.12:9");
    let body: Value = response.json().await.expect("JSON");
    common::assert_error(&body, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(body["requestId"], "lb-7f3a.12:9", "{body}");

    // None sent, or one that is not plain: a new one, 32 hex digits, the same in header and body.
    for sent in [
        None,
        Some("has spaces in it"),
        Some("x".repeat(200).as_str()),
    ]
    .map(|s| s.map(str::to_owned))
    {
        let mut request =
            reqwest::Client::new().get(format!("{}/api/atlas/v2/groups", server.base));
        if let Some(sent) = &sent {
            request = request.header("X-Request-Id", sent);
        }
        let response = request.send().await.expect("GET");
        assert_eq!(response.status(), 401);
        let id = response.headers()["x-request-id"]
            .to_str()
            .expect("ASCII")
            .to_owned();
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        let body: Value = response.json().await.expect("JSON");
        common::assert_error(&body, 401, "NOT_AUTHENTICATED");
        assert_eq!(body["requestId"], id.as_str(), "{body}");
    }

    // A success has the header and its body is untouched.
    let response = server
        .client
        .get(server.url(&format!("/groups/{}", server.group_id)))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("requestId").is_none(), "{body}");
    server.stop().await;
}

/// The line of `series{labels}` in a scrape, and its value.
fn sample(scrape: &str, series_and_labels: &str) -> Option<f64> {
    scrape.lines().find_map(|line| {
        line.strip_prefix(series_and_labels)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.parse().ok())
    })
}

/// A project with a CA bundle of two certificates (valid until `not_after` of each), a database user
/// and a custom role; returns the bundle's certificates (certificate, not_before, not_after).
async fn seed(server: &TestServer, pki: &common::Pki) -> Vec<(common::Cert, i64, i64)> {
    let now = common::now();
    let soon = (now - DAY, now + 10 * DAY);
    let later = (now - 2 * DAY, now + 400 * DAY);
    let a = pki.dated("/CN=Ops Soon Root", soon.0, soon.1);
    let b = pki.dated("/CN=Ops Later Root", later.0, later.1);
    let (status, body) = server.patch_cas(&format!("{}{}", a.pem, b.pem)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = server
        .send(
            server
                .client
                .post(server.url(&format!("/groups/{}/customDBRoles/roles", server.group_id)))
                .json(&serde_json::json!({
                    "roleName": "opsReader",
                    "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]
                })),
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {body}");
    let (status, body) = server
        .send(
            server
                .client
                .post(server.url(&format!("/groups/{}/databaseUsers", server.group_id)))
                .json(&serde_json::json!({
                    "databaseName": "$external",
                    "username": "CN=ops-app,O=Acme",
                    "x509Type": "CUSTOMER",
                    "roles": [{"roleName": "read", "databaseName": "sales"}]
                })),
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {body}");
    vec![(a, soon.0, soon.1), (b, later.0, later.1)]
}

#[tokio::test]
async fn metrics_scrape_passes_promtool_and_names_route_templates_and_each_ca() {
    let promtool = tool("promtool");
    let server = TestServer::start().await;
    let pki = common::Pki::new();
    let certificates = seed(&server, &pki).await;
    let user = server.url(&format!(
        "/groups/{}/databaseUsers/%24external/CN%3Dops-app%2CO%3DAcme",
        server.group_id
    ));
    for _ in 0..3 {
        let (status, body) = server.send(server.client.get(&user)).await;
        assert_eq!(status, 200, "{body}");
    }
    let anonymous = reqwest::Client::new();
    let signin = anonymous
        .post(format!("{}/api/console/signIn", server.base))
        .json(&serde_json::json!({"username": "owner", "password": "not the password", "session": "bearer"}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(signin.status(), 401);

    let response = anonymous
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("GET /metrics");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ASCII")
        .starts_with("text/plain"));
    let scrape = response.text().await.expect("text");

    let mut check = Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool");
    check
        .stdin
        .take()
        .expect("stdin")
        .write_all(scrape.as_bytes())
        .expect("write");
    let checked = check.wait_with_output().expect("promtool");
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}\n{scrape}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    let group = &server.group_id;
    for (cert, not_before, not_after) in &certificates {
        let subject = cert.field(&["-subject", "-nameopt", "RFC2253"]);
        // (The text format sorts labels by name.)
        let labels = format!(
            "{{group_id=\"{group}\",project=\"Project 0\",sha256=\"{}\",subject=\"{subject}\"}}",
            cert.sha256()
        );
        assert_eq!(
            sample(
                &scrape,
                &format!("access_console_ca_not_after_timestamp_seconds{labels}")
            ),
            Some(*not_after as f64),
            "{labels}\n{scrape}"
        );
        assert_eq!(
            sample(
                &scrape,
                &format!("access_console_ca_not_before_timestamp_seconds{labels}")
            ),
            Some(*not_before as f64),
            "{labels}\n{scrape}"
        );
    }
    let project = format!("{{group_id=\"{group}\",project=\"Project 0\"}}");
    assert_eq!(
        sample(&scrape, &format!("access_console_database_users{project}")),
        Some(1.0)
    );
    assert_eq!(
        sample(&scrape, &format!("access_console_custom_roles{project}")),
        Some(1.0)
    );
    // Route templates, never raw paths (no group id, no user name in a route label).
    let route = "method=\"GET\",route=\"/api/atlas/v2/groups/{groupId}/databaseUsers/{databaseName}/{username}\",status=\"2xx\"";
    let count = sample(
        &scrape,
        &format!("access_console_http_requests_total{{{route}}}"),
    )
    .expect("the user route is counted");
    assert!(count >= 3.0, "{count}");
    assert!(scrape.contains(&format!(
        "access_console_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}}"
    )));
    for line in scrape.lines().filter(|l| l.contains("route=\"")) {
        assert!(
            !line.contains(group.as_str()) && !line.contains("ops-app"),
            "{line}"
        );
    }
    assert!(
        sample(&scrape, "access_console_sign_in_failures_total").is_some_and(|n| n >= 1.0),
        "{scrape}"
    );
    assert!(
        scrape.contains("access_console_db_pool_connections{state=\"idle\"}"),
        "{scrape}"
    );
    server.stop().await;
}

#[test]
fn the_shipped_alerting_rules_pass_promtool_tests() {
    let promtool = tool("promtool");
    for args in [
        vec!["check", "rules", "access-console.rules.yml"],
        vec!["test", "rules", "access-console.rules.test.yml"],
        vec!["check", "config", "prometheus.yml"],
    ] {
        let output = Command::new(&promtool)
            .args(&args)
            .current_dir(deploy("prometheus"))
            .output()
            .expect("promtool");
        assert!(
            output.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A free port of 127.0.0.1 (bound, then let go).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Kills the child when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_real_prometheus_scrapes_the_metrics_address_and_answers_for_the_ca_series() {
    let prometheus = tool("prometheus");
    let dir = tempfile::tempdir().expect("temporary directory");
    let database_url = common::new_database_url(dir.path()).await;
    let server = spawn(ServeOptions {
        metrics: MetricsExposure::Listen(([127, 0, 0, 1], 0).into()),
        ..ServeOptions::local(database_url)
    })
    .await
    .expect("server starts");
    let metrics_url = server.metrics_url().expect("a metrics address");
    // Not on the main port when it has its own address.
    let main = reqwest::get(format!("{}/metrics", server.url()))
        .await
        .expect("GET");
    assert_eq!(main.status(), 404);
    let token = common::owner_token(server.pool()).await;
    let client = common::client_with_token(&token);
    let groups: Value = client
        .get(format!("{}/api/atlas/v2/groups", server.url()))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let group = groups["results"][0]["id"].as_str().expect("id").to_owned();
    let pki = common::Pki::new();
    let now = common::now();
    let root = pki.dated("/CN=Scraped Root", now - DAY, now + 20 * DAY);
    let patched = client
        .patch(format!(
            "{}/api/atlas/v2/groups/{group}/userSecurity",
            server.url()
        ))
        .json(&serde_json::json!({"customerX509": {"cas": root.pem}}))
        .send()
        .await
        .expect("PATCH");
    assert_eq!(patched.status(), 200);

    let target = metrics_url.trim_start_matches("http://");
    std::fs::copy(
        deploy("prometheus/access-console.rules.yml"),
        dir.path().join("access-console.rules.yml"),
    )
    .expect("rules");
    std::fs::write(
        dir.path().join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - access-console.rules.yml\n\
             scrape_configs:\n  - job_name: access-console\n    static_configs:\n      - targets: [\"{target}\"]\n"
        ),
    )
    .expect("prometheus.yml");
    let port = free_port();
    let log = dir.path().join("prometheus.log");
    let _prometheus = Child(
        Command::new(prometheus)
            .current_dir(dir.path())
            .args([
                "--config.file=prometheus.yml",
                "--storage.tsdb.path=data",
                &format!("--web.listen-address=127.0.0.1:{port}"),
                "--log.level=warn",
            ])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start prometheus"),
    );
    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    let query = format!(
        "http://127.0.0.1:{port}/api/v1/query?query=access_console_ca_not_after_timestamp_seconds"
    );
    let sha256 = root.sha256();
    let deadline = Instant::now() + Duration::from_secs(90);
    let result = loop {
        assert!(
            Instant::now() < deadline,
            "Prometheus never had the series: {}",
            said()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        let Ok(response) = reqwest::get(&query).await else {
            continue;
        };
        let Ok(answer) = response.json::<Value>().await else {
            continue;
        };
        if let Some(first) = answer["data"]["result"].as_array().and_then(|r| r.first()) {
            break first.clone();
        }
    };
    assert_eq!(result["metric"]["group_id"], group.as_str(), "{result}");
    assert_eq!(result["metric"]["project"], "Project 0", "{result}");
    assert_eq!(result["metric"]["subject"], "CN=Scraped Root", "{result}");
    assert_eq!(result["metric"]["sha256"], sha256.as_str(), "{result}");
    assert_eq!(result["value"][1], (now + 20 * DAY).to_string(), "{result}");
    // The shipped rule fires for it (20 days left).
    let alerts = format!("http://127.0.0.1:{port}/api/v1/alerts");
    loop {
        assert!(
            Instant::now() < deadline,
            "the CA rule never fired: {}",
            said()
        );
        let answer: Value = reqwest::get(&alerts)
            .await
            .expect("GET alerts")
            .json()
            .await
            .expect("JSON");
        let fired = answer["data"]["alerts"].as_array().is_some_and(|alerts| {
            alerts.iter().any(|a| {
                a["labels"]["alertname"] == "AccessConsoleCaExpiresWithin30Days"
                    && a["labels"]["subject"] == "CN=Scraped Root"
            })
        });
        if fired {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    server.shutdown().await;
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() {
    let analyze = tool("systemd-analyze");
    let unit = std::fs::read_to_string(deploy("systemd/access-console.service")).expect("unit");
    for option in [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "StateDirectory=access-console",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.lines().any(|l| l == option), "{option}");
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let verify = |text: &str| {
        let path = dir.path().join("access-console.service");
        std::fs::write(&path, text).expect("write unit");
        let output = Command::new(&analyze)
            .arg("verify")
            .arg(&path)
            .output()
            .expect("systemd-analyze");
        (
            output.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    };
    // ExecStart= must name an executable: the binary under test stands in for /usr/local/bin's.
    let here = unit.replace("/usr/local/bin/access-console", BINARY);
    let (ok, said) = verify(&here);
    assert!(
        ok && said.trim().is_empty(),
        "systemd-analyze verify: {said}"
    );
    // It does read the options: a misspelt one is reported.
    let (_, said) = verify(&here.replace("NoNewPrivileges=yes", "NoNewPrivileges=maybe"));
    assert!(
        said.contains("Failed to parse boolean value") && said.contains("maybe"),
        "{said}"
    );
}

/// Lines of a child's pipe, as they come.
fn lines_of(pipe: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

#[test]
fn serve_logs_json_without_secrets_and_finishes_requests_in_flight_on_sigterm() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let database = dir.path().join("console.db");
    let mut child = Command::new(BINARY)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--database-url",
            &format!("sqlite://{}", database.display()),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stdout = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let next = || {
        stdout
            .recv_timeout(Duration::from_secs(30))
            .expect("a line from serve")
    };
    let url = next()
        .strip_prefix("Access Console listening on ")
        .expect("first line")
        .to_owned();
    let code = loop {
        let line = next();
        if let Some(rest) = line.strip_prefix("No console account yet. Setup code: ") {
            break rest.split(' ').next().expect("code").to_owned();
        }
    };
    let addr = url.trim_start_matches("http://").to_owned();
    let password = "a long enough password for the logs";
    let pki = common::Pki::new();
    let root = pki.self_signed("/CN=Logged Root", 30);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (token, group) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let session: Value = client
            .post(format!("{url}/api/console/setup"))
            .json(&serde_json::json!({
                "setupCode": code, "username": "ops.owner", "password": password, "session": "bearer"
            }))
            .send()
            .await
            .expect("setup")
            .json()
            .await
            .expect("JSON");
        let token = session["token"].as_str().expect("token").to_owned();
        let groups: Value = client
            .get(format!("{url}/api/atlas/v2/groups"))
            .bearer_auth(&token)
            .header("X-Request-Id", "logged-request-1")
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON");
        let group = groups["results"][0]["id"].as_str().expect("id").to_owned();
        let probe = client
            .get(format!("{url}/healthz"))
            .header("X-Request-Id", "probe-1")
            .send()
            .await
            .expect("GET /healthz");
        assert_eq!(probe.status(), 200);
        let patched = client
            .patch(format!("{url}/api/atlas/v2/groups/{group}/userSecurity"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"customerX509": {"cas": root.pem}}))
            .send()
            .await
            .expect("PATCH");
        assert_eq!(patched.status(), 200);
        let refused = client
            .post(format!("{url}/api/console/signIn"))
            .json(&serde_json::json!({"username": "ops.owner", "password": "wrong password here", "session": "bearer"}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(refused.status(), 401);
        (token, group)
    });

    // A request in flight: its headers are in, its body is still coming when SIGTERM arrives.
    let body = serde_json::json!({"username": "nobody", "password": "not a password at all", "session": "bearer"})
        .to_string();
    let mut in_flight = TcpStream::connect(&addr).expect("connect");
    write!(
        in_flight,
        "POST /api/console/signIn HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-Request-Id: in-flight-1\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .expect("send the start");
    in_flight.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    // Stopping: no new connection is accepted...
    let refused_at = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&addr).is_ok() {
        assert!(Instant::now() < refused_at, "still accepting after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    // ... and the request in flight is still answered.
    in_flight
        .write_all(&body.as_bytes()[10..])
        .expect("send the rest");
    in_flight
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut answer = String::new();
    let _ = in_flight.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-request-id: in-flight-1"),
        "{answer}"
    );
    let exit = child.wait().expect("wait");
    assert_eq!(exit.code(), Some(0));
    let mut said = Vec::new();
    while let Ok(line) = stdout.recv_timeout(Duration::from_secs(5)) {
        said.push(line);
    }
    assert_eq!(
        said.last().map(String::as_str),
        Some("Stopped."),
        "{said:?}"
    );

    let logs: Vec<String> = stderr.try_iter().collect();
    let requests: Vec<Value> = logs
        .iter()
        .map(|line| {
            serde_json::from_str::<Value>(line)
                .unwrap_or_else(|e| panic!("not one JSON object a line ({e}): {line}"))
        })
        .filter(|entry| entry["message"] == "request")
        .collect();
    let groups = requests
        .iter()
        .find(|entry| entry["request_id"] == "logged-request-1")
        .unwrap_or_else(|| panic!("the GET /groups line: {logs:#?}"));
    assert_eq!(groups["route"], "/api/atlas/v2/groups", "{groups}");
    assert_eq!(groups["method"], "GET", "{groups}");
    assert_eq!(groups["status"], 200, "{groups}");
    assert_eq!(groups["level"], "INFO", "{groups}");
    assert!(
        groups["timestamp"]
            .as_str()
            .is_some_and(|t| t.contains('T')),
        "{groups}"
    );
    assert!(groups["latency_ms"].as_f64().is_some(), "{groups}");
    assert!(
        groups["caller"]
            .as_str()
            .is_some_and(|c| c.starts_with("account:")),
        "{groups}"
    );
    let patch = requests
        .iter()
        .find(|entry| entry["method"] == "PATCH")
        .expect("the PATCH line");
    assert_eq!(
        patch["route"],
        "/api/atlas/v2/groups/{groupId}/userSecurity"
    );
    // A load balancer's probes do not fill the log (debug level only).
    assert!(
        !requests
            .iter()
            .any(|entry| entry["request_id"] == "probe-1"),
        "{requests:?}"
    );
    let in_flight_line = requests
        .iter()
        .find(|entry| entry["request_id"] == "in-flight-1")
        .expect("the in-flight request's line");
    assert_eq!(in_flight_line["status"], 401);
    assert_eq!(in_flight_line["route"], "/api/console/signIn");
    let all = logs.join("\n");
    for secret in [
        password,
        "wrong password here",
        "not a password at all",
        token.as_str(),
        "BEGIN CERTIFICATE",
        "PRIVATE KEY",
    ] {
        assert!(!all.contains(secret), "the logs hold {secret:?}:\n{all}");
    }
    // Route templates, not paths: the project's id is not in any request's route.
    for entry in &requests {
        assert!(
            !entry["route"].as_str().unwrap_or_default().contains(&group),
            "{entry}"
        );
    }
}
