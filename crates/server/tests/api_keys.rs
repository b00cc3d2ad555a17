//! Programmatic API keys against the real server and database: the Atlas-shaped endpoints, their
//! refusals, the access list, the events, and the `api-keys` CLI on the same database.

mod common;

use std::process::Command;

use common::{assert_error, retry_after, DigestClient, TestServer};
use serde_json::{json, Value};

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

/// The one detail of every refused Digest answer (unknown key, wrong response, replay, stale nonce).
const DIGEST_REFUSED: &str = "The API key's credentials were refused. Send the public key and private key of an API key with HTTP Digest authentication.";

fn keys_url(t: &TestServer) -> String {
    t.url(&format!("/groups/{}/apiKeys", t.group_id))
}

async fn create(t: &TestServer, body: Value) -> (u16, Value) {
    t.send(t.client.post(keys_url(t)).json(&body)).await
}

/// The API key events, oldest first.
async fn event_types(t: &TestServer) -> Vec<(String, String)> {
    let (status, body) = t
        .send(
            t.client
                .get(t.url(&format!("/groups/{}/events", t.group_id))),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"]
        .as_array()
        .expect("results")
        .iter()
        .rev()
        .filter(|e| {
            e["eventTypeName"]
                .as_str()
                .is_some_and(|t| t.starts_with("API_KEY_"))
        })
        .map(|e| {
            (
                e["eventTypeName"].as_str().unwrap_or_default().to_owned(),
                e["target"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_key_is_created_read_changed_and_deleted_as_in_atlas() {
    let t = TestServer::start().await;
    let (status, created) = create(
        &t,
        json!({"desc": "  CI reader ", "roles": ["GROUP_READ_ONLY"]}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let public_key = created["publicKey"].as_str().expect("publicKey").to_owned();
    assert!(
        public_key.len() == 8 && public_key.bytes().all(|b| b.is_ascii_lowercase()),
        "{public_key}"
    );
    let private_key = created["privateKey"]
        .as_str()
        .expect("privateKey")
        .to_owned();
    assert_eq!(
        private_key.split('-').map(str::len).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{private_key}"
    );
    assert_eq!(created["desc"], "CI reader");
    assert_eq!(
        created["roles"],
        json!([{"groupId": t.group_id, "roleName": "GROUP_READ_ONLY"}])
    );
    let id = created["id"].as_str().expect("id").to_owned();
    let self_href = format!("{}/apiKeys/{id}", t.url(&format!("/groups/{}", t.group_id)));
    assert_eq!(
        created["links"],
        json!([{"rel": "self", "href": self_href}])
    );

    // Afterwards the private key is masked: its last 12 characters only.
    let masked = format!(
        "********-****-****-{}",
        private_key.get(24..).expect("tail")
    );
    let (status, got) = t.send(t.client.get(&self_href)).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["privateKey"], masked.as_str());
    assert_eq!(got["publicKey"], public_key.as_str());
    let (status, list) = t.send(t.client.get(keys_url(&t))).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["results"][0]["privateKey"], masked.as_str());
    assert!(!list.to_string().contains(&private_key));

    // PATCH: roles (as names or as answered) and description; nothing changed, no event.
    let (status, patched) = t
        .send(t.client.patch(&self_href).json(&json!({
            "roles": [{"groupId": t.group_id, "roleName": "GROUP_DATABASE_ACCESS_ADMIN"}, "GROUP_READ_ONLY"]
        })))
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        patched["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .map(|r| r["roleName"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["GROUP_DATABASE_ACCESS_ADMIN", "GROUP_READ_ONLY"]
    );
    let (status, patched) = t
        .send(
            t.client
                .patch(&self_href)
                .json(&json!({"desc": "CI writer"})),
        )
        .await;
    assert_eq!((status, patched["desc"].as_str()), (200, Some("CI writer")));
    let (status, _) = t
        .send(
            t.client
                .patch(&self_href)
                .json(&got_without_private(&patched)),
        )
        .await;
    assert_eq!(status, 200, "a GET body sent back changes nothing");

    let response = t.client.delete(&self_href).send().await.expect("DELETE");
    assert_eq!(response.status().as_u16(), 204);
    let (status, body) = t.send(t.client.get(&self_href)).await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "API_KEY_NOT_FOUND");

    assert_eq!(
        event_types(&t).await,
        [
            ("API_KEY_ADDED_TO_GROUP".to_owned(), public_key.clone()),
            ("API_KEY_ROLES_CHANGED".to_owned(), public_key.clone()),
            ("API_KEY_DESCRIPTION_CHANGED".to_owned(), public_key.clone()),
            ("API_KEY_REMOVED_FROM_GROUP".to_owned(), public_key.clone()),
        ]
    );
    // No event holds the private key, nor any HA1.
    let (_, events) = t
        .send(
            t.client
                .get(t.url(&format!("/groups/{}/events", t.group_id))),
        )
        .await;
    assert!(!events.to_string().contains(&private_key));
    t.stop().await;
}

fn got_without_private(key: &Value) -> Value {
    let mut key = key.clone();
    if let Some(object) = key.as_object_mut() {
        object.remove("accessList");
    }
    key
}

#[tokio::test]
async fn refusals_name_the_field_and_change_nothing() {
    let t = TestServer::start().await;
    let (status, body) = create(&t, json!({"roles": ["GROUP_OWNER"]})).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "MISSING_ATTRIBUTE");
    let (_, body) = create(&t, json!({"desc": "x"})).await;
    assert_error(&body, 400, "MISSING_ATTRIBUTE");
    let (_, body) = create(&t, json!({"desc": "x", "roles": []})).await;
    assert_error(&body, 400, "API_KEY_ROLES_REQUIRED");
    let (_, body) = create(
        &t,
        json!({"desc": "x", "roles": ["ORG_OWNER", "GROUP_OWNER"]}),
    )
    .await;
    let detail = assert_error(&body, 400, "INVALID_ROLE_FOR_API_KEY");
    assert!(detail.contains("ORG_OWNER"), "{detail}");
    assert_eq!(body["errors"][0]["field"], "roles[0]");
    let (_, body) = create(&t, json!({"desc": " ", "roles": ["GROUP_OWNER"]})).await;
    assert_error(&body, 400, "INVALID_API_KEY_DESCRIPTION");
    let long = "d".repeat(251);
    let (_, body) = create(&t, json!({"desc": long, "roles": ["GROUP_OWNER"]})).await;
    assert_error(&body, 400, "INVALID_API_KEY_DESCRIPTION");
    let (_, body) = create(
        &t,
        json!({"desc": "x", "roles": ["GROUP_OWNER"], "accessList": [{"cidrBlock": "10.1.0.0/8"}, {"ipAddress": "10.0.0.0/8"}]}),
    )
    .await;
    assert_error(&body, 400, "CIDR_HOST_BITS_SET");
    assert_eq!(body["errors"][0]["field"], "accessList[0].cidrBlock");
    assert_eq!(body["errors"][1]["field"], "accessList[1].ipAddress");
    let (_, body) = create(
        &t,
        json!({"desc": "x", "roles": ["GROUP_OWNER"], "secret": 1}),
    )
    .await;
    assert_error(&body, 400, "INVALID_ATTRIBUTE");
    let (status, list) = t.send(t.client.get(keys_url(&t))).await;
    assert_eq!((status, &list["totalCount"]), (200, &json!(0)));
    assert_eq!(event_types(&t).await, Vec::<(String, String)>::new());

    // Unknown and malformed ids.
    for id in ["0123456789abcdef01234567", "nope"] {
        let (status, body) = t.send(t.client.get(format!("{}/{id}", keys_url(&t)))).await;
        assert_eq!(status, 404, "{body}");
        assert_error(&body, 404, "API_KEY_NOT_FOUND");
    }
    let response = t.client.put(keys_url(&t)).send().await.expect("PUT");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response.headers()["allow"].to_str().ok(),
        Some("GET, HEAD, POST")
    );
    t.stop().await;
}

#[tokio::test]
async fn the_access_list_takes_addresses_and_blocks_of_both_families() {
    let t = TestServer::start().await;
    let (status, created) = create(
        &t,
        json!({"desc": "deploy", "roles": ["GROUP_OWNER"], "accessList": [{"ipAddress": "192.0.2.7"}]}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let public_key = created["publicKey"].as_str().expect("publicKey").to_owned();
    let id = created["id"].as_str().expect("id").to_owned();
    let list_url = format!("{}/{id}/accessList", keys_url(&t));
    let (status, body) = t
        .send(t.client.post(&list_url).json(&json!([
            {"cidrBlock": "10.0.0.0/8"},
            {"cidrBlock": "2001:db8::/32"},
            {"ipAddress": "192.0.2.7"}
        ])))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["totalCount"], 3,
        "an entry already there is not added twice"
    );
    let mut blocks: Vec<(&str, Option<&str>)> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|e| {
            (
                e["cidrBlock"].as_str().unwrap_or_default(),
                e["ipAddress"].as_str(),
            )
        })
        .collect();
    // Listed by creation time, then block: the entry made with the key comes first when the key was
    // made in an earlier second than the other entries (the test failed when the two straddled a
    // second), so compare the entries, not that order.
    blocks.sort_unstable();
    assert_eq!(
        blocks,
        [
            ("10.0.0.0/8", None),
            ("192.0.2.7/32", Some("192.0.2.7")),
            ("2001:db8::/32", None)
        ]
    );
    let (status, body) = t
        .send(
            t.client
                .post(&list_url)
                .json(&json!([{"cidrBlock": "10.0.0.0/33"}])),
        )
        .await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "INVALID_CIDR_PREFIX");

    let response = t
        .client
        .delete(format!("{list_url}/10.0.0.0%2F8"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(response.status().as_u16(), 204);
    let response = t
        .client
        .delete(format!("{list_url}/192.0.2.7"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(response.status().as_u16(), 204);
    let (status, body) = t
        .send(t.client.delete(format!("{list_url}/192.0.2.7")))
        .await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "ACCESS_LIST_ENTRY_NOT_FOUND");
    let (status, body) = t.send(t.client.get(&list_url)).await;
    assert_eq!(status, 200);
    assert_eq!(body["results"][0]["cidrBlock"], "2001:db8::/32");
    assert_eq!(body["totalCount"], 1);

    let events = event_types(&t).await;
    assert_eq!(
        events
            .iter()
            .map(|(e, t)| format!("{e} {t}"))
            .collect::<Vec<_>>(),
        [
            format!("API_KEY_ADDED_TO_GROUP {public_key}"),
            format!("API_KEY_ACCESS_LIST_ENTRY_ADDED {public_key} 10.0.0.0/8"),
            format!("API_KEY_ACCESS_LIST_ENTRY_ADDED {public_key} 2001:db8::/32"),
            format!("API_KEY_ACCESS_LIST_ENTRY_DELETED {public_key} 10.0.0.0/8"),
            format!("API_KEY_ACCESS_LIST_ENTRY_DELETED {public_key} 192.0.2.7"),
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn the_cli_creates_lists_and_deletes_keys_on_the_server_s_database() {
    let t = TestServer::start().await;
    let output = Command::new(BINARY)
        .args([
            "api-keys",
            "create",
            "--role",
            "GROUP_READ_ONLY",
            "--description",
            "from the CLI",
            "--access-list",
            "10.0.0.0/8",
            "--json",
            "--database-url",
            &t.database_url,
        ])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let public_key = created["publicKey"].as_str().expect("publicKey").to_owned();
    assert_eq!(created["privateKey"].as_str().map(str::len), Some(36));
    assert_eq!(created["createdBy"], "cli");

    let (status, list) = t.send(t.client.get(keys_url(&t))).await;
    assert_eq!(status, 200);
    assert_eq!(list["results"][0]["publicKey"], public_key.as_str());
    assert_eq!(
        list["results"][0]["accessList"][0]["cidrBlock"],
        "10.0.0.0/8"
    );

    let output = Command::new(BINARY)
        .args(["api-keys", "list", "--database-url", &t.database_url])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(&public_key)
            && text.contains("GROUP_READ_ONLY")
            && text.contains("10.0.0.0/8"),
        "{text}"
    );
    assert!(!text.contains(created["privateKey"].as_str().unwrap_or("-")));

    let refused = Command::new(BINARY)
        .args([
            "api-keys",
            "create",
            "--role",
            "GROUP_ADMIN",
            "--description",
            "x",
            "--database-url",
            &t.database_url,
        ])
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("\"GROUP_ADMIN\" is not a project role")
    );

    let output = Command::new(BINARY)
        .args([
            "api-keys",
            "delete",
            &public_key,
            "--database-url",
            &t.database_url,
        ])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (_, list) = t.send(t.client.get(keys_url(&t))).await;
    assert_eq!(list["totalCount"], 0);
    let output = Command::new(BINARY)
        .args([
            "api-keys",
            "delete",
            &public_key,
            "--database-url",
            &t.database_url,
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let events = event_types(&t).await;
    assert_eq!(
        events,
        [
            ("API_KEY_ADDED_TO_GROUP".to_owned(), public_key.clone()),
            ("API_KEY_REMOVED_FROM_GROUP".to_owned(), public_key.clone()),
        ]
    );
    t.stop().await;
}

async fn digest_get(
    t: &TestServer,
    client: &mut DigestClient,
    path_and_query: &str,
) -> reqwest::Response {
    let authorization = client.authorization("GET", path_and_query);
    t.client
        .get(format!("{}{path_and_query}", t.base))
        .header("authorization", authorization)
        .send()
        .await
        .expect("GET")
}

#[tokio::test]
async fn digest_credentials_are_verified_with_their_access_list() {
    let t = TestServer::start().await;
    let (_, created) = create(&t, json!({"desc": "digest", "roles": ["GROUP_READ_ONLY"]})).await;
    let mut client = DigestClient::new(&created);
    let path = format!(
        "/api/atlas/v2/groups/{}/databaseUsers?itemsPerPage=5",
        t.group_id
    );

    // Without a nonce yet: 401 with Atlas's challenge.
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 401);
    let challenge = client.read_challenge(&response);
    assert!(
        challenge.starts_with("Digest realm=\"MMS Public API\", domain=\"\", nonce=\"")
            && challenge.ends_with("\", algorithm=MD5, qop=\"auth\", stale=false"),
        "{challenge}"
    );
    let body: Value = response.json().await.expect("JSON");
    let detail = assert_error(&body, 401, "API_KEY_UNAUTHORIZED");
    // Issue 14, item 6: every refusal says the same; the reason is in the server's log only.
    assert_eq!(detail, DIGEST_REFUSED);

    // Answered: 200, and the next nonce count of the same nonce too.
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 200);
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 200);

    // The same header again (a replay): refused.
    let replay = client.authorization("GET", &path);
    for expected in [200, 401] {
        let response = t
            .client
            .get(format!("{}{path}", t.base))
            .header("authorization", &replay)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status().as_u16(), expected);
        if expected == 401 {
            let body: Value = response.json().await.expect("JSON");
            let detail = assert_error(&body, 401, "API_KEY_UNAUTHORIZED");
            assert_eq!(detail, DIGEST_REFUSED, "a replay");
        }
    }

    // Signed for another path, or with a wrong private key: refused.
    let other = client.authorization("GET", "/api/atlas/v2/groups");
    let response = t
        .client
        .get(format!("{}{path}", t.base))
        .header("authorization", other)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 401);
    let mut wrong =
        DigestClient::new(&json!({"publicKey": client.public_key, "privateKey": "guess"}));
    wrong.nonce = client.nonce.clone();
    let response = digest_get(&t, &mut wrong, &path).await;
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        assert_error(&body, 401, "API_KEY_UNAUTHORIZED"),
        DIGEST_REFUSED,
        "a wrong private key"
    );
    // A public key that does not exist gets the very same answer.
    let mut stranger = DigestClient::new(&json!({"publicKey": "nosuchkey", "privateKey": "guess"}));
    stranger.nonce = client.nonce.clone();
    let response = digest_get(&t, &mut stranger, &path).await;
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        assert_error(&body, 401, "API_KEY_UNAUTHORIZED"),
        DIGEST_REFUSED,
        "an unknown public key"
    );

    // Used from 127.0.0.1 with an access list that does not hold it: 403, naming the address.
    let key_url = format!("{}/{}", keys_url(&t), created["id"].as_str().expect("id"));
    let (status, _) = t
        .send(
            t.client
                .post(format!("{key_url}/accessList"))
                .json(&json!([{"cidrBlock": "10.0.0.0/8"}])),
        )
        .await;
    assert_eq!(status, 201);
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 403);
    let body: Value = response.json().await.expect("JSON");
    let detail = assert_error(&body, 403, "IP_ADDRESS_NOT_ON_ACCESS_LIST");
    assert!(
        detail.contains("127.0.0.1") && detail.contains(&client.public_key),
        "{detail}"
    );
    let (status, _) = t
        .send(
            t.client
                .post(format!("{key_url}/accessList"))
                .json(&json!([{"cidrBlock": "127.0.0.0/8"}])),
        )
        .await;
    assert_eq!(status, 201);
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 200);

    // Taken out of its project, the key reaches it no more; deleted (in its organization), it is
    // unknown at once.
    let response = t.client.delete(&key_url).send().await.expect("DELETE");
    assert_eq!(response.status().as_u16(), 204);
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 404);
    let org_key_url = format!(
        "{}/api/atlas/v2/orgs/{}/apiKeys/{}",
        t.base,
        t.org_id,
        created["id"].as_str().expect("id")
    );
    let response = t.client.delete(&org_key_url).send().await.expect("DELETE");
    assert_eq!(response.status().as_u16(), 204);
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 401);
    t.stop().await;
}

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = access_console::spawn(access_console::ServeOptions {
        api_key_rate_limit: 3,
        ..access_console::ServeOptions::local(common::new_database_url(dir.path()).await)
    })
    .await
    .expect("server starts");
    let base = format!("http://{}", server.addr);
    let http = common::client_with_token(&common::owner_token(server.pool()).await);
    let groups: Value = http
        .get(format!("{base}/api/atlas/v2/groups"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let group_id = groups["results"][0]["id"]
        .as_str()
        .expect("group")
        .to_owned();
    let keys = format!("{base}/api/atlas/v2/groups/{group_id}/apiKeys");
    let mut clients = Vec::new();
    for desc in ["first", "second"] {
        let created: Value = http
            .post(&keys)
            .json(&json!({"desc": desc, "roles": ["GROUP_READ_ONLY"]}))
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("JSON");
        clients.push(DigestClient::new(&created));
    }
    let path = format!("/api/atlas/v2/groups/{group_id}");
    let send = |client: &mut DigestClient| {
        let authorization = client.authorization("GET", &path);
        http.get(format!("{base}{path}"))
            .header("authorization", authorization)
            .send()
    };
    let [first, second] = clients.as_mut_slice() else {
        panic!("two keys")
    };
    let response = send(first).await.expect("GET");
    first.read_challenge(&response);
    // 3 requests a minute: the 4th within the minute is refused, with the wait in whole seconds.
    for _ in 0..3 {
        assert_eq!(send(first).await.expect("GET").status().as_u16(), 200);
    }
    let response = send(first).await.expect("GET");
    assert_eq!(response.status().as_u16(), 429);
    let retry_after = retry_after(&response);
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], 429);
    assert_eq!(body["errorCode"], "RATE_LIMITED");
    assert_eq!(body["parameters"], json!([3]));
    // Another key has its own allowance.
    let response = send(second).await.expect("GET");
    second.read_challenge(&response);
    assert_eq!(send(second).await.expect("GET").status().as_u16(), 200);
    server.shutdown().await;
}

