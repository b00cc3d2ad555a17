//! Starting and stopping the server: [`spawn`] binds, opens and migrates the database, and serves the
//! API and the UI in a background task until [`Spawned::shutdown`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::api::AccessState;
use crate::api::{self, ApiError, AppState};
use crate::cors::{self, InvalidCorsOrigin, Origin};
use crate::health;
use crate::security_headers::{self, SecurityHeaders};
use crate::static_ui::{self, MissingIndex};
use crate::storage::{self, now_unix, StorageError};
use crate::telemetry::Telemetry;
use crate::tls::TlsFiles;

/// How long [`Spawned::shutdown`] waits for requests in flight before it stops them.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port (see [`Spawned::addr`]).
    pub listen: SocketAddr,
    /// `sqlite://path/to/file.db` (file and parent directory created when missing), `sqlite::memory:`, or
    /// `postgres://user:password@host:port/database` (an existing database).
    pub database_url: String,
    /// The UI built by Trunk; `None` serves the API only.
    pub dist: Option<PathBuf>,
    /// How often expired temporary database users are removed (see
    /// [`crate::storage::database_users::remove_expired_users`]); [`DEFAULT_EXPIRY_SWEEP_INTERVAL`].
    pub expiry_sweep_interval: Duration,
    /// How often the alert evaluator runs (see [`crate::alerts::evaluate_alerts`]); the first run is one
    /// interval after start. [`DEFAULT_ALERT_EVALUATION_INTERVAL`].
    pub alert_evaluation_interval: Duration,
    /// Origins (`scheme://host[:port]`) whose pages may call the API, e.g. where `dist/` is hosted
    /// statically; empty: no CORS headers at all. Checked by [`spawn`].
    pub cors_origins: Vec<String>,
    /// Requests per minute each programmatic API key may send (token bucket; 429 with `Retry-After`
    /// beyond); [`crate::access::rate_limit::DEFAULT_PER_MINUTE`].
    pub api_key_rate_limit: u32,
    /// At most this many argon2 hashes at once (0: one per core); a sign-in finding none free is
    /// answered 429 `SIGN_IN_BUSY`.
    pub max_concurrent_sign_ins: usize,
    /// Sign-in attempts per minute from one source address (token bucket; 429 beyond);
    /// [`crate::access::rate_limit::DEFAULT_SIGN_INS_PER_MINUTE`].
    pub sign_in_rate_limit: u32,
    /// Where clients reach the server (`--public-url`, e.g. `https://console.example.com`): links in
    /// answers start with it. `None`: the listen address. Never the request's `Host` header.
    pub public_url: Option<String>,
    /// Whether webhooks may reach non-public addresses (`--allow-private-webhooks`, on-premises
    /// receivers; tests, whose receivers listen on 127.0.0.1). Default `false`: refused, see
    /// [`access_core::webhook_address`].
    pub allow_private_webhooks: bool,
    /// Where `GET /metrics` is served, and whether request metrics are recorded at all.
    pub metrics: MetricsExposure,
}

/// Where `GET /metrics` is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsExposure {
    /// On the main port, beside the API (the default).
    MainPort,
    /// Only on this address (`--metrics-listen`): a private address Prometheus reaches.
    Listen(SocketAddr),
    /// Nowhere, and nothing recorded (`--no-metrics`).
    Off,
}

impl ServeOptions {
    /// The common case (tests, tools): a free port on 127.0.0.1, the API only, every default.
    pub fn local(database_url: String) -> Self {
        ServeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            dist: None,
            expiry_sweep_interval: DEFAULT_EXPIRY_SWEEP_INTERVAL,
            alert_evaluation_interval: DEFAULT_ALERT_EVALUATION_INTERVAL,
            cors_origins: Vec::new(),
            api_key_rate_limit: crate::access::rate_limit::DEFAULT_PER_MINUTE,
            max_concurrent_sign_ins: 0,
            sign_in_rate_limit: crate::access::rate_limit::DEFAULT_SIGN_INS_PER_MINUTE,
            public_url: None,
            allow_private_webhooks: false,
            metrics: MetricsExposure::MainPort,
        }
    }
}

