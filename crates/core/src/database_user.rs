//! Database users in the Atlas JSON shape (`/api/atlas/v2/groups/{groupId}/databaseUsers`), and the rule on
//! their `scopes`. The rules on their roles are in [`crate::privileges`]; on the username (a distinguished
//! name), in [`crate::dn`].

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::cluster::Cluster;
use crate::field_issue::{indexed, FieldError};

/// One database user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DatabaseUser {
    /// The project; the server fills it in on responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// `$external` for certificate users.
    pub database_name: String,
    /// For a certificate user, the RFC 2253 distinguished name of its certificates' subject.
    pub username: String,
    /// `CUSTOMER` for the self-managed X.509 users this console manages; absent on the wire reads
    /// as `NONE`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = "NONE"))]
    pub x509_type: X509Type,
    /// Must stay `NONE` (absent reads as `NONE`): AWS IAM users are refused
    /// (`UNSUPPORTED_DATABASE_USER_TYPE`).
    #[serde(rename = "awsIAMType", default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = "NONE"))]
    pub aws_iam_type: AwsIamType,
    /// Must stay `NONE` (absent reads as `NONE`): LDAP users are refused.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = "NONE"))]
    pub ldap_auth_type: LdapAuthType,
    /// Must stay `NONE` (absent reads as `NONE`): OIDC users are refused.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = "NONE"))]
    pub oidc_auth_type: OidcAuthType,
    /// The roles granted (`[{"roleName", "databaseName", "collectionName"}]`); at least one
    /// (`NO_ROLES`), checked by [`crate::privileges::validate_user_roles`].
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub roles: Vec<UserRole>,
    /// The clusters the user is created on; empty means every cluster of the project (checked by
    /// [`validate_scopes`]).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub scopes: Vec<UserScope>,
    /// Free key/value pairs (`[{"key", "value"}]`); the server refuses an empty or repeated key.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub labels: Vec<UserLabel>,
    /// A free text of at most 1024 characters (checked by the server: `DESCRIPTION_TOO_LONG`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// RFC 3339; the server removes the user once it has passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_after_date: Option<String>,
    /// Read so the server can refuse password users with a clear message; never written back.
    #[serde(default, skip_serializing)]
    pub password: Option<String>,
}

/// A role granted to a database user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserRole {
    /// The role's name: built-in (`readWrite`), Atlas's (`atlasAdmin`, on `admin`) or a custom role
    /// of the project (on `admin`).
    pub role_name: String,
    /// The database the role is granted on (`admin` for cluster-wide and custom roles).
    pub database_name: String,
    /// The collection the role is narrowed to, for the roles that may be (`read`, `readWrite`);
    /// absent or `""`: the whole database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_name: Option<String>,
}

impl UserRole {
    /// The role `role` on database `db`, not narrowed to a collection.
    pub fn new(role: impl Into<String>, db: impl Into<String>) -> Self {
        Self {
            role_name: role.into(),
            database_name: db.into(),
            collection_name: None,
        }
    }

    /// The role `role` on one collection of database `db`.
    pub fn on_collection(
        role: impl Into<String>,
        db: impl Into<String>,
        collection: impl Into<String>,
    ) -> Self {
        Self {
            role_name: role.into(),
            database_name: db.into(),
            collection_name: Some(collection.into()),
        }
    }

    /// The collection, with `""` read as "no collection" (some clients send it).
    pub fn collection(&self) -> Option<&str> {
        self.collection_name.as_deref().filter(|c| !c.is_empty())
    }
}

/// A cluster (or Data Federation instance) the user may connect to. No scopes: every cluster of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserScope {
    /// The cluster's (or Data Federation instance's) name.
    pub name: String,
    /// What `name` names (`type` on the wire).
    #[serde(rename = "type")]
    pub scope_type: ScopeType,
}

/// What a user scope names (Atlas's `CLUSTER` or `DATA_LAKE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeType {
    /// `CLUSTER`: a cluster of the project.
    Cluster,
    /// `DATA_LAKE`: a Data Federation instance; refused here (`SCOPE_TYPE_NOT_SUPPORTED`).
    DataLake,
}

/// A label of a database user: a free key/value pair, as Atlas stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserLabel {
    /// The label's key: not empty, unique among the user's labels.
    pub key: String,
    /// The label's value.
    pub value: String,
}

