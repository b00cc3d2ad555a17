//! Organizations and projects (issue 15) against the real server and database: projects created,
//! renamed and deleted; two projects kept apart (every route of the route table answers 404 for a
//! project the caller has no role in, and nothing changes there); organization roles; the upgrade of a
//! database made by the release before organizations.

mod common;

use access_core::project_role::ProjectRole;
use common::{account_token, assert_error, client_with_token, DigestClient, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// Creates the project `name` in the test server's organization as the owner: its id.
async fn create_project(t: &TestServer, name: &str) -> String {
    let (status, body) = t
        .send(
            t.client
                .post(t.url("/groups"))
                .json(&json!({"name": name, "orgId": t.org_id})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["name"], name);
    assert_eq!(body["orgId"], t.org_id.as_str());
    body["id"].as_str().expect("id").to_owned()
}

/// A session of a new account that has `role` in `group_id` only (an Organization Member).
async fn member_of(t: &TestServer, group_id: &str, username: &str, role: &str) -> reqwest::Client {
    let (status, body) = t
        .send(
            t.client
                .post(format!("{}/api/console/groups/{group_id}/accounts", t.base))
                .json(&json!({"username": username, "password": "a long password here", "roleName": role})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let mut conn = t.server.pool().acquire().await.expect("connection");
    let account = access_console::storage::accounts::find(&mut conn, username)
        .await
        .expect("find")
        .expect("the account exists");
    let token =
        access_console::storage::accounts::open_bearer_session(t.server.pool(), &account.id)
            .await
            .expect("session");
    client_with_token(&token)
}

async fn names(t: &TestServer, client: &reqwest::Client, path: &str) -> Vec<String> {
    let (status, body) = t.send(client.get(t.url(path))).await;
    assert_eq!(status, 200, "{path}: {body}");
    let mut names: Vec<String> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|g| g["name"].as_str().expect("name").to_owned())
        .collect();
    // Oldest first; projects made in the same second are in id order.
    names.sort();
    names
}

#[tokio::test]
async fn projects_are_created_renamed_and_deleted_with_their_organization_events() {
    let t = TestServer::start().await;
    let staging = create_project(&t, "staging-eu").await;
    assert_eq!(
        names(&t, &t.client, "/groups").await,
        ["Project 0", "staging-eu"]
    );
    assert_eq!(
        names(&t, &t.client, &format!("/orgs/{}/groups", t.org_id)).await,
        ["Project 0", "staging-eu"]
    );
    // The creator is its Project Owner.
    let (_, accounts) = t
        .send(
            t.client
                .get(format!("{}/api/console/groups/{staging}/accounts", t.base)),
        )
        .await;
    assert_eq!(
        accounts["results"][0]["roles"],
        json!([{"groupId": staging, "roleName": "GROUP_OWNER"}])
    );

    // Names: unique in the organization, Atlas's characters, the character named.
    let (status, body) = t
        .send(
            t.client
                .post(t.url("/groups"))
                .json(&json!({"name": "staging-eu", "orgId": t.org_id})),
        )
        .await;
    assert_eq!(status, 409);
    assert_error(&body, 409, "GROUP_ALREADY_EXISTS");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");
    let (status, body) = t
        .send(
            t.client
                .post(t.url("/groups"))
                .json(&json!({"name": "prod/eu", "orgId": t.org_id})),
        )
        .await;
    let detail = assert_error(&body, 400, "INVALID_GROUP_NAME");
    assert_eq!(status, 400);
    assert!(detail.contains("'/' (character 5)"), "{detail}");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");
    // Without orgId: the caller's one organization.
    let (status, body) = t
        .send(
            t.client
                .post(t.url("/groups"))
                .json(&json!({"name": "no org given"})),
        )
        .await;
    assert_eq!(
        (status, body["orgId"].as_str()),
        (201, Some(t.org_id.as_str())),
        "{body}"
    );
    let (status, body) = t
        .send(
            t.client
                .post(t.url("/groups"))
                .json(&json!({"name": "x", "orgId": "fedcba9876543210fedcba98"})),
        )
        .await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "ORG_NOT_FOUND");

    // Rename; byName follows.
    let (status, body) = t
        .send(
            t.client
                .patch(t.url(&format!("/groups/{staging}")))
                .json(&json!({"name": "Project 0"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = t
        .send(
            t.client
                .patch(t.url(&format!("/groups/{staging}")))
                .json(&json!({"name": "production eu"})),
        )
        .await;
    assert_eq!(
        (status, body["name"].as_str()),
        (200, Some("production eu")),
        "{body}"
    );
    let (status, body) = t
        .send(t.client.get(t.url("/groups/byName/production%20eu")))
        .await;
    assert_eq!(
        (status, body["id"].as_str()),
        (200, Some(staging.as_str())),
        "{body}"
    );
    // Every event names the project and its organization.
    let (_, events) = t
        .send(t.client.get(t.url(&format!("/groups/{staging}/events"))))
        .await;
    assert_eq!(events["results"][0]["orgId"], t.org_id.as_str(), "{events}");
    let (status, body) = t
        .send(t.client.get(t.url("/groups/byName/staging-eu")))
        .await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "GROUP_NAME_NOT_FOUND");

    // Delete: refused with a cluster (as Atlas), complete without, everything in it gone.
    let ca = common::Pki::new()
        .dated(
            "/CN=Staging CA",
            common::now() - common::DAY,
            common::now() + 400 * common::DAY,
        )
        .pem;
    let (status, _) = t
        .patch_on(
            &format!("/groups/{staging}/userSecurity"),
            json!({"customerX509": {"cas": ca}}),
        )
        .await;
    assert_eq!(status, 200);
    for (path, body) in [
        (
            "clusters",
            json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0"}),
        ),
        (
            "databaseUsers",
            json!({"databaseName": "$external", "username": "CN=app,O=Acme", "x509Type": "CUSTOMER",
                                  "roles": [{"roleName": "read", "databaseName": "sales"}]}),
        ),
    ] {
        let (status, body) = t
            .send(
                t.client
                    .post(t.url(&format!("/groups/{staging}/{path}")))
                    .json(&body),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // A key made in the project (and in no other) goes with it.
    let (status, key) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{staging}/apiKeys")))
                .json(&json!({"desc": "staging deploys", "roles": ["GROUP_READ_ONLY"]})),
        )
        .await;
    assert_eq!(status, 201, "{key}");
    let (status, body) = t
        .send(t.client.delete(t.url(&format!("/groups/{staging}"))))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, 409, "CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS");
    let status_of = |request: reqwest::RequestBuilder| async move {
        request.send().await.expect("request").status().as_u16()
    };
    let status = status_of(
        t.client
            .delete(t.url(&format!("/groups/{staging}/clusters/Cluster0"))),
    )
    .await;
    assert!(status == 202 || status == 204, "{status}");
    let status = status_of(t.client.delete(t.url(&format!("/groups/{staging}")))).await;
    assert_eq!(status, 204);
    let (status, _) = t
        .send(t.client.get(t.url(&format!("/groups/{staging}"))))
        .await;
    assert_eq!(status, 404);
    let (_, org_keys) = t
        .send(t.client.get(t.url(&format!("/orgs/{}/apiKeys", t.org_id))))
        .await;
    assert_eq!(org_keys["totalCount"], 0, "{org_keys}");
    let pool = t.server.pool();
    for table in [
        "database_users",
        "project_x509_settings",
        "events",
        "account_project_roles",
    ] {
        let (left,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {table} WHERE project_id = $1"
        ))
        .bind(&staging)
        .fetch_one(pool)
        .await
        .expect("count");
        assert_eq!(left, 0, "{table} kept rows of the deleted project");
    }
    let (status, events) = t
        .send(t.client.get(t.url(&format!("/orgs/{}/events", t.org_id))))
        .await;
    assert_eq!(status, 200, "{events}");
    let types: Vec<&str> = events["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|e| e["groupId"] == staging.as_str())
        .map(|e| e["eventTypeName"].as_str().expect("type"))
        .collect();
    assert_eq!(types, ["GROUP_DELETED", "GROUP_RENAMED", "GROUP_CREATED"]);
    // One event by its id, as listed; an id the organization has not is named.
    let first = &events["results"][0];
    let id = first["id"].as_str().expect("id");
    let (status, one) = t
        .send(
            t.client
                .get(t.url(&format!("/orgs/{}/events/{id}", t.org_id))),
        )
        .await;
    assert_eq!((status, &one), (200, first));
    let (status, body) = t
        .send(
            t.client
                .get(t.url(&format!("/orgs/{}/events/nothing", t.org_id))),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "EVENT_NOT_FOUND");
    assert_eq!(events["results"][0]["username"], common::OWNER.0);
    t.stop().await;
}

/// Every route of the route table with a `{groupId}`, every method it has: 404 for a project the caller
/// has no role in (as for one that does not exist), and the project is unchanged afterwards.
#[tokio::test]
async fn a_project_without_a_role_is_not_disclosed_on_any_route() {
    let t = TestServer::start().await;
    let other = t.group_id.clone();
    let mine = create_project(&t, "mine").await;
    let alice = member_of(&t, &mine, "alice", "GROUP_OWNER").await;
    // Alice's API key, made in her project.
    let (status, key) = t
        .send(
            alice
                .post(t.url(&format!("/groups/{mine}/apiKeys")))
                .json(&json!({"desc": "alice's key", "roles": ["GROUP_OWNER"]})),
        )
        .await;
    assert_eq!(status, 201, "{key}");

    assert_eq!(names(&t, &alice, "/groups").await, ["mine"]);
    assert_eq!(
        names(&t, &alice, &format!("/orgs/{}/groups", t.org_id)).await,
        ["mine"]
    );
    let (status, _) = t.send(alice.get(t.url("/groups/byName/Project%200"))).await;
    assert_eq!(status, 404);

    let export = |client: reqwest::Client| {
        let url = t.url(&format!("/groups/{other}/export?format=json"));
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("export")
                .text()
                .await
                .expect("text")
        }
    };
    let before = export(t.client.clone()).await;
    let routes = access_console::api::routes::guarded();
    let mut tried = 0;
    let mut digest = DigestClient::new(&key);
    for (template, _, methods) in routes.iter().filter(|(_, r, _)| r.in_project()) {
        let path = template
            .split('/')
            .map(|s| match s {
                "{groupId}" => other.clone(),
                "{orgId}" => t.org_id.clone(),
                "{databaseName}" => "$external".to_owned(),
                "{username}" => "owner".to_owned(),
                s if s.starts_with('{') => "x".to_owned(),
                s => s.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in methods {
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let send = |client: &reqwest::Client, authorization: Option<String>| {
                let mut request = client.request(method.clone(), format!("{}{path}", t.base));
                if method != Method::GET && method != Method::DELETE {
                    request = request.json(&json!({}));
                }
                if let Some(authorization) = authorization {
                    request = request.header("authorization", authorization);
                }
                request
            };
            let (status, body) = t.send(send(&alice, None)).await;
            assert_eq!(status, 404, "{method} {template}: {body}");
            assert_error(&body, 404, "GROUP_NOT_FOUND");
            // The same with Alice's API key (Digest: challenge, then the answer).
            let plain = reqwest::Client::new();
            let challenge = send(&plain, None).send().await.expect("challenge");
            digest.read_challenge(&challenge);
            let authorization = digest.authorization(method.as_str(), &path);
            let (status, body) = t.send(send(&plain, Some(authorization))).await;
            assert_eq!(status, 404, "API key: {method} {template}: {body}");
            tried += 2;
        }
    }
    assert!(tried > 80, "{tried} requests tried");
    assert_eq!(
        export(t.client.clone()).await,
        before,
        "the other project changed"
    );
    t.stop().await;
}

#[tokio::test]
async fn organization_roles_reach_into_projects_as_atlas_does() {
    let t = TestServer::start().await;
    let second = create_project(&t, "second").await;
    let org = t.org_id.clone();
    let set_org_role = |username: &'static str, role: &'static str| {
        let request = t
            .client
            .patch(format!(
                "{}/api/console/orgs/{org}/accounts/{username}",
                t.base
            ))
            .json(&json!({"orgRole": role}));
        t.send(request)
    };
    // Bob: Read Only in `second`, then Organization Read Only (reads every project, changes none).
    let bob = member_of(&t, &second, "bob", "GROUP_READ_ONLY").await;
    assert_eq!(names(&t, &bob, "/groups").await, ["second"]);
    let (status, body) = set_org_role("bob", "ORG_READ_ONLY").await;
    assert_eq!(
        (status, body["orgRole"].as_str()),
        (200, Some("ORG_READ_ONLY")),
        "{body}"
    );
    assert_eq!(names(&t, &bob, "/groups").await, ["Project 0", "second"]);
    let (status, body) = t
        .send(
            bob.post(t.url(&format!("/groups/{}/clusters", t.group_id)))
                .json(&json!({"name": "C1", "mongoDBMajorVersion": "7.0"})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
    let (status, body) = t
        .send(
            bob.post(t.url("/groups"))
                .json(&json!({"name": "bobs", "orgId": org})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_ORG_ROLE");
    // Only an Organization Owner changes organization roles.
    let (status, body) = t
        .send(
            bob.patch(format!("{}/api/console/orgs/{org}/accounts/bob", t.base))
                .json(&json!({"orgRole": "ORG_OWNER"})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_ORG_ROLE");

    // Carol: Project Creator, creates `third` and owns it, sees nothing else.
    let carol = member_of(&t, &second, "carol", "GROUP_READ_ONLY").await;
    let (status, _) = set_org_role("carol", "ORG_GROUP_CREATOR").await;
    assert_eq!(status, 200);
    let (status, body) = t
        .send(
            carol
                .post(t.url("/groups"))
                .json(&json!({"name": "third", "orgId": org})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let third = body["id"].as_str().expect("id").to_owned();
    assert_eq!(names(&t, &carol, "/groups").await, ["second", "third"]);
    let (status, _) = t
        .send(
            carol
                .patch(t.url(&format!("/groups/{third}")))
                .json(&json!({"name": "third one"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = t
        .send(carol.get(t.url(&format!("/groups/{}", t.group_id))))
        .await;
    assert_eq!(status, 404);

    // The organization keeps an owner; unknown roles are named.
    let (status, body) = set_org_role("owner", "ORG_MEMBER").await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, 409, "LAST_ORG_OWNER");
    let (status, body) = set_org_role("bob", "ORG_BILLING_ADMIN").await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "UNKNOWN_ORG_ROLE");
    let (_, members) = t
        .send(
            t.client
                .get(format!("{}/api/console/orgs/{org}/accounts", t.base)),
        )
        .await;
    let roles: Vec<(String, String)> = members["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|m| {
            (
                m["username"].as_str().unwrap_or("").to_owned(),
                m["orgRole"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("bob", "ORG_READ_ONLY"),
            ("carol", "ORG_GROUP_CREATOR"),
            ("owner", "ORG_OWNER")
        ]
        .map(|(u, r)| (u.to_owned(), r.to_owned()))
    );
    // The organization page's summary: only what the caller may see, with the caller's role.
    let (status, summary) = t
        .send(carol.get(format!("{}/api/console/orgs/{org}/projects", t.base)))
        .await;
    assert_eq!(status, 200, "{summary}");
    let rows: Vec<(&str, &str)> = summary["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or(""),
                p["roleName"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("second", "GROUP_READ_ONLY"), ("third one", "GROUP_OWNER")]
    );
    // An organization the caller is not in is not disclosed.
    let stranger = client_with_token(
        &account_token(
            t.server.pool(),
            "dave",
            "a long password here",
            ProjectRole::ReadOnly,
        )
        .await,
    );
    let (status, _) = t
        .send(stranger.get(t.url("/orgs/fedcba9876543210fedcba98")))
        .await;
    assert_eq!(status, 404);
    t.stop().await;
}

/// A database made by the release before organizations (tests/fixtures/README.md) opens with one
/// organization holding its project; the first owner is its Organization Owner; the API key still works.
#[tokio::test]
async fn a_database_from_the_release_before_organizations_upgrades() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("release.sqlite");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/release-7afc00e.sqlite"
        ),
        &path,
    )
    .expect("copy the fixture");
    let url = format!("sqlite://{}", path.display());
    let server = access_console::spawn(access_console::ServeOptions::local(url))
        .await
        .expect("the server starts on the old database");
    let base = format!("http://{}", server.addr);
    let pool = server.pool().clone();
    let session = |name: &'static str| {
        let pool = pool.clone();
        async move {
            let mut conn = pool.acquire().await.expect("connection");
            let account = access_console::storage::accounts::find(&mut conn, name)
                .await
                .expect("find")
                .expect("the fixture's account");
            client_with_token(
                &access_console::storage::accounts::open_bearer_session(&pool, &account.id)
                    .await
                    .expect("session"),
            )
        }
    };
    let get = |client: reqwest::Client, path: String| {
        let url = format!("{base}{path}");
        async move {
            let response = client.get(url).send().await.expect("request");
            (
                response.status().as_u16(),
                response.json::<Value>().await.expect("JSON"),
            )
        }
    };
    const GROUP: &str = "5ad7af581bf7c47583b218fa";
    let olivia = session("olivia").await;
    let (status, orgs) = get(olivia.clone(), "/api/atlas/v2/orgs".into()).await;
    assert_eq!(status, 200, "{orgs}");
    assert_eq!(orgs["totalCount"], 1);
    assert_eq!(orgs["results"][0]["name"], "Organization 0");
    let org = orgs["results"][0]["id"].as_str().expect("id").to_owned();
    let (_, group) = get(olivia.clone(), format!("/api/atlas/v2/groups/{GROUP}")).await;
    assert_eq!(
        (group["name"].as_str(), group["orgId"].as_str()),
        (Some("Project 0"), Some(org.as_str()))
    );
    let (_, members) = get(olivia.clone(), format!("/api/console/orgs/{org}/accounts")).await;
    assert_eq!(
        members["results"],
        json!([
            {"username": "olivia", "orgRole": "ORG_OWNER", "created": members["results"][0]["created"]},
            {"username": "rob", "orgRole": "ORG_MEMBER", "created": members["results"][1]["created"]}
        ])
    );
    // Rob keeps his project role, and sees his project.
    let (status, groups) = get(session("rob").await, "/api/atlas/v2/groups".into()).await;
    assert_eq!(
        (status, groups["totalCount"].as_u64()),
        (200, Some(1)),
        "{groups}"
    );
    // Nothing of the project was lost.
    let (_, users) = get(
        olivia.clone(),
        format!("/api/atlas/v2/groups/{GROUP}/databaseUsers"),
    )
    .await;
    assert_eq!(
        users["results"][0]["username"],
        "CN=Jane Doe,O=Example,C=US"
    );
    let (_, events) = get(
        olivia.clone(),
        format!("/api/atlas/v2/groups/{GROUP}/events"),
    )
    .await;
    assert_eq!(events["totalCount"], 7, "{events}");
    // The API key is the organization's, with its project role, and still signs in with Digest.
    let (org_of_key,): (Option<String>,) =
        sqlx::query_as("SELECT org_id FROM api_keys WHERE public_key = 'oyuuindy'")
            .fetch_one(&pool)
            .await
            .expect("key");
    assert_eq!(org_of_key.as_deref(), Some(org.as_str()));
    let mut digest = DigestClient::new(
        &json!({"publicKey": "oyuuindy", "privateKey": "a7baaf5b-f0e0-4053-a505-1dbbd1729e72"}),
    );
    let path = format!("/api/atlas/v2/groups/{GROUP}/customDBRoles/roles");
    let plain = reqwest::Client::new();
    let challenge = plain
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("challenge");
    digest.read_challenge(&challenge);
    let response = plain
        .get(format!("{base}{path}"))
        .header("authorization", digest.authorization("GET", &path))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let roles: Value = response.json().await.expect("JSON");
    assert_eq!(roles[0]["roleName"], "analyst");
    server.shutdown().await;
}

/// A Digest GET as `digest`'s key: status and JSON body.
async fn digest_get(t: &TestServer, digest: &mut DigestClient, path: &str) -> (u16, Value) {
    let plain = reqwest::Client::new();
    let url = format!("{}{path}", t.base);
    let challenge = plain.get(&url).send().await.expect("challenge");
    digest.read_challenge(&challenge);
    let authorization = digest.authorization("GET", path);
    t.send(plain.get(&url).header("authorization", authorization))
        .await
}

/// Organization API keys (as Atlas): made in the organization, assigned to projects with project roles,
/// given an organization role, taken out of a project (the key stays), deleted (refused from then on).
#[tokio::test]
async fn organization_api_keys_are_assigned_to_projects() {
    let t = TestServer::start().await;
    let org = t.org_id.clone();
    let second = create_project(&t, "second").await;
    let keys_url = t.url(&format!("/orgs/{org}/apiKeys"));
    let (status, key) = t
        .send(
            t.client
                .post(&keys_url)
                .json(&json!({"desc": "terraform", "roles": ["ORG_MEMBER"]})),
        )
        .await;
    assert_eq!(status, 201, "{key}");
    assert_eq!(
        key["roles"],
        json!([{"orgId": org, "roleName": "ORG_MEMBER"}])
    );
    let id = key["id"].as_str().expect("id").to_owned();
    let mut digest = DigestClient::new(&key);
    let (status, groups) = digest_get(&t, &mut digest, "/api/atlas/v2/groups").await;
    assert_eq!(
        (status, groups["totalCount"].as_u64()),
        (200, Some(0)),
        "{groups}"
    );

    // Assigned to `second` as Read Only: it sees `second`, not Project 0.
    let (status, body) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{second}/apiKeys/{id}")))
                .json(&json!({"roles": ["GROUP_READ_ONLY"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, groups) = digest_get(&t, &mut digest, "/api/atlas/v2/groups").await;
    assert_eq!(groups["results"][0]["name"], "second", "{groups}");
    let (status, _) = digest_get(
        &t,
        &mut digest,
        &format!("/api/atlas/v2/groups/{}/clusters", t.group_id),
    )
    .await;
    assert_eq!(status, 404);
    // Atlas's array form of the assignment; a project role is refused as an organization role.
    let (status, body) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{}/apiKeys/{id}", t.group_id)))
                .json(&json!([{"roles": ["GROUP_READ_ONLY"]}])),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = t
        .send(
            t.client
                .patch(t.url(&format!("/orgs/{org}/apiKeys/{id}")))
                .json(&json!({"roles": ["GROUP_OWNER"]})),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "INVALID_ROLE_FOR_API_KEY");
    let (status, body) = t
        .send(
            t.client
                .patch(t.url(&format!("/orgs/{org}/apiKeys/{id}")))
                .json(&json!({"roles": ["ORG_READ_ONLY"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Taken out of `second`: the key stays the organization's.
    let status = t
        .client
        .delete(t.url(&format!("/groups/{second}/apiKeys/{id}")))
        .send()
        .await
        .expect("delete")
        .status();
    assert_eq!(status.as_u16(), 204);
    let (_, listed) = t.send(t.client.get(&keys_url)).await;
    assert!(
        listed["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|k| k["id"] == id.as_str()),
        "{listed}"
    );
    // Its access list, under the organization.
    let (status, body) = t
        .send(
            t.client
                .post(t.url(&format!("/orgs/{org}/apiKeys/{id}/accessList")))
                .json(&json!([{"cidrBlock": "10.0.0.0/8"}])),
        )
        .await;
    assert_eq!(
        (status, body["totalCount"].as_u64()),
        (201, Some(1)),
        "{body}"
    );
    // An Organization Member cannot make keys.
    let member = member_of(&t, &second, "erin", "GROUP_OWNER").await;
    let (status, body) = t
        .send(
            member
                .post(&keys_url)
                .json(&json!({"desc": "mine", "roles": ["ORG_MEMBER"]})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_ORG_ROLE");

    // Deleted: refused from then on; the organization's events tell the story.
    let status = t
        .client
        .delete(t.url(&format!("/orgs/{org}/apiKeys/{id}")))
        .send()
        .await
        .expect("delete")
        .status();
    assert_eq!(status.as_u16(), 204);
    let plain = reqwest::Client::new();
    let url = t.url("/groups");
    let challenge = plain.get(&url).send().await.expect("challenge");
    digest.read_challenge(&challenge);
    let refused = plain
        .get(&url)
        .header(
            "authorization",
            digest.authorization("GET", "/api/atlas/v2/groups"),
        )
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status().as_u16(), 401);
    let (_, events) = t
        .send(t.client.get(t.url(&format!("/orgs/{org}/events"))))
        .await;
    let types: Vec<&str> = events["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|e| {
            let target = e["target"].as_str().unwrap_or("");
            key["publicKey"]
                .as_str()
                .is_some_and(|k| target.starts_with(k))
        })
        .map(|e| e["eventTypeName"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            "API_KEY_DELETED",
            "API_KEY_ACCESS_LIST_ENTRY_ADDED",
            "API_KEY_ROLES_CHANGED",
            "API_KEY_CREATED"
        ]
    );
    t.stop().await;
}