/// The default of [`ServeOptions::alert_evaluation_interval`]: 5 minutes.
pub const DEFAULT_ALERT_EVALUATION_INTERVAL: Duration = Duration::from_secs(300);

/// The default of [`ServeOptions::expiry_sweep_interval`].
pub const DEFAULT_EXPIRY_SWEEP_INTERVAL: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Ui(#[from] MissingIndex),
    #[error(transparent)]
    CorsOrigin(#[from] InvalidCorsOrigin),
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error("--public-url {url:?} is not usable: {why}")]
    PublicUrl { url: String, why: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the Digest nonce secret from {}: {source}", path.display())]
    Database { path: PathBuf, source: sqlx::Error },
}

/// A running server.
#[derive(Debug)]
pub struct Spawned {
    /// The address it listens on (the actual port when port 0 was asked for).
    pub addr: SocketAddr,
    database_path: Option<PathBuf>,
    database: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    pool: sqlx::AnyPool,
    sweep: JoinHandle<()>,
    alerts: JoinHandle<()>,
    metrics: Option<(SocketAddr, JoinHandle<std::io::Result<()>>)>,
    setup_code: Option<String>,
    scheme: &'static str,
}

impl Spawned {
    /// `http://addr`, or `https://addr` with TLS.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The SQLite file (absolute), or `:memory:`; `None` on PostgreSQL.
    pub fn database_path(&self) -> Option<&Path> {
        self.database_path.as_deref()
    }

    /// The database in words: the SQLite file, or the PostgreSQL URL without its password.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// `http://addr` of `--metrics-listen`, when metrics have their own address.
    pub fn metrics_url(&self) -> Option<String> {
        self.metrics
            .as_ref()
            .map(|(addr, _)| format!("http://{addr}"))
    }

    /// The server's database (tests and tools seed accounts through it).
    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.pool
    }

    /// The code the first owner types on the console, when the server started with no account.
    pub fn setup_code(&self) -> Option<&str> {
        self.setup_code.as_deref()
    }

    /// Stops accepting connections, lets requests in flight finish (up to [`SHUTDOWN_GRACE`]), and closes
    /// the database.
    pub async fn shutdown(self) {
        let Self {
            stop,
            mut task,
            pool,
            sweep,
            alerts,
            metrics,
            ..
        } = self;
        sweep.abort();
        alerts.abort();
        if let Some((_, metrics)) = metrics {
            metrics.abort();
        }
        // An error here means the server task already ended; nothing to stop.
        let _ = stop.send(());
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => tracing::error!(%error, "the server stopped with an error"),
            Ok(Err(error)) => tracing::error!(%error, "the server task failed"),
            Err(_) => {
                tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping them");
                task.abort();
            }
        }
        pool.close().await;
    }
}

/// Binds `opts.listen`, opens and migrates the database (creating "Project 0" on first start), and serves
/// in a background task.
pub async fn spawn(opts: ServeOptions) -> Result<Spawned, ServeError> {
    spawn_with_tls(opts, None).await
}

