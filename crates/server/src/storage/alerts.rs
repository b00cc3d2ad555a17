//! The `alerts` and `webhook_deliveries` tables: the alerts opened by the evaluator
//! ([`crate::alerts`]) and every notification attempt made for them.

use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

pub const OPEN: &str = "OPEN";
pub const CLOSED: &str = "CLOSED";

/// An alert about one CA certificate.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Alert {
    pub id: String,
    pub project_id: String,
    pub alert_config_id: String,
    pub event_type_name: String,
    /// [`OPEN`] or [`CLOSED`].
    pub status: String,
    pub ca_subject: String,
    /// Uppercase hex, colon-separated (as the core inspection prints it).
    pub ca_sha256: String,
    pub ca_not_after: String,
    pub days_left: i64,
    pub created_at: String,
    pub updated_at: String,
    pub last_notified_at: Option<String>,
    pub resolved_at: Option<String>,
    pub acknowledged_until: Option<String>,
    pub acknowledgement_comment: Option<String>,
}

pub use access_core::api::{AlertCa, AlertView};

impl Alert {
    pub fn view(&self) -> AlertView {
        AlertView {
            id: self.id.clone(),
            group_id: self.project_id.clone(),
            alert_config_id: self.alert_config_id.clone(),
            event_type_name: self.event_type_name.clone(),
            status: self.status.clone(),
            created: self.created_at.clone(),
            updated: self.updated_at.clone(),
            last_notified: self.last_notified_at.clone(),
            resolved: self.resolved_at.clone(),
            acknowledged_until: self.acknowledged_until.clone(),
            acknowledgement_comment: self.acknowledgement_comment.clone(),
            ca: AlertCa {
                subject: self.ca_subject.clone(),
                sha256: self.ca_sha256.clone(),
                not_after: self.ca_not_after.clone(),
                days_left: self.days_left,
            },
        }
    }

    /// Acknowledged at `now` (RFC 3339 times compare as text).
    pub fn acknowledged_at(&self, now: &str) -> bool {
        self.acknowledged_until
            .as_deref()
            .is_some_and(|until| until > now)
    }
}

const COLUMNS: &str = "id, project_id, alert_config_id, event_type_name, status, ca_subject, ca_sha256, \
     ca_not_after, days_left, created_at, updated_at, last_notified_at, resolved_at, acknowledged_until, \
     acknowledgement_comment";

/// One page of the project's alerts (of `status` when given), newest first, and how many match.
pub async fn list(
    pool: &AnyPool,
    project_id: &str,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Alert>, u64), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let condition = "project_id = $1 AND ($2 IS NULL OR status = $2)";
    let (total,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM alerts WHERE {condition}"))
            .bind(project_id)
            .bind(status)
            .fetch_one(&mut *conn)
            .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE {condition} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
    ))
    .bind(project_id)
    .bind(status)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub async fn find(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<Alert>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE project_id = $1 AND id = $2"
    ))
    .bind(project_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Every open alert (of every project).
pub async fn list_open(conn: &mut AnyConnection) -> Result<Vec<Alert>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE status = 'OPEN' ORDER BY created_at, id"
    ))
    .fetch_all(conn)
    .await
}

pub async fn insert(conn: &mut AnyConnection, alert: &Alert) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO alerts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&alert.id)
    .bind(&alert.project_id)
    .bind(&alert.alert_config_id)
    .bind(&alert.event_type_name)
    .bind(&alert.status)
    .bind(&alert.ca_subject)
    .bind(&alert.ca_sha256)
    .bind(&alert.ca_not_after)
    .bind(alert.days_left)
    .bind(&alert.created_at)
    .bind(&alert.updated_at)
    .bind(&alert.last_notified_at)
    .bind(&alert.resolved_at)
    .bind(&alert.acknowledged_until)
    .bind(&alert.acknowledgement_comment)
    .execute(conn)
    .await?;
    Ok(())
}

/// Updates the days left of an open alert (when they changed).
pub async fn set_days_left(
    conn: &mut AnyConnection,
    id: &str,
    days_left: i64,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE alerts SET days_left = $1, updated_at = $2 WHERE id = $3 AND days_left <> $1",
    )
    .bind(days_left)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn close(conn: &mut AnyConnection, id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE alerts SET status = 'CLOSED', resolved_at = $1, updated_at = $1 WHERE id = $2 AND status = 'OPEN'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn acknowledge(
    conn: &mut AnyConnection,
    id: &str,
    until: Option<&str>,
    comment: Option<&str>,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE alerts SET acknowledged_until = $1, acknowledgement_comment = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(until)
    .bind(comment)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_last_notified(
    conn: &mut AnyConnection,
    id: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE alerts SET last_notified_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Delivery statuses.
pub mod delivery_status {
    /// An EMAIL notification: recorded, not sent.
    pub const RECORDED: &str = "RECORDED";
    /// A webhook answered 2xx.
    pub const DELIVERED: &str = "DELIVERED";
    /// A webhook attempt failed (retried at `next_attempt_at` when set).
    pub const FAILED: &str = "FAILED";
}

/// One notification attempt.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: String,
    pub project_id: String,
    pub alert_config_id: String,
    pub alert_id: Option<String>,
    pub notification_index: i64,
    pub type_name: String,
    pub target: String,
    #[serde(skip)]
    pub payload: String,
    pub attempt: i64,
    pub attempted_at: String,
    pub status: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub next_attempt_at: Option<String>,
}

const DELIVERY_COLUMNS: &str =
    "id, project_id, alert_config_id, alert_id, notification_index, type_name, \
     target, payload, attempt, attempted_at, status, status_code, error, next_attempt_at";

pub async fn insert_delivery(
    conn: &mut AnyConnection,
    delivery: &Delivery,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(&delivery.id)
    .bind(&delivery.project_id)
    .bind(&delivery.alert_config_id)
    .bind(&delivery.alert_id)
    .bind(delivery.notification_index)
    .bind(&delivery.type_name)
    .bind(&delivery.target)
    .bind(&delivery.payload)
    .bind(delivery.attempt)
    .bind(&delivery.attempted_at)
    .bind(&delivery.status)
    .bind(delivery.status_code)
    .bind(&delivery.error)
    .bind(&delivery.next_attempt_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// When notification `index` of the alert was last sent (first attempts only; retries do not count).
pub async fn last_sent(
    conn: &mut AnyConnection,
    alert_id: &str,
    index: i64,
) -> Result<Option<String>, sqlx::Error> {
    let (last,): (Option<String>,) = sqlx::query_as(
        "SELECT MAX(attempted_at) FROM webhook_deliveries WHERE alert_id = $1 AND notification_index = $2 AND attempt = 1",
    )
    .bind(alert_id)
    .bind(index)
    .fetch_one(conn)
    .await?;
    Ok(last)
}

/// Failed attempts whose retry is due at `now`.
pub async fn due_retries(
    conn: &mut AnyConnection,
    now: &str,
) -> Result<Vec<Delivery>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id"
    ))
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Marks a failed attempt as retried (or given up): it is not picked up again.
pub async fn clear_next_attempt(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every attempt made for the alerts (and tests) of a configuration, oldest first.
pub async fn deliveries_of_config(
    pool: &AnyPool,
    alert_config_id: &str,
) -> Result<Vec<Delivery>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE alert_config_id = $1 ORDER BY attempted_at, attempt, id"
    ))
    .bind(alert_config_id)
    .fetch_all(pool)
    .await
}
