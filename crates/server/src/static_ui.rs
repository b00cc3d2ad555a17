//! The browser UI: the static files Trunk builds into `dist/`, served for every path outside `/api`.
//!
//! A path that names a file (`/pkg/app.wasm`, `/config.json`) is served from `dist` or answered 404; any
//! other path (`/advanced`, `/database-access`: routes of the single-page app) gets `index.html`, so a
//! reload keeps the page. `index.html` and `config.json` are sent with `Cache-Control: no-cache` so a new
//! build or configuration is picked up at once.
//!
//! A file with a `.gz` beside it (`make ui` writes one for each `.wasm`, `.js` and `.css`:
//! `scripts/precompress`, a Trunk hook) is sent as that file to a browser that accepts gzip, so the server
//! does not compress 2 MB of Wasm again on each first visit (the compression layer leaves a response that
//! already has a `Content-Encoding` alone). Static hosts do the same with `gzip_static` (nginx) or the like.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

/// Why `dist` cannot be served.
#[derive(Debug, thiserror::Error)]
#[error("cannot serve the UI from {}: it has no index.html (build it with `make ui`, i.e. `trunk build --release`)", dist.display())]
pub struct MissingIndex {
    pub dist: PathBuf,
}

/// The UI from `dist`, or (without `dist`) a short text that says where the UI and the API are.
pub fn router(dist: Option<&Path>) -> Result<Router, MissingIndex> {
    let Some(dist) = dist else {
        return Ok(Router::new().fallback(no_ui));
    };
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(MissingIndex {
            dist: dist.to_path_buf(),
        });
    }
    let spa = tower::service_fn(move |request: Request| {
        let index = index.clone();
        async move { Ok::<_, Infallible>(spa_fallback(index, request).await) }
    });
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(true)
        .precompressed_gzip()
        .fallback(spa);
    Ok(Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response(no_cache_for_entry_points)))
}

async fn spa_fallback(index: PathBuf, request: Request) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "Not found\n").into_response();
    }
    match ServeFile::new(index).oneshot(request).await {
        Ok(response) => response.map(Body::new).into_response(),
        Err(never) => match never {},
    }
}

/// `index.html` (served for `/` and every app route) and `config.json` must not be cached.
async fn no_cache_for_entry_points(mut response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if is_html {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

async fn no_ui() -> (StatusCode, &'static str) {
    (
        StatusCode::NOT_FOUND,
        "Access Console: this server was started without the browser UI (start it with --dist DIR, e.g. \
         `make run`). The API is under /api/atlas/v2, e.g. /api/atlas/v2/groups.\n",
    )
}
