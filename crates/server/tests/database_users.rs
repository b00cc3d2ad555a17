//! Clusters and database users against the real server (free port, temporary SQLite file).

mod common;

use access_console::storage::{self, database_users, events};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};
use common::{assert_error, now, Pki, TestServer, DAY};
use serde_json::{json, Value};

/// Percent-encodes everything but unreserved characters (as a client encodes a path segment).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Fixture {
    t: TestServer,
    pool: sqlx::AnyPool,
}

impl Fixture {
    /// A server; with self-managed X.509 on when `x509`.
    async fn start(x509: bool) -> Self {
        let t = TestServer::start().await;
        if x509 {
            let pki = Pki::new();
            let ca = pki.self_signed("/CN=Test Root CA", 365);
            let (status, body) = t.patch_cas(&ca.pem).await;
            assert_eq!(status, 200, "{body}");
        }
        let pool = storage::open(&t.database_url, now())
            .await
            .expect("open the database")
            .pool;
        Self { t, pool }
    }

    fn users(&self) -> String {
        self.t
            .url(&format!("/groups/{}/databaseUsers", self.t.group_id))
    }

    fn user(&self, username: &str) -> String {
        format!("{}/%24external/{}", self.users(), encode(username))
    }

    fn clusters(&self) -> String {
        self.t.url(&format!("/groups/{}/clusters", self.t.group_id))
    }

    async fn post(&self, url: &str, body: Value) -> (u16, Value) {
        self.t.send(self.t.client.post(url).json(&body)).await
    }

    async fn get(&self, url: &str) -> (u16, Value) {
        self.t.send(self.t.client.get(url)).await
    }

    async fn patch(&self, url: &str, body: Value) -> (u16, Value) {
        self.t.send(self.t.client.patch(url).json(&body)).await
    }

    /// DELETE: the status, and the body (empty for 204).
    async fn delete(&self, url: &str) -> (u16, String) {
        let response = self.t.client.delete(url).send().await.expect("DELETE");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    async fn events(&self) -> Vec<(String, String, String, String)> {
        sqlx::query_as(
            // Users and clusters only: not the fixture's CA bundle and its alert configuration.
            "SELECT event_type_name, actor, target, detail FROM events WHERE project_id = $1 \
             AND (event_type_name LIKE 'MONGODB_%' OR event_type_name LIKE 'CLUSTER_%') ORDER BY seq",
        )
        .bind(&self.t.group_id)
        .fetch_all(&self.pool)
        .await
        .expect("events")
    }

    async fn stop(self) {
        self.pool.close().await;
        self.t.stop().await;
    }
}

fn x509_user(username: &str, roles: Value) -> Value {
    json!({"databaseName": "$external", "username": username, "x509Type": "CUSTOMER", "roles": roles})
}

fn read_any() -> Value {
    json!([{"roleName": "readAnyDatabase", "databaseName": "admin"}])
}

#[tokio::test]
async fn clusters_crud_count_and_in_use() {
    let f = Fixture::start(true).await;
    let (status, body) = f
        .post(
            &f.clusters(),
            json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        json!({"groupId": f.t.group_id, "name": "Cluster0", "mongoDBMajorVersion": "7.0"})
    );
    let (status, body) = f
        .post(
            &f.clusters(),
            json!({"name": "Cluster0", "mongoDBMajorVersion": "8.0"}),
        )
        .await;
    assert_eq!(status, 409);
    assert_error(&body, 409, "DUPLICATE_CLUSTER_NAME");
    let (status, body) = f
        .post(
            &f.clusters(),
            json!({"name": "bad name", "mongoDBMajorVersion": "latest"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "INVALID_CLUSTER_NAME");
    assert_eq!(body["errors"][0]["field"], "name", "{body}");
    assert_eq!(body["errors"][1]["field"], "mongoDBMajorVersion", "{body}");
    assert_eq!(body["errors"][1]["errorCode"], "INVALID_MONGODB_VERSION");
    let (status, body) = f.post(&f.clusters(), json!({"name": "X"})).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "MISSING_ATTRIBUTE");

    let (_, group) = f.get(&f.t.url(&format!("/groups/{}", f.t.group_id))).await;
    assert_eq!(group["clusterCount"], 1, "{group}");
    let (status, list) = f.get(&f.clusters()).await;
    assert_eq!(status, 200);
    assert_eq!(list["totalCount"], 1);
    let (status, one) = f.get(&format!("{}/Cluster0", f.clusters())).await;
    assert_eq!(
        (status, one["mongoDBMajorVersion"].clone()),
        (200, json!("7.0"))
    );
    let (status, body) = f.get(&format!("{}/Nope", f.clusters())).await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "CLUSTER_NOT_FOUND");

    // A scope must name a cluster of the project.
    let mut user = x509_user("CN=scoped", read_any());
    user["scopes"] = json!([{"name": "Nope", "type": "CLUSTER"}, {"name": "Cluster0", "type": "CLUSTER"}, {"name": "Cluster0", "type": "CLUSTER"}]);
    let (status, body) = f.post(&f.users(), user.clone()).await;
    assert_eq!(status, 400);
    let detail = assert_error(&body, 400, "SCOPE_CLUSTER_NOT_FOUND");
    assert!(
        detail.contains("scopes[0].name") && detail.contains("Nope"),
        "{detail}"
    );
    assert_eq!(body["errors"][1]["errorCode"], "DUPLICATE_SCOPE", "{body}");
    user["scopes"] = json!([{"name": "Cluster0", "type": "CLUSTER"}]);
    let (status, body) = f.post(&f.users(), user).await;
    assert_eq!(status, 201, "{body}");

    let (status, body) = f.delete(&format!("{}/Cluster0", f.clusters())).await;
    assert_eq!(status, 409, "{body}");
    let body: Value = serde_json::from_str(&body).expect("JSON");
    let detail = assert_error(&body, 409, "CLUSTER_IN_USE");
    assert!(detail.contains("CN=scoped"), "{detail}");

    let (status, _) = f.delete(&f.user("CN=scoped")).await;
    assert_eq!(status, 204);
    let (status, body) = f.delete(&format!("{}/Cluster0", f.clusters())).await;
    assert_eq!((status, body.as_str()), (204, ""));
    let (status, _) = f.delete(&format!("{}/Cluster0", f.clusters())).await;
    assert_eq!(status, 404);
    let (_, group) = f.get(&f.t.url(&format!("/groups/{}", f.t.group_id))).await;
    assert_eq!(group["clusterCount"], 0, "{group}");
    let kinds: Vec<String> = f.events().await.into_iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        [
            "CLUSTER_ADDED",
            "MONGODB_USER_ADDED",
            "MONGODB_USER_DELETED",
            "CLUSTER_DELETED"
        ]
    );
    f.stop().await;
}

