//! `GET|POST /groups/{groupId}/alertConfigs`, `GET|PUT|PATCH|DELETE .../alertConfigs/{alertConfigId}`,
//! and our `POST .../alertConfigs/{alertConfigId}/test`: the project's alert configurations.
//!
//! The only event type is `CA_EXPIRING` (our name; Atlas has no CA-expiry alert): "a CA certificate of the
//! project's bundle has fewer than `threshold.threshold` days left". The shape is Atlas's:
//! `{"id", "groupId", "eventTypeName", "enabled", "threshold": {"operator": "LESS_THAN", "units": "DAYS",
//! "threshold": 30}, "notifications": [{"typeName": "EMAIL"|"WEBHOOK"|"GROUP", "intervalMin", "delayMin",
//! "emailAddress", "webhookUrl", "webhookSecret"}], "created", "updated"}`. As in Atlas, an EMAIL
//! notification needs its `emailAddress` and a WEBHOOK one its `webhookUrl` (one rule with the page:
//! `access_core::alert_notification`); GROUP notifies the project's members and takes no address.
//! `webhookSecret` is write-only:
//! answers say `"webhookSecretSet": true` instead. A WEBHOOK notification sent without `webhookSecret`
//! keeps the secret stored for the same `webhookUrl` (so a GET body can be sent back); `null` or `""`
//! removes it. PUT replaces the configuration; PATCH changes the attributes it names. Every change
//! writes an `ALERT_CONFIG_*` event in its transaction.

use access_core::alert_notification::{check_email_address, check_webhook_url, TargetError};
use access_core::api::Paginated;
use access_core::field_issue::FieldIssue;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use super::caller::{Actor, Principal};
use super::{groups, ApiError, AppState, GroupId, JsonBody, Paging};
use crate::alerts;
use crate::storage::alert_configs::{
    self, AlertConfig, AlertConfigView, Notification, NotificationType, CA_EXPIRING,
    DEFAULT_INTERVAL_MIN, DEFAULT_THRESHOLD_DAYS,
};
use crate::storage::{new_id, now_unix};
use access_core::project_role::ProjectRole;

pub const MIN_THRESHOLD_DAYS: i64 = 1;
pub const MAX_THRESHOLD_DAYS: i64 = 365;
pub const MIN_INTERVAL_MIN: i64 = 5;
/// A year, in minutes: the longest interval and delay.
pub const MAX_MINUTES: i64 = 525_600;
pub const MAX_SECRET_CHARS: usize = 1024;
/// At most this many notifications per configuration (each webhook is a request the server makes).
pub const MAX_NOTIFICATIONS: usize = 10;

/// A rule an alert configuration breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertConfigRule {
    #[error("the event type is not supported: the only alert is CA_EXPIRING")]
    UnsupportedEventType,
    #[error("the event type of a configuration cannot be changed")]
    EventTypeChanged,
    #[error("the operator must be LESS_THAN")]
    ThresholdOperator,
    #[error("the units must be DAYS")]
    ThresholdUnits,
    #[error("the threshold is {0} days; use {MIN_THRESHOLD_DAYS} to {MAX_THRESHOLD_DAYS}")]
    ThresholdRange(i64),
    #[error("at least one notification is required")]
    NotificationsRequired,
    #[error("{0} notifications; a configuration has at most {MAX_NOTIFICATIONS}")]
    TooManyNotifications(usize),
    #[error("the notification type must be EMAIL, WEBHOOK or GROUP")]
    UnsupportedNotificationType,
    #[error("the interval is {0} minutes; use {MIN_INTERVAL_MIN} to {MAX_MINUTES}")]
    IntervalRange(i64),
    #[error("the delay is {0} minutes; use 0 to {MAX_MINUTES}")]
    DelayRange(i64),
    /// Its address: core's rule, the one the alert settings page applies as you type.
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("{0} is not an attribute of this notification type")]
    FieldNotAllowed(&'static str),
    #[error("the webhook secret has more than {MAX_SECRET_CHARS} characters")]
    SecretTooLong,
}

