//! `access-console migrate-db` (issue 20): a console with every kind of data moves from SQLite to
//! PostgreSQL and back, and a server started on each target answers as the first one did.

mod common;

use std::process::{Command, Output};

use access_console::{spawn, ServeOptions, Spawned};
use common::{TestServer, DAY};
use serde_json::{json, Value};

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

fn migrate(from: &str, to: &str) -> Output {
    Command::new(BINARY)
        .args(["migrate-db", "--from", from, "--to", to])
        .output()
        .expect("run migrate-db")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every kind of data: accounts (and a session, a sign-in failure), an API key with an access list, a
/// cluster, a CA bundle, a custom role, database users, events, an alert configuration with a webhook,
/// an open alert and a failed webhook delivery, the Digest nonce secret.
async fn fill(server: &TestServer) {
    let g = &server.group_id;
    let pki = common::Pki::new();
    let now = common::now();
    let soon = pki.dated("/CN=Moving Root", now - DAY, now + 10 * DAY + DAY / 2);
    let (status, body) = server.patch_cas(&soon.pem).await;
    assert_eq!(status, 200, "{body}");
    let posts = [
        (
            format!("/groups/{g}/clusters"),
            json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0"}),
        ),
        (
            format!("/groups/{g}/customDBRoles/roles"),
            json!({"roleName": "mover", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}],
                   "inheritedRoles": [{"role": "read", "db": "reports"}]}),
        ),
        (
            format!("/groups/{g}/databaseUsers"),
            json!({"databaseName": "$external", "username": "CN=mover,O=Acme", "x509Type": "CUSTOMER",
                   "roles": [{"roleName": "mover", "databaseName": "admin"}],
                   "scopes": [{"name": "Cluster0", "type": "CLUSTER"}],
                   "labels": [{"key": "team", "value": "ops"}], "description": "moves"}),
        ),
        (
            format!("/groups/{g}/databaseUsers"),
            json!({"databaseName": "$external", "username": "CN=ünïcode reader,O=Acme", "x509Type": "CUSTOMER",
                   "roles": [{"roleName": "read", "databaseName": "sales", "collectionName": "orders"}]}),
        ),
        (
            format!("/groups/{g}/alertConfigs"),
            json!({"eventTypeName": "CA_EXPIRING", "enabled": true,
                   "threshold": {"operator": "LESS_THAN", "threshold": 20, "units": "DAYS"},
                   "notifications": [{"typeName": "WEBHOOK", "intervalMin": 60, "webhookUrl": "http://127.0.0.1:9/hook", "webhookSecret": "moving secret"}]}),
        ),
        (
            format!("/groups/{g}/apiKeys"),
            json!({"desc": "moving key", "roles": ["GROUP_READ_ONLY"]}),
        ),
        // A second project (an organization event).
        (
            "/groups".to_owned(),
            json!({"name": "second project", "orgId": server.org_id}),
        ),
    ];
    for (path, body) in posts {
        let (status, answer) = server
            .send(server.client.post(server.url(&path)).json(&body))
            .await;
        assert!(
            status == 200 || status == 201,
            "POST {path}: {status} {answer}"
        );
        if let Some(id) = answer["id"].as_str().filter(|_| path.ends_with("apiKeys")) {
            let (status, answer) = server
                .send(
                    server
                        .client
                        .post(server.url(&format!("{path}/{id}/accessList")))
                        .json(&json!([{"cidrBlock": "10.0.0.0/8"}])),
                )
                .await;
            assert!(status == 200 || status == 201, "{status} {answer}");
        }
    }
    let (status, answer) = server
        .send(
            server
                .client
                .post(format!("{}/api/console/groups/{g}/accounts", server.base))
                .json(&json!({"username": "reader.one", "password": "a long enough password", "roleName": "GROUP_READ_ONLY"})),
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {answer}");
    // A refused sign-in, a Digest challenge (the nonce secret), an evaluation with a failed webhook.
    let anonymous = reqwest::Client::new();
    let refused = anonymous
        .post(format!("{}/api/console/signIn", server.base))
        .json(&json!({"username": "reader.one", "password": "wrong password", "session": "bearer"}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(refused.status(), 401);
    let challenged = anonymous
        .get(server.url("/groups"))
        .send()
        .await
        .expect("GET");
    assert_eq!(challenged.status(), 401);
    // An attempt refused by the throttle (as the sign-in throttle counts it).
    let mut conn = server.server.pool().acquire().await.expect("connection");
    access_console::storage::accounts::count_throttled(&mut conn, "reader.one", "192.0.2.7", now)
        .await
        .expect("count a throttled attempt");
    drop(conn);
    let report = access_console::alerts::evaluate_alerts(
        server.server.pool(),
        now,
        &access_console::alerts::Webhooks::new(true),
    )
    .await
    .expect("evaluate");
    assert!(!report.notified.is_empty(), "{report:?}");
}

/// What the API answers about everything [`fill`] made, with the server's own address taken out.
async fn answers(base: &str, client: &reqwest::Client, group: &str) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    let paths = [
        "/api/atlas/v2/groups".to_owned(),
        format!("/api/atlas/v2/groups/{group}/userSecurity"),
        format!("/api/atlas/v2/groups/{group}/clusters"),
        format!("/api/atlas/v2/groups/{group}/customDBRoles/roles"),
        format!("/api/atlas/v2/groups/{group}/databaseUsers"),
        format!("/api/atlas/v2/groups/{group}/events?itemsPerPage=500"),
        format!("/api/atlas/v2/groups/{group}/alertConfigs"),
        format!("/api/atlas/v2/groups/{group}/alerts"),
        format!("/api/atlas/v2/groups/{group}/apiKeys"),
        format!("/api/console/groups/{group}/accounts"),
    ];
    for path in paths {
        let response = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        let text = response.text().await.expect("text").replace(base, "BASE");
        all.push((path, serde_json::from_str(&text).expect("JSON")));
    }
    all
}

/// Each answer alike, named by its path when not.
fn assert_same(left: &[(String, Value)], right: &[(String, Value)]) {
    assert_eq!(left.len(), right.len());
    for ((path, a), (_, b)) in left.iter().zip(right) {
        assert_eq!(a, b, "{path}");
    }
}

async fn start(database_url: &str) -> (Spawned, reqwest::Client) {
    let server = spawn(ServeOptions::local(database_url.to_owned()))
        .await
        .expect("server starts on the target");
    let token = common::owner_token(server.pool()).await;
    (server, common::client_with_token(&token))
}

fn assert_copied(output: &Output) {
    let out = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{out}{}",
        text(&output.stderr)
    );
    for table in access_console::storage::transfer::TABLES {
        let line = out
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{table} ")))
            .unwrap_or_else(|| panic!("no line for {table}:\n{out}"));
        let rows: u64 = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        assert!(
            rows > 0,
            "{table} was copied empty: every kind of data is in the source\n{out}"
        );
        assert!(line.contains("checksum "), "{line}");
    }
    assert!(out.contains("Copied "), "{out}");
}

