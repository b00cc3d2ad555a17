//! The alert evaluator: opens, re-notifies and closes CA-expiry alerts, and delivers (and retries)
//! their notifications. Run by the server every [`crate::ServeOptions::alert_evaluation_interval`] and by
//! `access-console alerts check`.
//!
//! For each enabled `CA_EXPIRING` configuration, each CA certificate of the project's stored bundle with
//! fewer than `threshold` days left has one OPEN alert (per configuration and SHA-256 fingerprint). An
//! alert closes when its certificate leaves the bundle or is no longer within the threshold (the CA was
//! replaced or removed), when self-managed X.509 is turned off, or when its configuration is disabled.
//!
//! Each notification of the configuration is sent when the alert opens (after `delayMin`) and again every
//! `intervalMin` while the alert stays open and is not acknowledged. EMAIL notifications are recorded
//! only. A WEBHOOK notification is a POST of the alert's JSON with the header
//! `X-Access-Console-Signature: sha256=<hex HMAC-SHA256 of the body keyed with the secret>` (when the
//! notification has a secret); a failed attempt is retried after 1, 5 and 30 minutes
//! ([`RETRY_BACKOFF_SECONDS`]), each attempt a row of `webhook_deliveries`. Unless private addresses are
//! allowed (`--allow-private-webhooks`), a webhook whose host resolves to a non-public address is not
//! sent: [`Webhooks`]. HTTP calls are made outside
//! any database transaction and never from an API request (but the test button's).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use access_core::time::{format_rfc3339, parse_rfc3339};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use sqlx::AnyPool;

use crate::storage::alert_configs::{self, AlertConfig, Notification, NotificationType};
use crate::storage::alerts::{self, delivery_status, Alert, AlertView, Delivery};
use crate::storage::{new_id, x509_settings};

/// The webhook signature header.
pub const SIGNATURE_HEADER: &str = "X-Access-Console-Signature";
/// How long a webhook may take to answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// The recorded target of a GROUP notification.
pub const GROUP_TARGET: &str = "project members";
/// When a failed webhook attempt is retried: after the 1st failure 1 minute later, after the 2nd 5
/// minutes, after the 3rd 30 minutes; the 4th failure is final.
pub const RETRY_BACKOFF_SECONDS: [i64; 3] = [60, 300, 1800];

/// `sha256=<hex>`: the HMAC-SHA256 of `body` keyed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let digest = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            mac.finalize().into_bytes()
        }
        Err(_) => Default::default(),
    };
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// What a webhook POST came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookOutcome {
    /// The HTTP status answered, if any.
    pub status_code: Option<u16>,
    /// Why it failed (connection refused, timeout, non-2xx status, ...).
    pub error: Option<String>,
}

impl WebhookOutcome {
    pub fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// Sends webhooks, over `http://` or `https://` (rustls, with the system's trusted roots), never
/// following redirects.
///
/// Unless built to allow private addresses, it resolves the URL's host when it sends, refuses when any
/// address is not public ([`access_core::webhook_address::is_private_address`]: loopback, private,
/// link-local, ...) with [`REFUSED_PRIVATE_ADDRESS`], and connects only to the addresses it checked (the
/// client of that request is told them: no second resolution that could answer differently).
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: reqwest::Client,
    allow_private: bool,
}

impl Webhooks {
    /// `allow_private`: `--allow-private-webhooks` (on-premises receivers, tests on 127.0.0.1).
    pub fn new(allow_private: bool) -> Self {
        Self {
            client: client_builder().build().unwrap_or_default(),
            allow_private,
        }
    }

    /// POSTs `body` (JSON) to `url`, signed with `secret` when there is one.
    pub async fn post(&self, url: &str, secret: Option<&str>, body: &[u8]) -> WebhookOutcome {
        let outcome = self.send(url, secret, body).await;
        crate::metrics::global().record_webhook(outcome.delivered());
        outcome
    }

