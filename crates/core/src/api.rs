//! JSON shapes of the Atlas Admin API v2 subset that the server answers and the UI calls.
//!
//! With the feature `openapi` (the server's, never the UI's) each derives `utoipa::ToSchema`: the
//! server's OpenAPI document takes their schemas from here.

use serde::{Deserialize, Serialize};

/// Atlas error envelope: `{"detail", "error", "errorCode", "parameters", "reason"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ApiError))]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// What went wrong, in words.
    pub detail: String,
    /// The HTTP status.
    pub error: u16,
    /// Stable; clients may match on it (the constants of [`crate::error_code`]).
    pub error_code: String,
    /// The values the detail names, in order.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub parameters: Vec<serde_json::Value>,
    /// The status's reason phrase.
    pub reason: String,
    /// Extension: what exactly was wrong with a submitted CA bundle, block by block.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::pem_bundle::Problem>,
    /// Extension: every rule a submitted resource breaks, each with its field and code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::field_issue::FieldIssue>,
}

/// Atlas list envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Paginated<T> {
    /// This page's items.
    pub results: Vec<T>,
    /// Every item of the list; absent with `includeCount=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// `self`, and `previous`/`next` where there are such pages.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// A link of an answer (`rel`: `self`, `previous`, `next`).
pub struct Link {
    /// What the link is to the answer.
    pub rel: String,
    /// The absolute address.
    pub href: String,
}

/// A project ("group" in the Atlas API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// 24 lowercase hex characters.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{24}$"))]
    pub id: String,
    /// The project's name.
    pub name: String,
    /// The project's organization.
    pub org_id: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
    /// How many clusters the project has.
    pub cluster_count: u32,
}

/// An event of the activity feed, as `GET /groups/{groupId}/events` answers it: Atlas's `{"id",
/// "created", "eventTypeName", "groupId", "username"}` with our `orgId`, `target` (what the change was
/// about) and `diff` (`{"before", "after"}`, either absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The event's ID.
    pub id: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
    /// The kind of change (the server's `EventType` names).
    pub event_type_name: String,
    /// The project.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub group_id: String,
    /// The project's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Who made the change.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub username: String,
    /// What the change was about (a user's name, a role's, a cluster's, ...).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub target: String,
    /// `{"before", "after"}`, either absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = EventDiff))]
    pub diff: serde_json::Value,
}

/// An alert configuration as `GET /groups/{groupId}/alertConfigs` answers it, and as the console sends it
/// back (`PUT`): the read-only fields (`id`, `groupId`, `created`, `updated`, `webhookSecretSet`) are
/// accepted and ignored on the way in; the webhook secret is never answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertConfig {
    /// Its id (24 hexadecimal characters).
    #[serde(default)]
    pub id: String,
    /// Its project.
    #[serde(default)]
    pub group_id: String,
    /// What opens its alerts: `CA_EXPIRING` (a CA of the project's bundle has fewer than `threshold`
    /// days left), the only type.
    #[cfg_attr(feature = "openapi", schema(pattern = "^CA_EXPIRING$"))]
    pub event_type_name: String,
    /// Whether it opens alerts.
    pub enabled: bool,
    /// When an alert opens.
    pub threshold: AlertThreshold,
    /// Who is told, and how often (at most 10).
    pub notifications: Vec<AlertNotification>,
    /// When it was made (RFC 3339, UTC).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
    /// When it last changed (RFC 3339, UTC).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated: String,
}

/// An alert configuration's threshold: fewer than `threshold` days left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertThreshold {
    /// Always `LESS_THAN`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^LESS_THAN$"))]
    pub operator: String,
    /// Always `DAYS`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^DAYS$"))]
    pub units: String,
    /// Days (1 to 365).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
    pub threshold: i64,
}

