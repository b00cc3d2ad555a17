//! The OpenAPI 3.1 document of the API, served at `/api/atlas/v2/openapi.json` (and under `/api/atlas/v1.0`).
//!
//! Generated with `utoipa`: each handler carries its operation (`#[utoipa::path]`: method, path,
//! parameters, request body, success answer and the refusals of its own), each wire type its schema
//! (`ToSchema`: core's behind its feature `openapi`, so the UI's Wasm is unchanged; the server's
//! request shapes derive it directly). The operations come from the routes themselves
//! ([`super::resources`], [`super::public_resources`]: `utoipa_axum`'s `routes!`, which registers each
//! handler at its annotation's path and methods and adds its operation), [`AtlasApi`] the rest (info,
//! servers, tags, security). What every operation shares is added once, after the routes, by
//! [`Shared`]: the error answers (the Atlas envelope `ApiError`; 401, 403, 406, 429, 500 and 503
//! everywhere, 400, 413 and 415 with a body, 400 and 404 under `{groupId}`/`{orgId}`), both
//! JSON media types (`application/json` and [`ATLAS_MEDIA_TYPE`]) and the security schemes; then
//! [`close_answers`] states that answers carry no attributes beyond those documented
//! (`additionalProperties: false`); a schema a request body reaches too (a user in an import document)
//! is split, the request referring to an open copy `{name}Input` in which a property with a `default`
//! is optional. Unit tests compare the paths with the route table
//! ([`super::routes::ATLAS_ROUTES`]) and call the router for each operation, as `tests/openapi.rs`; and
//! `scripts/api-conformance` runs schemathesis against the real server with the document.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{Schema, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// The versioned Atlas media type documented next to `application/json`.
pub const ATLAS_MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

/// `GET /openapi.json`.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "Document",
    operation_id = "getOpenApiDocument",
    summary = "This document.",
    security(()),
    responses((status = 200, description = "OK", body = Object))
)]
pub async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// The document but its operations (which the routes add, see [`document`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Access Console API",
        description = "A compatible subset of the MongoDB Atlas Admin API v2: self-managed X.509 \
            certificate authorities, certificate database users, custom roles, clusters, the activity \
            feed and CA-expiry alerts. Every error is the Atlas error envelope (`ApiError`). Send \
            `Accept: application/vnd.atlas.2023-01-01+json` (echoed back) or `application/json`."
    ),
    servers(
        (url = "/api/atlas/v2"),
        (url = "/api/atlas/v1.0", description = "the same resources, for older clients")
    ),
    security(("digestAuth" = []), ("bearerAuth" = [])),
    tags(
        (name = "Organizations"), (name = "Projects"), (name = "X.509 Authentication"),
        (name = "Database Users"), (name = "Custom Database Roles"), (name = "Access Check"),
        (name = "Clusters"), (name = "Events"), (name = "Alert Configurations"), (name = "Alerts"),
        (name = "Programmatic API Keys"), (name = "Export and Import"), (name = "Document")
    ),
    components(schemas(access_core::api::ApiErrorBody, crate::storage::events::EventType))
)]
pub struct AtlasApi;

/// The whole document, as served: [`AtlasApi`] with the operations of the routes
/// ([`super::resources`] and [`super::public_resources`], each from its handler's `#[utoipa::path]`).
pub fn document() -> Value {
    let mut api = super::resources()
        .merge(super::public_resources())
        .into_openapi();
    Shared.modify(&mut api);
    let mut document = serde_json::to_value(api).unwrap_or(Value::Null);
    close_answers(&mut document);
    document
}

/// Every documented path, as routed (under each version prefix).
pub fn paths() -> impl Iterator<Item = &'static str> {
    OPERATIONS.iter().map(|(path, _)| path.as_str())
}

/// The methods (upper case) the document has for `path`; none for a path it does not have.
pub fn methods(path: &str) -> Vec<&'static str> {
    OPERATIONS
        .iter()
        .find(|(documented, _)| documented == path)
        .map(|(_, methods)| methods.clone())
        .unwrap_or_default()
}

