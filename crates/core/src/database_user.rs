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
    #[serde(default)]
    pub x509_type: X509Type,
    #[serde(rename = "awsIAMType", default)]
    pub aws_iam_type: AwsIamType,
    #[serde(default)]
    pub ldap_auth_type: LdapAuthType,
    #[serde(default)]
    pub oidc_auth_type: OidcAuthType,
    #[serde(default)]
    pub roles: Vec<UserRole>,
    #[serde(default)]
    pub scopes: Vec<UserScope>,
    #[serde(default)]
    pub labels: Vec<UserLabel>,
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
    pub role_name: String,
    pub database_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_name: Option<String>,
}

impl UserRole {
    pub fn new(role: impl Into<String>, db: impl Into<String>) -> Self {
        Self {
            role_name: role.into(),
            database_name: db.into(),
            collection_name: None,
        }
    }

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
    pub name: String,
    #[serde(rename = "type")]
    pub scope_type: ScopeType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeType {
    Cluster,
    DataLake,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserLabel {
    pub key: String,
    pub value: String,
}

/// `NONE`, `CUSTOMER` (self-managed X.509: the user lives in `$external`) or `MANAGED` (Atlas-managed X.509).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum X509Type {
    #[default]
    None,
    Customer,
    Managed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AwsIamType {
    #[default]
    None,
    User,
    Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LdapAuthType {
    #[default]
    None,
    User,
    Group,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OidcAuthType {
    #[default]
    None,
    IdpGroup,
    User,
}

/// A problem with one scope of a user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct ScopeError {
    pub field: String,
    pub kind: ScopeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScopeErrorKind {
    #[error("the scope names no cluster")]
    NameEmpty,
    #[error("this project has no cluster named \"{0}\"")]
    ClusterNotFound(String),
    #[error("Data Federation scopes are not supported here: name a cluster of the project")]
    DataLakeNotSupported,
    #[error("the cluster \"{name}\" is already listed in scopes[{first}]")]
    Duplicate { name: String, first: usize },
}

impl ScopeErrorKind {
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