/// Sends `method path` with `body` as the key, answering the challenge first when it has no nonce yet.
async fn as_key(
    t: &TestServer,
    client: &mut DigestClient,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    for _ in 0..2 {
        let mut request = http
            .request(method.clone(), format!("{}{path}", t.base))
            .header("authorization", client.authorization(method.as_str(), path));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        if response.status().as_u16() == 401 && client.nonce.is_none() {
            client.read_challenge(&response);
            continue;
        }
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        return (status, serde_json::from_str(&text).unwrap_or(Value::Null));
    }
    panic!("no answer to the challenge")
}

#[tokio::test]
async fn an_api_key_acts_with_its_project_role_and_is_named_in_events() {
    let t = TestServer::start().await;
    // Without credentials: 401 with the Digest challenge first, then the console's Bearer one.
    let response = reqwest::Client::new()
        .get(t.url(&format!("/groups/{}/databaseUsers", t.group_id)))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 401);
    let challenges: Vec<String> = response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(
        challenges[0].starts_with("Digest realm=\"MMS Public API\""),
        "{challenges:?}"
    );
    assert!(challenges[1].starts_with("Bearer "), "{challenges:?}");

    // A page's own fetch (the console) gets no Digest challenge: the browser would open a password dialog.
    let response = reqwest::Client::new()
        .get(t.url(&format!("/groups/{}/databaseUsers", t.group_id)))
        .header("sec-fetch-mode", "cors")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 401);
    let challenges: Vec<&str> = response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        challenges.len() == 1 && challenges[0].starts_with("Bearer "),
        "{challenges:?}"
    );

    let (_, reader) = create(&t, json!({"desc": "reader", "roles": ["GROUP_READ_ONLY"]})).await;
    let (_, admin) = create(
        &t,
        json!({"desc": "db admin", "roles": ["GROUP_READ_ONLY", "GROUP_DATABASE_ACCESS_ADMIN"]}),
    )
    .await;
    let roles_path = format!("/api/atlas/v2/groups/{}/customDBRoles/roles", t.group_id);
    let role = json!({"roleName": "keyMade", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]});

    let mut reader = DigestClient::new(&reader);
    let (status, body) = as_key(&t, &mut reader, reqwest::Method::GET, &roles_path, None).await;
    assert_eq!((status, body), (200, json!([])));
    let (status, body) = as_key(
        &t,
        &mut reader,
        reqwest::Method::POST,
        &roles_path,
        Some(role.clone()),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");

    // Several roles in a project: the most powerful counts.
    let mut admin = DigestClient::new(&admin);
    let (status, body) = as_key(
        &t,
        &mut admin,
        reqwest::Method::POST,
        &roles_path,
        Some(role),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // ... but API keys are the owner's to manage.
    let keys_path = format!("/api/atlas/v2/groups/{}/apiKeys", t.group_id);
    let (status, body) = as_key(
        &t,
        &mut admin,
        reqwest::Method::POST,
        &keys_path,
        Some(json!({"desc": "x", "roles": ["GROUP_OWNER"]})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    // The session endpoints are a console session's.
    let (status, body) = as_key(
        &t,
        &mut admin,
        reqwest::Method::GET,
        "/api/console/session",
        None,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "CONSOLE_SESSION_REQUIRED");

    // The activity feed names the key by its public key.
    let (status, events) = t
        .send(t.client.get(t.url(&format!(
            "/groups/{}/events?eventType=MONGODB_ROLE_ADDED",
            t.group_id
        ))))
        .await;
    assert_eq!(status, 200);
    assert_eq!(events["results"][0]["target"], "keyMade");
    assert_eq!(
        events["results"][0]["username"],
        admin.public_key.as_str(),
        "{events}"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_second_server_on_the_same_database_accepts_the_first_one_s_nonces() {
    let t = TestServer::start().await;
    let (_, created) = create(
        &t,
        json!({"desc": "two servers", "roles": ["GROUP_READ_ONLY"]}),
    )
    .await;
    let other = access_console::spawn(access_console::ServeOptions::local(t.database_url.clone()))
        .await
        .expect("second server starts");
    let mut client = DigestClient::new(&created);
    let path = format!("/api/atlas/v2/groups/{}", t.group_id);
    // The challenge comes from the first server, the answer goes to the second.
    let response = digest_get(&t, &mut client, &path).await;
    assert_eq!(response.status().as_u16(), 401);
    client.read_challenge(&response);
    let response = reqwest::Client::new()
        .get(format!("http://{}{path}", other.addr))
        .header("authorization", client.authorization("GET", &path))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    other.shutdown().await;
    t.stop().await;
}