/// Each documented path with its methods, from the document as served.
static OPERATIONS: LazyLock<Vec<(String, Vec<&'static str>)>> = LazyLock::new(|| {
    let document: Value = serde_json::from_str(&DOCUMENT).unwrap_or(Value::Null);
    let mut out: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (path, method) in operations(&document) {
        let method = match method.as_str() {
            "get" => "GET",
            "put" => "PUT",
            "post" => "POST",
            "patch" => "PATCH",
            "delete" => "DELETE",
            "head" => "HEAD",
            "options" => "OPTIONS",
            "trace" => "TRACE",
            _ => continue,
        };
        match out.iter_mut().find(|(known, _)| *known == path) {
            Some((_, methods)) => methods.push(method),
            None => out.push((path, vec![method])),
        }
    }
    out
});

/// `(path, method)` of every operation, in document order.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(item) = item.as_object() {
                for method in item.keys() {
                    out.push((path.clone(), method.clone()));
                }
            }
        }
    }
    out
}

/// Every error answer of the API: its status and what it means. Each is `#/components/responses/ErrorNNN`.
const ERRORS: &[(u16, &str)] = &[
    (400, "Bad Request: the path, query or body breaks a rule (`errorCode` says which)."),
    (401, "Unauthorized: no valid credentials (HTTP Digest with an API key, or a session token)."),
    (403, "Forbidden: the credentials do not allow this on this project."),
    (404, "Not Found: no such project or resource."),
    (406, "Not Acceptable: `Accept` asks for an Atlas media type this API does not serve."),
    (409, "Conflict: the change clashes with the project's state (duplicate, in use, X.509 off)."),
    (412, "Precondition Failed: `If-Match` names none of the resource's current ETags: it changed since it was read; nothing was changed."),
    (413, "Payload Too Large: the body is over 4 MiB (32 MiB for import and drift)."),
    (415, "Unsupported Media Type: the body is not sent as JSON."),
    (429, "Too Many Requests: the API key sent more than its rate limit allows; `Retry-After` says when to send again."),
    (500, "Internal Server Error: a fault of the server itself; logged."),
    (503, "Service Unavailable: the database is busy (`DATABASE_BUSY`); nothing was changed; `Retry-After` says when to send again."),
];

/// What every operation shares, added once to the generated document (after the routes added the
/// operations, so not as an `#[openapi(modifiers)]`, which runs before).
pub struct Shared;

impl Modify for Shared {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let mut digest = Http::new(HttpAuthScheme::Digest);
        digest.description = Some(
            "HTTP Digest with an API key: the public key as user name, the private key as password."
                .to_owned(),
        );
        components.add_security_scheme("digestAuth", SecurityScheme::Http(digest));
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some("The token of a console session.".to_owned());
        components.add_security_scheme("bearerAuth", SecurityScheme::Http(bearer));
        // The telemetry layer adds the request's id to every error body (`telemetry::with_request_id_in_error`).
        if let Some(RefOr::T(Schema::Object(envelope))) = components.schemas.get_mut("ApiError") {
            envelope.properties.insert(
                "requestId".to_owned(),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(
                        "Extension: the request's id (its X-Request-Id header), to quote when reporting.",
                    ))
                    .into(),
            );
        }
        for (status, description) in ERRORS {
            let envelope = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build();
            let mut response = ResponseBuilder::new()
                .description(*description)
                .content("application/json", envelope.clone())
                .content(ATLAS_MEDIA_TYPE, envelope);
            if *status == 401 {
                response = response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .description(Some("The authentication schemes the server takes."))
                        .build(),
                );
            }
            components
                .responses
                .insert(format!("Error{status}"), RefOr::T(response.build()));
        }
        for (path, item) in api.paths.paths.iter_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                shared_errors(path, operation);
                both_media_types(operation);
            }
        }
    }
}

/// The operation's error answers: its own (as its handler lists them) and the shared ones, each the
/// Atlas envelope.
fn shared_errors(path: &str, operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    let mut statuses: BTreeSet<u16> = responses
        .keys()
        .filter_map(|status| status.parse().ok())
        .filter(|status| *status >= 400)
        .collect();
    if path == "/openapi.json" {
        statuses.extend([406, 500]);
    } else {
        statuses.extend([401, 403, 406, 429, 500, 503]);
        if operation.request_body.is_some() {
            statuses.extend([400, 413, 415]);
        }
        if path.contains("{groupId}") || path.contains("{orgId}") {
            statuses.extend([400, 404]);
        }
    }
    for status in statuses {
        responses.insert(
            status.to_string(),
            RefOr::Ref(Ref::from_response_name(format!("Error{status}"))),
        );
    }
}

