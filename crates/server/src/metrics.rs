//! `GET /metrics`: the Prometheus text format (0.0.4), encoded by the `prometheus` crate.
//!
//! Two kinds of series:
//! * counted as things happen, for the whole process ([`global`]): requests and their latency per
//!   route template (never a raw path), method and status class; sign-in failures and throttles;
//!   webhook deliveries by outcome; alert evaluations by outcome;
//! * read from the database when scraped ([`scrape`]): the pool's connections in use and idle, and per
//!   project the CA certificates' validity (`access_console_ca_not_after_timestamp_seconds`,
//!   `..._not_before_...`, labelled `group_id`, `project`, `subject`, `sha256`), the number of database
//!   users and of custom roles. Bounded: at most [`MAX_PROJECTS`] projects, each bundle at most
//!   [`access_core::bundle_limits`] certificates, one scrape at a time.

use std::sync::LazyLock;
use std::time::Duration;

use axum::http::StatusCode;
use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use sqlx::AnyPool;

/// The media type of the text format (0.0.4).
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The most projects whose CA, user and role series a scrape reads.
pub const MAX_PROJECTS: u64 = 1000;

/// Seconds; from 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The series counted as things happen.
#[derive(Debug)]
pub struct Metrics {
    requests: IntCounterVec,
    latency: HistogramVec,
    /// `POST /api/console/signIn` answered 401.
    pub sign_in_failures: IntCounter,
    /// `POST /api/console/signIn` answered 429 (too many attempts, or no hashing slot free).
    pub sign_in_throttles: IntCounter,
    webhook_deliveries: IntCounterVec,
    alert_evaluations: IntCounterVec,
}

/// `access_console_<name>`.
fn opts(name: &str, help: &str) -> Opts {
    Opts::new(name, help).namespace("access_console")
}

/// The process's counters (one process, one set: Prometheus adds instances up by itself).
#[allow(clippy::expect_used)] // The names and labels are this module's constants: valid.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
        // The names and labels are constants of this module: valid, so these cannot fail.
        let request_labels = ["route", "method", "status"];
        Metrics {
            requests: IntCounterVec::new(
                opts(
                    "http_requests_total",
                    "Requests answered, by route template, method and status class",
                ),
                &request_labels,
            )
            .expect("valid metric"),
            latency: HistogramVec::new(
                HistogramOpts::from(opts(
                    "http_request_duration_seconds",
                    "Time to answer a request, by route template, method and status class",
                ))
                .buckets(LATENCY_BUCKETS.to_vec()),
                &request_labels,
            )
            .expect("valid metric"),
            sign_in_failures: IntCounter::with_opts(opts(
                "sign_in_failures_total",
                "Sign-ins refused for a wrong username or password",
            ))
            .expect("valid metric"),
            sign_in_throttles: IntCounter::with_opts(opts(
                "sign_in_throttles_total",
                "Sign-ins refused for too many attempts or no free hashing slot (429)",
            ))
            .expect("valid metric"),
            webhook_deliveries: IntCounterVec::new(
                opts(
                    "webhook_deliveries_total",
                    "Alert webhook POSTs, by outcome",
                ),
                &["outcome"],
            )
            .expect("valid metric"),
            alert_evaluations: IntCounterVec::new(
                opts(
                    "alert_evaluations_total",
                    "Runs of the alert evaluator, by outcome",
                ),
                &["outcome"],
            )
            .expect("valid metric"),
        }
    });
    &METRICS
}

impl Metrics {
    /// One request answered: `route` is the template axum matched (or
    /// [`crate::telemetry::UNMATCHED_ROUTE`]).
    pub fn record_request(&self, route: &str, method: &str, status: StatusCode, took: Duration) {
        let class = match status.as_u16() / 100 {
            1 => "1xx",
            2 => "2xx",
            3 => "3xx",
            4 => "4xx",
            _ => "5xx",
        };
        let labels = [route, method, class];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(took.as_secs_f64());
    }

    /// One webhook POST: `delivered` (a 2xx answer) or `failed` (refused, unreachable, non-2xx).
    pub fn record_webhook(&self, delivered: bool) {
        let outcome = if delivered { "delivered" } else { "failed" };
        self.webhook_deliveries.with_label_values(&[outcome]).inc();
    }

    /// One run of the alert evaluator: `ok` or `error` (the database failed).
    pub fn record_alert_evaluation(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        self.alert_evaluations.with_label_values(&[outcome]).inc();
    }
}