/// One notification of an alert configuration ([`crate::alert_notification`] has its rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertNotification {
    /// `EMAIL` (to `emailAddress`; recorded only), `GROUP` (the project's members; recorded only) or
    /// `WEBHOOK` (a signed JSON POST to `webhookUrl`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^(EMAIL|GROUP|WEBHOOK)$"))]
    pub type_name: String,
    /// Minutes between two notifications of one open alert.
    pub interval_min: i64,
    /// Minutes after an alert opens before the first notification.
    #[serde(default)]
    pub delay_min: i64,
    /// `EMAIL`: the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// `WEBHOOK`: the URL (answered to a caller who may change alert settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `WEBHOOK`, answered to a Read Only caller instead of `webhookUrl`: its host only (the URL of a
    /// chat webhook is its credential).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_host: Option<String>,
    /// Write-only: a new secret to sign the webhook's requests with (absent: keep the stored one for
    /// the same URL; `""`: none). Never answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    /// Whether a webhook secret is stored (answered; ignored on the way in).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub webhook_secret_set: bool,
}

/// What `POST /groups/{groupId}/alertConfigs/{alertConfigId}/test` did: one result per `WEBHOOK`
/// notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WebhookTestResults))]
#[serde(rename_all = "camelCase")]
pub struct WebhookTest {
    /// In the order of the configuration's notifications.
    pub results: Vec<WebhookTestResult>,
}

/// One webhook's test POST.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookTestResult {
    /// Which notification of the configuration (from 0).
    #[serde(default)]
    pub notification_index: i64,
    /// Where it was sent.
    pub webhook_url: String,
    /// Whether the receiver answered 2xx.
    pub delivered: bool,
    /// The receiver's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i64>,
    /// Why it was not delivered (refused address, timeout, connection error, non-2xx).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An alert as `GET /groups/{groupId}/alerts` answers it (Atlas's shape, plus `ca`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Alert))]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    /// The alert's ID.
    pub id: String,
    /// The project.
    pub group_id: String,
    /// The configuration that opened it.
    pub alert_config_id: String,
    /// `CA_EXPIRING`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^CA_EXPIRING$"))]
    pub event_type_name: String,
    /// `OPEN` or `CLOSED`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(OPEN|CLOSED)$"))]
    pub status: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated: String,
    /// RFC 3339: when a notification was last sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_notified: Option<String>,
    /// RFC 3339: when it closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub resolved: Option<String>,
    /// RFC 3339: notifications are held until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub acknowledged_until: Option<String>,
    /// Why it was acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement_comment: Option<String>,
    /// The CA certificate it is about.
    pub ca: AlertCa,
}

/// The CA certificate an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AlertCa {
    /// The certificate's subject (RFC 2253).
    pub subject: String,
    /// The SHA-256 fingerprint of its DER, lowercase hex.
    pub sha256: String,
    /// RFC 3339: when it expires.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub not_after: String,
    /// Whole days until then (negative once expired).
    pub days_left: i64,
}

/// An organization (`GET /orgs`, `GET /orgs/{orgId}`): the projects' owner, as in Atlas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// 24 lowercase hex characters.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{24}$"))]
    pub id: String,
    /// The organization's name.
    pub name: String,
    /// Always false (Atlas's field; a deleted organization is not listed here).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub is_deleted: bool,
}

/// `POST /groups`: a new project. `orgId` may be left out when the caller belongs to one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewGroup {
    /// Letters, digits, spaces, `-` and `_` ([`crate::project_name`]).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    /// The organization; may be left out by a caller in one organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{24}$"))]
    pub org_id: Option<String>,
}

/// `PATCH /groups/{groupId}`: the project's new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupNameChange {
    /// The new name ([`crate::project_name`]).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
}