/// Every JSON body of the operation under [`ATLAS_MEDIA_TYPE`] too.
fn both_media_types(operation: &mut Operation) {
    if let Some(body) = &mut operation.request_body {
        if let Some(json) = body.content.get("application/json").cloned() {
            body.content.insert(ATLAS_MEDIA_TYPE.to_owned(), json);
        }
    }
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            if let Some(json) = response.content.get("application/json").cloned() {
                response.content.insert(ATLAS_MEDIA_TYPE.to_owned(), json);
            }
        }
    }
}

/// States that answers have no attributes but those documented: `additionalProperties: false` on every
/// object schema an answer reaches (flattened parts merged first, so that the closed object lists them
/// all). Request bodies stay as derived: what the server accepts is its serde shape's
/// (`deny_unknown_fields` closes a request type by itself); a schema both reach is split, requests
/// referring to an open copy named `{name}Input`.
pub fn close_answers(document: &mut Value) {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut answered = BTreeSet::new();
    let mut requested = BTreeSet::new();
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for operation in item.values() {
                if let Some(body) = operation.get("requestBody") {
                    reached(body, &schemas, &mut requested);
                }
                if let Some(responses) = operation.get("responses") {
                    reached(responses, &schemas, &mut answered);
                }
            }
        }
    }
    if let Some(responses) = document.pointer("/components/responses") {
        reached(responses, &schemas, &mut answered);
    }
    // A schema both sides reach is split: requests refer to an open copy, `{name}Input`, as derived
    // (what the server accepts is its serde shape's: e.g. a user in an import document may carry other
    // attributes), and answers to the original, closed below.
    let split: BTreeSet<String> = answered
        .intersection(&requested)
        .filter(|name| {
            let mut reach = BTreeSet::from([(*name).clone()]);
            if let Some(schema) = schemas.get(name.as_str()) {
                reached(schema, &schemas, &mut reach);
            }
            reach
                .iter()
                .filter_map(|n| schemas.get(n))
                .any(has_properties)
        })
        .cloned()
        .collect();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut() {
                if let Some(body) = operation.get_mut("requestBody") {
                    retarget(body, &split);
                }
            }
        }
    }
    if let Some(components) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in requested.difference(&answered) {
            if let Some(schema) = components.get_mut(name) {
                retarget(schema, &split);
            }
        }
        for name in &split {
            if let Some(mut copy) = schemas.get(name).cloned() {
                retarget(&mut copy, &split);
                defaults_optional(&mut copy);
                components.insert(format!("{name}Input"), copy);
            }
        }
    }
    let closed = answered;
    // Inline answer schemas.
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut() {
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                {
                    for response in responses.values_mut() {
                        if let Some(content) =
                            response.get_mut("content").and_then(Value::as_object_mut)
                        {
                            for media in content.values_mut() {
                                if let Some(schema) = media.get_mut("schema") {
                                    close(schema, &schemas);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(components) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in components.iter_mut() {
            if closed.contains(name) {
                close(schema, &schemas);
            }
        }
    }
}

/// Whether `value` has an object with properties in it (something [`close`] would close).
fn has_properties(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("properties") || map.values().any(has_properties),
        Value::Array(items) => items.iter().any(has_properties),
        _ => false,
    }
}

/// A request may leave out a property with a `default` (serde's `default`: absent reads as it), which
/// an answer always has (`required`).
fn defaults_optional(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let defaulted: Vec<Value> = map
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| {
                    properties
                        .iter()
                        .filter(|(_, schema)| schema.get("default").is_some())
                        .map(|(name, _)| Value::from(name.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.retain(|name| !defaulted.contains(name));
                if required.is_empty() {
                    map.remove("required");
                }
            }
            map.values_mut().for_each(defaults_optional);
        }
        Value::Array(items) => items.iter_mut().for_each(defaults_optional),
        _ => {}
    }
}

/// Points each `$ref` to a schema of `split` at its request copy, `{name}Input`.
fn retarget(value: &mut Value, split: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                if let Some(name) = target.strip_prefix("#/components/schemas/") {
                    if split.contains(name) {
                        *target = format!("#/components/schemas/{name}Input");
                    }
                }
            }
            map.values_mut().for_each(|v| retarget(v, split));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, split)),
        _ => {}
    }
}