    async fn send(&self, url: &str, secret: Option<&str>, body: &[u8]) -> WebhookOutcome {
        let client = if self.allow_private {
            self.client.clone()
        } else {
            match pinned_client(url).await {
                Ok(client) => client,
                Err(outcome) => return outcome,
            }
        };
        let mut request = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec());
        if let Some(secret) = secret.filter(|s| !s.is_empty()) {
            request = request.header(SIGNATURE_HEADER, signature(secret, body));
        }
        match request.send().await {
            Ok(response) if response.status().is_success() => WebhookOutcome {
                status_code: Some(response.status().as_u16()),
                error: None,
            },
            Ok(response) => WebhookOutcome {
                status_code: Some(response.status().as_u16()),
                error: Some(format!("the webhook answered HTTP {}", response.status())),
            },
            Err(error) => WebhookOutcome {
                status_code: None,
                error: Some(describe(url, &error)),
            },
        }
    }
}

pub use access_core::webhook_address::REFUSED_PRIVATE_ADDRESS;

fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(WEBHOOK_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("access-console/", env!("CARGO_PKG_VERSION")))
}

fn failed(error: &str) -> WebhookOutcome {
    WebhookOutcome {
        status_code: None,
        error: Some(error.to_owned()),
    }
}

/// A client that reaches the host of `url` only at the addresses it resolves to now, all of them
/// public; or the outcome of refusing.
async fn pinned_client(url: &str) -> Result<reqwest::Client, WebhookOutcome> {
    use access_core::webhook_address::is_private_address;
    let parsed = reqwest::Url::parse(url).map_err(|_| failed("not a webhook URL"))?;
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| failed("not a webhook URL"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| failed("not a webhook URL"))?;
    // An IP literal (`[::1]` bracketed) is the address itself; a name is resolved once, here.
    let literal = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .ok();
    let addresses: Vec<std::net::SocketAddr> = match literal {
        Some(ip) => vec![(ip, port).into()],
        None => match tokio::time::timeout(WEBHOOK_TIMEOUT, tokio::net::lookup_host((host, port)))
            .await
        {
            Ok(Ok(found)) => found.collect(),
            Ok(Err(error)) => {
                tracing::info!(%error, host, "cannot resolve a webhook host");
                return Err(failed("cannot resolve the webhook host"));
            }
            Err(_) => return Err(failed("cannot resolve the webhook host")),
        },
    };
    if addresses.is_empty() {
        return Err(failed("cannot resolve the webhook host"));
    }
    if addresses.iter().any(|a| is_private_address(a.ip())) {
        tracing::info!(host, "refused a webhook to a private address");
        return Err(failed(REFUSED_PRIVATE_ADDRESS));
    }
    // No proxy from the environment either: a proxy would resolve the host again, and reach whatever
    // its own network holds.
    let mut builder = client_builder().no_proxy();
    if literal.is_none() {
        builder = builder.resolve_to_addrs(host, &addresses);
    }
    builder.build().map_err(|error| {
        tracing::warn!(%error, "cannot build the webhook client");
        failed("cannot send the webhook")
    })
}

/// What went wrong, in a few words: no addresses, ports or error chains (a webhook's test answer must not
/// tell an Owner about the network behind the server). The causes go to the log.
fn describe(url: &str, error: &reqwest::Error) -> String {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        chain.push_str(": ");
        chain.push_str(&inner.to_string());
        source = inner.source();
    }
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned));
    tracing::info!(error = %chain, host = ?host, "a webhook attempt failed");
    if error.is_timeout() {
        format!("no answer within {} seconds", WEBHOOK_TIMEOUT.as_secs())
    } else if chain.contains("certificate") || chain.contains("UnknownIssuer") {
        "cannot connect to the webhook: its TLS certificate is not trusted".to_owned()
    } else if error.is_connect() {
        "cannot connect to the webhook".to_owned()
    } else {
        "the webhook request failed".to_owned()
    }
}