/// [`spawn`], speaking HTTPS with the certificate and key of `tls` when given (session cookies are
/// then `Secure`).
pub async fn spawn_with_tls(
    opts: ServeOptions,
    tls: Option<TlsFiles>,
) -> Result<Spawned, ServeError> {
    // The UI, the origins and the TLS files first: a wrong flag must not leave a new database behind.
    let ui = static_ui::router(opts.dist.as_deref())?;
    let origins = cors::parse_origins(&opts.cors_origins)?;
    let public_url = opts
        .public_url
        .as_deref()
        .map(parse_public_url)
        .transpose()?;
    let tls_config = tls.as_ref().map(crate::tls::server_config).transpose()?;
    let database = storage::open(&opts.database_url, now_unix()).await?;
    let access = AccessState::new(tls_config.is_some())
        .with_api_key_rate_limit(opts.api_key_rate_limit)
        .with_sign_in_limits(opts.max_concurrent_sign_ins, opts.sign_in_rate_limit);
    let webhooks = crate::alerts::Webhooks::new(opts.allow_private_webhooks);
    let state = AppState::new(database.pool.clone(), access).with_webhooks(webhooks.clone());
    let telemetry = Telemetry {
        metrics: opts.metrics != MetricsExposure::Off,
    };
    let app = with_layers(
        api::router(state.clone())
            .merge(health::router(
                database.pool.clone(),
                opts.metrics == MetricsExposure::MainPort,
            ))
            .merge(ui),
        opts.dist.as_deref(),
        &origins,
        tls_config.is_some(),
        telemetry,
    );
    let metrics = match opts.metrics {
        MetricsExposure::Listen(addr) => {
            let bind = |source| ServeError::Bind { addr, source };
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(bind)?;
            let bound = listener.local_addr().map_err(bind)?;
            let router = health::metrics_router().with_state(database.pool.clone());
            tracing::info!(addr = %bound, "serving /metrics");
            Some((
                bound,
                tokio::spawn(async move { axum::serve(listener, router).await }),
            ))
        }
        MetricsExposure::MainPort | MetricsExposure::Off => None,
    };
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: opts.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: opts.listen,
        source,
    })?;
    let (stop, stopped) = oneshot::channel::<()>();
    let scheme = if tls_config.is_some() {
        "https"
    } else {
        "http"
    };
    let app = app.layer(axum::Extension(
        public_url.unwrap_or_else(|| api::PublicBase(format!("{scheme}://{addr}"))),
    ));
    let task = match tls_config {
        None => tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                // Resolves on `shutdown()` and also when the `Spawned` is dropped.
                let _ = stopped.await;
            })
            .await
        }),
        Some(config) => {
            let listener = listener.into_std().map_err(|source| ServeError::Bind {
                addr: opts.listen,
                source,
            })?;
            let handle = axum_server::Handle::new();
            let stopping = handle.clone();
            tokio::spawn(async move {
                let _ = stopped.await;
                stopping.graceful_shutdown(Some(SHUTDOWN_GRACE));
            });
            let config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
            tokio::spawn(async move {
                axum_server::from_tcp_rustls(listener, config)
                    .handle(handle)
                    .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                    .await
            })
        }
    };
    let sweep = tokio::spawn(sweep_expired_users(
        database.pool.clone(),
        opts.expiry_sweep_interval,
    ));
    let alerts = tokio::spawn(evaluate_alerts_every(
        database.pool.clone(),
        opts.alert_evaluation_interval,
        webhooks,
    ));
    tracing::info!(%addr, database = %database.location, "serving");
    let setup_code = match storage::accounts::any(&database.pool).await {
        Ok(true) => None,
        Ok(false) => {
            let code = state.access.setup_code();
            tracing::warn!(
                "no console account yet: open {scheme}://{addr}/ and create the first owner with the setup \
                 code {code}, or run `access-console accounts create --owner`"
            );
            Some(code)
        }
        Err(error) => {
            tracing::warn!(%error, "cannot tell whether a console account exists");
            None
        }
    };
    Ok(Spawned {
        addr,
        database_path: database.path,
        database: database.location,
        stop,
        task,
        pool: database.pool,
        sweep,
        alerts,
        metrics,
        setup_code,
        scheme,
    })
}

/// Removes expired temporary users every `interval`, until aborted.
async fn sweep_expired_users(pool: sqlx::AnyPool, interval: Duration) {
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(100)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match storage::database_users::remove_expired_users(&pool, now_unix()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "removed expired temporary database users"),
            Err(error) => tracing::warn!(%error, "cannot remove expired temporary database users"),
        }
    }
}