/// The component schemas `value` reaches through `$ref`s, transitively.
fn reached(value: &Value, schemas: &Map<String, Value>, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                if out.insert(name.to_owned()) {
                    if let Some(schema) = schemas.get(name) {
                        reached(schema, schemas, out);
                    }
                }
            }
            map.values().for_each(|v| reached(v, schemas, out));
        }
        Value::Array(items) => items.iter().for_each(|v| reached(v, schemas, out)),
        _ => {}
    }
}

/// Closes `schema` and the inline objects in it (not the components it refers to: they are closed as
/// components). An `allOf` (a flattened field) becomes the one object it means.
fn close(schema: &mut Value, schemas: &Map<String, Value>) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(parts)) = map.remove("allOf") {
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for part in parts {
            let part = match part
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                Some(name) => schemas.get(name).cloned().unwrap_or(Value::Null),
                None => part,
            };
            if let Some(more) = part.get("properties").and_then(Value::as_object) {
                properties.extend(more.clone());
            }
            if let Some(more) = part.get("required").and_then(Value::as_array) {
                required.extend(more.iter().cloned());
            }
        }
        map.insert("type".to_owned(), Value::from("object"));
        map.insert("properties".to_owned(), Value::Object(properties));
        if !required.is_empty() {
            map.insert("required".to_owned(), Value::Array(required));
        }
    }
    let is_object = match map.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
        _ => false,
    };
    if is_object && map.contains_key("properties") && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for property in properties.values_mut() {
            close(property, schemas);
        }
    }
    if let Some(items) = map.get_mut("items") {
        close(items, schemas);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get_mut(key) {
            for part in parts {
                close(part, schemas);
            }
        }
    }
}

