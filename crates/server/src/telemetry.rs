//! What the server tells its operators about each request: the request id (`X-Request-Id`, taken from
//! the request or made, echoed in the answer and in error bodies as `requestId`), one log line per
//! request, and the request metrics of [`crate::metrics`].
//!
//! The log line names the route template axum matched (never the raw path, which holds user names),
//! the status, the latency, the request id and the caller (`account:<id>` or `apiKey:<id>`); never a
//! header, a query, a body, a token or a password.
//!
//! The route and the caller are learned inside the router (a route layer, and the guard) and written
//! into the [`RequestFacts`] this layer put into the request's extensions.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The header of a request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The largest request id taken from a client; a longer one (or one with other characters than
/// letters, digits and `-_.:`) is replaced by a new one.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The route label of a request no route matched (404s, the UI's files).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The sign-in route, whose 401s and 429s are counted as sign-in failures and throttles.
const SIGN_IN_ROUTE: &str = "/api/console/signIn";

/// The largest error body `requestId` is added to (an error envelope is far smaller).
const MAX_ERROR_BODY: u64 = 1024 * 1024;

/// The request's id, in its extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub Arc<str>);

/// What layers inside the router learn about a request.
#[derive(Debug, Default)]
pub struct RequestFacts {
    route: OnceLock<Arc<str>>,
    caller: OnceLock<String>,
}

impl RequestFacts {
    /// The caller, once authenticated: `account:<id>` or `apiKey:<id>`.
    pub fn set_caller(&self, caller: String) {
        let _ = self.caller.set(caller);
    }
}

/// Whether the request metrics are recorded (`--no-metrics` turns them off).
#[derive(Debug, Clone, Copy)]
pub struct Telemetry {
    pub metrics: bool,
}

/// A route layer (inside the router, where axum knows the route): notes the route template.
pub async fn note_route(request: Request, next: Next) -> Response {
    if let (Some(matched), Some(facts)) = (
        request.extensions().get::<MatchedPath>(),
        request.extensions().get::<Arc<RequestFacts>>(),
    ) {
        let _ = facts.route.set(Arc::from(matched.as_str()));
    }
    next.run(request).await
}

/// The outer layer: request id, log line, metrics.
pub async fn track(
    axum::extract::State(telemetry): axum::extract::State<Telemetry>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id: Arc<str> = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| usable_request_id(id))
        .map_or_else(new_request_id, Arc::from);
    let facts = Arc::new(RequestFacts::default());
    request.extensions_mut().insert(RequestId(id.clone()));
    request.extensions_mut().insert(facts.clone());
    let method = request.method().clone();
    let response = next.run(request).await;
    let mut response = with_request_id_in_error(response, &id).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let elapsed = started.elapsed();
    let status = response.status();
    let route = facts.route.get().map_or(UNMATCHED_ROUTE, |route| route);
    if telemetry.metrics {
        let metrics = crate::metrics::global();
        metrics.record_request(route, method.as_str(), status, elapsed);
        if route == SIGN_IN_ROUTE {
            if status == StatusCode::UNAUTHORIZED {
                metrics.sign_in_failures.inc();
            } else if status == StatusCode::TOO_MANY_REQUESTS {
                metrics.sign_in_throttles.inc();
            }
        }
    }
    let caller = facts.caller.get().map_or("-", String::as_str);
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    // Probes and scrapes come every few seconds: their lines are for debugging only.
    if QUIET_ROUTES.contains(&route) && status.is_success() {
        tracing::debug!(target: "access_console::request", request_id = %id, method = %method, route,
            status = status.as_u16(), latency_ms, caller, "request");
    } else {
        tracing::info!(target: "access_console::request", request_id = %id, method = %method, route,
            status = status.as_u16(), latency_ms, caller, "request");
    }
    response
}

/// What went wrong on the server, carried by a 5xx answer (in its extensions, never in its body) from
/// where it is made ([`crate::api::ApiError`]'s `into_response`) to [`log_server_errors`].
#[derive(Debug, Clone)]
pub struct ServerFault {
    /// "database error", "internal error", ...: the log line's message.
    pub kind: &'static str,
    /// The cause, for operators only.
    pub cause: Arc<str>,
}

