//! The OpenAPI document the server publishes, checked against the real server: it parses, it is served
//! under both version prefixes, every operation it lists is routed (and no other method is), and a plain
//! request to each answers a status the document lists for it. `scripts/api-conformance` (schemathesis)
//! goes further; this test keeps `cargo test` honest on its own.

mod common;

use common::{assert_error, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

const ATLAS: &str = "application/vnd.atlas.2023-01-01+json";

async fn document(t: &TestServer, prefix: &str, accept: &str) -> (String, Value) {
    let response = t
        .client
        .get(format!("{}{prefix}/openapi.json", t.base))
        .header("Accept", accept)
        .send()
        .await
        .expect("GET openapi.json");
    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).expect("the document is JSON");
    (content_type, value)
}

/// `path` with its parameters filled in: the test project's ID, and `x` for the rest.
fn concrete(t: &TestServer, path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{groupId}" => t.group_id.clone(),
            "{databaseName}" => "$external".to_owned(),
            s if s.starts_with('{') => "x".to_owned(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn is_published_under_both_prefixes() {
    let t = TestServer::start().await;
    let (content_type, v2) = document(&t, "/api/atlas/v2", "application/json").await;
    assert_eq!(content_type, "application/json");
    let (content_type, v1) = document(&t, "/api/atlas/v1.0", ATLAS).await;
    assert_eq!(content_type, ATLAS, "the Atlas media type is echoed");
    assert_eq!(v1, v2);
    assert_eq!(v2["openapi"], "3.1.0");
    assert_eq!(v2["servers"][0]["url"], "/api/atlas/v2");
    let schemes = &v2["components"]["securitySchemes"];
    assert_eq!(schemes["digestAuth"]["scheme"], "digest");
    assert_eq!(schemes["bearerAuth"]["scheme"], "bearer");
    let error = &v2["components"]["schemas"]["ApiError"];
    assert_eq!(
        error["required"],
        json!(["detail", "error", "errorCode", "parameters", "reason"])
    );
    let operations = access_console::api::openapi::operations(&v2);
    assert!(operations.len() >= 32, "{operations:?}");
    for (path, method) in &operations {
        let responses = &v2["paths"][path][method]["responses"];
        for status in ["406", "500"] {
            assert!(responses.get(status).is_some(), "{method} {path}: {status}");
        }
        if path != "/openapi.json" {
            for status in ["401", "403"] {
                assert!(responses.get(status).is_some(), "{method} {path}: {status}");
            }
        }
    }
    t.stop().await;
}

#[tokio::test]
async fn every_operation_is_routed_and_answers_a_documented_status() {
    let t = TestServer::start().await;
    let (_, doc) = document(&t, "/api/atlas/v2", "application/json").await;
    let operations = access_console::api::openapi::operations(&doc);
    for (path, method) in &operations {
        let url = t.url(&concrete(&t, path));
        let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let mut request = t.client.request(verb, &url);
        if matches!(method.as_str(), "post" | "put" | "patch")
            && doc["paths"][path][method].get("requestBody").is_some()
        {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_ne!(status, 405, "{method} {path}: {text}");
        assert_ne!(body["errorCode"], "RESOURCE_NOT_FOUND", "{method} {path}");
        let responses = &doc["paths"][path][method]["responses"];
        assert!(
            responses.get(status.to_string()).is_some(),
            "{method} {path} answered {status}, which the document does not list: {text}"
        );
    }
    // Methods the document does not list are not routed either.
    let paths: std::collections::BTreeSet<&String> = operations.iter().map(|(p, _)| p).collect();
    for path in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if operations.contains(&(path.clone(), method.to_owned())) {
                continue;
            }
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let (status, body) = t
                .send(t.client.request(verb, t.url(&concrete(&t, path))))
                .await;
            assert_eq!(status, 405, "{method} {path}: {body}");
            assert_error(&body, 405, "METHOD_NOT_ALLOWED");
        }
    }
    t.stop().await;
}
