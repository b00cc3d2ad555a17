//! Where an alert notification goes, as Atlas's notification types say it: `EMAIL` to its
//! `emailAddress` (required), `WEBHOOK` to its `webhookUrl` (required), `GROUP` to the project's members
//! (no address). One rule for the alert settings page (as you type) and the server (on save).
//!
//! The server records EMAIL and GROUP notifications (no mail is sent) and posts WEBHOOK ones.

/// A notification's type name (`typeName`).
pub const EMAIL: &str = "EMAIL";
/// The `typeName` of a notification posted to its `webhookUrl`.
pub const WEBHOOK: &str = "WEBHOOK";
/// The `typeName` of a notification to the project's members (no address).
pub const GROUP: &str = "GROUP";

/// Why a notification has no usable address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// An `EMAIL` notification without `emailAddress` (`EMAIL_ADDRESS_REQUIRED`).
    #[error("an EMAIL notification needs an emailAddress (GROUP notifies the project's members)")]
    EmailAddressRequired,
    /// An `emailAddress` that is not an address like `name@example.com` (`INVALID_EMAIL_ADDRESS`).
    #[error("the email address is not an address like name@example.com")]
    InvalidEmailAddress,
    /// A `WEBHOOK` notification without `webhookUrl` (`WEBHOOK_URL_REQUIRED`).
    #[error("a WEBHOOK notification needs a webhookUrl")]
    WebhookUrlRequired,
    /// A `webhookUrl` that is not an http:// or https:// URL with a host (`INVALID_WEBHOOK_URL`).
    #[error("the webhook URL must be an http:// or https:// URL with a host")]
    InvalidWebhookUrl,
}

impl TargetError {
    /// The `errorCode` of the API's answer.
    pub fn code(self) -> &'static str {
        match self {
            Self::EmailAddressRequired => "EMAIL_ADDRESS_REQUIRED",
            Self::InvalidEmailAddress => "INVALID_EMAIL_ADDRESS",
            Self::WebhookUrlRequired => "WEBHOOK_URL_REQUIRED",
            Self::InvalidWebhookUrl => "INVALID_WEBHOOK_URL",
        }
    }

    /// The attribute it concerns.
    pub fn field(self) -> &'static str {
        match self {
            Self::EmailAddressRequired | Self::InvalidEmailAddress => "emailAddress",
            Self::WebhookUrlRequired | Self::InvalidWebhookUrl => "webhookUrl",
        }
    }
}

/// The address of an EMAIL notification: present (not blank) and shaped like `name@example.com`.
pub fn check_email_address(address: Option<&str>) -> Result<(), TargetError> {
    let address = address.filter(|a| !a.trim().is_empty());
    match address {
        None => Err(TargetError::EmailAddressRequired),
        Some(a) if !valid_email(a) => Err(TargetError::InvalidEmailAddress),
        Some(_) => Ok(()),
    }
}

/// The URL of a WEBHOOK notification: present (not blank), `http://` or `https://`, with a host. (The
/// server parses it fully again before it saves.)
pub fn check_webhook_url(url: Option<&str>) -> Result<(), TargetError> {
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        return Err(TargetError::WebhookUrlRequired);
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
        .map(|authority| authority.rsplit('@').next().unwrap_or(""))
        .unwrap_or("");
    if host.is_empty() || host.starts_with(':') || url.chars().any(char::is_whitespace) {
        return Err(TargetError::InvalidWebhookUrl);
    }
    Ok(())
}

/// The target rule of a notification of `type_name` (other types: none here).
pub fn check_target(
    type_name: &str,
    email_address: Option<&str>,
    webhook_url: Option<&str>,
) -> Result<(), TargetError> {
    match type_name {
        EMAIL => check_email_address(email_address),
        WEBHOOK => check_webhook_url(webhook_url),
        _ => Ok(()),
    }
}

fn valid_email(address: &str) -> bool {
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !address.chars().any(|c| c.is_whitespace() || c.is_control())
                && address.len() <= 254
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_notification_needs_an_address() {
        for empty in [None, Some(""), Some("   ")] {
            assert_eq!(
                check_target(EMAIL, empty, None),
                Err(TargetError::EmailAddressRequired)
            );
        }
        assert_eq!(check_target(EMAIL, Some("ops@example.com"), None), Ok(()));
        for bad in [
            "ops",
            "ops@",
            "@example.com",
            "a@b@c.com",
            "ops@example",
            "o ps@example.com",
        ] {
            assert_eq!(
                check_email_address(Some(bad)),
                Err(TargetError::InvalidEmailAddress),
                "{bad}"
            );
        }
        assert_eq!(TargetError::EmailAddressRequired.field(), "emailAddress");
    }

    #[test]
    fn a_webhook_notification_needs_a_url_with_a_host() {
        for empty in [None, Some(""), Some(" ")] {
            assert_eq!(
                check_target(WEBHOOK, None, empty),
                Err(TargetError::WebhookUrlRequired)
            );
        }
        for good in [
            "https://hooks.example.com/x",
            "http://127.0.0.1:9/hook",
            "https://u:p@h",
        ] {
            assert_eq!(check_webhook_url(Some(good)), Ok(()), "{good}");
        }
        for bad in [
            "hooks.example.com",
            "ftp://h/x",
            "https://",
            "https:///x",
            "http://:80/",
            "https://h /x",
        ] {
            assert_eq!(
                check_webhook_url(Some(bad)),
                Err(TargetError::InvalidWebhookUrl),
                "{bad}"
            );
        }
    }

    #[test]
    fn group_notifications_need_no_address() {
        assert_eq!(check_target(GROUP, None, None), Ok(()));
        assert_eq!(
            TargetError::WebhookUrlRequired.code(),
            "WEBHOOK_URL_REQUIRED"
        );
    }
}