impl ServerFault {
    pub fn new(kind: &'static str, cause: String) -> Self {
        ServerFault {
            kind,
            cause: Arc::from(cause),
        }
    }
}

/// A layer just inside [`track`] (so the request id is known, and a handler's panic has become its
/// answer): logs each answer carrying a [`ServerFault`] at `error`, with the request id and the cause.
pub async fn log_server_errors(request: Request, next: Next) -> Response {
    let id = request.extensions().get::<RequestId>().cloned();
    let response = next.run(request).await;
    if let Some(fault) = response.extensions().get::<ServerFault>() {
        let request_id = id.as_ref().map_or("-", |id| &id.0);
        tracing::error!(request_id, status = response.status().as_u16(), error = %fault.cause,
            "{}", fault.kind);
    }
    response
}

/// The routes whose successful requests are logged at `debug` (see [`track`]).
const QUIET_ROUTES: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// 1 to [`MAX_REQUEST_ID_LEN`] letters, digits, `-`, `_`, `.`, `:`.
fn usable_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// 16 random bytes in hex.
fn new_request_id() -> Arc<str> {
    let bytes: [u8; 16] = rand::random();
    Arc::from(hex::encode(bytes))
}

/// An error answer in the Atlas envelope (JSON with `errorCode`) gets `requestId`, so that a user can
/// quote it; every other answer is passed as is.
async fn with_request_id_in_error(response: Response, id: &str) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.contains("json"));
    let small = axum::body::HttpBody::size_hint(response.body())
        .exact()
        .is_some_and(|len| len <= MAX_ERROR_BODY);
    if !(response.status().is_client_error() || response.status().is_server_error())
        || !is_json
        || !small
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY as usize).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut envelope)) if envelope.contains_key("errorCode") => {
            envelope.insert("requestId".to_owned(), serde_json::Value::from(id));
            parts.headers.remove(header::CONTENT_LENGTH);
            serde_json::to_vec(&envelope).map_or(bytes, axum::body::Bytes::from)
        }
        _ => bytes,
    };
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_clients_are_bounded_and_plain() {
        assert!(usable_request_id("3f2a-9c_1.b:7"));
        assert!(!usable_request_id(""));
        assert!(!usable_request_id("a b"));
        assert!(!usable_request_id("line\nbreak"));
        assert!(!usable_request_id(&"a".repeat(MAX_REQUEST_ID_LEN + 1)));
        assert_eq!(new_request_id().len(), 32);
        assert_ne!(new_request_id(), new_request_id());
    }

    /// The log lines written while a test runs (a `tracing` subscriber for this thread only).
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_server_fault_is_logged_by_the_layer_with_the_request_id() {
        use tower::ServiceExt as _;
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let app = axum::Router::new()
            .route(
                "/fault",
                axum::routing::get(|| async {
                    crate::api::ApiError::Internal {
                        what: "the cause".to_owned(),
                    }
                }),
            )
            .route(
                "/refused",
                axum::routing::get(|| async { crate::api::ApiError::NotAuthenticated }),
            )
            .layer(axum::middleware::from_fn(log_server_errors))
            .layer(axum::middleware::from_fn_with_state(
                Telemetry { metrics: false },
                track,
            ));
        for path in ["/fault", "/refused"] {
            let request = axum::http::Request::get(path)
                .header(
                    REQUEST_ID_HEADER,
                    format!("id-of{}", path.replace('/', "-")),
                )
                .body(Body::empty())
                .expect("request");
            app.clone().oneshot(request).await.expect("answer");
        }
        let log = String::from_utf8_lossy(&captured.0.lock().expect("log")).into_owned();
        let errors: Vec<&str> = log.lines().filter(|line| line.contains("ERROR")).collect();
        assert_eq!(errors.len(), 1, "{log}");
        assert!(
            errors[0].contains("internal error")
                && errors[0].contains("request_id=\"id-of-fault\"")
                && errors[0].contains("the cause")
                && errors[0].contains("status=500"),
            "{log}"
        );
    }
}