impl AlertConfigRule {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedEventType | Self::EventTypeChanged => "UNSUPPORTED_ALERT_EVENT_TYPE",
            Self::ThresholdOperator | Self::ThresholdUnits | Self::ThresholdRange(_) => {
                "INVALID_ALERT_THRESHOLD"
            }
            Self::NotificationsRequired => "ALERT_NOTIFICATIONS_REQUIRED",
            Self::TooManyNotifications(_) => "TOO_MANY_NOTIFICATIONS",
            Self::UnsupportedNotificationType => "UNSUPPORTED_NOTIFICATION_TYPE",
            Self::IntervalRange(_) => "INVALID_NOTIFICATION_INTERVAL",
            Self::DelayRange(_) => "INVALID_NOTIFICATION_DELAY",
            Self::Target(error) => error.code(),
            Self::FieldNotAllowed(_) => "NOTIFICATION_FIELD_NOT_ALLOWED",
            Self::SecretTooLong => "WEBHOOK_SECRET_TOO_LONG",
        }
    }
}

/// The rules broken, as [`ApiError::Rules`].
struct Broken(Vec<(String, AlertConfigRule)>);

impl Broken {
    fn push(&mut self, field: impl Into<String>, rule: AlertConfigRule) {
        self.0.push((field.into(), rule));
    }

    fn into_result(self) -> Result<(), ApiError> {
        let Some((_, first)) = self.0.first() else {
            return Ok(());
        };
        Err(ApiError::Rules {
            code: first.code(),
            issues: self
                .0
                .iter()
                .map(|(field, rule)| FieldIssue {
                    field: field.clone(),
                    error_code: rule.code().to_owned(),
                    detail: rule.to_string(),
                })
                .collect(),
        })
    }
}