/// `NONE`, `CUSTOMER` (self-managed X.509: the user lives in `$external`) or `MANAGED` (Atlas-managed X.509).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum X509Type {
    /// `NONE`: not an X.509 user (e.g. a password user).
    #[default]
    None,
    /// `CUSTOMER`: self-managed X.509; the user lives in `$external` and authenticates with a
    /// certificate issued by the project's CA bundle.
    Customer,
    /// `MANAGED`: Atlas-managed X.509 (Atlas issues the certificates); not handled here.
    Managed,
}

/// `awsIAMType`: whether the user authenticates with AWS IAM; only `NONE` is accepted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AwsIamType {
    /// `NONE`: not an AWS IAM user.
    #[default]
    None,
    /// `USER`: an IAM user ARN.
    User,
    /// `ROLE`: an IAM role ARN.
    Role,
}

/// `ldapAuthType`: whether the user authenticates with LDAP; only `NONE` is accepted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LdapAuthType {
    /// `NONE`: not an LDAP user.
    #[default]
    None,
    /// `USER`: an LDAP user.
    User,
    /// `GROUP`: an LDAP group.
    Group,
}

/// `oidcAuthType`: whether the user authenticates with OIDC; only `NONE` is accepted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OidcAuthType {
    /// `NONE`: not an OIDC user.
    #[default]
    None,
    /// `IDP_GROUP`: an identity provider's group (workforce).
    IdpGroup,
    /// `USER`: an identity provider's user.
    User,
}

/// A problem with one scope of a user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct ScopeError {
    /// Where: `scopes[i].name` or `scopes[i].type`, with the index in the user's `scopes`.
    pub field: String,
    /// Which rule broke.
    pub kind: ScopeErrorKind,
}

/// The rules on a user's scopes (each answered with 400 and its code).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScopeErrorKind {
    /// The scope's `name` is empty (`SCOPE_NAME_EMPTY`).
    #[error("the scope names no cluster")]
    NameEmpty,
    /// The scope names no cluster of the project (`SCOPE_CLUSTER_NOT_FOUND`); holds the name.
    #[error("this project has no cluster named \"{0}\"")]
    ClusterNotFound(String),
    /// A `DATA_LAKE` scope: only clusters are supported here (`SCOPE_TYPE_NOT_SUPPORTED`).
    #[error("Data Federation scopes are not supported here: name a cluster of the project")]
    DataLakeNotSupported,
    /// The same cluster is listed twice (`DUPLICATE_SCOPE`).
    #[error("the cluster \"{name}\" is already listed in scopes[{first}]")]
    Duplicate {
        /// The cluster's name.
        name: String,
        /// The 0-based index of its first entry in `scopes`.
        first: usize,
    },
}

impl ScopeErrorKind {
    /// The stable `errorCode` of the rule.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::NameEmpty => "SCOPE_NAME_EMPTY",
            Self::ClusterNotFound(_) => "SCOPE_CLUSTER_NOT_FOUND",
            Self::DataLakeNotSupported => "SCOPE_TYPE_NOT_SUPPORTED",
            Self::Duplicate { .. } => "DUPLICATE_SCOPE",
        }
    }
}