/// PATCH of a cluster's version and member certificate subject (issue 21 item 11, issue 16 item 4), its
/// event, and the Access Check's cluster-member step over the API.
#[tokio::test]
async fn cluster_edit_version_and_member_subject() {
    let f = Fixture::start(true).await;
    let cluster0 = format!("{}/Cluster0", f.clusters());
    let (status, body) = f
        .post(
            &f.clusters(),
            json!({"name": "Cluster0", "mongoDBMajorVersion": "7.0", "memberCertificateSubject": "CN=node0, O=Acme, OU=Servers"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["memberCertificateSubject"], "CN=node0,O=Acme,OU=Servers",
        "saved in RFC 2253 form: {body}"
    );
    let (status, body) = f
        .patch(
            &cluster0,
            json!({"mongoDBMajorVersion": "8.3", "memberCertificateSubject": "CN=node1,OU=Servers,O=Acme,DC=example"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, one) = f.get(&cluster0).await;
    assert_eq!(status, 200);
    assert_eq!(
        one,
        json!({"groupId": f.t.group_id, "name": "Cluster0", "mongoDBMajorVersion": "8.3",
            "memberCertificateSubject": "CN=node1,OU=Servers,O=Acme,DC=example"})
    );
    // An action that needs 8.3 is now allowed in a custom role.
    let (status, body) = f
        .post(
            &f.t.url(&format!("/groups/{}/customDBRoles/roles", f.t.group_id)),
            json!({"roleName": "rewriter", "actions": [{"action": "REWRITE_COLLECTION",
                "resources": [{"db": "sales", "collection": "orders"}]}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Refusals: bad version, not a DN, reversed form (naming the name to send), no O/OU/DC, rename,
    // unknown cluster, unknown field.
    let cases = [
        (
            json!({"mongoDBMajorVersion": "latest"}),
            400,
            "INVALID_MONGODB_VERSION",
        ),
        (json!({"memberCertificateSubject": "CN"}), 400, "INVALID_DN"),
        (
            json!({"memberCertificateSubject": "/O=Acme/OU=Servers/CN=node1"}),
            400,
            "DN_NOT_IN_RFC2253_ORDER",
        ),
        (
            json!({"memberCertificateSubject": "CN=node1,C=US"}),
            400,
            "INVALID_MEMBER_CERTIFICATE_SUBJECT",
        ),
        (json!({"name": "Other"}), 400, "CLUSTER_RENAME_NOT_ALLOWED"),
        (json!({"replicationSpecs": []}), 400, "INVALID_ATTRIBUTE"),
    ];
    for (body, status, code) in cases {
        let (got, answer) = f.patch(&cluster0, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        let detail = assert_error(&answer, status, code);
        if code == "DN_NOT_IN_RFC2253_ORDER" {
            assert!(detail.contains("CN=node1,OU=Servers,O=Acme"), "{detail}");
        }
    }
    let (status, body) = f
        .patch(
            &format!("{}/Nope", f.clusters()),
            json!({"mongoDBMajorVersion": "8.0"}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "CLUSTER_NOT_FOUND");
    let (_, one) = f.get(&cluster0).await;
    assert_eq!(
        one["mongoDBMajorVersion"], "8.3",
        "refusals change nothing: {one}"
    );

    // The Access Check flags a client DN with the same O, OU and DC, whatever the CN and order.
    let check = f.t.url(&format!("/groups/{}/accessCheck", f.t.group_id));
    let member_step = |answer: &Value| {
        answer["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .find(|s| s["step"] == "cluster_member")
            .cloned()
            .unwrap_or_else(|| panic!("no cluster_member step: {answer}"))
    };
    let (status, answer) = f
        .post(
            &check,
            json!({"username": "CN=app,DC=example,O=Acme,OU=Servers"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let step = member_step(&answer);
    assert_eq!(step["result"], "fail", "{step}");
    assert_eq!(step["code"], "taken_as_cluster_member", "{step}");
    let detail = step["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("Cluster0") && detail.contains("OU=Servers"),
        "{detail}"
    );
    let (_, answer) = f
        .post(
            &check,
            json!({"username": "CN=app,OU=Clients,O=Acme,DC=example"}),
        )
        .await;
    assert_eq!(member_step(&answer)["result"], "pass", "{answer}");

    // null clears the subject; then nothing is flagged.
    let (status, body) = f
        .patch(&cluster0, json!({"memberCertificateSubject": null}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("memberCertificateSubject").is_none(), "{body}");
    let (_, answer) = f
        .post(
            &check,
            json!({"username": "CN=app,DC=example,O=Acme,OU=Servers"}),
        )
        .await;
    assert_eq!(member_step(&answer)["result"], "pass", "{answer}");

    let updates: Vec<(String, String)> = f
        .events()
        .await
        .into_iter()
        .filter(|e| e.0 == "CLUSTER_UPDATED")
        .map(|e| (e.2, e.3))
        .collect();
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert_eq!(updates[0].0, "Cluster0");
    assert!(
        updates[0].1.contains("8.3") && updates[0].1.contains("DC=example"),
        "{updates:?}"
    );
    f.stop().await;
}

#[tokio::test]
async fn creates_canonical_names_and_finds_them_by_any_typing() {
    let f = Fixture::start(true).await;
    let (status, body) = f
        .post(&f.users(), x509_user("cn=Jane Doe,  o=Acme", read_any()))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["username"], "CN=Jane Doe,O=Acme");
    assert_eq!(body["groupId"], f.t.group_id.as_str());
    assert_eq!(body["x509Type"], "CUSTOMER");
    assert_eq!(body["awsIAMType"], "NONE");

    // The same name typed differently is a duplicate.
    let (status, body) = f
        .post(&f.users(), x509_user("CN=Jane Doe, O=Acme", read_any()))
        .await;
    assert_eq!(status, 409);
    let detail = assert_error(&body, 409, "DUPLICATE_DATABASE_USERNAME");
    assert!(
        detail.contains("\"CN=Jane Doe,O=Acme\"") && detail.contains("you typed"),
        "{detail}"
    );
    // Named as a conflict over the username, so a form shows it beside that field.
    assert_eq!(body["errors"][0]["field"], "username", "{body}");
    assert_eq!(
        body["errors"][0]["errorCode"], "DUPLICATE_DATABASE_USERNAME",
        "{body}"
    );

    // Found by its canonical form and by another typing, percent-encoded.
    for typed in [
        "CN=Jane Doe,O=Acme",
        "CN=Jane Doe, O=Acme",
        "cn=Jane Doe,o=Acme",
    ] {
        let (status, body) = f.get(&f.user(typed)).await;
        assert_eq!(status, 200, "{typed}: {body}");
        assert_eq!(body["username"], "CN=Jane Doe,O=Acme");
    }
    // Also when the client leaves the spaces encoded as %20 only (what encode() does) and through v1.0.
    let v1 = f
        .user("CN=Jane Doe,O=Acme")
        .replace("/api/atlas/v2/", "/api/atlas/v1.0/");
    assert_eq!(f.get(&v1).await.0, 200);

    // Multi-valued RDN (+), escaped comma, escaped backslash, a slash.
    for (typed, canonical) in [
        ("CN=a+UID=b,O=Acme", None),
        (r"CN=Doe\, Jane,O=Acme", None),
        (r"CN=back\\slash,O=Acme", None),
        ("CN=a/b,O=Acme", None::<&str>),
    ] {
        let (status, body) = f.post(&f.users(), x509_user(typed, read_any())).await;
        assert_eq!(status, 201, "{typed}: {body}");
        let stored = body["username"].as_str().unwrap_or_default().to_owned();
        if let Some(canonical) = canonical {
            assert_eq!(stored, canonical);
        }
        let url = f.user(&stored);
        for needed in ["%2C", "%3D"] {
            assert!(url.contains(needed), "{url}");
        }
        let (status, body) = f.get(&url).await;
        assert_eq!(status, 200, "{url}: {body}");
        assert_eq!(body["username"], stored.as_str());
    }
    assert!(f.user("CN=a+UID=b").contains("%2B"));
    assert!(f.user(r"CN=x\,y").contains("%5C"));
    assert!(f.user("CN=a/b").contains("%2F"));
    // A literal `+` in the path is a plus, not a space.
    let literal = format!("{}/%24external/CN%3Da+UID%3Db%2CO%3DAcme", f.users());
    let (status, body) = f.get(&literal).await;
    assert_eq!(status, 200, "{body}");
    // (The canonical form orders the values of a multi-valued RDN as their DER encoding does.)
    assert_eq!(body["username"], "UID=b+CN=a,O=Acme");

    // Not found: the detail says where it looked.
    let (status, body) = f.get(&f.user("CN=Nobody, O=Acme")).await;
    assert_eq!(status, 404);
    let detail = assert_error(&body, 404, "USERNAME_NOT_FOUND");
    assert!(
        detail.contains("$external") && detail.contains("canonical form \"CN=Nobody,O=Acme\""),
        "{detail}"
    );
    let (status, body) = f
        .get(&format!(
            "{}/admin/{}",
            f.users(),
            encode("CN=Jane Doe,O=Acme")
        ))
        .await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "USERNAME_NOT_FOUND");
    f.stop().await;
}

#[tokio::test]
async fn refuses_other_kinds_of_users_and_bad_names() {
    let f = Fixture::start(false).await;
    let (status, body) = f.post(&f.users(), x509_user("CN=a", read_any())).await;
    assert_eq!(status, 409);
    let detail = assert_error(&body, 409, "X509_AUTHENTICATION_NOT_ENABLED");
    assert!(
        detail.contains("Advanced") && detail.contains("userSecurity"),
        "{detail}"
    );
    f.stop().await;

    let f = Fixture::start(true).await;
    let cases = [
        (
            json!({"password": "hunter2", "x509Type": "NONE"}),
            "password",
        ),
        (json!({"awsIAMType": "USER"}), "awsIAMType"),
        (json!({"ldapAuthType": "GROUP"}), "ldapAuthType"),
        (json!({"oidcAuthType": "USER"}), "oidcAuthType"),
        (json!({"x509Type": "MANAGED"}), "x509Type"),
        (json!({"x509Type": "NONE"}), "x509Type"),
    ];
    for (extra, field) in cases {
        let mut user = x509_user("CN=a", read_any());
        for (k, v) in extra.as_object().into_iter().flatten() {
            user[k] = v.clone();
        }
        let (status, body) = f.post(&f.users(), user).await;
        assert_eq!(status, 400, "{field}: {body}");
        let detail = assert_error(&body, 400, "UNSUPPORTED_DATABASE_USER_TYPE");
        assert!(
            detail.contains("self-managed X.509 (certificate)") && detail.contains(field),
            "{detail}"
        );
        assert!(!detail.contains("hunter2"), "{detail}");
    }
    let mut no_type = x509_user("CN=a", read_any());
    no_type.as_object_mut().map(|o| o.remove("x509Type"));
    let (status, body) = f.post(&f.users(), no_type).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "UNSUPPORTED_DATABASE_USER_TYPE");

    let mut admin_db = x509_user("CN=a", read_any());
    admin_db["databaseName"] = json!("admin");
    let (status, body) = f.post(&f.users(), admin_db).await;
    assert_eq!(status, 400);
    let detail = assert_error(&body, 400, "INVALID_DATABASE_NAME_FOR_X509_USER");
    assert!(detail.contains("$external"), "{detail}");

    let (status, body) = f.post(&f.users(), x509_user("CN=a,,O=b", read_any())).await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_error(&body, 400, "INVALID_DN");
    assert!(
        detail.contains("username") && detail.contains("character "),
        "{detail}"
    );
    assert_eq!(body["errors"][0]["field"], "username");

    let mut unknown = x509_user("CN=a", read_any());
    unknown["nickname"] = json!("x");
    let (status, body) = f.post(&f.users(), unknown).await;
    assert_eq!(status, 400);
    let detail = assert_error(&body, 400, "INVALID_ATTRIBUTE");
    assert!(detail.contains("nickname"), "{detail}");
    let (status, body) = f
        .post(
            &f.users(),
            json!({"databaseName": "$external", "x509Type": "CUSTOMER"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "MISSING_ATTRIBUTE");
    assert!(
        f.events()
            .await
            .iter()
            .all(|e| !e.0.starts_with("MONGODB_USER")),
        "refusals write no event"
    );
    f.stop().await;
}

#[tokio::test]
async fn role_label_description_and_date_rules() {
    let f = Fixture::start(true).await;
    sqlx::query("INSERT INTO custom_roles (project_id, role_name, body, created_at, updated_at) VALUES ($1, 'analyst', '{}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')")
        .bind(&f.t.group_id)
        .execute(&f.pool)
        .await
        .expect("a custom role row");
    let cases = [
        (
            json!([{"roleName": "analyst", "databaseName": "admin"}, {"roleName": "read", "databaseName": "sales"}]),
            "CUSTOM_ROLE_MUST_BE_ONLY_ROLE",
            "roles[0].roleName",
        ),
        (
            json!([{"roleName": "atlasAdmin", "databaseName": "sales"}]),
            "ROLE_REQUIRES_ADMIN_DATABASE",
            "roles[0].databaseName",
        ),
        (
            json!([{"roleName": "dbAdmin", "databaseName": "sales", "collectionName": "orders"}]),
            "COLLECTION_NOT_ALLOWED_FOR_ROLE",
            "roles[0].collectionName",
        ),
        (
            json!([{"roleName": "readWriteAnyDatabase", "databaseName": "local"}]),
            "DATABASE_NOT_ALLOWED_FOR_ROLE",
            "roles[0].databaseName",
        ),
        (
            json!([{"roleName": "dbAdminAnyDatabase", "databaseName": "config"}]),
            "DATABASE_NOT_ALLOWED_FOR_ROLE",
            "roles[0].databaseName",
        ),
        (json!([]), "NO_ROLES", "roles"),
        (
            json!([{"roleName": "Read", "databaseName": "sales"}]),
            "UNKNOWN_ROLE",
            "roles[0].roleName",
        ),
    ];
    for (roles, code, field) in cases {
        let (status, body) = f.post(&f.users(), x509_user("CN=r", roles.clone())).await;
        assert_eq!(status, 400, "{roles}: {body}");
        let detail = assert_error(&body, 400, code);
        assert!(detail.contains(field), "{detail}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    // The custom role alone is fine.
    let (status, body) = f
        .post(
            &f.users(),
            x509_user(
                "CN=analyst",
                json!([{"roleName": "analyst", "databaseName": "admin"}]),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // Every problem is listed, each on its field.
    let mut user = x509_user(
        "CN=many",
        json!([{"roleName": "atlasAdmin", "databaseName": "x"}]),
    );
    user["labels"] = json!([{"key": "", "value": "a"}, {"key": "team", "value": "a"}, {"key": "team", "value": "b"}]);
    user["description"] = json!("d".repeat(1025));
    user["deleteAfterDate"] = json!("2020-01-01T00:00:00Z");
    let (status, body) = f.post(&f.users(), user).await;
    assert_eq!(status, 400);
    let detail = assert_error(&body, 400, "ROLE_REQUIRES_ADMIN_DATABASE");
    assert!(detail.contains("4 more problems"), "{detail}");
    let got: Vec<(String, String)> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or("").to_owned(),
                e["errorCode"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("roles[0].databaseName", "ROLE_REQUIRES_ADMIN_DATABASE"),
        ("labels[0].key", "LABEL_KEY_EMPTY"),
        ("labels[2].key", "DUPLICATE_LABEL_KEY"),
        ("description", "DESCRIPTION_TOO_LONG"),
        ("deleteAfterDate", "DELETE_AFTER_DATE_IN_PAST"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(got, want);

    for (date, code) in [
        ("next week", "INVALID_DELETE_AFTER_DATE"),
        (
            access_core::time::format_rfc3339(now() + 8 * DAY).as_str(),
            "DELETE_AFTER_DATE_TOO_FAR",
        ),
    ] {
        let mut user = x509_user("CN=temp", read_any());
        user["deleteAfterDate"] = json!(date);
        let (status, body) = f.post(&f.users(), user).await;
        assert_eq!(status, 400, "{body}");
        assert_error(&body, 400, code);
        assert_eq!(body["errors"][0]["field"], "deleteAfterDate");
    }
    let kinds: Vec<String> = f.events().await.into_iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        ["MONGODB_USER_ADDED"],
        "only the accepted user has an event"
    );
    f.stop().await;
}

#[tokio::test]
async fn patch_and_delete_with_events() {
    let f = Fixture::start(true).await;
    let (status, created) = f
        .post(&f.users(), x509_user("CN=Jane Doe,O=Acme", read_any()))
        .await;
    assert_eq!(status, 201, "{created}");
    let url = f.user("CN=Jane Doe, O=Acme");
    let (status, body) = f
        .patch(&url, json!({"roles": [{"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"}], "description": "billing"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["roles"],
        json!([{"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"}])
    );
    assert_eq!(body["description"], "billing");
    // A GET body can be sent back as is.
    let (_, got) = f.get(&url).await;
    assert_eq!(got, body);
    let (status, again) = f.patch(&url, got.clone()).await;
    assert_eq!(status, 200, "{again}");

    // Refused changes: nothing stored, no event.
    let before_events = f.events().await.len();
    let (status, body) = f.patch(&url, json!({"username": "CN=Someone Else"})).await;
    assert_eq!(status, 400);
    let detail = assert_error(&body, 400, "CANNOT_RENAME_DATABASE_USER");
    assert!(detail.contains("username"), "{detail}");
    let (status, body) = f.patch(&url, json!({"databaseName": "admin"})).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "CANNOT_RENAME_DATABASE_USER");
    let (status, body) = f
        .patch(
            &url,
            json!({"roles": [{"roleName": "atlasAdmin", "databaseName": "sales"}]}),
        )
        .await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "ROLE_REQUIRES_ADMIN_DATABASE");
    let (status, body) = f.patch(&url, json!({"password": "x"})).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "UNSUPPORTED_DATABASE_USER_TYPE");
    assert_eq!(f.events().await.len(), before_events);
    assert_eq!(f.get(&url).await.1, got);

    let (status, text) = f.delete(&url).await;
    assert_eq!((status, text.as_str()), (204, ""));
    let (status, body) = f.get(&url).await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "USERNAME_NOT_FOUND");
    let (status, _) = f.delete(&url).await;
    assert_eq!(status, 404);

    let events = f.events().await;
    let kinds: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.0.as_str(), e.1.as_str(), e.2.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("MONGODB_USER_ADDED", "owner", "CN=Jane Doe,O=Acme"),
            ("MONGODB_USER_UPDATED", "owner", "CN=Jane Doe,O=Acme"),
            ("MONGODB_USER_DELETED", "owner", "CN=Jane Doe,O=Acme"),
        ],
        "the PATCH that changed nothing wrote no event"
    );
    let update: Value = serde_json::from_str(&events[1].3).expect("detail JSON");
    assert_eq!(update["before"]["roles"], read_any());
    assert_eq!(update["after"]["description"], "billing");
    let deleted: Value = serde_json::from_str(&events[2].3).expect("detail JSON");
    assert!(
        deleted.get("after").is_none() && deleted["before"]["username"] == "CN=Jane Doe,O=Acme"
    );
    f.stop().await;
}

#[tokio::test]
async fn lists_with_paging_and_a_name_filter() {
    let f = Fixture::start(true).await;
    for name in [
        "CN=carol",
        "CN=alice,O=Acme",
        "CN=Bob,O=acme",
        "CN=dave,O=Other",
    ] {
        let (status, body) = f.post(&f.users(), x509_user(name, read_any())).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = f.get(&format!("{}?itemsPerPage=2", f.users())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["totalCount"], 4);
    let names = |body: &Value| -> Vec<String> {
        body["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| u["username"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(names(&body), ["CN=Bob,O=acme", "CN=alice,O=Acme"]);
    let (_, page2) = f
        .get(&format!("{}?itemsPerPage=2&pageNum=2", f.users()))
        .await;
    assert_eq!(names(&page2), ["CN=carol", "CN=dave,O=Other"]);
    let (_, filtered) = f
        .get(&format!("{}?username=o%3Dacme&itemsPerPage=1", f.users()))
        .await;
    assert_eq!(filtered["totalCount"], 2, "{filtered}");
    assert_eq!(names(&filtered), ["CN=Bob,O=acme"]);
    let next = filtered["links"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["rel"] == "next")
        .and_then(|l| l["href"].as_str())
        .unwrap_or("")
        .to_owned();
    assert!(
        next.contains("username=o%3Dacme") && next.contains("pageNum=2"),
        "{filtered}"
    );
    let (_, second) = f.get(&next).await;
    assert_eq!(names(&second), ["CN=alice,O=Acme"]);
    let (status, body) = f.get(&format!("{}?itemsPerPage=501", f.users())).await;
    assert_eq!(status, 400);
    assert_error(&body, 400, "INVALID_QUERY_PARAMETER");
    f.stop().await;
}

#[tokio::test]
async fn expired_users_are_hidden_and_swept_with_an_event() {
    let f = Fixture::start(true).await;
    let mut user = x509_user("CN=temp", read_any());
    let at = now() + 60;
    user["deleteAfterDate"] = json!(access_core::time::format_rfc3339(at));
    let (status, body) = f.post(&f.users(), user).await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = f.get(&f.user("CN=temp")).await;
    assert_eq!(status, 200);
    assert_eq!(
        database_users::remove_expired_users(&f.pool, at - 1)
            .await
            .expect("sweep"),
        0
    );
    assert_eq!(
        database_users::remove_expired_users(&f.pool, at + 1)
            .await
            .expect("sweep"),
        1
    );
    let (status, _) = f.get(&f.user("CN=temp")).await;
    assert_eq!(status, 404);
    let events = f.events().await;
    let last = events.last().expect("an event");
    assert_eq!(
        (last.0.as_str(), last.1.as_str(), last.2.as_str()),
        ("MONGODB_USER_EXPIRED", events::SYSTEM, "CN=temp")
    );

    // A user already past its date is never answered, swept or not.
    sqlx::query("UPDATE database_users SET delete_after = '2020-01-01T00:00:00Z'")
        .execute(&f.pool)
        .await
        .expect("update");
    let (status, body) = f.post(&f.users(), x509_user("CN=old", read_any())).await;
    assert_eq!(status, 201, "{body}");
    sqlx::query(
        "UPDATE database_users SET delete_after = '2020-01-01T00:00:00Z' WHERE username = 'CN=old'",
    )
    .execute(&f.pool)
    .await
    .expect("update");
    let (status, _) = f.get(&f.user("CN=old")).await;
    assert_eq!(status, 404);
    let (_, list) = f.get(&f.users()).await;
    assert_eq!(list["totalCount"], 0, "{list}");
    // ... and the name can be taken again (the write removes the expired user first, with its event).
    let (status, body) = f.post(&f.users(), x509_user("CN=old", read_any())).await;
    assert_eq!(status, 201, "{body}");
    let kinds: Vec<String> = f
        .events()
        .await
        .into_iter()
        .map(|e| e.0)
        .rev()
        .take(2)
        .collect();
    assert_eq!(kinds, ["MONGODB_USER_ADDED", "MONGODB_USER_EXPIRED"]);
    f.stop().await;
}

#[tokio::test]
async fn lists_page_and_filter_many_users() {
    // How fast this is with 10,000 users: `cargo run --release -p access-console --example
    // users_list_timing` (figures in docs/benchmarks.md); here only what the answers say.
    let f = Fixture::start(true).await;
    let mut tx = f.pool.begin().await.expect("tx");
    for i in 0..1_200 {
        let user = DatabaseUser {
            group_id: Some(f.t.group_id.clone()),
            database_name: "$external".to_owned(),
            username: format!("CN=user{i:05},O=Acme"),
            x509_type: X509Type::Customer,
            aws_iam_type: Default::default(),
            ldap_auth_type: Default::default(),
            oidc_auth_type: Default::default(),
            roles: vec![
                UserRole::new("readAnyDatabase", "admin"),
                UserRole::new("read", format!("db{i}")),
            ],
            scopes: vec![],
            labels: vec![],
            description: None,
            delete_after_date: None,
            password: None,
        };
        database_users::insert(&mut tx, &f.t.group_id, &user, "test", now())
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    for (query, results, total, first) in [
        ("?itemsPerPage=100", 100, 1_200, "CN=user00000,O=Acme"),
        (
            "?itemsPerPage=500&pageNum=3",
            200,
            1_200,
            "CN=user01000,O=Acme",
        ),
        ("?username=USER0099", 10, 10, "CN=user00990,O=Acme"),
    ] {
        let (status, body) = f.get(&format!("{}{query}", f.users())).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(body["totalCount"], total, "{query}");
        let list = body["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), results, "{query}");
        assert_eq!(list[0]["username"], first, "{query}");
        // Each user comes with its own roles, in order (read for the whole page at once).
        for user in &list {
            let number = user["username"].as_str().unwrap_or_default()[7..12]
                .trim_start_matches('0')
                .to_owned();
            let db = format!("db{}", if number.is_empty() { "0" } else { &number });
            assert_eq!(
                user["roles"],
                serde_json::json!([
                    {"roleName": "readAnyDatabase", "databaseName": "admin"},
                    {"roleName": "read", "databaseName": db}
                ]),
                "{query}"
            );
        }
    }
    f.stop().await;
}

#[tokio::test]
async fn a_list_without_count_omits_it_and_still_links_the_next_page() {
    let f = Fixture::start(true).await;
    for n in 0..5 {
        let (status, body) = f
            .post(
                &f.users(),
                x509_user(&format!("CN=user{n},O=Acme"), read_any()),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let rels = |body: &Value| -> Vec<String> {
        body["links"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|l| l["rel"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, counted) = f
        .get(&format!("{}?itemsPerPage=2&pageNum=2", f.users()))
        .await;
    assert_eq!(status, 200, "{counted}");
    assert_eq!(counted["totalCount"], 5);
    assert_eq!(rels(&counted), ["self", "previous", "next"]);
    let (_, uncounted) = f
        .get(&format!(
            "{}?itemsPerPage=2&pageNum=2&includeCount=false",
            f.users()
        ))
        .await;
    assert!(uncounted.get("totalCount").is_none(), "{uncounted}");
    assert_eq!(uncounted["results"], counted["results"]);
    assert_eq!(rels(&uncounted), ["self", "previous", "next"]);
    // The last page is not full: no next.
    let (_, last) = f
        .get(&format!(
            "{}?itemsPerPage=2&pageNum=3&includeCount=false",
            f.users()
        ))
        .await;
    assert_eq!(last["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(rels(&last), ["self", "previous"]);
    f.stop().await;
}

#[tokio::test]
async fn refuses_names_in_openssls_most_significant_first_forms() {
    let f = Fixture::start(true).await;
    // openssl's most-significant-first forms are refused with the name to send; nothing is stored.
    for typed in [
        "C = US, O = Acme, CN = Jane Doe",
        "subject=C = US, O = Acme, CN = Jane Doe",
        "/C=US/O=Acme/CN=Jane Doe",
    ] {
        let (status, body) = f.post(&f.users(), x509_user(typed, read_any())).await;
        assert_eq!(status, 400, "{typed}: {body}");
        let detail = assert_error(&body, 400, "DN_NOT_IN_RFC2253_ORDER");
        assert!(
            detail.contains("send \"CN=Jane Doe,O=Acme,C=US\""),
            "{typed}: {detail}"
        );
        assert_eq!(body["errors"][0]["field"], "username");
        // Looked up in that form, the user is not found, and the answer names the RFC 2253 form.
        let (status, body) = f.get(&f.user(typed)).await;
        assert_eq!(status, 404, "{typed}: {body}");
        let detail = assert_error(&body, 404, "USERNAME_NOT_FOUND");
        assert!(detail.contains("CN=Jane Doe,O=Acme,C=US"), "{detail}");
    }
    let (_, listed) = f.get(&f.users()).await;
    assert_eq!(listed["totalCount"], 0, "{listed}");
    // The same name in RFC 2253 order is taken (with spaces, as typed by hand).
    let (status, body) = f
        .post(
            &f.users(),
            x509_user("CN = Jane Doe, O = Acme, C = US", read_any()),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["username"], "CN=Jane Doe,O=Acme,C=US");

    f.stop().await;
}
