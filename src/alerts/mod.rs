//! CA-expiry alerts: the alerts the server opened, and the alert settings that open them.

mod acknowledge_form;
mod alert_config_card;
mod open_alert_banner;

pub use acknowledge_form::AcknowledgeForm;
pub use alert_config_card::AlertConfigCard;
pub use open_alert_banner::OpenAlertBanner;

pub use access_core::api::AlertView as Alert;

/// An alert configuration, as read and as sent back (PUT), and its parts: core's wire types.
pub use access_core::api::{AlertConfig, AlertNotification as Notification};

/// What `POST .../alertConfigs/{id}/test` did: one result per webhook (core's wire types).
pub use access_core::api::WebhookTest;
