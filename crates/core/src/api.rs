//! JSON shapes of the Atlas Admin API v2 subset that the server answers and the UI calls.

use serde::{Deserialize, Serialize};

/// Atlas error envelope: `{"detail", "error", "errorCode", "parameters", "reason"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    pub detail: String,
    pub error: u16,
    pub error_code: String,
    #[serde(default)]
    pub parameters: Vec<serde_json::Value>,
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
#[serde(rename_all = "camelCase")]
pub struct Paginated<T> {
    pub results: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    #[serde(default)]
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub rel: String,
    pub href: String,
}

/// A project ("group" in the Atlas API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// 24 lowercase hex characters.
    pub id: String,
    pub name: String,
    pub org_id: String,
    /// RFC 3339.
    pub created: String,
    pub cluster_count: u32,
}

/// An event of the activity feed, as `GET /groups/{groupId}/events` answers it: Atlas's `{"id",
/// "created", "eventTypeName", "groupId", "username"}` with our `orgId`, `target` (what the change was
/// about) and `diff` (`{"before", "after"}`, either absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    /// RFC 3339.
    pub created: String,
    pub event_type_name: String,
    #[serde(default)]
    pub group_id: String,
    /// The project's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Who made the change.
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub diff: serde_json::Value,
}

/// An alert as `GET /groups/{groupId}/alerts` answers it (Atlas's shape, plus `ca`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    pub id: String,
    pub group_id: String,
    pub alert_config_id: String,
    pub event_type_name: String,
    pub status: String,
    pub created: String,
    pub updated: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_notified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledgement_comment: Option<String>,
    pub ca: AlertCa,
}

/// The CA certificate an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertCa {
    pub subject: String,
    pub sha256: String,
    pub not_after: String,
    pub days_left: i64,
}

/// An organization (`GET /orgs`, `GET /orgs/{orgId}`): the projects' owner, as in Atlas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// 24 lowercase hex characters.
    pub id: String,
    pub name: String,
    /// Always false (Atlas's field; a deleted organization is not listed here).
    #[serde(default)]
    pub is_deleted: bool,
}

/// `POST /groups`: a new project. `orgId` may be left out when the caller belongs to one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
}

/// `PATCH /groups/{groupId}`: the project's new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupNameChange {
    pub name: String,
}

/// A role in an organization, as the session and the organization's accounts list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgRoleAssignment {
    pub org_id: String,
    /// `ORG_OWNER`, `ORG_GROUP_CREATOR`, `ORG_READ_ONLY` or `ORG_MEMBER` ([`crate::org_role::OrgRole`]).
    pub role_name: String,
}

/// An account of an organization with its organization role, as Organization Access lists it
/// (`GET /api/console/orgs/{orgId}/accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgMember {
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
#[serde(rename_all = "camelCase")]
pub struct ProjectSummary {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub created: String,
    pub cluster_count: u32,
    /// CA certificates in the project's bundle (0 when self-managed X.509 is off).
    pub ca_count: u32,
    /// RFC 3339: when the first of those CAs expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soonest_ca_expiry: Option<String>,
    pub database_user_count: u64,
    pub custom_role_count: u64,
    pub open_alert_count: u64,
    /// The caller's role in the project (its own or its organization role's, the more powerful).
    pub role_name: String,
}

/// `GET|PATCH /groups/{groupId}/userSecurity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserSecurity {
    #[serde(default)]
    pub customer_x509: CustomerX509,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
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
#[serde(rename_all = "camelCase")]
pub struct CaWarning {
    /// 0-based index of the certificate in the bundle.
    pub certificate: usize,
    pub subject: String,
    pub code: crate::pem_bundle::WarningCode,
    pub message: String,
}

/// A programmatic API key as `/groups/{groupId}/apiKeys` answers it: `privateKey` masked
/// (`********-****-****-` and its last 12 characters), except in the answer to its creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    pub id: String,
    pub desc: String,
    pub public_key: String,
    pub private_key: String,
    #[serde(default)]
    pub roles: Vec<ApiKeyRole>,
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
#[serde(rename_all = "camelCase")]
pub struct ApiKeyRole {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
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
#[serde(rename_all = "camelCase")]
pub struct ApiKeyAccessEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
}

/// The body of `POST /groups/{groupId}/apiKeys`: `accessList` is an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApiKey {
    pub desc: String,
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_list: Vec<ApiKeyAccessEntry>,
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
