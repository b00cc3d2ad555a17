//! Issue 14, item 6: answers carrying a secret (a session token, a CSRF token, an API key's private key)
//! or the setup state are never cached, and links are built from the server's configured address, never
//! from the request's `Host` header.

mod common;

use common::{TestServer, OWNER};
use serde_json::{json, Value};

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn answers_with_secrets_or_setup_state_are_not_stored() {
    let t = TestServer::start().await;
    let plain = reqwest::Client::new();
    let status = plain
        .get(format!("{}/api/console/status", t.base))
        .send()
        .await
        .expect("status");
    assert_eq!(cache_control(&status), "no-store", "setup state");
    assert!(
        !status.headers().contains_key("strict-transport-security"),
        "no HSTS over plain HTTP (tls.rs checks it under TLS)"
    );
    let sign_in = plain
        .post(format!("{}/api/console/signIn", t.base))
        .json(&json!({"username": OWNER.0, "password": OWNER.1, "session": "bearer"}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(sign_in.status().as_u16(), 200);
    assert_eq!(cache_control(&sign_in), "no-store", "a token");
    let session = t
        .client
        .get(format!("{}/api/console/session", t.base))
        .send()
        .await
        .expect("session");
    assert_eq!(session.status().as_u16(), 200);
    assert_eq!(cache_control(&session), "no-store", "a CSRF token");
    let key = t
        .client
        .post(t.url(&format!("/groups/{}/apiKeys", t.group_id)))
        .json(&json!({"desc": "deploys", "roles": ["GROUP_READ_ONLY"]}))
        .send()
        .await
        .expect("create a key");
    assert_eq!(key.status().as_u16(), 201);
    assert_eq!(cache_control(&key), "no-store", "a private key");
    let body: Value = key.json().await.expect("JSON");
    assert!(body["privateKey"].is_string(), "{body}");
    t.stop().await;
}

/// The links of a list and of an API key, asked with a forged `Host`.
async fn links_with_forged_host(
    base: &str,
    client: &reqwest::Client,
    group_id: &str,
) -> Vec<String> {
    let mut links = Vec::new();
    let list: Value = client
        .get(format!(
            "{base}/api/atlas/v2/groups/{group_id}/databaseUsers?itemsPerPage=1"
        ))
        .header("host", "evil.example")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    for link in list["links"].as_array().expect("links") {
        links.push(link["href"].as_str().expect("href").to_owned());
    }
    let key: Value = client
        .post(format!("{base}/api/atlas/v2/groups/{group_id}/apiKeys"))
        .header("host", "evil.example")
        .json(&json!({"desc": "links", "roles": ["GROUP_READ_ONLY"]}))
        .send()
        .await
        .expect("create a key")
        .json()
        .await
        .expect("JSON");
    for link in key["links"].as_array().expect("links") {
        links.push(link["href"].as_str().expect("href").to_owned());
    }
    assert!(!links.is_empty());
    links
}

#[tokio::test]
async fn links_come_from_the_configured_address_not_the_host_header() {
    // Without --public-url: the listen address.
    let t = TestServer::start().await;
    for link in links_with_forged_host(&t.base, &t.client, &t.group_id).await {
        assert!(
            link.starts_with(&format!("{}/api/atlas/v2/", t.base)),
            "{link}"
        );
    }
    t.stop().await;

    // With --public-url.
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = access_console::spawn(access_console::ServeOptions {
        public_url: Some("https://console.example.com/".to_owned()),
        ..access_console::ServeOptions::local(common::new_database_url(dir.path()).await)
    })
    .await
    .expect("server starts");
    let client = common::client_with_token(&common::owner_token(server.pool()).await);
    let base = format!("http://{}", server.addr);
    let groups: Value = client
        .get(format!("{base}/api/atlas/v2/groups"))
        .send()
        .await
        .expect("groups")
        .json()
        .await
        .expect("JSON");
    let group_id = groups["results"][0]["id"].as_str().expect("a project");
    for link in links_with_forged_host(&base, &client, group_id).await {
        assert!(
            link.starts_with("https://console.example.com/api/atlas/v2/"),
            "{link}"
        );
    }
    server.shutdown().await;

    // A --public-url that is not an http(s) URL stops the server at start.
    let error = access_console::spawn(access_console::ServeOptions {
        public_url: Some("javascript:alert(1)".to_owned()),
        ..access_console::ServeOptions::local("sqlite::memory:".to_owned())
    })
    .await
    .expect_err("refused");
    assert!(error.to_string().contains("--public-url"), "{error}");
}