/// Runs the alert evaluator every `interval` (the first time one interval after start), until aborted.
/// Webhooks are sent from here, never from a request.
async fn evaluate_alerts_every(
    pool: sqlx::AnyPool,
    interval: Duration,
    webhooks: crate::alerts::Webhooks,
) {
    let interval = interval.max(Duration::from_millis(100));
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let evaluated = crate::alerts::evaluate_alerts(&pool, now_unix(), &webhooks).await;
        crate::metrics::global().record_alert_evaluation(evaluated.is_ok());
        match evaluated {
            Ok(report) => {
                if !(report.opened.is_empty()
                    && report.closed.is_empty()
                    && report.notified.is_empty()
                    && report.retried.is_empty())
                {
                    tracing::info!(
                        opened = report.opened.len(),
                        closed = report.closed.len(),
                        notified = report.notified.len(),
                        retried = report.retried.len(),
                        "evaluated alerts"
                    );
                }
            }
            Err(error) => tracing::warn!(%error, "cannot evaluate alerts"),
        }
    }
}

/// The whole application: the API under `/api`, the UI everywhere else, CORS for `cors_origins`.
pub fn app(
    state: AppState,
    dist: Option<&Path>,
    cors_origins: &[String],
) -> Result<Router, ServeError> {
    let ui = static_ui::router(dist)?;
    let origins = cors::parse_origins(cors_origins)?;
    let pool = state.pool.clone();
    Ok(with_layers(
        api::router(state)
            .merge(health::router(pool, true))
            .merge(ui),
        dist,
        &origins,
        false,
        Telemetry { metrics: true },
    ))
}

/// `--public-url`: an `http(s)://host[:port][/path]` URL without query or fragment; its trailing `/`
/// dropped.
fn parse_public_url(text: &str) -> Result<api::PublicBase, ServeError> {
    let invalid = |why: &str| ServeError::PublicUrl {
        url: text.to_owned(),
        why: why.to_owned(),
    };
    let url = reqwest::Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("it must be an http:// or https:// URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid("it must have no query, fragment or user name"));
    }
    Ok(api::PublicBase(
        url.as_str().trim_end_matches('/').to_owned(),
    ))
}

/// The envelope for a panic, the log line of a server fault ([`crate::telemetry::log_server_errors`]),
/// the request id, log line and metrics ([`crate::telemetry`]: inside the
/// compression, as it adds `requestId` to error bodies), compression, request tracing
/// (`RUST_LOG=tower_http=debug`), CORS for `origins`, and (outermost, so on every response) the security
/// headers.
fn with_layers(
    router: Router,
    dist: Option<&Path>,
    origins: &[Origin],
    tls: bool,
    telemetry: Telemetry,
) -> Router {
    let router = router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(
            crate::telemetry::log_server_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            telemetry,
            crate::telemetry::track,
        ))
        .layer(CompressionLayer::new().gzip(true))
        .layer(TraceLayer::new_for_http());
    let router = match cors::layer(origins) {
        Some(cors) => router.layer(cors),
        None => router,
    };
    let headers = security_headers_for(dist, origins);
    let headers = Arc::new(if tls { headers.with_hsts() } else { headers });
    router.layer(axum::middleware::map_response_with_state(
        headers,
        security_headers::add,
    ))
}

/// The policy for the served `index.html`, allowing fetches to the CORS origins and to the `apiBase`
/// of the served `config.json`.
fn security_headers_for(dist: Option<&Path>, origins: &[Origin]) -> SecurityHeaders {
    let read = |name: &str| dist.and_then(|dist| std::fs::read_to_string(dist.join(name)).ok());
    let index = read("index.html");
    if dist.is_some() && index.is_none() {
        tracing::warn!("cannot read index.html: its inline script will not be allowed to run");
    }
    let mut connect_to = origins.to_vec();
    connect_to.extend(
        read("config.json")
            .as_deref()
            .and_then(security_headers::api_base_origin),
    );
    SecurityHeaders::new(index.as_deref(), &connect_to)
}

/// A panic in a handler (a bug) still gets the Atlas envelope, and is logged.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic".to_owned());
    let mut response = ApiError::Internal {
        what: format!("panic: {what}"),
    }
    .into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}