/// The paging limits the document states, by parameter name (for the unit test against [`super::paging`]).
#[cfg(test)]
fn parameter_maximum(document: &Value, path: &str, name: &str) -> Option<u64> {
    document["paths"][path]["get"]["parameters"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)?["schema"]["maximum"]
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The document's paths are the route table's (which adds the permissions to the routes the
    /// handlers' annotations make) and the public `/openapi.json`.
    #[test]
    fn documents_every_route_of_the_table_and_nothing_else() {
        let documented: BTreeSet<&str> = paths().collect();
        let mut table: BTreeSet<&str> = super::super::routes::ATLAS_ROUTES
            .iter()
            .map(|route| route.path)
            .collect();
        table.insert("/openapi.json");
        assert!(table.len() > 30, "{table:?}");
        assert_eq!(documented, table);
        let mut alert_config = methods("/groups/{groupId}/alertConfigs/{alertConfigId}");
        alert_config.sort_unstable();
        assert_eq!(alert_config, ["DELETE", "GET", "PATCH", "PUT"]);
        assert!(methods("/groups/{groupId}/nothing").is_empty());
    }

    #[test]
    fn every_reference_resolves() {
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        out.push(target.clone());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let document = document();
        let mut targets = Vec::new();
        refs(&document, &mut targets);
        assert!(!targets.is_empty());
        for target in targets {
            let pointer = target.strip_prefix('#').unwrap_or("not local");
            assert!(
                document.pointer(pointer).is_some(),
                "{target} does not resolve"
            );
        }
    }

    #[test]
    fn paging_limits_are_the_extractors() {
        let document = document();
        assert_eq!(
            parameter_maximum(&document, "/groups", "itemsPerPage"),
            Some(super::super::paging::MAX_ITEMS_PER_PAGE)
        );
        assert_eq!(
            parameter_maximum(&document, "/groups", "pageNum"),
            Some(u64::from(u32::MAX))
        );
    }

    /// Limits written as literals in `#[schema(...)]` are the server's constants.
    #[test]
    fn alert_limits_are_the_servers() {
        let schemas = &document()["components"]["schemas"];
        let max = |value: &Value, key: &str| value[key].as_u64();
        assert_eq!(
            max(
                &schemas["AlertConfigRequest"]["properties"]["notifications"],
                "maxItems"
            ),
            u64::try_from(super::super::alert_configs::MAX_NOTIFICATIONS).ok()
        );
        assert_eq!(
            max(
                &schemas["AlertThreshold"]["properties"]["threshold"],
                "maximum"
            ),
            u64::try_from(super::super::alert_configs::MAX_THRESHOLD_DAYS).ok()
        );
        assert_eq!(
            max(
                &schemas["AlertAcknowledgement"]["properties"]["acknowledgementComment"],
                "maxLength"
            ),
            u64::try_from(super::super::alerts::MAX_COMMENT_CHARS).ok()
        );
        assert_eq!(
            max(
                &schemas["AccessCheckRequest"]["properties"]["actions"],
                "maxItems"
            ),
            u64::try_from(access_core::access_check::MAX_ACTIONS).ok()
        );
    }

    #[test]
    fn every_error_is_the_atlas_envelope_and_shared_ones_are_everywhere() {
        let document = document();
        if let Ok(path) = std::env::var("OPENAPI_DUMP") {
            std::fs::write(
                path,
                serde_json::to_string_pretty(&document).unwrap_or_default(),
            )
            .ok();
        }
        for (path, method) in operations(&document) {
            let responses = document["paths"][&path][&method]["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let shared: &[&str] = if path == "/openapi.json" {
                &["406", "500"]
            } else {
                &["401", "403", "406", "429", "500", "503"]
            };
            for status in shared {
                assert!(responses.contains_key(*status), "{method} {path}: {status}");
            }
            for (status, response) in &responses {
                if status.as_str() >= "400" {
                    assert_eq!(
                        response["$ref"],
                        format!("#/components/responses/Error{status}"),
                        "{method} {path}"
                    );
                }
            }
        }
        // A user as answered is closed; as an import document carries it, open (the server reads it so).
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["DatabaseUser"]["additionalProperties"], false);
        assert!(schemas["DatabaseUserInput"]["additionalProperties"].is_null());
        // Always answered; absent from a request reads as the default.
        let required = |name: &str| schemas[name]["required"].to_string();
        assert!(required("DatabaseUser").contains("\"x509Type\""));
        assert!(!required("DatabaseUserInput").contains("\"x509Type\""));
        assert!(required("DatabaseUserInput").contains("\"username\""));
        assert_eq!(
            document["paths"]["/groups/{groupId}/import"]["post"]["requestBody"]["content"]
                ["application/json"]["schema"]["$ref"],
            "#/components/schemas/ProjectDocumentInput"
        );
        let envelope = &document["components"]["schemas"]["ApiError"];
        assert_eq!(envelope["additionalProperties"], false);
        assert_eq!(envelope["properties"]["requestId"]["type"], "string");
        let error = &document["components"]["responses"]["Error409"]["content"];
        for media in ["application/json", ATLAS_MEDIA_TYPE] {
            assert_eq!(
                error[media]["schema"]["$ref"],
                "#/components/schemas/ApiError"
            );
        }
    }

    /// Every documented operation, called on the real router (in-memory SQLite, no credentials): each is
    /// routed, so the guard answers 401 (it runs only on a matched route), never the fallbacks' 404
    /// `RESOURCE_NOT_FOUND` or 405; the document itself answers 200.
    #[tokio::test]
    async fn every_documented_operation_is_routed() {
        use axum::body::Body;
        use axum::http::{Method, Request};
        use tower::ServiceExt as _;

        let database = crate::storage::open("sqlite::memory:", 0)
            .await
            .expect("an in-memory database");
        let state =
            super::super::AppState::new(database.pool, super::super::AccessState::new(false));
        let router = super::super::router(state);
        let document = document();
        let operations = operations(&document);
        assert!(operations.len() > 30, "{operations:?}");
        for (path, method) in operations {
            let uri = format!(
                "/api/atlas/v2{}",
                path.split('/')
                    .map(|segment| match segment {
                        "{groupId}" | "{orgId}" => "5f1a2b3c4d5e6f7a8b9c0d1e",
                        s if s.starts_with('{') => "x",
                        s => s,
                    })
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let request = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method"))
                .uri(&uri)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .expect("a request");
            let response = router.clone().oneshot(request).await.expect("an answer");
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a body");
            let expected = if path == "/openapi.json" { 200 } else { 401 };
            assert_eq!(
                status,
                expected,
                "{method} {uri}: {}",
                String::from_utf8_lossy(&body)
            );
        }
    }

    #[test]
    fn operation_ids_are_unique() {
        let document = document();
        let mut ids = BTreeSet::new();
        for (path, method) in operations(&document) {
            let id = document["paths"][&path][&method]["operationId"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            assert!(!id.is_empty(), "{method} {path}");
            assert!(ids.insert(id.clone()), "{id} twice");
        }
    }
}