/// One notification attempt made by an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationReport {
    pub alert_id: Option<String>,
    pub type_name: String,
    pub target: String,
    pub attempt: i64,
    pub status: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub next_attempt_at: Option<String>,
}

impl From<&Delivery> for NotificationReport {
    fn from(d: &Delivery) -> Self {
        Self {
            alert_id: d.alert_id.clone(),
            type_name: d.type_name.clone(),
            target: d.target.clone(),
            attempt: d.attempt,
            status: d.status.clone(),
            status_code: d.status_code,
            error: d.error.clone(),
            next_attempt_at: d.next_attempt_at.clone(),
        }
    }
}

/// What one evaluation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationReport {
    pub opened: Vec<AlertView>,
    pub closed: Vec<AlertView>,
    /// First attempts (new alerts, and repeats every `intervalMin`).
    pub notified: Vec<NotificationReport>,
    /// Retries of failed webhook attempts.
    pub retried: Vec<NotificationReport>,
}

/// Evaluates every enabled CA-expiry configuration at `now` (Unix seconds), then sends the notifications
/// that are due and retries the failed webhooks that are due. On PostgreSQL, the evaluations of every
/// server instance (and `alerts check`) on the database take turns ([`EvaluationTurn`]), so that a
/// notification due once is sent once.
pub async fn evaluate_alerts(
    pool: &AnyPool,
    now: i64,
    webhooks: &Webhooks,
) -> Result<EvaluationReport, sqlx::Error> {
    let turn = EvaluationTurn::take(pool).await?;
    let mut report = EvaluationReport::default();
    let now_text = format_rfc3339(now);
    let evaluated = async {
        open_and_close(pool, now, &now_text, None, &mut report).await?;
        retry_failed(pool, &now_text, webhooks, &mut report).await?;
        notify_open(pool, now, &now_text, webhooks, &mut report).await
    }
    .await;
    turn.release().await;
    evaluated.map(|()| report)
}

/// Opens and closes the CA-expiry alerts of one project at `now`, as [`evaluate_alerts`] does, when its
/// CA bundle was saved or removed: the alerts show at once rather than at the next periodic run. Sends
/// nothing (notifications are the periodic evaluation's: never from a request).
pub async fn open_and_close_project(
    pool: &AnyPool,
    project_id: &str,
    now: i64,
) -> Result<EvaluationReport, sqlx::Error> {
    let turn = EvaluationTurn::take(pool).await?;
    let mut report = EvaluationReport::default();
    let evaluated = open_and_close(
        pool,
        now,
        &format_rfc3339(now),
        Some(project_id),
        &mut report,
    )
    .await;
    turn.release().await;
    evaluated.map(|()| report)
}

/// The key of the PostgreSQL advisory lock an evaluation holds (any constant: "ALERTS").
const EVALUATION_LOCK_KEY: i64 = 0x414c_4552_5453;

/// PostgreSQL: a session advisory lock on a connection of its own, held for a whole evaluation (webhook
/// calls included, which is why it is not the writers' lock of [`crate::storage::begin_write`]). The
/// next evaluation waits for it and then sees the deliveries recorded. SQLite: nothing (one server).
struct EvaluationTurn {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
}

impl EvaluationTurn {
    async fn take(pool: &AnyPool) -> Result<Self, sqlx::Error> {
        if crate::storage::Backend::of_pool(pool) != crate::storage::Backend::Postgres {
            return Ok(Self { conn: None });
        }
        let mut conn = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(EVALUATION_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
        Ok(Self { conn: Some(conn) })
    }

    async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(EVALUATION_LOCK_KEY)
                .execute(&mut *conn)
                .await;
            if unlocked.is_err() {
                // Closing the connection ends the session, and its lock.
                drop(conn.detach());
            }
        }
    }
}

