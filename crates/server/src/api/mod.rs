//! The Atlas Admin API subset, under `/api/atlas/v2` and (for older clients) `/api/atlas/v1.0`.
//!
//! | method        | path                                           |
//! |---------------|------------------------------------------------|
//! | GET           | `/groups`                                      |
//! | GET           | `/groups/{groupId}`                            |
//! | GET, PATCH    | `/groups/{groupId}/userSecurity`               |
//! | DELETE        | `/groups/{groupId}/userSecurity/customerX509`  |
//!
//! Every answer under `/api`, errors included, is JSON in the media type negotiated by [`media_type`];
//! every error is an [`ApiError`] in the Atlas envelope.

pub mod error;
mod group_id;
mod groups;
mod json_body;
pub mod media_type;
mod paging;
mod user_security;

use axum::extract::{DefaultBodyLimit, OriginalUri, Request};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use sqlx::SqlitePool;

pub use error::ApiError;
pub use group_id::GroupId;
pub use json_body::JsonBody;
pub use paging::Paging;
pub use user_security::check_bundle;

/// The largest request body accepted: 4 MiB (a bundle of 140 CA certificates is about 220 KB).
pub const BODY_LIMIT_BYTES: usize = 4 * 1024 * 1024;

/// The version prefixes the API is served under.
pub const PREFIXES: [&str; 2] = ["/api/atlas/v2", "/api/atlas/v1.0"];

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: SqlitePool,
}

/// Everything under `/api`: the resources under each version prefix, and `RESOURCE_NOT_FOUND` for the
/// rest of `/api`.
pub fn router(state: AppState) -> Router {
    let resources = Router::new()
        .route("/groups", get(groups::list))
        .route("/groups/{groupId}", get(groups::get))
        .route(
            "/groups/{groupId}/userSecurity",
            get(user_security::get).patch(user_security::patch),
        )
        .route(
            "/groups/{groupId}/userSecurity/customerX509",
            axum::routing::delete(user_security::delete_customer_x509),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(state);
    let mut api = Router::new();
    for prefix in PREFIXES {
        api = api.nest(prefix, resources.clone());
    }
    api.route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .layer(axum::middleware::from_fn(media_type::negotiate))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
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

/// The methods of the resource at `path` (a path under a version prefix), for 405 answers.
fn allowed_methods(path: &str) -> Option<String> {
    let rest = PREFIXES
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path);
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    let methods = match segments.as_slice() {
        ["groups"] | ["groups", _] => "GET, HEAD",
        ["groups", _, "userSecurity"] => "GET, HEAD, PATCH",
        ["groups", _, "userSecurity", "customerX509"] => "DELETE",
        _ => return None,
    };
    Some(methods.to_owned())
}
