//! Access Console server: the Atlas Admin API v2 subset over SQLite or PostgreSQL, and the static UI;
//! and the `access-console` command line (`serve`, `inspect`, `alerts check`, `accounts`, `api-keys`,
//! `migrate-db`).
//!
//! Library contract (used by the browser tests):
//!
//! ```no_run
//! # async fn demo() -> Result<(), access_console::ServeError> {
//! use access_console::{spawn, ServeOptions};
//! // A free port of 127.0.0.1 and every default of `serve`; the UI of dist/ beside the API.
//! let server = spawn(ServeOptions {
//!     dist: Some("dist".into()),
//!     ..ServeOptions::local("sqlite:///tmp/demo/access-console.db".to_owned())
//! })
//! .await?;
//! println!("{}", server.url()); // http://127.0.0.1:<port>
//! server.shutdown().await;
//! # Ok(()) }
//! ```

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
pub mod alerts;
pub mod api;
pub mod cli;
pub mod cors;
mod health;
pub mod metrics;
mod security_headers;
mod serve;
mod static_ui;
pub mod storage;
pub mod telemetry;
pub mod tls;

pub use serve::{
    app, spawn, spawn_with_tls, MetricsExposure, ServeError, ServeOptions, Spawned,
    DEFAULT_ALERT_EVALUATION_INTERVAL, DEFAULT_EXPIRY_SWEEP_INTERVAL, SHUTDOWN_GRACE,
};
pub use static_ui::MissingIndex;