impl Drop for EvaluationTurn {
    /// An evaluation stopped half-way (its task aborted): the connection must not go back to the pool
    /// holding the lock, so it is closed.
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

/// Opens an alert for each CA within a threshold, updates the days left of open ones, closes the rest;
/// of every project, or of `project` only.
async fn open_and_close(
    pool: &AnyPool,
    now: i64,
    now_text: &str,
    project: Option<&str>,
    report: &mut EvaluationReport,
) -> Result<(), sqlx::Error> {
    let in_scope = |project_id: &str| project.is_none_or(|p| p == project_id);
    // The bundles are inspected before the write transaction (parsing and signature checks must not
    // hold the writers' lock); under it, a bundle that changed meanwhile is inspected again.
    let mut inspected = inspect_bundles(pool, now, &in_scope).await?;
    let mut tx = crate::storage::begin_write(pool).await?;
    let mut configs = alert_configs::list_enabled(&mut tx, alert_configs::CA_EXPIRING).await?;
    configs.retain(|c| in_scope(&c.project_id));
    let mut open: Vec<Alert> = alerts::list_open(&mut tx).await?;
    open.retain(|a| in_scope(&a.project_id));
    let mut by_project: BTreeMap<String, Vec<access_core::pem_bundle::CertificateReport>> =
        BTreeMap::new();
    let mut kept: HashSet<String> = HashSet::new();
    for config in &configs {
        if !by_project.contains_key(&config.project_id) {
            let settings = x509_settings::find_in(&mut tx, &config.project_id).await?;
            let cas = settings.as_ref().and_then(|s| s.active_bundle());
            let certificates = match (inspected.remove(&config.project_id), cas) {
                (Some((seen, certificates)), _) if seen.as_deref() == cas => certificates,
                (_, Some(cas)) => access_core::pem_bundle::inspect_bundle(cas, now).certificates,
                (_, None) => Vec::new(),
            };
            by_project.insert(config.project_id.clone(), certificates);
        }
        let certificates = by_project
            .get(&config.project_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut seen: HashSet<&str> = HashSet::new();
        for certificate in certificates {
            if certificate.days_left >= config.threshold_days
                || !seen.insert(certificate.sha256_fingerprint.as_str())
            {
                continue;
            }
            let existing = open.iter().find(|a| {
                a.alert_config_id == config.id && a.ca_sha256 == certificate.sha256_fingerprint
            });
            match existing {
                Some(alert) => {
                    kept.insert(alert.id.clone());
                    alerts::set_days_left(&mut tx, &alert.id, certificate.days_left, now_text)
                        .await?;
                }
                None => {
                    let alert = Alert {
                        id: new_id(),
                        project_id: config.project_id.clone(),
                        alert_config_id: config.id.clone(),
                        event_type_name: config.event_type_name.clone(),
                        status: alerts::OPEN.to_owned(),
                        ca_subject: certificate.subject.clone(),
                        ca_sha256: certificate.sha256_fingerprint.clone(),
                        ca_not_after: certificate.not_after.clone(),
                        days_left: certificate.days_left,
                        created_at: now_text.to_owned(),
                        updated_at: now_text.to_owned(),
                        last_notified_at: None,
                        resolved_at: None,
                        acknowledged_until: None,
                        acknowledgement_comment: None,
                    };
                    alerts::insert(&mut tx, &alert).await?;
                    kept.insert(alert.id.clone());
                    report.opened.push(alert.view());
                    open.push(alert);
                }
            }
        }
    }
    for alert in open.iter_mut().filter(|a| !kept.contains(&a.id)) {
        alerts::close(&mut tx, &alert.id, now_text).await?;
        alert.status = alerts::CLOSED.to_owned();
        alert.resolved_at = Some(now_text.to_owned());
        alert.updated_at = now_text.to_owned();
        report.closed.push(alert.view());
    }
    tx.commit().await
}

/// The active bundle of each project with an enabled CA-expiry configuration (of those `in_scope`), and
/// its certificates inspected at `now`; read and inspected outside any write transaction.
async fn inspect_bundles(
    pool: &AnyPool,
    now: i64,
    in_scope: &impl Fn(&str) -> bool,
) -> Result<InspectedBundles, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let configs = alert_configs::list_enabled(&mut conn, alert_configs::CA_EXPIRING).await?;
    let mut inspected = InspectedBundles::new();
    for config in configs.iter().filter(|c| in_scope(&c.project_id)) {
        if inspected.contains_key(&config.project_id) {
            continue;
        }
        let settings = x509_settings::find_in(&mut conn, &config.project_id).await?;
        let cas = settings
            .as_ref()
            .and_then(|s| s.active_bundle())
            .map(str::to_owned);
        let certificates = cas
            .as_deref()
            .map(|cas| access_core::pem_bundle::inspect_bundle(cas, now).certificates)
            .unwrap_or_default();
        inspected.insert(config.project_id.clone(), (cas, certificates));
    }
    Ok(inspected)
}

/// Project id → (its active bundle as inspected, its certificates).
type InspectedBundles = HashMap<
    String,
    (
        Option<String>,
        Vec<access_core::pem_bundle::CertificateReport>,
    ),
>;

/// Whether notification `index` of an alert is due at `now`.
fn due(alert: &Alert, notification: &Notification, last_sent: Option<&str>, now: i64) -> bool {
    match last_sent.and_then(parse_rfc3339) {
        Some(last) => now >= last.saturating_add(i64::from(notification.interval_min) * 60),
        None => {
            let created = parse_rfc3339(&alert.created_at).unwrap_or(now);
            now >= created.saturating_add(i64::from(notification.delay_min) * 60)
        }
    }
}

/// Sends the notifications of open, unacknowledged alerts that are due.
async fn notify_open(
    pool: &AnyPool,
    now: i64,
    now_text: &str,
    webhooks: &Webhooks,
    report: &mut EvaluationReport,
) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let open = alerts::list_open(&mut conn).await?;
    for alert in open.iter().filter(|a| !a.acknowledged_at(now_text)) {
        let Some(config) =
            alert_configs::find(&mut conn, &alert.project_id, &alert.alert_config_id).await?
        else {
            continue;
        };
        let mut sent = false;
        for (index, notification) in config.notifications.iter().enumerate() {
            let index = i64::try_from(index).unwrap_or(i64::MAX);
            let last = alerts::last_sent(&mut conn, &alert.id, index).await?;
            if !due(alert, notification, last.as_deref(), now) {
                continue;
            }
            let payload = alert_payload(alert);
            let delivery = deliver(
                webhooks,
                &config,
                Some(&alert.id),
                index,
                notification,
                payload,
                1,
                now_text,
            )
            .await;
            alerts::insert_delivery(&mut conn, &delivery).await?;
            report.notified.push(NotificationReport::from(&delivery));
            sent = true;
        }
        if sent {
            alerts::set_last_notified(&mut conn, &alert.id, now_text).await?;
        }
    }
    Ok(())
}

