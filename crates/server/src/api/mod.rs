//! The Atlas Admin API subset, under `/api/atlas/v2` and (for older clients) `/api/atlas/v1.0`.
//!
//! | method        | path                                           |
//! |---------------|------------------------------------------------|
//! | GET           | `/groups`                                      |
//! | GET           | `/groups/{groupId}`                            |
//! | GET, PATCH    | `/groups/{groupId}/userSecurity`               |
//! | DELETE        | `/groups/{groupId}/userSecurity/customerX509`  |
//! | GET, POST     | `/groups/{groupId}/customDBRoles/roles` (GET: a bare array, as Atlas) |
//! | GET, PATCH, DELETE | `/groups/{groupId}/customDBRoles/roles/{roleName}` |
//! | GET           | `/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges` (extension) |
//! | GET, POST     | `/groups/{groupId}/clusters`                   |
//! | GET, PATCH, DELETE | `/groups/{groupId}/clusters/{clusterName}` |
//! | GET, POST     | `/groups/{groupId}/databaseUsers` (filter: `username`) |
//! | GET, PATCH, DELETE | `/groups/{groupId}/databaseUsers/{databaseName}/{username}` (username percent-encoded) |
//! | GET           | `/groups/{groupId}/events` (filters: `eventType` repeatable, `minDate`, `maxDate`; newest first) |
//! | GET, POST     | `/groups/{groupId}/alertConfigs`               |
//! | GET, PUT, PATCH, DELETE | `/groups/{groupId}/alertConfigs/{alertConfigId}` |
//! | POST          | `/groups/{groupId}/alertConfigs/{alertConfigId}/test` (extension: send a test webhook now) |
//! | GET           | `/groups/{groupId}/alerts` (filter: `status` OPEN or CLOSED) |
//! | GET, PATCH    | `/groups/{groupId}/alerts/{alertId}` (PATCH: acknowledge) |
//! | GET, POST     | `/groups/{groupId}/apiKeys`                    |
//! | GET, PATCH, DELETE | `/groups/{groupId}/apiKeys/{apiUserId}`   |
//! | GET, POST     | `/groups/{groupId}/apiKeys/{apiUserId}/accessList` (extension: Atlas has it under `/orgs`) |
//! | DELETE        | `/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}` (extension, as above) |
//! | GET           | `/groups/{groupId}/export?format=...[&cluster=NAME]` (extension: mongosh, terraform, ca-bundle, mongod-conf, json) |
//! | POST          | `/groups/{groupId}/import[?dryRun=true]` (extension: the json document) |
//! | POST          | `/groups/{groupId}/drift` (extension: a deployment's users and roles against the project) |
//! | GET           | `/openapi.json` (the OpenAPI document of all of the above, see [`openapi`]) |
//!
//! Every answer under `/api`, errors included, is JSON in the media type negotiated by [`media_type`];
//! every error is an [`ApiError`] in the Atlas envelope.

pub mod access_check;
mod alert_configs;
mod alerts;
mod api_keys;
pub mod caller;
mod clusters;
pub mod console;
mod custom_roles;
mod database_users;
pub mod error;
mod etag;
pub mod events;
mod group_id;
mod groups;
mod json_body;
pub mod media_type;
mod objects_only;
pub mod openapi;
pub mod orgs;
pub mod page_cache;
mod paging;
mod path_parameters;
mod query_params;
pub mod routes;
mod state;
pub mod transfer;
mod user_security;

use axum::extract::{DefaultBodyLimit, OriginalUri, Request};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use caller::guard::guard;

pub use alert_configs::{AlertConfigRule, TestResult, TestResults};
pub use api_keys::MAX_DESCRIPTION_CHARS as API_KEY_MAX_DESCRIPTION_CHARS;
pub use error::ApiError;
pub use group_id::GroupId;
pub use json_body::JsonBody;
pub use paging::Paging;
pub use state::{AccessState, AppState};
pub use user_security::check_bundle;

/// The largest request body accepted: 4 MiB (a bundle of 140 CA certificates is about 220 KB).
pub const BODY_LIMIT_BYTES: usize = 4 * 1024 * 1024;

/// The largest body of `import` and `drift`: 32 MiB (a project of 10,000 users and 1,000 roles is
/// about 5 MB as JSON).
pub const TRANSFER_BODY_LIMIT_BYTES: usize = 32 * 1024 * 1024;

/// The version prefixes the API is served under.
pub const PREFIXES: [&str; 2] = ["/api/atlas/v2", "/api/atlas/v1.0"];

