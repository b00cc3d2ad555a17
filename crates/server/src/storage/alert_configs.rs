//! The `alert_configs` table: a project's alert configurations. Every change writes its
//! `ALERT_CONFIG_*` event in the same transaction.
//!
//! Only one event type exists: [`CA_EXPIRING`] (our name; Atlas has no such alert), "a CA certificate of
//! the project's bundle has fewer than `threshold` days left".

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::events::{self, Diff, EventType};

/// The event type of the CA-expiry alert.
pub const CA_EXPIRING: &str = "CA_EXPIRING";
/// The threshold of the configuration created with a project's first CA bundle: 30 days.
pub const DEFAULT_THRESHOLD_DAYS: i64 = 30;
/// Its notification interval: every 24 hours.
pub const DEFAULT_INTERVAL_MIN: u32 = 1440;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AlertNotificationType)]
#[serde(rename_all = "UPPERCASE")]
pub enum NotificationType {
    /// To its `emailAddress` (required, `access_core::alert_notification`). Recorded only (no mail is
    /// sent).
    Email,
    /// A signed JSON POST.
    Webhook,
    /// To the project's members, as Atlas's GROUP notification: no address. Recorded only.
    Group,
}

impl NotificationType {
    pub fn name(self) -> &'static str {
        match self {
            Self::Email => access_core::alert_notification::EMAIL,
            Self::Webhook => access_core::alert_notification::WEBHOOK,
            Self::Group => access_core::alert_notification::GROUP,
        }
    }
}