/// The webhook body of an alert: its API JSON.
fn alert_payload(alert: &Alert) -> String {
    serde_json::to_string(&alert.view()).unwrap_or_default()
}

/// Makes one attempt of a notification (records an EMAIL one) and returns its row, not yet stored.
#[allow(clippy::too_many_arguments)]
async fn deliver(
    webhooks: &Webhooks,
    config: &AlertConfig,
    alert_id: Option<&str>,
    index: i64,
    notification: &Notification,
    payload: String,
    attempt: i64,
    now_text: &str,
) -> Delivery {
    let mut delivery = Delivery {
        id: new_id(),
        project_id: config.project_id.clone(),
        alert_config_id: config.id.clone(),
        alert_id: alert_id.map(str::to_owned),
        notification_index: index,
        type_name: notification.type_name.name().to_owned(),
        target: String::new(),
        payload,
        attempt,
        attempted_at: now_text.to_owned(),
        status: delivery_status::RECORDED.to_owned(),
        status_code: None,
        error: None,
        next_attempt_at: None,
    };
    match notification.type_name {
        NotificationType::Email => {
            delivery.target = notification.email_address.clone().unwrap_or_default();
        }
        NotificationType::Group => {
            delivery.target = GROUP_TARGET.to_owned();
        }
        NotificationType::Webhook => {
            let url = notification.webhook_url.clone().unwrap_or_default();
            let outcome = webhooks
                .post(
                    &url,
                    notification.webhook_secret.as_deref(),
                    delivery.payload.as_bytes(),
                )
                .await;
            delivery.target = url;
            delivery.status_code = outcome.status_code.map(i64::from);
            if outcome.delivered() {
                delivery.status = delivery_status::DELIVERED.to_owned();
            } else {
                delivery.status = delivery_status::FAILED.to_owned();
                delivery.error = outcome.error;
                // Tests (no alert) are not retried.
                if alert_id.is_some() {
                    delivery.next_attempt_at = usize::try_from(attempt - 1)
                        .ok()
                        .and_then(|i| RETRY_BACKOFF_SECONDS.get(i))
                        .and_then(|wait| {
                            parse_rfc3339(now_text).map(|now| format_rfc3339(now + wait))
                        });
                }
            }
        }
    }
    delivery
}

