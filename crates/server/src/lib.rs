//! Access Console server: the Atlas Admin API v2 subset over SQLite or PostgreSQL, and the static UI;
//! and the `access-console` command line (`serve`, `inspect`, `alerts check`, `accounts`, `api-keys`,
//! `migrate-db`).
//!
//! Library contract (used by the browser tests):
//!
//! ```no_run
//! # async fn demo() -> Result<(), access_console::ServeError> {
//! use access_console::{spawn, ServeOptions};
//! let server = spawn(ServeOptions {
//!     listen: "127.0.0.1:0".parse().expect("address"),
//!     database_url: "sqlite:///tmp/demo/access-console.db".to_owned(),
//!     dist: Some("dist".into()),
//!     expiry_sweep_interval: access_console::DEFAULT_EXPIRY_SWEEP_INTERVAL,
//!     alert_evaluation_interval: access_console::DEFAULT_ALERT_EVALUATION_INTERVAL,
//!     cors_origins: Vec::new(),
//!     api_key_rate_limit: access_console::access::rate_limit::DEFAULT_PER_MINUTE,
//!     max_concurrent_sign_ins: 0,
//!     sign_in_rate_limit: access_console::access::rate_limit::DEFAULT_SIGN_INS_PER_MINUTE,
//!     public_url: None,
//!     allow_private_webhooks: false,
//!     metrics: access_console::MetricsExposure::MainPort,
//! })
//! .await?;
//! println!("{}", server.url()); // http://127.0.0.1:<port>
//! server.shutdown().await;
//! # Ok(()) }
//! ```

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