/// A console account as the console API answers it (`GET /api/console/session` beside the session's own
/// fields, `GET /api/console/groups/{groupId}/accounts`, an account created or changed); never its
/// password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The account's name (unique, case ignored).
    pub username: String,
    /// Its role in each project where it has one.
    #[serde(default)]
    pub roles: Vec<ProjectRoleAssignment>,
    /// Its role in each organization it belongs to.
    #[serde(default)]
    pub org_roles: Vec<OrgRoleAssignment>,
    /// When it was made (RFC 3339, UTC).
    #[serde(default)]
    pub created: String,
}

impl Account {
    /// Its role in the project `group_id`, if it has one there (not counting an organization role).
    pub fn role_in(&self, group_id: &str) -> Option<crate::project_role::ProjectRole> {
        self.roles
            .iter()
            .find(|r| r.group_id == group_id)
            .and_then(|r| crate::project_role::ProjectRole::from_atlas_name(&r.role_name))
    }
}

/// A role in a project, as an account lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProjectRoleAssignment {
    /// The project.
    pub group_id: String,
    /// `GROUP_OWNER`, `GROUP_DATABASE_ACCESS_ADMIN` or `GROUP_READ_ONLY`
    /// ([`crate::project_role::ProjectRole`]).
    pub role_name: String,
}

/// A role in an organization, as the session and the organization's accounts list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrgRoleAssignment {
    /// The organization.
    pub org_id: String,
    /// `ORG_OWNER`, `ORG_GROUP_CREATOR`, `ORG_READ_ONLY` or `ORG_MEMBER` ([`crate::org_role::OrgRole`]).
    pub role_name: String,
}

/// An account of an organization with its organization role, as Organization Access lists it
/// (`GET /api/console/orgs/{orgId}/accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrgMember {
    /// The account's name.
    pub username: String,
    /// `ORG_OWNER`, ... ([`crate::org_role::OrgRole`]).
    pub org_role: String,
    /// RFC 3339.
    #[serde(default)]
    pub created: String,
}

/// Extension, for the organization page (`GET /api/console/orgs/{orgId}/projects`): one project the
/// caller may see, with what the page shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProjectSummary {
    /// The project's ID.
    pub id: String,
    /// The project's name.
    pub name: String,
    /// RFC 3339.
    pub created: String,
    /// How many clusters the project has.
    pub cluster_count: u32,
    /// CA certificates in the project's bundle (0 when self-managed X.509 is off).
    pub ca_count: u32,
    /// RFC 3339: when the first of those CAs expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soonest_ca_expiry: Option<String>,
    /// How many database users the project has.
    pub database_user_count: u64,
    /// How many custom roles the project has.
    pub custom_role_count: u64,
    /// How many of its alerts are open.
    pub open_alert_count: u64,
    /// The caller's role in the project (its own or its organization role's, the more powerful).
    pub role_name: String,
}

/// `GET|PATCH /groups/{groupId}/userSecurity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserSecurity {
    /// Self-managed X.509 authentication.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub customer_x509: CustomerX509,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
/// The project's self-managed X.509 settings: its CA bundle.
pub struct CustomerX509 {
    /// The PEM bundle of CA certificates; absent or empty when self-managed X.509 is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cas: Option<String>,
    /// Extension (read-only): warnings about the stored CAs, e.g. expiring soon.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<CaWarning>,
}

/// A warning about one stored CA certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CaWarning {
    /// 0-based index of the certificate in the bundle.
    pub certificate: usize,
    /// The certificate's subject (RFC 2253).
    pub subject: String,
    /// What is wrong.
    pub code: crate::pem_bundle::WarningCode,
    /// The warning in words.
    pub message: String,
}

/// A programmatic API key as `/groups/{groupId}/apiKeys` answers it: `privateKey` masked
/// (`********-****-****-` and its last 12 characters), except in the answer to its creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    /// The key's ID (24 lowercase hex characters).
    pub id: String,
    /// Its description.
    pub desc: String,
    /// The public key: the Digest user name.
    pub public_key: String,
    /// The private key, masked but in the answer to its creation.
    pub private_key: String,
    /// Its roles, in projects and in its organization.
    #[serde(default)]
    pub roles: Vec<ApiKeyRole>,
    /// Where it may be used from.
    #[serde(default)]
    pub access_list: Vec<ApiKeyAccessEntry>,
    /// Extension: RFC 3339.
    #[serde(default)]
    pub created: String,
    /// Extension: the account, key or `cli` that made it.
    #[serde(default)]
    pub created_by: String,
}