/// Retries the failed webhook attempts whose `next_attempt_at` has come.
async fn retry_failed(
    pool: &AnyPool,
    now_text: &str,
    webhooks: &Webhooks,
    report: &mut EvaluationReport,
) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    for failed in alerts::due_retries(&mut conn, now_text).await? {
        alerts::clear_next_attempt(&mut conn, &failed.id).await?;
        let config =
            alert_configs::find(&mut conn, &failed.project_id, &failed.alert_config_id).await?;
        // The same webhook, if the configuration still has it (its secret may have changed).
        let notification = config.as_ref().and_then(|c| {
            c.notifications.iter().find(|n| {
                n.type_name == NotificationType::Webhook
                    && n.webhook_url.as_deref() == Some(failed.target.as_str())
            })
        });
        let (Some(config), Some(notification)) = (config.as_ref(), notification) else {
            tracing::info!(delivery = %failed.id, "webhook removed from its alert configuration: not retried");
            continue;
        };
        let delivery = deliver(
            webhooks,
            config,
            failed.alert_id.as_deref(),
            failed.notification_index,
            notification,
            failed.payload.clone(),
            failed.attempt + 1,
            now_text,
        )
        .await;
        alerts::insert_delivery(&mut conn, &delivery).await?;
        report.retried.push(NotificationReport::from(&delivery));
    }
    Ok(())
}

/// Sends a test webhook for each WEBHOOK notification of `config` now, records the attempts (not
/// retried), and returns them.
pub async fn test_webhooks(
    pool: &AnyPool,
    config: &AlertConfig,
    now: i64,
    webhooks: &Webhooks,
) -> Result<Vec<Delivery>, sqlx::Error> {
    let now_text = format_rfc3339(now);
    let payload = serde_json::json!({
        "test": true,
        "groupId": config.project_id,
        "alertConfigId": config.id,
        "eventTypeName": config.event_type_name,
        "created": now_text,
        "message": "A test notification from Access Console.",
    })
    .to_string();
    let mut results = Vec::new();
    for (index, notification) in config.notifications.iter().enumerate() {
        if notification.type_name != NotificationType::Webhook {
            continue;
        }
        let index = i64::try_from(index).unwrap_or(i64::MAX);
        let delivery = deliver(
            webhooks,
            config,
            None,
            index,
            notification,
            payload.clone(),
            1,
            &now_text,
        )
        .await;
        let mut conn = pool.acquire().await?;
        alerts::insert_delivery(&mut conn, &delivery).await?;
        results.push(delivery);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_rfc_4231_says() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