/// A notification as stored (the webhook secret included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub type_name: NotificationType,
    pub interval_min: u32,
    pub delay_min: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertConfig {
    pub id: String,
    pub project_id: String,
    pub event_type_name: String,
    pub enabled: bool,
    pub threshold_days: i64,
    pub notifications: Vec<Notification>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// The API shape of a configuration (the webhook secret replaced by `webhookSecretSet`): core's wire type.
pub use access_core::api::{
    AlertConfig as AlertConfigView, AlertNotification as NotificationView,
    AlertThreshold as ThresholdView,
};

/// The view a Read Only caller gets: each `webhookUrl` replaced by `webhookHost`, its host.
pub fn hosts_only(mut view: AlertConfigView) -> AlertConfigView {
    for n in &mut view.notifications {
        if let Some(url) = n.webhook_url.take() {
            n.webhook_host = Some(webhook_host(&url));
        }
    }
    view
}

/// The host of a webhook URL (empty when it has none).
pub fn webhook_host(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// In the JSON of configurations (an `ALERT_CONFIG_*` event's `diff`: `before` and `after`), each
/// `webhookUrl` replaced by `webhookHost`, as a Read Only caller reads them.
pub fn diff_hosts_only(diff: &mut serde_json::Value) {
    for side in ["before", "after"] {
        let Some(notifications) = diff
            .get_mut(side)
            .and_then(|config| config.get_mut("notifications"))
            .and_then(serde_json::Value::as_array_mut)
        else {
            continue;
        };
        for notification in notifications.iter_mut() {
            let Some(object) = notification.as_object_mut() else {
                continue;
            };
            if let Some(url) = object.remove("webhookUrl") {
                let host = webhook_host(url.as_str().unwrap_or_default());
                object.insert("webhookHost".to_owned(), host.into());
            }
        }
    }
}

impl AlertConfig {
    /// The CA-expiry configuration created with a project's first CA bundle: 30 days, a GROUP
    /// notification (recorded only) every 24 hours.
    pub fn default_ca_expiry(project_id: &str, now: i64) -> Self {
        let now = access_core::time::format_rfc3339(now);
        Self {
            id: super::new_id(),
            project_id: project_id.to_owned(),
            event_type_name: CA_EXPIRING.to_owned(),
            enabled: true,
            threshold_days: DEFAULT_THRESHOLD_DAYS,
            notifications: vec![Notification {
                // The project's members, as Atlas's default alerts notify: an EMAIL notification
                // needs an address, which a new project has not given.
                type_name: NotificationType::Group,
                interval_min: DEFAULT_INTERVAL_MIN,
                delay_min: 0,
                email_address: None,
                webhook_url: None,
                webhook_secret: None,
            }],
            created_at: now.clone(),
            updated_at: now,
        }
    }

    pub fn view(&self) -> AlertConfigView {
        AlertConfigView {
            id: self.id.clone(),
            group_id: self.project_id.clone(),
            event_type_name: self.event_type_name.clone(),
            enabled: self.enabled,
            threshold: ThresholdView {
                operator: "LESS_THAN".to_owned(),
                units: "DAYS".to_owned(),
                threshold: self.threshold_days,
            },
            notifications: self
                .notifications
                .iter()
                .map(|n| NotificationView {
                    type_name: n.type_name.name().to_owned(),
                    interval_min: i64::from(n.interval_min),
                    delay_min: i64::from(n.delay_min),
                    email_address: n.email_address.clone(),
                    webhook_url: n.webhook_url.clone(),
                    webhook_host: None,
                    webhook_secret: None,
                    webhook_secret_set: n.webhook_secret.as_deref().is_some_and(|s| !s.is_empty()),
                })
                .collect(),
            created: self.created_at.clone(),
            updated: self.updated_at.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    project_id: String,
    event_type_name: String,
    /// 0 or 1: the `Any` driver reads no SQLite BOOLEAN (see [`SELECTED`]).
    enabled: i64,
    threshold_days: i64,
    notifications: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<Row> for AlertConfig {
    type Error = sqlx::Error;
    fn try_from(row: Row) -> Result<Self, sqlx::Error> {
        let mut notifications: Vec<Notification> = serde_json::from_str(&row.notifications)
            .map_err(|e| sqlx::Error::Decode(format!("alert_configs.notifications: {e}").into()))?;
        // Before issue 21, the default configuration had an EMAIL notification without an address
        // (an EMAIL notification now needs one): it notified the project, which is a GROUP
        // notification. Read as one; the next save stores it so.
        for n in &mut notifications {
            if n.type_name == NotificationType::Email
                && n.email_address
                    .as_deref()
                    .is_none_or(|a| a.trim().is_empty())
            {
                n.type_name = NotificationType::Group;
                n.email_address = None;
            }
        }
        Ok(Self {
            id: row.id,
            project_id: row.project_id,
            event_type_name: row.event_type_name,
            enabled: row.enabled != 0,
            threshold_days: row.threshold_days,
            notifications,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const COLUMNS: &str =
    "id, project_id, event_type_name, enabled, threshold_days, notifications, created_at, updated_at";
/// [`COLUMNS`] as read, `enabled` as an integer.
const SELECTED: &str = "id, project_id, event_type_name, CAST(enabled AS INTEGER) AS enabled, \
     threshold_days, notifications, created_at, updated_at";

/// The configurations where `filter` holds (an SQL condition on `$1`, `$2`, … for `values`, and
/// maybe an order).
async fn select_where(
    conn: &mut AnyConnection,
    filter: &str,
    values: &[&str],
) -> Result<Vec<AlertConfig>, sqlx::Error> {
    let sql = format!("SELECT {SELECTED} FROM alert_configs WHERE {filter}");
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for value in values {
        query = query.bind(*value);
    }
    let rows = query.fetch_all(conn).await?;
    rows.into_iter().map(AlertConfig::try_from).collect()
}

/// The project's configurations, oldest first.
pub async fn list(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Vec<AlertConfig>, sqlx::Error> {
    let filter = "project_id = $1 ORDER BY created_at, id";
    select_where(conn, filter, &[project_id]).await
}

/// Every enabled configuration of `event_type_name`, of every project.
pub async fn list_enabled(
    conn: &mut AnyConnection,
    event_type_name: &str,
) -> Result<Vec<AlertConfig>, sqlx::Error> {
    let filter = "event_type_name = $1 AND enabled = TRUE ORDER BY project_id, created_at, id";
    select_where(conn, filter, &[event_type_name]).await
}

/// The project's configuration `id` (the primary key: one at most).
pub async fn find(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<AlertConfig>, sqlx::Error> {
    let filter = "project_id = $1 AND id = $2";
    Ok(select_where(conn, filter, &[project_id, id])
        .await?
        .into_iter()
        .next())
}

/// Whether the project has a configuration of `event_type_name`.
pub async fn exists_of_type(
    conn: &mut AnyConnection,
    project_id: &str,
    event_type_name: &str,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM alert_configs WHERE project_id = $1 AND event_type_name = $2",
    )
    .bind(project_id)
    .bind(event_type_name)
    .fetch_one(conn)
    .await?;
    Ok(count > 0)
}

fn notifications_json(config: &AlertConfig) -> Result<String, sqlx::Error> {
    serde_json::to_string(&config.notifications).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Writes `event_type` about `config`, its diff the API views (no secrets) of `before` and `after`.
async fn record_change(
    conn: &mut AnyConnection,
    config: &AlertConfig,
    event_type: EventType,
    before: Option<&AlertConfig>,
    after: Option<&AlertConfig>,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (before, after) = (before.map(AlertConfig::view), after.map(AlertConfig::view));
    let diff = Diff {
        before: before.as_ref(),
        after: after.as_ref(),
    };
    events::record(
        conn,
        &config.project_id,
        event_type,
        actor,
        &config.id,
        &diff,
        now,
    )
    .await
}

/// Inserts `config` with its `ALERT_CONFIG_ADDED` event.
pub async fn insert(
    conn: &mut AnyConnection,
    config: &AlertConfig,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO alert_configs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&config.id)
    .bind(&config.project_id)
    .bind(&config.event_type_name)
    .bind(config.enabled)
    .bind(config.threshold_days)
    .bind(notifications_json(config)?)
    .bind(&config.created_at)
    .bind(&config.updated_at)
    .execute(&mut *conn)
    .await?;
    let event_type = EventType::AlertConfigAdded;
    record_change(conn, config, event_type, None, Some(config), actor, now).await
}

/// Replaces `before` by `after` (same id), with its `ALERT_CONFIG_UPDATED` event.
pub async fn update(
    conn: &mut AnyConnection,
    before: &AlertConfig,
    after: &AlertConfig,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE alert_configs SET enabled = $1, threshold_days = $2, notifications = $3, updated_at = $4 \
         WHERE project_id = $5 AND id = $6",
    )
    .bind(after.enabled)
    .bind(after.threshold_days)
    .bind(notifications_json(after)?)
    .bind(&after.updated_at)
    .bind(&before.project_id)
    .bind(&before.id)
    .execute(&mut *conn)
    .await?;
    record_change(
        conn,
        before,
        EventType::AlertConfigUpdated,
        Some(before),
        Some(after),
        actor,
        now,
    )
    .await
}

/// Deletes `config` (and its alerts), with its `ALERT_CONFIG_DELETED` event.
pub async fn delete(
    conn: &mut AnyConnection,
    config: &AlertConfig,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM alert_configs WHERE project_id = $1 AND id = $2")
        .bind(&config.project_id)
        .bind(&config.id)
        .execute(&mut *conn)
        .await?;
    let event_type = EventType::AlertConfigDeleted;
    record_change(conn, config, event_type, Some(config), None, actor, now).await
}
