//! Export, import and drift (`/groups/{groupId}/export`, `/import`, `/drift`) against the real server:
//! every format over HTTP, the JSON document's round trip into another server, the dry run, refusals
//! with the usual rule errors (nothing written), who may do what, and drift with "adopt".

mod common;

use common::{account_token, assert_error, client_with_token, Pki, TestServer};
use serde_json::{json, Value};

async fn post(t: &TestServer, path: &str, body: Value) -> (u16, Value) {
    t.send(t.client.post(t.url(path)).json(&body)).await
}

/// GET the export: status, content type, content disposition, body text.
async fn export(t: &TestServer, query: &str) -> (u16, String, String, String) {
    let response = t
        .client
        .get(t.url(&format!("/groups/{}/export?{query}", t.group_id)))
        .send()
        .await
        .expect("GET export");
    let status = response.status().as_u16();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let disposition = header(reqwest::header::CONTENT_DISPOSITION);
    (
        status,
        content_type,
        disposition,
        response.text().await.expect("body"),
    )
}

/// A project with a CA bundle, two clusters, an inheriting pair of roles, users of every kind and a
/// changed alert setting.
async fn populate(t: &TestServer, pki: &Pki) {
    let ca = pki.self_signed("/O=Acme/CN=Export Test CA", 365);
    let (status, body) = t.patch_cas(&ca.pem).await;
    assert_eq!(status, 200, "{body}");
    let g = &t.group_id;
    for (name, version) in [("east", "8.0"), ("west", "7.0")] {
        let (status, body) = post(
            t,
            &format!("/groups/{g}/clusters"),
            json!({"name": name, "mongoDBMajorVersion": version}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    for role in [
        json!({"roleName": "base", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]}),
        json!({"roleName": "child", "actions": [{"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}],
               "inheritedRoles": [{"role": "base", "db": "admin"}, {"role": "read", "db": "hr"}]}),
    ] {
        let (status, body) = post(t, &format!("/groups/{g}/customDBRoles/roles"), role).await;
        assert_eq!(status, 200, "{body}");
    }
    let tomorrow = access_core::time::format_rfc3339(common::now() + 86_400);
    for user in [
        json!({"databaseName": "$external", "username": "CN=Jane Doe,O=Acme", "x509Type": "CUSTOMER",
               "roles": [{"roleName": "child", "databaseName": "admin"}],
               "scopes": [{"name": "east", "type": "CLUSTER"}], "labels": [{"key": "team", "value": "sales"}]}),
        json!({"databaseName": "$external", "username": "CN=Reader,O=Acme", "x509Type": "CUSTOMER",
               "roles": [{"roleName": "read", "databaseName": "sales", "collectionName": "orders"}],
               "description": "reports", "deleteAfterDate": tomorrow}),
        json!({"databaseName": "$external", "username": "CN=Ops,O=Acme", "x509Type": "CUSTOMER",
               "roles": [{"roleName": "atlasAdmin", "databaseName": "admin"}]}),
    ] {
        let (status, body) = post(t, &format!("/groups/{g}/databaseUsers"), user).await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, configs) = t
        .send(t.client.get(t.url(&format!("/groups/{g}/alertConfigs"))))
        .await;
    let id = configs["results"][0]["id"]
        .as_str()
        .expect("the CA-expiry alert");
    let (status, body) = t
        .patch_on(
            &format!("/groups/{g}/alertConfigs/{id}"),
            json!({"threshold": {"operator": "LESS_THAN", "units": "DAYS", "threshold": 21}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn json_export_imports_into_an_empty_project_of_another_server_and_exports_the_same() {
    let pki = Pki::new();
    let source = TestServer::start().await;
    populate(&source, &pki).await;
    let (status, content_type, disposition, document) = export(&source, "format=json").await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(content_type, "application/json");
    assert_eq!(disposition, "attachment; filename=\"project.json\"");
    let parsed: Value = serde_json::from_str(&document).unwrap();
    assert_eq!(parsed["format"], "access-console-project");
    assert_eq!(parsed["databaseUsers"].as_array().unwrap().len(), 3);
    assert_eq!(parsed["alertSettings"][0]["thresholdDays"], 21);
    assert!(parsed.get("events").is_none() && parsed.get("accounts").is_none());

    let target = TestServer::start().await;
    let import_path = format!("/groups/{}/import", target.group_id);
    let (_, _, _, empty_before) = export(&target, "format=json").await;
    let (status, dry) = post(
        &target,
        &format!("{import_path}?dryRun=true"),
        parsed.clone(),
    )
    .await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["dryRun"], true);
    let changes = dry["changes"].as_array().unwrap();
    assert!(
        changes.contains(&json!({"target": "CA_BUNDLE", "name": "customerX509", "change": "ADD"}))
    );
    assert!(changes.contains(&json!({"target": "CUSTOM_ROLE", "name": "child", "change": "ADD"})));
    assert!(changes
        .contains(&json!({"target": "DATABASE_USER", "name": "CN=Ops,O=Acme", "change": "ADD"})));
    let (_, _, _, still_empty) = export(&target, "format=json").await;
    assert_eq!(still_empty, empty_before, "a dry run writes nothing");

    let (status, applied) = post(&target, &import_path, parsed.clone()).await;
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["dryRun"], false);
    assert_eq!(applied["changes"], dry["changes"]);
    let (_, _, _, again) = export(&target, "format=json").await;
    assert_eq!(
        again, document,
        "export → import → export gives the same document"
    );
    let (status, twice) = post(&target, &import_path, parsed).await;
    assert_eq!(status, 200, "{twice}");
    assert_eq!(
        twice["changes"],
        json!([]),
        "a second import changes nothing"
    );

    // Every change is in the activity feed, by its account.
    let (_, events) = target
        .send(target.client.get(target.url(&format!(
            "/groups/{}/events?eventType=MONGODB_USER_ADDED",
            target.group_id
        ))))
        .await;
    assert_eq!(events["totalCount"], 3, "{events}");
    source.stop().await;
    target.stop().await;
}

#[tokio::test]
async fn import_refuses_a_document_that_breaks_a_rule_and_writes_nothing() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    populate(&t, &pki).await;
    let (_, _, _, before) = export(&t, "format=json").await;
    let path = format!("/groups/{}/import", t.group_id);
    let mut document: Value = serde_json::from_str(&before).unwrap();
    document["databaseUsers"][1]["roles"] =
        json!([{"roleName": "nosuchrole", "databaseName": "admin"}]);
    let (_, body) = post(&t, &path, document.clone()).await;
    assert_error(&body, 400, "UNKNOWN_ROLE");
    assert!(
        body["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("databaseUsers[1].roles[0]"),
        "{body}"
    );

    let mut cycle: Value = serde_json::from_str(&before).unwrap();
    cycle["customRoles"][0]["inheritedRoles"] = json!([{"role": "child", "db": "admin"}]);
    let (status2, body2) = post(&t, &path, cycle).await;
    assert_eq!(status2, 400, "{body2}");
    assert_error(&body2, 400, "INHERITED_ROLE_CYCLE");
    assert!(
        body2["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("customRoles[0]"),
        "{body2}"
    );

    document["format"] = json!("something-else");
    let (_, body) = post(&t, &path, document).await;
    assert_error(&body, 400, "IMPORT_WRONG_FORMAT");
    let (_, body) = t
        .send(
            t.client
                .post(t.url(&path))
                .json(&json!({"format": "access-console-project"})),
        )
        .await;
    assert_error(&body, 400, "INVALID_ATTRIBUTE");
    let (_, body) = t
        .send(
            t.client
                .post(t.url(&format!("{path}?dryRun=maybe")))
                .json(&serde_json::from_str::<Value>(&before).unwrap()),
        )
        .await;
    assert_error(&body, 400, "INVALID_QUERY_PARAMETER");
    let (_, body) = t
        .send(
            t.client
                .post(t.url(&format!("{path}?dryRun=true&dryRun=false")))
                .json(&serde_json::from_str::<Value>(&before).unwrap()),
        )
        .await;
    let detail = assert_error(&body, 400, "INVALID_QUERY_PARAMETER");
    assert!(detail.contains("duplicate field `dryRun`"), "{detail}");
    // A document without caBundle (null is how "no CA bundle" is written) is refused, not read as "turn
    // X.509 off" (schemathesis, ST201).
    let mut without = serde_json::from_str::<Value>(&before).unwrap();
    without.as_object_mut().unwrap().remove("caBundle");
    let (status, body) = post(&t, &format!("{path}?dryRun=true"), without).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("caBundle"),
        "{body}"
    );
    let (_, _, _, after) = export(&t, "format=json").await;
    assert_eq!(after, before, "a refused import writes nothing");
    t.stop().await;
}

#[tokio::test]
async fn every_format_over_http_and_who_may_export_or_import() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    let (status, _, _, body) = export(&t, "format=ca-bundle").await;
    assert_eq!(status, 409, "{body}");
    assert_error(
        &serde_json::from_str(&body).unwrap(),
        409,
        "EXPORT_NO_CA_BUNDLE",
    );
    populate(&t, &pki).await;

    let (status, content_type, disposition, script) = export(&t, "format=mongosh").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/javascript; charset=utf-8");
    assert_eq!(disposition, "attachment; filename=\"access.js\"");
    assert!(script.contains("const prune = false;"));
    assert!(
        script.contains("user(\"CN=Ops,O=Acme\", [{\"role\":\"atlasAdmin\",\"db\":\"admin\"}]);"),
        "{script}"
    );
    let (_, _, _, east) = export(&t, "format=mongosh&cluster=east").await;
    let (_, _, _, west) = export(&t, "format=mongosh&cluster=west").await;
    assert!(east.contains("CN=Jane Doe,O=Acme") && !west.contains("user(\"CN=Jane Doe"));

    let (status, content_type, _, hcl) = export(&t, "format=terraform").await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/plain; charset=utf-8")
    );
    assert!(hcl.contains("resource \"mongodbatlas_custom_db_role\" \"role_child\""));
    assert!(hcl.contains("depends_on = [mongodbatlas_custom_db_role.role_base]"));

    let (status, content_type, _, pem) = export(&t, "format=ca-bundle").await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/x-pem-file")
    );
    assert_eq!(pem.trim(), t.stored_cas().await.unwrap().trim());
    let (_, _, _, conf) = export(&t, "format=mongod-conf").await;
    assert!(conf.contains("mode: requireTLS") && conf.contains("rotateCertificates"));

    for (query, code) in [
        ("", "INVALID_QUERY_PARAMETER"),
        ("format=yaml", "INVALID_QUERY_PARAMETER"),
        // A repeated parameter: the Atlas error body, not axum's plain text (schemathesis ST105).
        ("format=json&format=mongosh", "INVALID_QUERY_PARAMETER"),
        ("format=mongosh&cluster=north", "EXPORT_UNKNOWN_CLUSTER"),
        (
            "format=terraform&cluster=east",
            "EXPORT_CLUSTER_NOT_APPLICABLE",
        ),
    ] {
        let (status, _, _, body) = export(&t, query).await;
        assert_eq!(status, 400, "{query}: {body}");
        let detail = assert_error(&serde_json::from_str(&body).unwrap(), 400, code);
        if code == "EXPORT_UNKNOWN_CLUSTER" {
            assert!(detail.contains("east, west"), "{detail}");
        }
    }

    // Read Only: exports (webhook URLs left out of the document), never imports.
    let pool = common::open_database(&t.database_url).await;
    let reader = client_with_token(
        &account_token(
            &pool,
            "reader",
            "reader's long password",
            access_core::project_role::ProjectRole::ReadOnly,
        )
        .await,
    );
    let response = reader
        .get(t.url(&format!("/groups/{}/export?format=json", t.group_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let document: Value = response.json().await.unwrap();
    let (status, body) = t
        .send(
            reader
                .post(t.url(&format!("/groups/{}/import", t.group_id)))
                .json(&document),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_error(&body, 403, "INSUFFICIENT_PROJECT_ROLE");
    t.stop().await;
}

#[tokio::test]
async fn drift_lists_each_side_and_a_deployment_only_user_can_be_adopted() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    populate(&t, &pki).await;
    let g = t.group_id.clone();
    let state = json!({
        "users": {"users": [
            {"_id": "$external.CN=Jane Doe,O=Acme", "user": "CN=Jane Doe,O=Acme", "db": "$external",
             "roles": [{"role": "child", "db": "admin"}, {"role": "root", "db": "admin"}]},
            {"user": "CN=Stranger,O=Acme", "db": "$external", "roles": [{"role": "read", "db": "sales"}]}
        ], "ok": 1},
        "roles": {"roles": [
            {"role": "base", "db": "admin", "isBuiltin": false, "roles": [],
             "privileges": [{"resource": {"db": "sales", "collection": "orders"}, "actions": ["find", "remove"]}]}
        ], "ok": 1}
    });
    let (status, drift) = post(&t, &format!("/groups/{g}/drift"), state).await;
    assert_eq!(status, 200, "{drift}");
    let names = |key: &str| -> Vec<String> {
        drift[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(names("onlyInProject").contains(&"child".to_owned()));
    assert!(names("onlyInProject").contains(&"CN=Ops,O=Acme".to_owned()));
    assert_eq!(names("onlyInDeployment"), ["CN=Stranger,O=Acme"]);
    let different = drift["different"].as_array().unwrap();
    let base = different
        .iter()
        .find(|d| d["name"] == "base")
        .expect("base differs");
    assert_eq!(
        base["details"],
        json!([{"what": "action", "side": "onlyInDeployment", "action": "remove", "resource": "sales.orders"}])
    );
    let jane = different
        .iter()
        .find(|d| d["name"] == "CN=Jane Doe,O=Acme")
        .expect("Jane differs");
    assert_eq!(
        jane["details"],
        json!([{"what": "role", "side": "onlyInDeployment", "role": "root@admin"}])
    );
    let fix = drift["fix"].as_str().unwrap();
    assert!(fix.contains("updateRole(\"base\""), "{fix}");
    assert!(fix.contains(
        "// not in the project: db.getSiblingDB(\"$external\").dropUser(\"CN=Stranger,O=Acme\");"
    ));

    // Adopt: the body goes through the normal create API and its rules.
    let adopt = drift["onlyInDeployment"][0]["adopt"].clone();
    let (status, body) = post(&t, &format!("/groups/{g}/databaseUsers"), adopt).await;
    assert_eq!(status, 201, "{body}");

    let (status, body) = post(&t, &format!("/groups/{g}/drift"), json!({"users": [], "roles": [{"role": "x", "db": "admin", "privileges": [{"resource": {"db": 1}, "actions": []}]}]})).await;
    let detail = assert_error(&body, 400, "DRIFT_STATE_MALFORMED");
    assert_eq!(status, 400);
    assert!(
        detail.contains("roles[0].privileges[0].resource"),
        "{detail}"
    );
    t.stop().await;
}

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(BINARY)
        .args(args)
        .output()
        .expect("access-console runs")
}

#[tokio::test]
async fn the_cli_exports_imports_and_reports_drift_on_the_database() {
    let pki = Pki::new();
    let source = TestServer::start().await;
    populate(&source, &pki).await;
    let target = TestServer::start().await;
    let file = source.dir.path().join("project.json");
    let file_arg = file.to_str().unwrap();

    let out = cli(&[
        "export",
        "--database-url",
        &source.database_url,
        "--group-id",
        &source.group_id,
        "--format",
        "json",
        "--output",
        file_arg,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, _, _, over_http) = export(&source, "format=json").await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), over_http);

    let out = cli(&[
        "import",
        "--database-url",
        &target.database_url,
        "--dry-run",
        file_arg,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("would add DATABASE_USER CN=Jane Doe,O=Acme"),
        "{listed}"
    );
    let out = cli(&["import", "--database-url", &target.database_url, file_arg]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("added CUSTOM_ROLE child"));
    let (_, _, _, imported) = export(&target, "format=json").await;
    assert_eq!(imported, over_http);

    // A file that is not JSON: exit 2, with the line and column.
    let bad = source.dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"format\": oops\n}").unwrap();
    let out = cli(&[
        "import",
        "--database-url",
        &target.database_url,
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = cli(&[
        "export",
        "--database-url",
        &source.database_url,
        "--format",
        "yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));

    // Drift: the state the exported script leaves behind has none (exit 0); a stranger is drift (exit 3).
    let (_, _, _, script) = export(&source, "format=mongosh").await;
    assert!(script.contains("const prune = false;"));
    let users = json!([{"user": "CN=Stranger", "db": "$external", "roles": []}]);
    let state_file = source.dir.path().join("deployment.json");
    std::fs::write(
        &state_file,
        json!({"users": users, "roles": []}).to_string(),
    )
    .unwrap();
    let out = cli(&[
        "drift",
        "--database-url",
        &source.database_url,
        state_file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("only in the deployment: user CN=Stranger"),
        "{text}"
    );
    assert!(text.contains("only in the project: role child"), "{text}");
    source.stop().await;
    target.stop().await;
}

#[tokio::test]
async fn a_whole_projects_state_over_four_mebibytes_is_read_by_drift() {
    let t = TestServer::start().await;
    let users: Vec<Value> = (0..40_000)
        .map(|i| json!({"user": format!("CN=deployment user number {i:06},OU=Somewhere,O=Acme"), "db": "$external", "roles": [{"role": "read", "db": "sales"}]}))
        .collect();
    let state = json!({"users": users, "roles": []});
    assert!(state.to_string().len() > 4 * 1024 * 1024);
    let (status, drift) = post(&t, &format!("/groups/{}/drift", t.group_id), state).await;
    assert_eq!(status, 200, "{drift}");
    assert_eq!(drift["onlyInDeployment"].as_array().unwrap().len(), 40_000);
    // Over the drift route's own limit (32 MiB): refused, naming that limit, not the 4 MiB of others.
    let huge = format!(
        "{{\"users\": [], \"pad\": \"{}\"}}",
        "x".repeat(33 * 1024 * 1024)
    );
    let (status, body) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{}/drift", t.group_id)))
                .header("Content-Type", "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    let detail = assert_error(&body, 413, "PAYLOAD_TOO_LARGE");
    assert!(detail.contains("33554432 bytes"), "{detail}");
    t.stop().await;
}