impl ScopeError {
    /// The stable `errorCode` of the broken rule.
    pub fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

impl FieldError for ScopeError {
    fn field(&self) -> &str {
        &self.field
    }
    fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

/// Scopes must name clusters of the project, each once. Returns every problem.
pub fn validate_scopes(scopes: &[UserScope], clusters: &[Cluster]) -> Result<(), Vec<ScopeError>> {
    let mut errors = Vec::new();
    for (i, scope) in scopes.iter().enumerate() {
        let base = indexed("scopes", i);
        let mut push = |suffix: &str, kind| {
            errors.push(ScopeError {
                field: format!("{base}.{suffix}"),
                kind,
            })
        };
        if scope.scope_type == ScopeType::DataLake {
            push("type", ScopeErrorKind::DataLakeNotSupported);
            continue;
        }
        if scope.name.is_empty() {
            push("name", ScopeErrorKind::NameEmpty);
        } else if let Some(first) = scopes.iter().take(i).position(|s| s.name == scope.name) {
            push(
                "name",
                ScopeErrorKind::Duplicate {
                    name: scope.name.clone(),
                    first,
                },
            );
        } else if !clusters.iter().any(|c| c.name == scope.name) {
            push("name", ScopeErrorKind::ClusterNotFound(scope.name.clone()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATLAS_USER: &str = r#"{
        "groupId": "5f4d2c1b0a9e8d7c6b5a4f3e",
        "databaseName": "$external",
        "username": "CN=Jane Doe,O=MongoDB,C=US",
        "x509Type": "CUSTOMER",
        "awsIAMType": "NONE",
        "ldapAuthType": "NONE",
        "oidcAuthType": "NONE",
        "roles": [
            {"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"},
            {"roleName": "read", "databaseName": "reports"}
        ],
        "scopes": [{"name": "Cluster0", "type": "CLUSTER"}],
        "labels": [{"key": "team", "value": "billing"}],
        "description": "billing batch jobs",
        "deleteAfterDate": "2027-01-01T00:00:00Z"
    }"#;

    #[test]
    fn reads_and_writes_the_atlas_json() {
        let user: DatabaseUser = serde_json::from_str(ATLAS_USER).unwrap();
        assert_eq!(user.group_id.as_deref(), Some("5f4d2c1b0a9e8d7c6b5a4f3e"));
        assert_eq!(user.x509_type, X509Type::Customer);
        assert_eq!(user.aws_iam_type, AwsIamType::None);
        assert_eq!(
            user.roles[0],
            UserRole::on_collection("readWrite", "sales", "orders")
        );
        assert_eq!(user.roles[1].collection(), None);
        assert_eq!(
            user.scopes[0],
            UserScope {
                name: "Cluster0".into(),
                scope_type: ScopeType::Cluster
            }
        );
        assert_eq!(
            user.delete_after_date.as_deref(),
            Some("2027-01-01T00:00:00Z")
        );
        let back: serde_json::Value = serde_json::to_value(&user).unwrap();
        let original: serde_json::Value = serde_json::from_str(ATLAS_USER).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn minimal_user_gets_atlas_defaults_and_password_is_never_written() {
        let user: DatabaseUser = serde_json::from_str(
            r#"{"databaseName":"admin","username":"app","password":"hunter2","roles":[{"roleName":"readAnyDatabase","databaseName":"admin"}]}"#,
        )
        .unwrap();
        assert_eq!(user.x509_type, X509Type::None);
        assert_eq!(user.oidc_auth_type, OidcAuthType::None);
        assert_eq!(user.password.as_deref(), Some("hunter2"));
        let out = serde_json::to_string(&user).unwrap();
        assert!(
            !out.contains("hunter2") && !out.contains("password"),
            "{out}"
        );
        assert!(out.contains(r#""awsIAMType":"NONE""#), "{out}");
    }

    #[test]
    fn unknown_enum_values_are_refused() {
        let err = serde_json::from_str::<DatabaseUser>(
            r#"{"databaseName":"$external","username":"x","x509Type":"SELF"}"#,
        );
        assert!(err.is_err());
    }

    #[test]
    fn empty_collection_name_means_no_collection() {
        let role: UserRole =
            serde_json::from_str(r#"{"roleName":"read","databaseName":"a","collectionName":""}"#)
                .unwrap();
        assert_eq!(role.collection(), None);
    }

    #[test]
    fn scopes_must_name_existing_clusters_once() {
        let clusters = [
            Cluster::new("Cluster0", "7.0"),
            Cluster::new("Analytics", "8.0"),
        ];
        let scope = |n: &str| UserScope {
            name: n.into(),
            scope_type: ScopeType::Cluster,
        };
        assert!(validate_scopes(&[], &clusters).is_ok());
        assert!(validate_scopes(&[scope("Cluster0"), scope("Analytics")], &clusters).is_ok());
        let errs = validate_scopes(
            &[
                scope("Cluster0"),
                scope("Nope"),
                scope("Cluster0"),
                scope(""),
                UserScope {
                    name: "lake".into(),
                    scope_type: ScopeType::DataLake,
                },
            ],
            &clusters,
        )
        .unwrap_err();
        let got: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.error_code()))
            .collect();
        assert_eq!(
            got,
            [
                ("scopes[1].name", "SCOPE_CLUSTER_NOT_FOUND"),
                ("scopes[2].name", "DUPLICATE_SCOPE"),
                ("scopes[3].name", "SCOPE_NAME_EMPTY"),
                ("scopes[4].type", "SCOPE_TYPE_NOT_SUPPORTED"),
            ]
        );
        assert_eq!(
            errs[0].to_string(),
            "this project has no cluster named \"Nope\""
        );
        assert_eq!(
            errs[1].to_issue().detail,
            "the cluster \"Cluster0\" is already listed in scopes[0]"
        );
    }
}
