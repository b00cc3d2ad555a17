//! Regression tests for the bugs the API conformance work found (`scripts/api-conformance`, schemathesis
//! with the server's OpenAPI document, and probing what it cannot generate): each asserts the real server's
//! answer now.

mod common;

use common::{assert_error, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// Regression: a path parameter that is not UTF-8 once percent-decoded was answered by axum in
/// `text/plain` ("Invalid URL: Invalid UTF-8 in `clusterName`"), and under `customDBRoles` as
/// `INVALID_GROUP_ID` naming the (valid) group ID.
#[tokio::test]
async fn path_parameters_that_are_not_utf8_are_refused_in_the_envelope() {
    let t = TestServer::start().await;
    let group = t.group_id.clone();
    let cases = [
        (
            Method::GET,
            format!("/groups/{group}/clusters/%FF"),
            404,
            "CLUSTER_NOT_FOUND",
        ),
        (
            Method::DELETE,
            format!("/groups/{group}/clusters/%FF"),
            404,
            "CLUSTER_NOT_FOUND",
        ),
        (
            Method::GET,
            format!("/groups/{group}/databaseUsers/%24external/CN%3D%FF"),
            404,
            "USERNAME_NOT_FOUND",
        ),
        (
            Method::DELETE,
            format!("/groups/{group}/databaseUsers/%FF/CN%3Dx"),
            404,
            "USERNAME_NOT_FOUND",
        ),
        (
            Method::GET,
            format!("/groups/{group}/customDBRoles/roles/%C3%28"),
            404,
            "ATLAS_CUSTOM_ROLE_NOT_FOUND",
        ),
        (
            Method::GET,
            format!("/groups/{group}/customDBRoles/roles/%FF/effectivePrivileges"),
            404,
            "ATLAS_CUSTOM_ROLE_NOT_FOUND",
        ),
        (
            Method::POST,
            format!("/groups/{group}/alertConfigs/%FF/test"),
            404,
            "ALERT_CONFIG_NOT_FOUND",
        ),
        (
            Method::GET,
            format!("/groups/{group}/alerts/%FF"),
            404,
            "ALERT_NOT_FOUND",
        ),
        (
            Method::GET,
            "/groups/%FF/clusters/x".to_owned(),
            400,
            "INVALID_GROUP_ID",
        ),
    ];
    for (method, path, status, code) in cases {
        let response = t
            .client
            .request(method.clone(), t.url(&path))
            .send()
            .await
            .expect("request sent");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{method} {path}"
        );
        let answered = response.status().as_u16();
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(answered, status, "{method} {path}: {body}");
        assert_error(&body, status, code);
    }
    t.stop().await;
}

/// Regression: serde's derive reads a struct from a JSON array, so `["Cluster9", "7.0"]` created a
/// cluster, a custom role could be posted as `[name, actions, inheritedRoles]`, and its actions as
/// `[["FIND", [["sales", "orders"]]]]`.
#[tokio::test]
async fn a_json_array_is_not_read_as_an_object() {
    let t = TestServer::start().await;
    let group = t.group_id.clone();
    for (path, body) in [
        (
            format!("/groups/{group}/clusters"),
            json!(["Cluster9", "7.0"]),
        ),
        (
            format!("/groups/{group}/customDBRoles/roles"),
            json!(["r1", [{"action": "FIND", "resources": [{"db": "a", "collection": "b"}]}], []]),
        ),
    ] {
        let (status, answer) = t.send(t.client.post(t.url(&path)).json(&body)).await;
        assert_eq!(status, 400, "{path}: {answer}");
        let detail = assert_error(&answer, 400, "INVALID_ATTRIBUTE");
        assert!(detail.contains("JSON array"), "{detail}");
    }
    let nested = json!({"roleName": "r2", "actions": [["FIND", [["sales", "orders"]]]]});
    let (status, answer) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{group}/customDBRoles/roles")))
                .json(&nested),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    let detail = assert_error(&answer, 400, "INVALID_ATTRIBUTE");
    assert!(
        detail.starts_with("Invalid attribute actions[0]"),
        "{detail}"
    );
    let (status, clusters) = t
        .send(t.client.get(t.url(&format!("/groups/{group}/clusters"))))
        .await;
    assert_eq!(status, 200);
    assert_eq!(clusters["results"], json!([]), "nothing was created");
    let (_, roles) = t
        .send(
            t.client
                .get(t.url(&format!("/groups/{group}/customDBRoles/roles"))),
        )
        .await;
    assert_eq!(roles, json!([]));
    t.stop().await;
}
