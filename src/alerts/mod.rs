//! CA-expiry alerts: the alerts the server opened, and the alert settings that open them.

mod acknowledge_form;
mod alert_config_card;
mod open_alert_banner;

pub use acknowledge_form::AcknowledgeForm;
pub use alert_config_card::AlertConfigCard;
pub use open_alert_banner::OpenAlertBanner;

use serde::{Deserialize, Serialize};

pub use access_core::api::AlertView as Alert;

/// An alert configuration, as read and as sent back (PUT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertConfig {
    #[serde(skip_serializing)]
    pub id: String,
    pub event_type_name: String,
    pub enabled: bool,
    pub threshold: Threshold,
    pub notifications: Vec<Notification>,
    #[serde(default, skip_serializing)]
    pub updated: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Threshold {
    pub operator: String,
    pub units: String,
    pub threshold: i64,
}

/// One notification: `EMAIL` (to its address), `GROUP` (to the project's members), both recorded only,
/// or `WEBHOOK`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub type_name: String,
    pub interval_min: i64,
    #[serde(default)]
    pub delay_min: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// What a Read Only account gets instead of `webhookUrl`: the URL's host (the URL of a chat
    /// webhook is its credential). Never sent back.
    #[serde(default, skip_serializing)]
    pub webhook_host: Option<String>,
    /// Write-only: sent only when the user typed a new one (absent keeps the stored one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    #[serde(default, skip_serializing)]
    pub webhook_secret_set: bool,
}

/// What `POST .../alertConfigs/{id}/test` did: one result per webhook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookTest {
    pub results: Vec<WebhookTestResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookTestResult {
    pub webhook_url: String,
    pub delivered: bool,
    #[serde(default)]
    pub status_code: Option<i64>,
    #[serde(default)]
    pub error: Option<String>,
}