/// A POST, PUT or PATCH body. Read-only attributes (`id`, `groupId`, `created`, `updated`, `links`) are
/// accepted and ignored so that a GET body can be sent back; unknown ones are refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = AlertConfigRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertConfigIn {
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    id: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    group_id: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    created: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    updated: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<IgnoredAny>,
    event_type_name: Option<String>,
    enabled: Option<bool>,
    threshold: Option<ThresholdIn>,
    #[schema(max_items = 10)]
    notifications: Option<Vec<NotificationIn>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = AlertThresholdRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ThresholdIn {
    operator: Option<String>,
    units: Option<String>,
    threshold: Option<i64>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = AlertNotificationRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NotificationIn {
    type_name: Option<String>,
    interval_min: Option<i64>,
    delay_min: Option<i64>,
    email_address: Option<String>,
    webhook_url: Option<String>,
    /// Absent: keep the stored one (same URL); `null` or `""`: none.
    #[serde(default, deserialize_with = "present")]
    webhook_secret: Option<Option<String>>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    webhook_secret_set: Option<IgnoredAny>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

fn valid_webhook_url(url: &str) -> bool {
    match reqwest::Url::parse(url) {
        Ok(parsed) => {
            matches!(parsed.scheme(), "http" | "https")
                && parsed.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// Builds the configuration a body describes. `base`: the stored configuration (PUT and PATCH);
/// `merge`: attributes absent from the body keep their stored value (PATCH) instead of their default.
pub(crate) fn build(
    body: AlertConfigIn,
    base: Option<&AlertConfig>,
    merge: bool,
    project_id: &str,
    now: i64,
) -> Result<AlertConfig, ApiError> {
    let mut broken = Broken(Vec::new());
    let now_text = access_core::time::format_rfc3339(now);
    let kept_base = base.filter(|_| merge);
    let event_type_name = match (&body.event_type_name, base) {
        (Some(name), Some(base)) if *name != base.event_type_name => {
            broken.push("eventTypeName", AlertConfigRule::EventTypeChanged);
            name.clone()
        }
        (Some(name), _) => {
            if name != CA_EXPIRING {
                broken.push("eventTypeName", AlertConfigRule::UnsupportedEventType);
            }
            name.clone()
        }
        (None, Some(base)) => base.event_type_name.clone(),
        (None, None) => {
            return Err(ApiError::MissingAttribute {
                name: "eventTypeName",
            })
        }
    };
    let enabled = body
        .enabled
        .or(kept_base.map(|b| b.enabled))
        .unwrap_or(true);
    let threshold_days = match body.threshold {
        Some(threshold) => {
            if threshold
                .operator
                .as_deref()
                .is_some_and(|o| o != "LESS_THAN")
            {
                broken.push("threshold.operator", AlertConfigRule::ThresholdOperator);
            }
            if threshold.units.as_deref().is_some_and(|u| u != "DAYS") {
                broken.push("threshold.units", AlertConfigRule::ThresholdUnits);
            }
            let days = threshold
                .threshold
                .or(kept_base.map(|b| b.threshold_days))
                .unwrap_or(DEFAULT_THRESHOLD_DAYS);
            if !(MIN_THRESHOLD_DAYS..=MAX_THRESHOLD_DAYS).contains(&days) {
                broken.push("threshold.threshold", AlertConfigRule::ThresholdRange(days));
            }
            days
        }
        None => kept_base
            .map(|b| b.threshold_days)
            .unwrap_or(DEFAULT_THRESHOLD_DAYS),
    };
    let notifications = match body.notifications {
        Some(list) => {
            if list.is_empty() {
                broken.push("notifications", AlertConfigRule::NotificationsRequired);
            }
            if list.len() > MAX_NOTIFICATIONS {
                broken.push(
                    "notifications",
                    AlertConfigRule::TooManyNotifications(list.len()),
                );
            }
            list.into_iter()
                .enumerate()
                .filter_map(|(i, n)| notification(i, n, base, &mut broken))
                .collect()
        }
        None => match kept_base {
            Some(base) => base.notifications.clone(),
            None => {
                broken.push("notifications", AlertConfigRule::NotificationsRequired);
                Vec::new()
            }
        },
    };
    broken.into_result()?;
    Ok(AlertConfig {
        id: base.map_or_else(new_id, |b| b.id.clone()),
        project_id: project_id.to_owned(),
        event_type_name,
        enabled,
        threshold_days,
        notifications,
        created_at: base.map_or_else(|| now_text.clone(), |b| b.created_at.clone()),
        updated_at: now_text,
    })
}

fn notification(
    i: usize,
    n: NotificationIn,
    base: Option<&AlertConfig>,
    broken: &mut Broken,
) -> Option<Notification> {
    let field = |name: &str| format!("notifications[{i}].{name}");
    let type_name = match n.type_name.as_deref() {
        Some("EMAIL") => NotificationType::Email,
        Some("WEBHOOK") => NotificationType::Webhook,
        Some("GROUP") => NotificationType::Group,
        _ => {
            broken.push(
                field("typeName"),
                AlertConfigRule::UnsupportedNotificationType,
            );
            return None;
        }
    };
    let interval = n.interval_min.unwrap_or(i64::from(DEFAULT_INTERVAL_MIN));
    if !(MIN_INTERVAL_MIN..=MAX_MINUTES).contains(&interval) {
        broken.push(
            field("intervalMin"),
            AlertConfigRule::IntervalRange(interval),
        );
    }
    let delay = n.delay_min.unwrap_or(0);
    if !(0..=MAX_MINUTES).contains(&delay) {
        broken.push(field("delayMin"), AlertConfigRule::DelayRange(delay));
    }
    let mut out = Notification {
        type_name,
        interval_min: u32::try_from(interval).unwrap_or(DEFAULT_INTERVAL_MIN),
        delay_min: u32::try_from(delay).unwrap_or(0),
        email_address: None,
        webhook_url: None,
        webhook_secret: None,
    };
    match type_name {
        NotificationType::Email => {
            if n.webhook_url.is_some() {
                broken.push(
                    field("webhookUrl"),
                    AlertConfigRule::FieldNotAllowed("webhookUrl"),
                );
            }
            if n.webhook_secret.as_ref().is_some_and(Option::is_some) {
                broken.push(
                    field("webhookSecret"),
                    AlertConfigRule::FieldNotAllowed("webhookSecret"),
                );
            }
            match check_email_address(n.email_address.as_deref()) {
                Ok(()) => out.email_address = n.email_address,
                Err(error) => broken.push(field(error.field()), error.into()),
            }
        }
        NotificationType::Group => {
            // The project's members: no address of any kind.
            for (name, given) in [
                ("emailAddress", n.email_address.is_some()),
                ("webhookUrl", n.webhook_url.is_some()),
                (
                    "webhookSecret",
                    n.webhook_secret.as_ref().is_some_and(Option::is_some),
                ),
            ] {
                if given {
                    broken.push(field(name), AlertConfigRule::FieldNotAllowed(name));
                }
            }
        }
        NotificationType::Webhook => {
            if n.email_address.is_some() {
                broken.push(
                    field("emailAddress"),
                    AlertConfigRule::FieldNotAllowed("emailAddress"),
                );
            }
            // Core's rule first (as the page checks it), then a full parse.
            match check_webhook_url(n.webhook_url.as_deref()).and_then(|()| {
                let url = n.webhook_url.clone().unwrap_or_default();
                if valid_webhook_url(&url) {
                    Ok(url)
                } else {
                    Err(TargetError::InvalidWebhookUrl)
                }
            }) {
                Ok(url) => out.webhook_url = Some(url),
                Err(error) => broken.push(field(error.field()), error.into()),
            }
            out.webhook_secret = match n.webhook_secret {
                Some(secret) => secret.filter(|s| !s.is_empty()),
                // Absent: the secret stored for the same URL.
                None => base.and_then(|b| {
                    b.notifications
                        .iter()
                        .find(|stored| {
                            stored.type_name == NotificationType::Webhook
                                && stored.webhook_url.is_some()
                                && stored.webhook_url == out.webhook_url
                        })
                        .and_then(|stored| stored.webhook_secret.clone())
                }),
            };
            if out
                .webhook_secret
                .as_deref()
                .is_some_and(|s| s.chars().count() > MAX_SECRET_CHARS)
            {
                broken.push(field("webhookSecret"), AlertConfigRule::SecretTooLong);
            }
        }
    }
    Some(out)
}

async fn find_config(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<AlertConfig, ApiError> {
    alert_configs::find(conn, project_id, id)
        .await?
        .ok_or_else(|| ApiError::AlertConfigNotFound { id: id.to_owned() })
}

/// Whether `principal` reads webhooks as their hosts only: Read Only in `project_id`.
pub fn sees_webhook_hosts_only(principal: &Principal, project_id: &str) -> bool {
    principal
        .roles
        .get(project_id)
        .is_none_or(|role| *role == ProjectRole::ReadOnly)
}

/// The answer for `principal`: a Read Only caller sees each webhook's host, not its URL (the URL of a
/// chat webhook is its credential).
fn view_for(config: &AlertConfig, principal: &Principal) -> AlertConfigView {
    if sees_webhook_hosts_only(principal, &config.project_id) {
        alert_configs::hosts_only(config.view())
    } else {
        config.view()
    }
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/alertConfigs",
    tag = "Alert Configurations",
    operation_id = "listAlertConfigurations",
    summary = "The alert configurations.",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<AlertConfigView>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    group_id: GroupId,
    paging: Paging,
) -> Result<Json<Paginated<AlertConfigView>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let all = alert_configs::list(&mut conn, &project.id).await?;
    Ok(Json(paging.page_of(
        all.iter().map(|config| view_for(config, &principal)),
    )))
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/alertConfigs",
    tag = "Alert Configurations",
    operation_id = "createAlertConfiguration",
    summary = "Adds an alert configuration.",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = AlertConfigIn, example = json!({ "eventTypeName": "CA_EXPIRING", "enabled": true, "threshold": { "operator": "LESS_THAN", "units": "DAYS", "threshold": 30 }, "notifications": [{ "typeName": "EMAIL", "intervalMin": 1440, "delayMin": 0, "emailAddress": "ops@example.com" }] })),
    responses(
        (status = 201, description = "OK", body = AlertConfigView),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<AlertConfigIn>,
) -> Result<(StatusCode, Json<AlertConfigView>), ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let config = build(body, None, false, &project.id, now)?;
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    alert_configs::insert(&mut tx, &config, actor.name(), now).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, alert_config_id = %config.id, "added an alert configuration");
    Ok((StatusCode::CREATED, Json(config.view())))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/alertConfigs/{alertConfigId}",
    tag = "Alert Configurations",
    operation_id = "getAlertConfiguration",
    summary = "One alert configuration.",
    params(
        super::group_id::GroupPath,
        ("alertConfigId" = String, Path, description = "The alert configuration.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e1f"),
    ),
    responses(
        (status = 200, description = "OK", body = AlertConfigView),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<Json<AlertConfigView>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let config = find_config(&mut conn, &project.id, &id).await?;
    Ok(Json(view_for(&config, &principal)))
}

async fn change(
    state: AppState,
    actor: Actor,
    group_id: GroupId,
    id: String,
    body: AlertConfigIn,
    merge: bool,
) -> Result<Json<AlertConfigView>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let before = find_config(&mut tx, &project.id, &id).await?;
    let mut after = build(body, Some(&before), merge, &project.id, now)?;
    let unchanged = AlertConfig {
        updated_at: before.updated_at.clone(),
        ..after.clone()
    } == before;
    if unchanged {
        after.updated_at = before.updated_at.clone();
    } else {
        alert_configs::update(&mut tx, &before, &after, actor.name(), now).await?;
        tx.commit().await?;
        tracing::info!(group_id = %project.id, alert_config_id = %id, "updated an alert configuration");
    }
    Ok(Json(after.view()))
}

#[utoipa::path(
    put,
    path = "/groups/{groupId}/alertConfigs/{alertConfigId}",
    tag = "Alert Configurations",
    operation_id = "updateAlertConfiguration",
    summary = "Replaces the configuration.",
    params(
        super::group_id::GroupPath,
        ("alertConfigId" = String, Path, description = "The alert configuration.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e1f"),
    ),
    request_body(content = AlertConfigIn, example = json!({ "eventTypeName": "CA_EXPIRING", "enabled": true, "threshold": { "operator": "LESS_THAN", "units": "DAYS", "threshold": 30 }, "notifications": [{ "typeName": "EMAIL", "intervalMin": 1440, "delayMin": 0, "emailAddress": "ops@example.com" }] })),
    responses(
        (status = 200, description = "OK", body = AlertConfigView),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
    JsonBody(body): JsonBody<AlertConfigIn>,
) -> Result<Json<AlertConfigView>, ApiError> {
    change(state, actor, group_id, id, body, false).await
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/alertConfigs/{alertConfigId}",
    tag = "Alert Configurations",
    operation_id = "toggleAlertConfiguration",
    summary = "Changes the attributes the body names.",
    params(
        super::group_id::GroupPath,
        ("alertConfigId" = String, Path, description = "The alert configuration.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e1f"),
    ),
    request_body(content = AlertConfigIn, example = json!({ "enabled": false })),
    responses(
        (status = 200, description = "OK", body = AlertConfigView),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
    JsonBody(body): JsonBody<AlertConfigIn>,
) -> Result<Json<AlertConfigView>, ApiError> {
    change(state, actor, group_id, id, body, true).await
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/alertConfigs/{alertConfigId}",
    tag = "Alert Configurations",
    operation_id = "deleteAlertConfiguration",
    summary = "Removes the configuration.",
    params(
        super::group_id::GroupPath,
        ("alertConfigId" = String, Path, description = "The alert configuration.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e1f"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let config = find_config(&mut tx, &project.id, &id).await?;
    alert_configs::delete(&mut tx, &config, actor.name(), now).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, alert_config_id = %id, "deleted an alert configuration");
    Ok(StatusCode::NO_CONTENT)
}

/// The answer of a test: one result per WEBHOOK notification (core's wire types).
pub use access_core::api::{WebhookTest as TestResults, WebhookTestResult as TestResult};

/// `POST .../alertConfigs/{id}/test`: sends a test POST to each webhook of the configuration now (with
/// the signature when it has a secret), and answers what happened. Attempts are recorded, not retried.
#[utoipa::path(
    post,
    path = "/groups/{groupId}/alertConfigs/{alertConfigId}/test",
    tag = "Alert Configurations",
    operation_id = "testAlertConfiguration",
    summary = "Extension: sends a test delivery to each webhook of the configuration now.",
    params(
        super::group_id::GroupPath,
        ("alertConfigId" = String, Path, description = "The alert configuration.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e1f"),
    ),
    responses(
        (status = 200, description = "OK", body = TestResults),
        (status = 400, description = "Bad Request"),
    )
)]
pub async fn test(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<Json<TestResults>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let config = {
        let mut conn = state.pool.acquire().await?;
        find_config(&mut conn, &project.id, &id).await?
    };
    if !config
        .notifications
        .iter()
        .any(|n| n.type_name == NotificationType::Webhook)
    {
        return Err(ApiError::NoWebhookNotification { id });
    }
    let deliveries =
        alerts::test_webhooks(&state.pool, &config, now_unix(), &state.webhooks).await?;
    Ok(Json(TestResults {
        results: deliveries
            .into_iter()
            .map(|d| TestResult {
                notification_index: d.notification_index,
                webhook_url: d.target,
                delivered: d.error.is_none(),
                status_code: d.status_code,
                error: d.error,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_urls_and_addresses() {
        assert!(valid_webhook_url("http://127.0.0.1:9000/hook"));
        assert!(valid_webhook_url("https://hooks.example.com/x?y=1"));
        for bad in [
            "ftp://example.com",
            "example.com/hook",
            "http://",
            "",
            "javascript:alert(1)",
        ] {
            assert!(!valid_webhook_url(bad), "{bad}");
        }
        // Addresses: access_core::alert_notification's tests.
    }
}