/// A role of a key: in a project (`groupId`, a `GROUP_*` role) or in its organization (`orgId`, an
/// `ORG_*` role), as Atlas lists them together in `roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyRole {
    /// A project role's project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// An organization role's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// `GROUP_OWNER`, `GROUP_DATABASE_ACCESS_ADMIN`, `GROUP_READ_ONLY`, or an `ORG_*` role.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^(GROUP_OWNER|GROUP_DATABASE_ACCESS_ADMIN|GROUP_READ_ONLY|ORG_OWNER|ORG_GROUP_CREATOR|ORG_READ_ONLY|ORG_MEMBER)$"
        )
    )]
    pub role_name: String,
}

impl ApiKeyInfo {
    /// The key's role in the project `group_id` (its Atlas name), if it has one there.
    pub fn role_in_project(&self, group_id: &str) -> Option<&str> {
        self.roles
            .iter()
            .find(|r| r.group_id.as_deref() == Some(group_id))
            .map(|r| r.role_name.as_str())
    }

    /// The key's organization role (its Atlas name), as the organization's key list answers it.
    pub fn org_role(&self) -> Option<&str> {
        self.roles
            .iter()
            .find(|r| r.org_id.is_some())
            .map(|r| r.role_name.as_str())
    }

    /// The projects the key has a role in, each with that role (Atlas names), in the order answered.
    pub fn project_roles(&self) -> impl Iterator<Item = (&str, &str)> {
        self.roles.iter().filter_map(|r| {
            r.group_id
                .as_deref()
                .map(|group| (group, r.role_name.as_str()))
        })
    }
}

/// An access list entry: `cidrBlock` always (`/32` or `/128` for one address), `ipAddress` for one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyAccessEntry {
    /// The block (`/32` or `/128` for one address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// The address, when the entry is one address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

/// The body of `POST /groups/{groupId}/apiKeys`: `accessList` is an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewApiKey {
    /// The key's description.
    pub desc: String,
    /// Its project roles (`GROUP_*`).
    pub roles: Vec<String>,
    /// Extension: where it may be used from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_list: Vec<ApiKeyAccessEntry>,
}

/// The `diff` of an [`Event`], for the OpenAPI document: what the change was, before and after (either
/// absent).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EventDiff {
    /// The resource before the change.
    before: Option<serde_json::Value>,
    /// The resource after the change.
    after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organization_key_reads_with_its_organization_and_project_roles() {
        let key: ApiKeyInfo = serde_json::from_value(serde_json::json!({
            "id": "65a1b2c3d4e5f60718293a4b", "desc": "CI", "publicKey": "abcdefgh",
            "privateKey": "********-****-****-0123456789ab",
            "roles": [
                {"orgId": "org1", "roleName": "ORG_MEMBER"},
                {"groupId": "g1", "roleName": "GROUP_READ_ONLY"},
                {"groupId": "g2", "roleName": "GROUP_OWNER"}
            ],
            "accessList": [], "created": "2026-01-01T00:00:00Z", "createdBy": "owner",
            "links": []
        }))
        .expect("an organization key as GET /orgs/{orgId}/apiKeys answers it");
        assert_eq!(key.org_role(), Some("ORG_MEMBER"));
        assert_eq!(key.role_in_project("g2"), Some("GROUP_OWNER"));
        assert_eq!(key.role_in_project("org1"), None);
        assert_eq!(
            key.project_roles().collect::<Vec<_>>(),
            [("g1", "GROUP_READ_ONLY"), ("g2", "GROUP_OWNER")]
        );
    }
}
