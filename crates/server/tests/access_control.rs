//! Access control against the real server and database: every route needs authentication, each project
//! role can do what Atlas lets it do and nothing more (every write endpoint is tried), sessions, CSRF,
//! sign-in throttling, the first owner's setup, and accounts.

mod common;

use access_console::alerts::{evaluate_alerts, Webhooks};
use access_core::project_role::ProjectRole;
use common::{
    account_token, assert_error, client_with_token, now, retry_after, Pki, TestServer, DAY, OWNER,
};
use reqwest::Method;
use serde_json::{json, Value};

const JANE: (&str, &str) = ("jane", "jane's long password");

/// A project with something of every kind in it: a CA bundle expiring in 10 days (so an alert is
/// open), a cluster, a custom role, a database user, and the CA-expiry alert configuration.
struct Seeded {
    t: TestServer,
    alert_config: String,
    alert: String,
}

impl Seeded {
    async fn start() -> Self {
        let t = TestServer::start().await;
        // Expires in 9.5 days: "in 9 days" in every snapshot (a whole number of days would turn from 10
        // to 9 a second after it was made, between two snapshots).
        let ca = Pki::new()
            .dated("/CN=Access Root CA", now() - DAY, now() + 9 * DAY + DAY / 2)
            .pem;
        assert_eq!(t.patch_cas(&ca).await.0, 200);
        let g = t.group_id.clone();
        for (path, body) in [
            (
                format!("/groups/{g}/clusters"),
                json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0"}),
            ),
            (
                format!("/groups/{g}/customDBRoles/roles"),
                json!({"roleName": "analyst", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]}),
            ),
            (
                format!("/groups/{g}/databaseUsers"),
                json!({"databaseName": "$external", "username": "CN=app,O=Acme", "x509Type": "CUSTOMER",
                       "roles": [{"roleName": "read", "databaseName": "sales"}]}),
            ),
        ] {
            let (status, body) = t.send(t.client.post(t.url(&path)).json(&body)).await;
            // Custom roles answer 200, as Atlas does; the rest 201.
            assert!(status == 201 || status == 200, "{path}: {status} {body}");
        }
        evaluate_alerts(t.server.pool(), now(), &Webhooks::new(false))
            .await
            .expect("evaluate alerts");
        let (_, configs) = t
            .send(t.client.get(t.url(&format!("/groups/{g}/alertConfigs"))))
            .await;
        let (_, alerts) = t
            .send(t.client.get(t.url(&format!("/groups/{g}/alerts"))))
            .await;
        let id = |list: &Value| {
            list["results"][0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        let (alert_config, alert) = (id(&configs), id(&alerts));
        assert!(
            !alert_config.is_empty() && !alert.is_empty(),
            "{configs} {alerts}"
        );
        Seeded {
            t,
            alert_config,
            alert,
        }
    }

    /// Every write endpoint, with a body it would accept from an owner.
    fn writes(&self) -> Vec<(Method, String, Option<Value>)> {
        let g = &self.t.group_id;
        let atlas = |path: String| format!("/api/atlas/v2/groups/{g}{path}");
        let user = "CN%3Dapp%2CO%3DAcme";
        let cfg = &self.alert_config;
        let config = json!({"eventTypeName": "CA_EXPIRING", "enabled": true,
            "threshold": {"operator": "LESS_THAN", "threshold": 20, "units": "DAYS"},
            "notifications": [{"typeName": "EMAIL", "emailAddress": "ops@example.com", "intervalMin": 1440, "delayMin": 0}]});
        vec![
            (
                Method::PATCH,
                atlas("/userSecurity".into()),
                Some(json!({"customerX509": {"cas": "x"}})),
            ),
            (
                Method::DELETE,
                atlas("/userSecurity/customerX509".into()),
                None,
            ),
            (
                Method::POST,
                atlas("/customDBRoles/roles".into()),
                Some(json!({"roleName": "r2", "inheritedRoles": [{"role": "read", "db": "a"}]})),
            ),
            (
                Method::PATCH,
                atlas("/customDBRoles/roles/analyst".into()),
                Some(json!({"inheritedRoles": [{"role": "read", "db": "b"}]})),
            ),
            (
                Method::DELETE,
                atlas("/customDBRoles/roles/analyst".into()),
                None,
            ),
            (
                Method::POST,
                atlas("/clusters".into()),
                Some(json!({"name": "Cluster1", "mongoDBMajorVersion": "7.0"})),
            ),
            (Method::DELETE, atlas("/clusters/Cluster0".into()), None),
            (
                Method::POST,
                atlas("/databaseUsers".into()),
                Some(
                    json!({"databaseName": "$external", "username": "CN=other", "x509Type": "CUSTOMER", "roles": [{"roleName": "read", "databaseName": "a"}]}),
                ),
            ),
            (
                Method::PATCH,
                atlas(format!("/databaseUsers/$external/{user}")),
                Some(json!({"description": "changed"})),
            ),
            (
                Method::DELETE,
                atlas(format!("/databaseUsers/$external/{user}")),
                None,
            ),
            (
                Method::POST,
                atlas("/alertConfigs".into()),
                Some(config.clone()),
            ),
            (
                Method::PUT,
                atlas(format!("/alertConfigs/{cfg}")),
                Some(config.clone()),
            ),
            (
                Method::PATCH,
                atlas(format!("/alertConfigs/{cfg}")),
                Some(json!({"enabled": false})),
            ),
            (Method::DELETE, atlas(format!("/alertConfigs/{cfg}")), None),
            (
                Method::POST,
                atlas(format!("/alertConfigs/{cfg}/test")),
                None,
            ),
            (
                Method::PATCH,
                atlas(format!("/alerts/{}", self.alert)),
                Some(json!({"acknowledgedUntil": "2100-01-01T00:00:00Z"})),
            ),
            // The same routes under the older prefix.
            (
                Method::POST,
                format!("/api/atlas/v1.0/groups/{g}/clusters"),
                Some(json!({"name": "Cluster2", "mongoDBMajorVersion": "7.0"})),
            ),
            (
                Method::DELETE,
                format!("/api/atlas/v1.0/groups/{g}/customDBRoles/roles/analyst"),
                None,
            ),
            // Console accounts.
            (
                Method::POST,
                format!("/api/console/groups/{g}/accounts"),
                Some(
                    json!({"username": "bob", "password": "bob's long password", "roleName": "GROUP_READ_ONLY"}),
                ),
            ),
            (
                Method::PATCH,
                format!("/api/console/groups/{g}/accounts/{}", OWNER.0),
                Some(json!({"roleName": "GROUP_READ_ONLY"})),
            ),
            (
                Method::DELETE,
                format!("/api/console/groups/{g}/accounts/{}", OWNER.0),
                None,
            ),
        ]
    }

    /// Everything a change could touch, read as the owner.
    async fn snapshot(&self) -> Vec<Value> {
        let g = &self.t.group_id;
        let mut state = Vec::new();
        for path in [
            format!("/api/atlas/v2/groups/{g}/userSecurity"),
            format!("/api/atlas/v2/groups/{g}/customDBRoles/roles"),
            format!("/api/atlas/v2/groups/{g}/clusters"),
            format!("/api/atlas/v2/groups/{g}/databaseUsers"),
            format!("/api/atlas/v2/groups/{g}/alertConfigs"),
            format!("/api/atlas/v2/groups/{g}/alerts"),
            format!("/api/atlas/v2/groups/{g}/events?itemsPerPage=500"),
            format!("/api/console/groups/{g}/accounts"),
        ] {
            let (status, body) = self
                .t
                .send(self.t.client.get(format!("{}{path}", self.t.base)))
                .await;
            assert_eq!(status, 200, "{path}: {body}");
            state.push(body);
        }
        state
    }

    async fn send_as(
        &self,
        client: &reqwest::Client,
        (method, path, body): &(Method, String, Option<Value>),
    ) -> (u16, Value) {
        let mut request = client.request(method.clone(), format!("{}{path}", self.t.base));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        // 204 answers have no body.
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn every_route_needs_authentication() {
    let seeded = Seeded::start().await;
    let anonymous = reqwest::Client::new();
    let g = &seeded.t.group_id;
    let mut routes = seeded.writes();
    for path in [
        "/api/atlas/v2/groups".to_owned(),
        format!("/api/atlas/v2/groups/{g}"),
        format!("/api/atlas/v1.0/groups/{g}/databaseUsers"),
        format!("/api/atlas/v2/groups/{g}/userSecurity"),
        format!("/api/atlas/v2/groups/{g}/customDBRoles/roles/analyst/effectivePrivileges"),
        format!("/api/atlas/v2/groups/{g}/events"),
        format!("/api/atlas/v2/groups/{g}/alerts/{}", seeded.alert),
        format!("/api/console/groups/{g}/accounts"),
        "/api/console/session".to_owned(),
    ] {
        routes.push((Method::GET, path, None));
    }
    routes.push((Method::POST, "/api/console/signOut".to_owned(), None));
    for route in &routes {
        let (status, body) = seeded.send_as(&anonymous, route).await;
        assert_eq!(status, 401, "{} {}: {body}", route.0, route.1);
        assert_error(&body, 401, "NOT_AUTHENTICATED");
    }
    let response = anonymous
        .get(format!("{}/api/atlas/v2/groups", seeded.t.base))
        .send()
        .await
        .expect("GET");
    assert!(response.headers().contains_key("www-authenticate"));

    // A token that is not a session's.
    let stranger = client_with_token(&"0".repeat(64));
    let (status, body) = seeded.send_as(&stranger, &routes[0]).await;
    assert_eq!(status, 401, "{body}");
    assert_error(&body, 401, "SESSION_EXPIRED");

    // What stays open: the status, and sign-in (which refuses a wrong password).
    let (status, body) = seeded
        .t
        .send(anonymous.get(format!("{}/api/console/status", seeded.t.base)))
        .await;
    assert_eq!((status, body), (200, json!({"setupRequired": false})));
    seeded.t.stop().await;
}

#[tokio::test]
async fn read_only_can_read_everything_and_change_nothing() {
    let seeded = Seeded::start().await;
    let reader = client_with_token(
        &account_token(
            seeded.t.server.pool(),
            "reader",
            "reader's long password",
            ProjectRole::ReadOnly,
        )
        .await,
    );
    let before = seeded.snapshot().await;
    for route in seeded.writes() {
        let (status, body) = seeded.send_as(&reader, &route).await;
        assert_eq!(status, 403, "{} {}: {body}", route.0, route.1);
        let detail = assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
        assert!(
            detail.starts_with("Your role, Project Read Only, may not "),
            "{detail}"
        );
    }
    assert_eq!(seeded.snapshot().await, before, "nothing changed");
    // Reads work.
    let (status, body) = seeded
        .send_as(
            &reader,
            &(
                Method::GET,
                format!("/api/atlas/v2/groups/{}/databaseUsers", seeded.t.group_id),
                None,
            ),
        )
        .await;
    assert_eq!((status, body["totalCount"].clone()), (200, json!(1)));
    seeded.t.stop().await;
}

#[tokio::test]
async fn database_access_admin_manages_users_roles_and_cas_only() {
    let seeded = Seeded::start().await;
    let admin = client_with_token(
        &account_token(
            seeded.t.server.pool(),
            "dba",
            "dba's long password",
            ProjectRole::DatabaseAccessAdmin,
        )
        .await,
    );
    for route in seeded.writes() {
        let database_access = ["/databaseUsers", "/customDBRoles", "/userSecurity"]
            .iter()
            .any(|part| route.1.contains(part));
        let (status, body) = seeded.send_as(&admin, &route).await;
        if database_access {
            assert_ne!(status, 403, "{} {}: {body}", route.0, route.1);
            assert_ne!(status, 401, "{} {}: {body}", route.0, route.1);
        } else {
            assert_eq!(status, 403, "{} {}: {body}", route.0, route.1);
            let detail = assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
            assert!(detail.ends_with("that needs Project Owner."), "{detail}");
        }
    }
    // The role it created names it as the actor of its event.
    let (_, events) = seeded
        .t
        .send(seeded.t.client.get(seeded.t.url(&format!(
            "/groups/{}/events?eventType=MONGODB_ROLE_ADDED",
            seeded.t.group_id
        ))))
        .await;
    assert_eq!(events["results"][0]["target"], "r2", "{events}");
    assert_eq!(events["results"][0]["username"], "dba", "{events}");
    seeded.t.stop().await;
}

/// The value of the session cookie in a `Set-Cookie` answer.
fn session_cookie(response: &reqwest::Response) -> (String, String) {
    let set = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("Set-Cookie")
        .to_owned();
    let value = set
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default();
    (value, set)
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_for_changes_and_end_at_sign_out() {
    let t = TestServer::start().await;
    let plain = reqwest::Client::new();
    let response = plain
        .post(format!("{}/api/console/signIn", t.base))
        .json(&json!({"username": "OWNER", "password": OWNER.1}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status().as_u16(), 200);
    let (token, set_cookie) = session_cookie(&response);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let session: Value = response.json().await.expect("session JSON");
    assert_eq!(
        session["username"], OWNER.0,
        "the name as created, whatever the case typed"
    );
    assert!(
        session.get("token").is_none(),
        "a cookie session's token is not in the body"
    );
    let csrf = session["csrfToken"].as_str().expect("csrfToken").to_owned();
    let cookie = format!("access_console_session={token}");
    let clusters = t.url(&format!("/groups/{}/clusters", t.group_id));
    let cluster = json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0"});

    let (status, _) = t.send(plain.get(&clusters).header("cookie", &cookie)).await;
    assert_eq!(status, 200);
    let (status, body) = t
        .send(
            plain
                .post(&clusters)
                .header("cookie", &cookie)
                .json(&cluster),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INVALID_CSRF_TOKEN");
    let (status, body) = t
        .send(
            plain
                .post(&clusters)
                .header("cookie", &cookie)
                .header("x-csrf-token", "0".repeat(64))
                .json(&cluster),
        )
        .await;
    assert_eq!(
        (status, body["errorCode"].clone()),
        (403, json!("INVALID_CSRF_TOKEN"))
    );
    let (status, body) = t
        .send(
            plain
                .post(&clusters)
                .header("cookie", &cookie)
                .header("x-csrf-token", &csrf)
                .json(&cluster),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let (status, body) = t
        .send(
            plain
                .get(format!("{}/api/console/session", t.base))
                .header("cookie", &cookie),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["csrfToken"], csrf.as_str());
    assert_eq!(
        body["roles"],
        json!([{"groupId": t.group_id, "roleName": "GROUP_OWNER"}])
    );

    let response = plain
        .post(format!("{}/api/console/signOut", t.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("sign out");
    assert_eq!(response.status().as_u16(), 204);
    let (cleared, _) = session_cookie(&response);
    assert_eq!(cleared, "");
    let (status, body) = t.send(plain.get(&clusters).header("cookie", &cookie)).await;
    assert_eq!(status, 401, "{body}");
    assert_error(&body, 401, "SESSION_EXPIRED");
    t.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_name_and_recorded() {
    let t = TestServer::start().await;
    let plain = reqwest::Client::new();
    let sign_in = |username: &str, password: &str| {
        plain
            .post(format!("{}/api/console/signIn", t.base))
            .json(&json!({"username": username, "password": password}))
    };
    for _ in 0..5 {
        let (status, body) = t.send(sign_in(OWNER.0, "wrong password!")).await;
        assert_eq!(status, 401, "{body}");
        assert_error(&body, 401, "INVALID_CREDENTIALS");
    }
    // An unknown name is refused the same way.
    let (status, body) = t.send(sign_in("nobody", "wrong password!")).await;
    assert_eq!(
        (status, body["errorCode"].clone()),
        (401, json!("INVALID_CREDENTIALS"))
    );
    // The sixth attempt is refused even with the right password, and says when to retry.
    let response = sign_in(OWNER.0, OWNER.1).send().await.expect("sign in");
    assert_eq!(response.status().as_u16(), 429);
    let retry = retry_after(&response);
    assert!((880..=900).contains(&retry), "{retry}");
    let body: Value = response.json().await.expect("JSON");
    let detail = assert_error(&body, 429, "TOO_MANY_SIGN_IN_ATTEMPTS");
    assert!(detail.contains("15 minutes"), "{detail}");

    let (_, events) = t
        .send(t.client.get(t.url(&format!(
            "/groups/{}/events?eventType=SIGN_IN_FAILED",
            t.group_id
        ))))
        .await;
    // Five wrong passwords and the unknown name; the throttled attempt is counted, not recorded.
    assert_eq!(events["totalCount"], 6, "{events}");
    // A name no account has is not written (it may be a password typed in the wrong field).
    assert_eq!(events["results"][0]["target"], "(no such account)");
    assert!(!events.to_string().contains("nobody"), "{events}");
    assert_eq!(events["results"][1]["target"], OWNER.0);
    assert_eq!(events["results"][1]["username"], "127.0.0.1");
    assert_eq!(
        events["results"][1]["diff"]["after"]["reason"],
        "wrong username or password"
    );
    t.stop().await;
}

#[tokio::test]
async fn the_first_owner_needs_the_setup_code_and_there_is_only_one() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = access_console::spawn(access_console::ServeOptions {
        ..access_console::ServeOptions::local(common::new_database_url(dir.path()).await)
    })
    .await
    .expect("server starts");
    let code = server.setup_code().expect("a setup code").to_owned();
    let base = server.url();
    let client = reqwest::Client::new();
    let status: Value = client
        .get(format!("{base}/api/console/status"))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("JSON");
    assert_eq!(status, json!({"setupRequired": true}));
    let setup = |code: &str, username: &str, password: &str| {
        client
            .post(format!("{base}/api/console/setup"))
            .json(&json!({"setupCode": code, "username": username, "password": password}))
            .send()
    };
    let refused = setup("AAAA-BBBB-CCCC", "first", "a long enough password")
        .await
        .expect("setup");
    assert_eq!(refused.status().as_u16(), 403);
    let short = setup(&code, "first", "short").await.expect("setup");
    assert_eq!(short.status().as_u16(), 400);
    let body: Value = short.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["field"], "password", "{body}");
    let made = setup(&code, "first", "a long enough password")
        .await
        .expect("setup");
    assert_eq!(made.status().as_u16(), 201);
    let (token, _) = session_cookie(&made);
    assert_eq!(token.len(), 64);
    let again = setup(&code, "second", "a long enough password")
        .await
        .expect("setup");
    assert_eq!(again.status().as_u16(), 409);
    let body: Value = again.json().await.expect("JSON");
    assert_error(&body, 409, "SETUP_ALREADY_DONE");
    server.shutdown().await;
}

#[tokio::test]
async fn owners_manage_accounts_and_the_last_owner_stays() {
    let t = TestServer::start().await;
    let accounts = format!("{}/api/console/groups/{}/accounts", t.base, t.group_id);
    let create = |username: &str, password: &str, role: &str| {
        t.client
            .post(&accounts)
            .json(&json!({"username": username, "password": password, "roleName": role}))
    };
    let (status, body) = t
        .send(create(JANE.0, JANE.1, "GROUP_DATABASE_ACCESS_ADMIN"))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["roles"][0]["roleName"], "GROUP_DATABASE_ACCESS_ADMIN");
    assert!(body.get("passwordHash").is_none() && !body.to_string().contains("argon2"));
    let (status, body) = t.send(create("JANE", JANE.1, "GROUP_READ_ONLY")).await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, 409, "DUPLICATE_ACCOUNT_NAME");
    let (status, body) = t.send(create("a b", "short", "GROUP_ADMIN")).await;
    assert_eq!(status, 400, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["username", "password", "roleName"]);

    // Jane signs in; she may not manage accounts.
    let response = reqwest::Client::new()
        .post(format!("{}/api/console/signIn", t.base))
        .json(&json!({"username": JANE.0, "password": JANE.1, "session": "bearer"}))
        .send()
        .await
        .expect("sign in");
    let session: Value = response.json().await.expect("JSON");
    let jane = client_with_token(session["token"].as_str().expect("token"));
    let (status, body) = t
        .send(jane.post(&accounts).json(
            &json!({"username": "x", "password": "xxxxxxxxxxxxxxxx", "roleName": "GROUP_OWNER"}),
        ))
        .await;
    assert_eq!(status, 403, "{body}");

    // The only owner cannot be demoted or deleted.
    let owner = format!("{accounts}/{}", OWNER.0);
    let (status, body) = t
        .send(
            t.client
                .patch(&owner)
                .json(&json!({"roleName": "GROUP_READ_ONLY"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error(&body, 409, "LAST_PROJECT_OWNER");
    let (status, _) = t.send(t.client.delete(&owner)).await;
    assert_eq!(status, 409);

    // Promote Jane, then the first owner may step down.
    let (status, body) = t
        .send(
            t.client
                .patch(format!("{accounts}/JANE"))
                .json(&json!({"roleName": "GROUP_OWNER"})),
        )
        .await;
    assert_eq!(
        (status, body["roles"][0]["roleName"].clone()),
        (200, json!("GROUP_OWNER"))
    );
    let deleted = jane.delete(&owner).send().await.expect("DELETE");
    assert_eq!(deleted.status().as_u16(), 204);
    // Taken out of the project only: the first owner is the organization's owner, which still reaches
    // every project of it (issue 15), but has no role of its own here any more.
    let (status, body) = t.send(t.client.get(&accounts)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["username"], JANE.0, "{body}");
    let (status, body) = t.send(jane.get(&accounts)).await;
    assert_eq!((status, body["totalCount"].clone()), (200, json!(1)));

    let (_, events) = t
        .send(jane.get(t.url(&format!("/groups/{}/events?itemsPerPage=500", t.group_id))))
        .await;
    let kinds: Vec<(String, String, String)> = events["results"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|e| {
                    e["eventTypeName"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("ACCOUNT_"))
                })
                .map(|e| {
                    (
                        e["eventTypeName"].as_str().unwrap_or_default().to_owned(),
                        e["username"].as_str().unwrap_or_default().to_owned(),
                        e["target"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expected = [
        ("ACCOUNT_DELETED", JANE.0, OWNER.0),
        ("ACCOUNT_UPDATED", OWNER.0, JANE.0),
        ("ACCOUNT_ADDED", OWNER.0, JANE.0),
        ("ACCOUNT_ADDED", "test", OWNER.0),
    ]
    .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()));
    assert_eq!(kinds, expected);
    t.stop().await;
}

/// A value for each path parameter of the route table: the seeded resources where there is one (a
/// route's refusal must not depend on whether its resource exists: the guard answers first).
fn parameter(seeded: &Seeded, name: &str) -> String {
    match name {
        "groupId" => seeded.t.group_id.clone(),
        "orgId" => seeded.t.org_id.clone(),
        "groupName" => "Project%200".to_owned(),
        "eventId" => "0123456789abcdef01234567".to_owned(),
        "clusterName" => "Cluster0".to_owned(),
        "databaseName" => "$external".to_owned(),
        "roleName" => "analyst".to_owned(),
        "alertConfigId" => seeded.alert_config.clone(),
        "alertId" => seeded.alert.clone(),
        "apiUserId" => "0123456789abcdef01234567".to_owned(),
        "entry" => "10.0.0.1".to_owned(),
        // The database user of the Atlas routes; the console account of the console routes.
        "username" => "CN%3Dapp%2CO%3DAcme".to_owned(),
        other => panic!("no test value for the path parameter {other}: add one"),
    }
}

/// `template` with each `{name}` replaced by its test value.
fn fill(seeded: &Seeded, template: &str) -> String {
    template
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if template.starts_with("/api/console/") && name == "username" => {
                    "customDBRoles".to_owned()
                }
                Some(name) => parameter(seeded, name),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Every route of the route table, under every prefix, with every method it has, for every role: the
/// roles the route's permission excludes get 403 `INSUFFICIENT_PROJECT_ROLE`, the others get past the
/// guard (whatever the handler then says of an empty body). Methods the table does not list are 405, so
/// the table and the routers agree (a guarded route missing from the table stops the server at start).
/// Each request has a session of its own (a sign-out must not end the next request's).
#[tokio::test]
async fn every_route_of_the_route_table_admits_exactly_the_roles_its_permission_names() {
    let seeded = Seeded::start().await;
    let pool = seeded.t.server.pool().clone();
    let mut accounts = Vec::new();
    for (role, name) in [
        (ProjectRole::ReadOnly, "reader"),
        // Named as a route word: the attack of issue 14, item 5.
        (ProjectRole::DatabaseAccessAdmin, "customDBRoles"),
        (ProjectRole::Owner, OWNER.0),
    ] {
        match access_console::storage::accounts::create_account(
            &pool,
            name,
            "a long password here",
            role,
            "test",
        )
        .await
        {
            Ok(_) | Err(access_console::storage::accounts::CreateAccountError::Duplicate(_)) => {}
            Err(error) => panic!("account {name}: {error}"),
        }
        let mut conn = pool.acquire().await.expect("connection");
        let id = access_console::storage::accounts::find(&mut conn, name)
            .await
            .expect("find")
            .expect("account exists")
            .id;
        accounts.push((role, id));
    }
    let mut tried = 0;
    for (template, route, methods) in access_console::api::routes::guarded() {
        let path = fill(&seeded, &template);
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
            let request = (method.clone(), path.clone(), body);
            if !methods.contains(&method.as_str()) {
                let (status, body) = seeded.send_as(&seeded.t.client, &request).await;
                assert_eq!(
                    status, 405,
                    "{method} {template} is not in the table: {body}"
                );
                continue;
            }
            let needed = route.permission(&method);
            for (role, account_id) in &accounts {
                if template.ends_with("/groups/{groupId}")
                    && method == Method::DELETE
                    && *role == ProjectRole::Owner
                {
                    // Deleting the project (tests/organizations.rs) would leave no project for the rest.
                    continue;
                }
                let token =
                    access_console::storage::accounts::open_bearer_session(&pool, account_id)
                        .await
                        .expect("session");
                let (status, body) = seeded.send_as(&client_with_token(&token), &request).await;
                tried += 1;
                if route.in_project() && !role.may(needed) {
                    assert_eq!(status, 403, "{role} {method} {template}: {body}");
                    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
                } else if route.in_org()
                    && needed != access_core::project_role::Permission::Read
                    && *role != ProjectRole::Owner
                {
                    // Owner here is also Organization Owner (`create_account` with the Owner role); the
                    // others are Organization Members.
                    assert_eq!(status, 403, "{role} {method} {template}: {body}");
                    assert_error(&body, 403, "INSUFFICIENT_ORG_ROLE");
                } else {
                    assert!(
                        ![401, 403, 405].contains(&status) && status < 500,
                        "{role} {method} {template} ({path}): {status} {body}"
                    );
                }
            }
        }
    }
    assert!(tried > 100, "{tried} requests tried");
    seeded.t.stop().await;
}

/// Issue 14, item 5: a Database Access Admin named `customDBRoles` cannot make itself owner, and cannot
/// delete a cluster named `databaseUsers`; the owner can do both.
#[tokio::test]
async fn path_words_that_are_resource_names_lower_no_permission() {
    let seeded = Seeded::start().await;
    let t = &seeded.t;
    let g = &t.group_id;
    let admin = client_with_token(
        &account_token(
            t.server.pool(),
            "customDBRoles",
            "a long password here",
            ProjectRole::DatabaseAccessAdmin,
        )
        .await,
    );
    let (status, _) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{g}/clusters")))
                .json(&json!({"name": "databaseUsers", "mongoDBMajorVersion": "7.0"})),
        )
        .await;
    assert_eq!(status, 201);
    let before = seeded.snapshot().await;

    let promote = (
        Method::PATCH,
        format!("/api/console/groups/{g}/accounts/customDBRoles"),
        Some(json!({"roleName": "GROUP_OWNER"})),
    );
    let (status, body) = seeded.send_as(&admin, &promote).await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
    let delete_cluster = (
        Method::DELETE,
        format!("/api/atlas/v2/groups/{g}/clusters/databaseUsers"),
        None,
    );
    let (status, body) = seeded.send_as(&admin, &delete_cluster).await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
    assert_eq!(seeded.snapshot().await, before, "nothing changed");

    // The legitimate use: the owner does both.
    let (status, body) = seeded.send_as(&t.client, &promote).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = seeded.send_as(&t.client, &delete_cluster).await;
    assert!(
        status == 202 || status == 204 || status == 200,
        "{status} {body}"
    );
    seeded.t.stop().await;
}
