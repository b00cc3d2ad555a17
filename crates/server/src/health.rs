//! The operators' endpoints, outside `/api` and without authentication: `GET /healthz` (the process
//! answers), `GET /readyz` (the database answers and every migration is applied), and `GET /metrics`
//! (see [`crate::metrics`]) when it is served on the main port. Health answers carry no data: a word
//! and the status (200, or 503 when not ready); why is logged.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sqlx::AnyPool;

/// The routes of this module, `/metrics` included when `with_metrics`.
pub fn router(pool: AnyPool, with_metrics: bool) -> Router {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz));
    let router = if with_metrics {
        router.merge(metrics_router())
    } else {
        router
    };
    router
        .route_layer(axum::middleware::from_fn(crate::telemetry::note_route))
        .with_state(pool)
}

/// `GET /metrics` alone (for `--metrics-listen`).
pub fn metrics_router() -> Router<AnyPool> {
    Router::new().route("/metrics", get(metrics))
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

async fn readyz(State(pool): State<AnyPool>) -> Response {
    match crate::storage::check_ready(&pool).await {
        Ok(()) => plain(StatusCode::OK, "ready\n"),
        Err(error) => {
            tracing::warn!(%error, "not ready");
            plain(StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
        }
    }
}

async fn metrics(State(pool): State<AnyPool>) -> Response {
    match crate::metrics::scrape(&pool).await {
        Ok(text) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE),
                (header::CACHE_CONTROL, "no-store"),
            ],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(%error, "cannot answer /metrics");
            plain(StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n")
        }
    }
}