/// Where clients reach the server, `scheme://host[:port]` without a trailing slash: `--public-url`, else
/// the listen address. Links in answers (paging, `self` of API keys) start with it; the request's `Host`
/// header is never used (a client would choose where the links point). Set by the server as a request
/// extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBase(pub String);

/// Everything under `/api`: the resources under each version prefix, and `RESOURCE_NOT_FOUND` for the
/// rest of `/api`.
pub fn router(state: AppState) -> Router {
    let atlas =
        |router, path, handlers| routes::checked(router, routes::ATLAS_ROUTES, path, handlers);
    let resources = Router::new();
    // Organizations and projects.
    let resources = atlas(resources, "/orgs", get(orgs::list));
    let resources = atlas(resources, "/orgs/{orgId}", get(orgs::get));
    let resources = atlas(resources, "/orgs/{orgId}/groups", get(groups::list_in_org));
    let resources = atlas(resources, "/orgs/{orgId}/events", get(orgs::events));
    let resources = atlas(
        resources,
        "/orgs/{orgId}/events/{eventId}",
        get(orgs::event),
    );
    let resources = atlas(
        resources,
        "/orgs/{orgId}/apiKeys",
        get(api_keys::org_list).post(api_keys::org_create),
    );
    let resources = atlas(
        resources,
        "/orgs/{orgId}/apiKeys/{apiUserId}",
        get(api_keys::org_get)
            .patch(api_keys::org_patch)
            .delete(api_keys::org_delete),
    );
    let resources = atlas(
        resources,
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
        get(api_keys::org_access_list).post(api_keys::org_add_access_list),
    );
    let resources = atlas(
        resources,
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}",
        axum::routing::delete(api_keys::org_delete_access_list_entry),
    );
    let resources = atlas(resources, "/groups", get(groups::list).post(groups::create));
    let resources = atlas(
        resources,
        "/groups/byName/{groupName}",
        get(groups::get_by_name),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}",
        get(groups::get)
            .patch(groups::rename)
            .delete(groups::delete),
    );
    // Clusters and database users.
    let resources = atlas(
        resources,
        "/groups/{groupId}/clusters",
        get(clusters::list).post(clusters::create),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/clusters/{clusterName}",
        get(clusters::get)
            .patch(clusters::update)
            .delete(clusters::delete),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/databaseUsers",
        get(database_users::list).post(database_users::create),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        get(database_users::get)
            .patch(database_users::patch)
            .delete(database_users::delete),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/userSecurity",
        get(user_security::get).patch(user_security::patch),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/userSecurity/customerX509",
        axum::routing::delete(user_security::delete_customer_x509),
    );
    // Custom roles.
    let resources = atlas(
        resources,
        "/groups/{groupId}/customDBRoles/roles",
        get(custom_roles::list).post(custom_roles::create),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/customDBRoles/roles/{roleName}",
        get(custom_roles::get)
            .patch(custom_roles::patch)
            .delete(custom_roles::delete),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges",
        get(custom_roles::effective),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/accessCheck",
        post(access_check::check),
    );
    // Activity feed and alerts.
    let resources = atlas(resources, "/groups/{groupId}/events", get(events::list));
    let resources = atlas(
        resources,
        "/groups/{groupId}/alertConfigs",
        get(alert_configs::list).post(alert_configs::create),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/alertConfigs/{alertConfigId}",
        get(alert_configs::get)
            .put(alert_configs::put)
            .patch(alert_configs::patch)
            .delete(alert_configs::delete),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/alertConfigs/{alertConfigId}/test",
        axum::routing::post(alert_configs::test),
    );
    let resources = atlas(resources, "/groups/{groupId}/alerts", get(alerts::list));
    let resources = atlas(
        resources,
        "/groups/{groupId}/alerts/{alertId}",
        get(alerts::get).patch(alerts::patch),
    );
    // Programmatic API keys.
    let resources = atlas(
        resources,
        "/groups/{groupId}/apiKeys",
        get(api_keys::list).post(api_keys::create),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/apiKeys/{apiUserId}",
        get(api_keys::get)
            .post(api_keys::assign)
            .patch(api_keys::patch)
            .delete(api_keys::delete),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList",
        get(api_keys::access_list).post(api_keys::add_access_list),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}",
        axum::routing::delete(api_keys::delete_access_list_entry),
    );
    // Export, import and drift.
    let resources = atlas(resources, "/groups/{groupId}/export", get(transfer::export));
    // A whole project's document is larger than other bodies: 10,000 users are about 5 MB. The guard
    // runs before the body is read, so only a signed-in caller can send that much.
    let resources = atlas(
        resources,
        "/groups/{groupId}/import",
        post(transfer::import)
            .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(TRANSFER_BODY_LIMIT_BYTES))
            .layer::<_, std::convert::Infallible>(axum::Extension(json_body::BodyLimit(
                TRANSFER_BODY_LIMIT_BYTES,
            ))),
    );
    let resources = atlas(
        resources,
        "/groups/{groupId}/drift",
        post(transfer::drift)
            .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(TRANSFER_BODY_LIMIT_BYTES))
            .layer::<_, std::convert::Infallible>(axum::Extension(json_body::BodyLimit(
                TRANSFER_BODY_LIMIT_BYTES,
            ))),
    );
    let resources = resources
        .route_layer(axum::middleware::from_fn(path_parameters::check_utf8))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        // The document is public, as the API's shape is no secret.
        .route("/openapi.json", get(openapi::serve))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(state.clone());
    let mut api = Router::new();
    for prefix in PREFIXES {
        api = api.nest(prefix, resources.clone());
    }
    api.merge(console_router(state))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .route_layer(axum::middleware::from_fn(crate::telemetry::note_route))
        .layer(axum::middleware::from_fn(media_type::negotiate))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