#[tokio::test]
async fn migrate_db_moves_everything_from_sqlite_to_postgres_and_back() {
    let source = TestServer::start_on_sqlite().await;
    fill(&source).await;
    let group = source.group_id.clone();
    let before = answers(&source.base, &source.client, &group).await;
    let sqlite_url = source.database_url.clone();
    let dir = source.dir.path().to_path_buf();
    // The owner's bearer session of the source, to use on the targets.
    let old_session = source.client.clone();
    source.server.shutdown().await;

    // SQLite → PostgreSQL.
    let postgres_url = common::new_postgres_database().await;
    let output = migrate(&sqlite_url, &postgres_url);
    assert_copied(&output);
    assert!(
        !text(&output.stdout).contains("password"),
        "no password shown"
    );
    let (server, client) = start(&postgres_url).await;
    let base = server.url();
    assert_same(&answers(&base, &client, &group).await, &before);
    // Sessions carry over: the session opened on SQLite works on PostgreSQL.
    assert_same(&answers(&base, &old_session, &group).await, &before);
    // Events continue after the copied ones (PostgreSQL's sequence was moved on).
    let created = client
        .post(format!("{base}/api/atlas/v2/groups/{group}/databaseUsers"))
        .json(&json!({"databaseName": "$external", "username": "CN=after the move", "x509Type": "CUSTOMER",
                      "roles": [{"roleName": "read", "databaseName": "sales"}]}))
        .send()
        .await
        .expect("POST");
    assert_eq!(
        created.status(),
        201,
        "{}",
        created.text().await.unwrap_or_default()
    );
    let after = answers(&base, &client, &group).await;
    server.shutdown().await;

    // A target that is not empty is refused, and left as it was.
    let again = migrate(&sqlite_url, &postgres_url);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("the target database is not empty: organizations has 1 rows"),
        "{}",
        text(&again.stderr)
    );
    let (server, client) = start(&postgres_url).await;
    assert_same(&answers(&server.url(), &client, &group).await, &after);
    server.shutdown().await;

    // PostgreSQL → SQLite (a new file).
    let back_url = format!("sqlite://{}/back/console.db", dir.display());
    let output = migrate(&postgres_url, &back_url);
    assert_copied(&output);
    let (server, client) = start(&back_url).await;
    let base = server.url();
    let back = answers(&base, &client, &group).await;
    server.shutdown().await;
    let (server, client) = start(&postgres_url).await;
    let on_postgres = answers(&server.url(), &client, &group).await;
    server.shutdown().await;
    assert_same(&back, &on_postgres);
}
