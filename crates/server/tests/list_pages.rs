//! List pages kept as answered (`api::page_cache`), against the real server and database: a change shows
//! in the next list at once, on the instance that made it and on another instance sharing the database;
//! a temporary user leaves the list when it expires, with no change written; a Read Only caller never
//! gets a page kept for an owner; a client that accepts gzip gets the same page compressed.

mod common;

use std::io::Read as _;

use access_console::{spawn, ServeOptions};
use common::{now, Pki, TestServer};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};
use serde_json::{json, Value};

fn user(username: &str, role: &str) -> Value {
    json!({"databaseName": "$external", "username": username, "x509Type": "CUSTOMER",
           "roles": [{"roleName": role, "databaseName": "admin"}]})
}

/// `(username, first role)` of each user listed, and `totalCount`.
fn listed(page: &Value) -> (Vec<(String, String)>, Value) {
    let users = page["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            (
                u["username"].as_str().unwrap_or("").to_owned(),
                u["roles"][0]["roleName"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (users, page["totalCount"].clone())
}

/// GET `url` with the owner's client: the body of a 200.
async fn get(t: &TestServer, url: String) -> Value {
    let (status, body) = t.send(t.client.get(url)).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn x509_on(t: &TestServer) {
    let pki = Pki::new();
    let ca = pki.self_signed("/CN=Test Root CA", 365);
    let (status, body) = t.patch_cas(&ca.pem).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_change_shows_in_the_next_page_on_every_instance() {
    let a = TestServer::start().await;
    x509_on(&a).await;
    let b = spawn(ServeOptions::local(a.database_url.clone()))
        .await
        .expect("a second server on the same database");
    let b_base = format!("http://{}/api/atlas/v2", b.addr);
    let users_path = format!("/groups/{}/databaseUsers", a.group_id);
    let events_path = format!("/groups/{}/events?itemsPerPage=5", a.group_id);
    let a_base = a.url("");
    let on_a = |path: &str| format!("{a_base}{path}");
    let on_b = |path: &str| format!("{b_base}{path}");
    let none = (vec![], json!(0));
    // Both instances read (and keep) the empty first page.
    for _ in 0..2 {
        assert_eq!(listed(&get(&a, on_a(&users_path)).await), none);
        assert_eq!(listed(&get(&a, on_b(&users_path)).await), none);
    }

    let (status, body) = a
        .send(
            a.client
                .post(on_a(&users_path))
                .json(&user("CN=alice,O=Acme", "readAnyDatabase")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let alice = (
        vec![("CN=alice,O=Acme".to_owned(), "readAnyDatabase".to_owned())],
        json!(1),
    );
    assert_eq!(
        listed(&get(&a, on_b(&users_path)).await),
        alice,
        "the other instance"
    );
    assert_eq!(
        listed(&get(&a, on_a(&users_path)).await),
        alice,
        "the same instance"
    );

    let alice_url = |on: &dyn Fn(&str) -> String| {
        on(&format!("{users_path}/%24external/CN%3Dalice%2CO%3DAcme"))
    };
    let (status, body) = a
        .send(a.client.patch(alice_url(&on_b)).json(
            &json!({"roles": [{"roleName": "readWriteAnyDatabase", "databaseName": "admin"}]}),
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    let changed = (
        vec![(
            "CN=alice,O=Acme".to_owned(),
            "readWriteAnyDatabase".to_owned(),
        )],
        json!(1),
    );
    assert_eq!(listed(&get(&a, on_a(&users_path)).await), changed);
    assert_eq!(listed(&get(&a, on_b(&users_path)).await), changed);

    assert_eq!(
        get(&a, on_b(&events_path)).await["results"][0]["eventTypeName"],
        "MONGODB_USER_UPDATED"
    );
    let deleted = a
        .client
        .delete(alice_url(&on_a))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(listed(&get(&a, on_b(&users_path)).await), none);
    assert_eq!(listed(&get(&a, on_a(&users_path)).await), none);
    assert_eq!(
        get(&a, on_b(&events_path)).await["results"][0]["eventTypeName"],
        "MONGODB_USER_DELETED"
    );
    assert_eq!(
        get(&a, on_a(&events_path)).await["results"][0]["eventTypeName"],
        "MONGODB_USER_DELETED"
    );

    // gzip: the same page, compressed, to a client that asks for it.
    let plain = a
        .client
        .get(on_a(&events_path))
        .send()
        .await
        .expect("request");
    assert_eq!(plain.headers().get(CONTENT_ENCODING), None);
    let plain: Value = plain.json().await.expect("JSON");
    for _ in 0..2 {
        let gzipped = a
            .client
            .get(on_a(&events_path))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(
            gzipped
                .headers()
                .get(CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok()),
            Some("gzip")
        );
        let bytes = gzipped.bytes().await.expect("body");
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_ref())
            .read_to_string(&mut text)
            .expect("gzip");
        assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), plain);
    }
    b.shutdown().await;
    a.stop().await;
}

#[tokio::test]
async fn a_temporary_user_leaves_the_page_when_it_expires() {
    let t = TestServer::start().await;
    x509_on(&t).await;
    let users = t.url(&format!("/groups/{}/databaseUsers", t.group_id));
    let mut temporary = user("CN=temp,O=Acme", "readAnyDatabase");
    let at = now() + 3;
    temporary["deleteAfterDate"] = json!(access_core::time::format_rfc3339(at));
    let (status, body) = t.send(t.client.post(&users).json(&temporary)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = t
        .send(
            t.client
                .post(&users)
                .json(&user("CN=kept,O=Acme", "readAnyDatabase")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, page) = t.send(t.client.get(&users)).await;
    assert_eq!(listed(&page).1, json!(2), "{page}");
    while now() <= at {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let (_, page) = t.send(t.client.get(&users)).await;
    assert_eq!(
        listed(&page),
        (
            vec![("CN=kept,O=Acme".to_owned(), "readAnyDatabase".to_owned())],
            json!(1)
        ),
        "{page}"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_read_only_caller_never_gets_an_owners_page() {
    let t = TestServer::start().await;
    common::add_webhook_alert_config(&t, "http://example.com/hook/s3cret-path").await;
    let events = t.url(&format!("/groups/{}/events", t.group_id));
    let (status, owners) = t.send(t.client.get(&events)).await;
    assert_eq!(status, 200);
    assert!(owners.to_string().contains("s3cret-path"), "{owners}");
    let reader = common::read_only_client(&t).await;
    let (status, read_only) = t.send(reader.get(&events)).await;
    assert_eq!(status, 200);
    assert!(
        !read_only.to_string().contains("s3cret-path"),
        "{read_only}"
    );
    assert!(read_only.to_string().contains("example.com"), "{read_only}");
    t.stop().await;
}

/// PostgreSQL: connections the database closed (a restart, an administrator) are replaced: a pooled
/// connection idle for more than a second is pinged before use (not every one, on every acquire).
#[tokio::test]
async fn closed_postgres_connections_are_replaced() {
    if common::test_backend() != common::TestBackend::Postgres {
        return; // SQLite has no server to close connections
    }
    let t = TestServer::start().await;
    let users = t.url(&format!("/groups/{}/databaseUsers", t.group_id));
    // Several connections in the pool, all used.
    let reads = (0..8).map(|_| get(&t, users.clone()));
    futures_util::future::join_all(reads).await;
    let admin = common::open_database(&t.database_url).await;
    let (closed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(&admin)
    .await
    .expect("terminate the server's connections");
    assert!(closed >= 1, "the server had connections open");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    for _ in 0..20 {
        let page = get(&t, users.clone()).await;
        assert_eq!(page["totalCount"], 0, "{page}");
    }
    t.stop().await;
}