/// The console's own endpoints (see [`console`]): sign-in and setup are open, the rest guarded.
fn console_router(state: AppState) -> Router {
    let console_route =
        |router, path, handlers| routes::checked(router, routes::CONSOLE_ROUTES, path, handlers);
    let guarded = Router::new();
    let guarded = console_route(
        guarded,
        "/api/console/session",
        get(console::current_session),
    );
    let guarded = console_route(guarded, "/api/console/signOut", post(console::sign_out));
    let guarded = console_route(
        guarded,
        "/api/console/password",
        post(console::change_password),
    );
    let guarded = console_route(
        guarded,
        "/api/console/groups/{groupId}/accounts",
        get(console::list_accounts).post(console::create_account),
    );
    let guarded = console_route(
        guarded,
        "/api/console/groups/{groupId}/accounts/{username}",
        axum::routing::patch(console::patch_account).delete(console::delete_account),
    );
    let guarded = console_route(
        guarded,
        "/api/console/orgs/{orgId}/projects",
        get(orgs::project_summaries),
    );
    let guarded = console_route(
        guarded,
        "/api/console/orgs/{orgId}/accounts",
        get(orgs::members),
    );
    let guarded = console_route(
        guarded,
        "/api/console/orgs/{orgId}/accounts/{username}",
        axum::routing::patch(orgs::patch_member),
    );
    let guarded = guarded.route_layer(axum::middleware::from_fn_with_state(state.clone(), guard));
    Router::new()
        .route("/api/console/status", get(console::status))
        .route("/api/console/setup", post(console::setup))
        .route("/api/console/signIn", post(console::sign_in))
        .merge(guarded)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::ResourceNotFound {
        path: uri.path().to_owned(),
    }
}

/// Answers 405 with the methods the resource allows (axum sets them in the `Allow` header too).
async fn method_not_allowed(
    method: Method,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Response {
    let allowed = allowed_methods(request.uri().path());
    ApiError::MethodNotAllowed {
        method: method.to_string(),
        path: uri.path().to_owned(),
        allowed,
    }
    .into_response()
}

/// The methods of the resource at `path` (a path under a version prefix), for 405 answers: from the
/// route table ([`routes::ATLAS_ROUTES`]), the route whose literal segments match most.
fn allowed_methods(path: &str) -> Option<String> {
    let rest = PREFIXES
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path);
    if rest == "/openapi.json" {
        return Some("GET, HEAD".to_owned());
    }
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    let literal_matches = |route: &routes::Route| -> Option<usize> {
        let template: Vec<&str> = route.path.trim_start_matches('/').split('/').collect();
        if template.len() != segments.len() {
            return None;
        }
        let mut literals = 0;
        for (want, got) in template.iter().zip(&segments) {
            if want.starts_with('{') {
                continue;
            }
            if want != got {
                return None;
            }
            literals += 1;
        }
        Some(literals)
    };
    let route = routes::ATLAS_ROUTES
        .iter()
        .filter_map(|route| Some((literal_matches(route)?, route)))
        .max_by_key(|(literals, _)| *literals)?
        .1;
    let mut methods: Vec<&str> = route.methods.to_vec();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.sort_unstable();
    Some(methods.join(", "))
}