/// Why a scrape failed (answered 503: Prometheus marks the target down).
#[derive(Debug, thiserror::Error)]
pub enum ScrapeError {
    #[error("cannot read the database for /metrics: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot encode the metrics: {0}")]
    Encode(#[from] prometheus::Error),
}

/// The whole exposition: the process's counters and what the database holds now.
pub async fn scrape(pool: &AnyPool) -> Result<String, ScrapeError> {
    // One scrape at a time: the CA inspections are the only work an unauthenticated caller can ask for.
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let metrics = global();
    let registry = Registry::new();
    registry.register(Box::new(metrics.requests.clone()))?;
    registry.register(Box::new(metrics.latency.clone()))?;
    registry.register(Box::new(metrics.sign_in_failures.clone()))?;
    registry.register(Box::new(metrics.sign_in_throttles.clone()))?;
    registry.register(Box::new(metrics.webhook_deliveries.clone()))?;
    registry.register(Box::new(metrics.alert_evaluations.clone()))?;

    let connections = IntGaugeVec::new(
        opts(
            "db_pool_connections",
            "Database connections of the pool, in use and idle",
        ),
        &["state"],
    )?;
    let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
    let size = i64::from(pool.size());
    connections
        .with_label_values(&["in_use"])
        .set((size - idle).max(0));
    connections.with_label_values(&["idle"]).set(idle);
    registry.register(Box::new(connections))?;

    let database = read_database(pool).await?;
    registry.register(Box::new(database.not_after))?;
    registry.register(Box::new(database.not_before))?;
    registry.register(Box::new(database.users))?;
    registry.register(Box::new(database.roles))?;
    let mut text = Vec::new();
    TextEncoder::new().encode(&registry.gather(), &mut text)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

struct DatabaseSeries {
    not_after: IntGaugeVec,
    not_before: IntGaugeVec,
    users: IntGaugeVec,
    roles: IntGaugeVec,
}

async fn read_database(pool: &AnyPool) -> Result<DatabaseSeries, ScrapeError> {
    let ca_labels = ["group_id", "project", "subject", "sha256"];
    let project_labels = ["group_id", "project"];
    let series = DatabaseSeries {
        not_after: IntGaugeVec::new(
            opts(
                "ca_not_after_timestamp_seconds",
                "End of validity of each CA certificate of each project's bundle (Unix seconds)",
            ),
            &ca_labels,
        )?,
        not_before: IntGaugeVec::new(
            opts(
                "ca_not_before_timestamp_seconds",
                "Start of validity of each CA certificate of each project's bundle (Unix seconds)",
            ),
            &ca_labels,
        )?,
        users: IntGaugeVec::new(
            opts("database_users", "Database users of each project"),
            &project_labels,
        )?,
        roles: IntGaugeVec::new(
            opts("custom_roles", "Custom roles of each project"),
            &project_labels,
        )?,
    };
    let projects = crate::storage::projects::list(pool, 0, MAX_PROJECTS).await?;
    let users = counts_per_project(pool, "database_users").await?;
    let roles = counts_per_project(pool, "custom_roles").await?;
    let now = crate::storage::now_unix();
    for project in &projects {
        let labels = [project.id.as_str(), project.name.as_str()];
        let count = |counts: &[(String, i64)]| {
            counts
                .iter()
                .find(|(id, _)| *id == project.id)
                .map_or(0, |(_, n)| *n)
        };
        series.users.with_label_values(&labels).set(count(&users));
        series.roles.with_label_values(&labels).set(count(&roles));
        let Some(cas) = crate::storage::x509_settings::find(pool, &project.id)
            .await?
            .and_then(|settings| settings.cas_pem)
        else {
            continue;
        };
        let report =
            tokio::task::spawn_blocking(move || access_core::pem_bundle::inspect_bundle(&cas, now))
                .await
                .unwrap_or_default();
        for certificate in &report.certificates {
            let labels = [
                project.id.as_str(),
                project.name.as_str(),
                certificate.subject.as_str(),
                certificate.sha256_fingerprint.as_str(),
            ];
            let time = access_core::time::parse_rfc3339;
            if let Some(at) = time(&certificate.not_after) {
                series.not_after.with_label_values(&labels).set(at);
            }
            if let Some(at) = time(&certificate.not_before) {
                series.not_before.with_label_values(&labels).set(at);
            }
        }
    }
    Ok(series)
}

/// `(project_id, rows)` of `table` (a table with a `project_id` column; a constant of this module).
async fn counts_per_project(
    pool: &AnyPool,
    table: &'static str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT project_id, COUNT(*) FROM {table} GROUP BY project_id"
    ))
    .fetch_all(pool)
    .await
}
