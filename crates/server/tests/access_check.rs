//! `POST /groups/{groupId}/accessCheck` against the real server, with client certificates made by the
//! openssl CLI: one from a CA the project holds, one from a CA it does not hold, an expired one, one
//! without the clientAuth extended key usage.

mod common;

use access_core::project_role::ProjectRole;
use common::{account_token, assert_error, client_with_token, Pki, TestServer};
use serde_json::{json, Value};

const DN: &str = "CN=reporter,OU=analytics,O=Acme";
const SUBJECT: &str = "/O=Acme/OU=analytics/CN=reporter";

const SERVER_ONLY_EXT: &str =
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n";

/// A client certificate for `SUBJECT` issued by `ca` (PEM).
fn client_certificate(pki: &Pki, ca: &common::Cert, ext: &str, days: i64) -> common::Cert {
    pki.client_with_extensions(ca, SUBJECT, days, ext)
}

struct Fixture {
    t: TestServer,
    pki: Pki,
    ca: common::Cert,
}

impl Fixture {
    /// A project with self-managed X.509 on (one CA), a cluster, a custom role `reporting` (FIND on
    /// sales.orders, inheriting read@reports) and the user `DN` holding it.
    async fn start() -> Self {
        let t = TestServer::start().await;
        let pki = Pki::new();
        let ca = pki.self_signed("/O=Acme/CN=Acme Client CA", 365);
        let (status, body) = t.patch_cas(&ca.pem).await;
        assert_eq!(status, 200, "{body}");
        let f = Self { t, pki, ca };
        let g = &f.t.group_id;
        let (status, body) = f
            .post(
                &format!("/groups/{g}/clusters"),
                json!({"name": "Cluster0", "mongoDBMajorVersion": "8.0"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = f
            .post(
                &format!("/groups/{g}/customDBRoles/roles"),
                json!({
                    "roleName": "reporting",
                    "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}],
                    "inheritedRoles": [{"role": "read", "db": "reports"}]
                }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = f
            .post(
                &format!("/groups/{g}/databaseUsers"),
                json!({
                    "databaseName": "$external", "username": DN, "x509Type": "CUSTOMER",
                    "roles": [{"roleName": "reporting", "databaseName": "admin"}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        f
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.t
            .send(self.t.client.post(self.t.url(path)).json(&body))
            .await
    }

    async fn check(&self, body: Value) -> (u16, Value) {
        self.post(&format!("/groups/{}/accessCheck", self.t.group_id), body)
            .await
    }

    async fn event_count(&self) -> u64 {
        let (status, body) = self
            .t
            .send(
                self.t
                    .client
                    .get(self.t.url(&format!("/groups/{}/events", self.t.group_id))),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["totalCount"].as_u64().expect("totalCount")
    }
}

fn step<'a>(answer: &'a Value, name: &str) -> &'a Value {
    answer["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no {name} step: {answer}"))
}

#[tokio::test]
async fn certificate_from_the_projects_ca_connects_with_grant_paths_and_records_nothing() {
    let f = Fixture::start().await;
    let pem = client_certificate(&f.pki, &f.ca, Pki::CLIENT_EXT, 365);
    let key_pem = pem.key_pem.clone();
    let pem = pem.pem;
    let events = f.event_count().await;

    let (status, answer) = f
        .check(json!({
            "certificate": pem, "cluster": "Cluster0",
            "actions": ["FIND"], "database": "sales", "collection": "orders"
        }))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["username"], DN);
    for name in [
        "certificate",
        "client_use",
        "chain",
        "user",
        "authorization",
    ] {
        assert_eq!(step(&answer, name)["result"], "pass", "{name}: {answer}");
    }
    assert_eq!(step(&answer, "chain")["code"], "issued_by_stored_ca");
    assert!(step(&answer, "chain")["detail"]
        .as_str()
        .unwrap()
        .contains("CN=Acme Client CA,O=Acme"));
    assert_eq!(answer["connectsAndAllowed"], true);
    assert_eq!(answer["user"]["username"], DN);
    assert_eq!(
        answer["authorization"]["grants"],
        json!([{"action": "FIND", "resource": "sales.orders", "path": [DN, "reporting@admin"]}])
    );

    // Through the inherited built-in role.
    let (_, answer) = f
        .check(json!({"certificate": pem, "actions": ["FIND"], "database": "reports", "collection": "daily"}))
        .await;
    assert_eq!(
        answer["authorization"]["grants"][0]["path"],
        json!([DN, "reporting@admin", "read@reports"])
    );

    // Denied: what the user holds there and which roles would grant it.
    let (status, answer) = f
        .check(json!({"certificate": pem, "actions": ["INSERT"], "database": "sales", "collection": "orders"}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["connectsAndAllowed"], false);
    assert_eq!(step(&answer, "authorization")["result"], "fail");
    let auth = &answer["authorization"];
    assert_eq!(auth["allowed"], false);
    assert_eq!(auth["missing"][0]["held"], json!(["FIND"]));
    let suggested: Vec<&str> = auth["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert!(suggested.contains(&"readWrite"), "{suggested:?}");

    // Without an operation: the effective privileges.
    let (_, answer) = f.check(json!({"certificate": pem})).await;
    let privileges = answer["effectivePrivileges"].as_array().unwrap();
    assert!(privileges
        .iter()
        .any(|p| p["action"] == "FIND" && p["resource"] == "reports.*"));
    assert!(answer["authorization"].is_null());

    // A private key in the input is not read.
    let with_key = format!("{}{pem}", key_pem);
    let (status, answer) = f.check(json!({"certificate": with_key})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(step(&answer, "certificate")["detail"]
        .as_str()
        .unwrap()
        .contains("private key"));

    assert_eq!(f.event_count().await, events, "a check records no event");
    f.t.stop().await;
}

#[tokio::test]
async fn certificates_that_do_not_get_in_say_why() {
    let f = Fixture::start().await;
    let stranger_ca = f.pki.self_signed("/O=Elsewhere/CN=Other CA", 365);
    let foreign = client_certificate(&f.pki, &stranger_ca, Pki::CLIENT_EXT, 365).pem;
    let expired = client_certificate(&f.pki, &f.ca, Pki::CLIENT_EXT, -1).pem;
    let server_only = client_certificate(&f.pki, &f.ca, SERVER_ONLY_EXT, 365).pem;
    let cases = [
        (&foreign, "chain", "no_ca_of_issuer_name"),
        (&expired, "certificate", "expired"),
        (&server_only, "client_use", "no_client_auth"),
    ];
    for (pem, name, code) in cases {
        let (status, answer) = f
            .check(json!({"certificate": pem, "actions": ["FIND"], "database": "sales", "collection": "orders"}))
            .await;
        assert_eq!(status, 200, "{answer}");
        let s = step(&answer, name);
        assert_eq!(
            (s["result"].as_str(), s["code"].as_str()),
            (Some("fail"), Some(code)),
            "{answer}"
        );
        assert_eq!(answer["connectsAndAllowed"], false, "{code}");
        // The user still exists: the answer says so, the connection fails at the earlier step.
        assert_eq!(step(&answer, "user")["result"], "pass");
    }
    let detail = step(&f.check(json!({"certificate": foreign})).await.1, "chain")["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains("CN=Other CA,O=Elsewhere"), "{detail}");
    f.t.stop().await;
}

#[tokio::test]
async fn typed_names_find_the_nearest_users_and_every_role_may_check() {
    let f = Fixture::start().await;
    let (status, answer) = f
        .check(json!({"username": "O=Acme,OU=analytics,CN=reporter"}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(step(&answer, "user")["code"], "no_such_user");
    assert_eq!(answer["nearestUsers"][0]["username"], DN);
    assert_eq!(answer["nearestUsers"][0]["difference"]["kind"], "order");
    assert_eq!(answer["connectsAndAllowed"], false);

    // A Read Only account may check (it changes nothing).
    let token = account_token(
        f.t.server.pool(),
        "viewer",
        "viewer's long password",
        ProjectRole::ReadOnly,
    )
    .await;
    let viewer = client_with_token(&token);
    let (status, answer) =
        f.t.send(
            viewer
                .post(f.t.url(&format!("/groups/{}/accessCheck", f.t.group_id)))
                .json(&json!({"username": DN, "actions": ["FIND"], "database": "reports"})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["connectsAndAllowed"], true);
    f.t.stop().await;
}

#[tokio::test]
async fn bad_requests_are_refused_with_their_field() {
    let f = Fixture::start().await;
    let cases = [
        (json!({}), 400, "ACCESS_CHECK_INPUT_REQUIRED"),
        (
            json!({"username": DN, "certificate": "x"}),
            400,
            "ACCESS_CHECK_TWO_INPUTS",
        ),
        (
            json!({"certificate": "x".repeat(70 * 1024)}),
            400,
            "ACCESS_CHECK_CERTIFICATE_TOO_LARGE",
        ),
        (json!({"username": "not a dn"}), 400, "INVALID_DN"),
        (
            json!({"username": DN, "cluster": "Nope"}),
            404,
            "CLUSTER_NOT_FOUND",
        ),
        (
            json!({"username": DN, "actions": ["find"], "database": "x"}),
            400,
            "UNKNOWN_ACTION",
        ),
        (
            json!({"username": DN, "actions": ["FIND"]}),
            400,
            "DATABASE_REQUIRED",
        ),
        (
            json!({"username": DN, "actions": vec!["FIND"; 65], "database": "x"}),
            400,
            "ACCESS_CHECK_TOO_MANY_ACTIONS",
        ),
        (
            json!({"username": DN, "extra": 1}),
            400,
            "INVALID_ATTRIBUTE",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = f.check(body).await;
        assert_eq!(got, status, "{answer}");
        assert_error(&answer, status, code);
    }
    f.t.stop().await;
}
