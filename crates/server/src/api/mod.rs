//! The Atlas Admin API subset, under `/api/atlas/v2` and (for older clients) `/api/atlas/v1.0`.
//!
//! The routes are listed in one place, the OpenAPI document (`GET {prefix}/openapi.json`, built from the
//! handlers' annotations: [`openapi`]); the README's API table says what each is for.
//!
//! Each route's path and methods are its handlers' `#[utoipa::path]`: [`resources`] registers them
//! (and the document's operations with them), [`routes::ATLAS_ROUTES`] adds the permission a change needs.
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
use utoipa::OpenApi as _;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

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

/// The guarded Atlas resources: each handler registered at the path and methods of its own
/// `#[utoipa::path]`, and the document's operations gathered from the same registrations (the
/// document's other parts are [`openapi::AtlasApi`]'s). The handlers of one `routes!` share a path.
pub fn resources() -> OpenApiRouter<AppState> {
    let resources = [
        // Organizations and projects.
        routes!(orgs::list),
        routes!(orgs::get),
        routes!(groups::list_in_org),
        routes!(orgs::events),
        routes!(orgs::event),
        routes!(api_keys::org_list, api_keys::org_create),
        routes!(api_keys::org_get, api_keys::org_patch, api_keys::org_delete),
        routes!(api_keys::org_access_list, api_keys::org_add_access_list),
        routes!(api_keys::org_delete_access_list_entry),
        routes!(groups::list, groups::create),
        routes!(groups::get_by_name),
        routes!(groups::get, groups::rename, groups::delete),
        // Clusters and database users.
        routes!(clusters::list, clusters::create),
        routes!(clusters::get, clusters::update, clusters::delete),
        routes!(database_users::list, database_users::create),
        routes!(
            database_users::get,
            database_users::patch,
            database_users::delete
        ),
        routes!(user_security::get, user_security::patch),
        routes!(user_security::delete_customer_x509),
        // Custom roles.
        routes!(custom_roles::list, custom_roles::create),
        routes!(custom_roles::get, custom_roles::patch, custom_roles::delete),
        routes!(custom_roles::effective),
        routes!(access_check::check),
        // Activity feed and alerts.
        routes!(events::list),
        routes!(events::get),
        routes!(alert_configs::list, alert_configs::create),
        routes!(
            alert_configs::get,
            alert_configs::put,
            alert_configs::patch,
            alert_configs::delete
        ),
        routes!(alert_configs::test),
        routes!(alerts::list),
        routes!(alerts::get, alerts::patch),
        // Programmatic API keys.
        routes!(api_keys::list, api_keys::create),
        routes!(
            api_keys::get,
            api_keys::assign,
            api_keys::patch,
            api_keys::delete
        ),
        routes!(api_keys::access_list, api_keys::add_access_list),
        routes!(api_keys::delete_access_list_entry),
        // Export, import and drift.
        routes!(transfer::export),
        transfer_body(routes!(transfer::import)),
        transfer_body(routes!(transfer::drift)),
    ];
    resources.into_iter().fold(
        OpenApiRouter::with_openapi(openapi::AtlasApi::openapi()),
        add_resource,
    )
}

/// `router.routes(resource)`, after checking that the handlers of `resource` (one `routes!`) share one
/// path: `routes!` would register every one of them at every path of them.
fn add_resource(
    router: OpenApiRouter<AppState>,
    resource: UtoipaMethodRouter<AppState>,
) -> OpenApiRouter<AppState> {
    assert_eq!(
        resource.1.paths.len(),
        1,
        "handlers of different paths in one routes!(...): {:?}",
        resource.1.paths.keys().collect::<Vec<_>>()
    );
    router.routes(resource)
}

/// The public resources: the document itself (`/openapi.json`, see [`openapi`]).
pub fn public_resources() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi::serve))
}

/// A whole project's document is larger than other bodies: 10,000 users are about 5 MB. The guard
/// runs before the body is read, so only a signed-in caller can send that much.
fn transfer_body(
    (schemas, paths, handlers): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    let handlers = handlers
        .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(TRANSFER_BODY_LIMIT_BYTES))
        .layer::<_, std::convert::Infallible>(axum::Extension(json_body::BodyLimit(
            TRANSFER_BODY_LIMIT_BYTES,
        )));
    (schemas, paths, handlers)
}

/// Everything under `/api`: the resources under each version prefix, and `RESOURCE_NOT_FOUND` for the
/// rest of `/api`.
pub fn router(state: AppState) -> Router {
    let (guarded, document) = resources().split_for_parts();
    // A guarded route the table lacks would be refused to everyone by the guard, a table entry no
    // handler documents is a permission for nothing: both stop the server at start.
    routes::check_atlas_table(document.paths.paths.keys().map(String::as_str));
    let (public, _) = public_resources().split_for_parts();
    let resources = guarded
        .route_layer(axum::middleware::from_fn(path_parameters::check_utf8))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        // The document is public, as the API's shape is no secret.
        .merge(public)
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
    let console_route = routes::checked;
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
/// document ([`openapi::methods`]), the documented path whose literal segments match most.
fn allowed_methods(path: &str) -> Option<String> {
    let rest = PREFIXES
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path);
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    let literal_matches = |template: &str| -> Option<usize> {
        let template: Vec<&str> = template.trim_start_matches('/').split('/').collect();
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
    let template = openapi::paths()
        .filter_map(|template| Some((literal_matches(template)?, template)))
        .max_by_key(|(literals, _)| *literals)?
        .1;
    let mut methods = openapi::methods(template);
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.sort_unstable();
    Some(methods.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "handlers of different paths in one routes!(...)")]
    fn handlers_of_two_paths_in_one_resource_stop_the_start() {
        // GET /groups and PATCH /groups/{groupId} (two GETs would stop axum's `MethodRouter` itself).
        add_resource(OpenApiRouter::new(), routes!(groups::list, groups::rename));
    }

    #[test]
    fn the_methods_of_a_405_are_the_documented_ones() {
        let allowed = |path: &str| allowed_methods(path).unwrap_or_default();
        assert_eq!(
            allowed("/api/atlas/v1.0/groups/abc/apiKeys/x"),
            "DELETE, GET, HEAD, PATCH, POST"
        );
        assert_eq!(allowed("/api/atlas/v2/openapi.json"), "GET, HEAD");
        assert_eq!(
            allowed("/api/atlas/v2/groups/abc/userSecurity/customerX509"),
            "DELETE"
        );
        assert_eq!(allowed_methods("/api/atlas/v2/nothing/here/at/all"), None);
    }
}
