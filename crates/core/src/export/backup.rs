//! The whole project as one versioned JSON document, for backup and for moving a project to another
//! server: its CA bundle, clusters, custom roles, database users and alert settings (never its events,
//! accounts or API keys, nor webhook secrets). Lists are sorted by name, so exporting the same project
//! twice, or exporting a project imported from a document, gives the same bytes.
//!
//! [`plan`] says what importing a document would change in a project (the dry run); importing makes the
//! project equal to the document.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ProjectAccess;
use crate::cluster::Cluster;
use crate::custom_role::CustomDbRole;
use crate::database_user::DatabaseUser;

/// `format` of the document.
pub const FORMAT: &str = "access-console-project";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// The document: a project's CA bundle, clusters, custom roles, database users and alert settings,
/// as export writes it and import reads it (unknown fields refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProjectDocument))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backup {
    /// Always [`FORMAT`]: says what the document is.
    #[cfg_attr(feature = "openapi", schema(pattern = "^access-console-project$"))]
    pub format: String,
    /// The document's version, [`VERSION`] for this build.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1))]
    pub version: u32,
    /// The PEM bundle; `null` while self-managed X.509 is off. Required (`null`, not absent): an import
    /// makes the project equal to the document, so a document that forgot the key must not turn X.509 off.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ca_bundle: Option<String>,
    /// The clusters, sorted by name.
    pub clusters: Vec<Cluster>,
    /// The custom roles, sorted by name.
    pub custom_roles: Vec<CustomDbRole>,
    /// The database users (without `groupId`), sorted by username.
    pub database_users: Vec<DatabaseUser>,
    /// The alert settings, sorted by event type.
    pub alert_settings: Vec<AlertSetting>,
}

/// An alert configuration without its identity and times (a webhook's secret is never exported: set it
/// again after an import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertSetting {
    /// The alert's event type (`CA_EXPIRING`, the only one).
    pub event_type_name: String,
    /// Whether the alert is on.
    pub enabled: bool,
    /// Alert when a CA expires within this many days (1 to 365).
    pub threshold_days: i64,
    /// Where the alert goes.
    pub notifications: Vec<AlertNotification>,
}

/// One notification of an alert setting, without a webhook's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = AlertSettingNotification))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertNotification {
    /// `EMAIL`, `WEBHOOK` or `GROUP` (see [`crate::alert_notification`]).
    pub type_name: String,
    /// Minutes between repeated notifications while the alert is open (5 to 525600).
    pub interval_min: u32,
    /// Minutes to wait after the alert opens before notifying (0 to 525600).
    pub delay_min: u32,
    /// Where an `EMAIL` notification goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// Where a `WEBHOOK` notification is posted (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// Why a document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BackupError {
    /// Not JSON, or JSON of the wrong shape (`IMPORT_MALFORMED`).
    #[error("line {line}, column {column}: {message}")]
    Malformed {
        /// The 1-based line where reading stopped.
        line: usize,
        /// The 1-based column.
        column: usize,
        /// What serde_json says.
        message: String,
    },
    /// The document's `format` is not [`FORMAT`] (`IMPORT_WRONG_FORMAT`).
    #[error("format is {found:?}, not {FORMAT:?}: this is not an Access Console project export")]
    WrongFormat {
        /// The `format` found.
        found: String,
    },
    /// A version this build does not read (`IMPORT_UNSUPPORTED_VERSION`).
    #[error("version {found} is not one this server reads (it reads version {VERSION})")]
    UnsupportedVersion {
        /// The `version` found.
        found: u32,
    },
}

impl BackupError {
    /// The stable `errorCode` of the import's answer (400).
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "IMPORT_MALFORMED",
            Self::WrongFormat { .. } => "IMPORT_WRONG_FORMAT",
            Self::UnsupportedVersion { .. } => "IMPORT_UNSUPPORTED_VERSION",
        }
    }
}

impl Backup {
    /// The document for a project; lists sorted by name, `groupId` left out.
    pub fn of(project: &ProjectAccess<'_>, alert_settings: Vec<AlertSetting>) -> Self {
        let mut clusters = project.clusters.to_vec();
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        let mut custom_roles = project.custom_roles.to_vec();
        custom_roles.sort_by(|a, b| a.role_name.cmp(&b.role_name));
        let mut database_users: Vec<DatabaseUser> = project
            .users
            .iter()
            .cloned()
            .map(|mut u| {
                u.group_id = None;
                u.password = None;
                u
            })
            .collect();
        database_users.sort_by(|a, b| a.username.cmp(&b.username));
        let mut alert_settings = alert_settings;
        alert_settings.sort_by(|a, b| a.event_type_name.cmp(&b.event_type_name));
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            ca_bundle: project
                .ca_bundle
                .filter(|b| !b.trim().is_empty())
                .map(str::to_owned),
            clusters,
            custom_roles,
            database_users,
            alert_settings,
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a document: malformed JSON or an unknown field says where (line and column), a foreign
    /// format or version says what it found.
    pub fn parse(text: &str) -> Result<Self, BackupError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(malformed)?;
        if let Some(found) = value.get("format") {
            let found = found.as_str().unwrap_or_default();
            if found != FORMAT {
                return Err(BackupError::WrongFormat {
                    found: found.to_owned(),
                });
            }
        }
        if let Some(found) = value.get("version").and_then(serde_json::Value::as_u64) {
            if found != u64::from(VERSION) {
                return Err(BackupError::UnsupportedVersion {
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                });
            }
        }
        serde_json::from_str(text).map_err(malformed)
    }
}

fn malformed(e: serde_json::Error) -> BackupError {
    BackupError::Malformed {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// What kind of thing an import changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeTarget {
    /// The project's CA bundle (named `customerX509`).
    CaBundle,
    /// A cluster, by name.
    Cluster,
    /// A custom role, by name.
    CustomRole,
    /// A database user, by username.
    DatabaseUser,
    /// An alert setting, by event type.
    AlertSetting,
}

/// What an import does to one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeKind {
    /// The document has it, the project does not: it is created.
    Add,
    /// Both have it, differently: the project's is replaced.
    Update,
    /// The project has it, the document does not: it is deleted.
    Remove,
}

/// One change an import makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ImportChange))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// What kind of thing.
    pub target: ChangeTarget,
    /// Which one: its name, username or event type (`customerX509` for the CA bundle).
    pub name: String,
    /// What happens to it.
    pub change: ChangeKind,
}

/// The changes that make `current` equal to `incoming`, in the order an import applies them.
pub fn plan(current: &Backup, incoming: &Backup) -> Vec<Change> {
    let mut changes = Vec::new();
    if current.ca_bundle != incoming.ca_bundle {
        changes.push(Change {
            target: ChangeTarget::CaBundle,
            name: "customerX509".to_owned(),
            change: match (&current.ca_bundle, &incoming.ca_bundle) {
                (None, _) => ChangeKind::Add,
                (_, None) => ChangeKind::Remove,
                _ => ChangeKind::Update,
            },
        });
    }
    diff(
        &mut changes,
        ChangeTarget::Cluster,
        &current.clusters,
        &incoming.clusters,
        |c| &c.name,
    );
    diff(
        &mut changes,
        ChangeTarget::CustomRole,
        &current.custom_roles,
        &incoming.custom_roles,
        |r| &r.role_name,
    );
    diff(
        &mut changes,
        ChangeTarget::DatabaseUser,
        &current.database_users,
        &incoming.database_users,
        |u| &u.username,
    );
    diff(
        &mut changes,
        ChangeTarget::AlertSetting,
        &current.alert_settings,
        &incoming.alert_settings,
        |a| &a.event_type_name,
    );
    changes
}

fn diff<T: PartialEq>(
    out: &mut Vec<Change>,
    target: ChangeTarget,
    current: &[T],
    incoming: &[T],
    name: impl Fn(&T) -> &String,
) {
    let current_by_name: std::collections::HashMap<&String, &T> =
        current.iter().map(|c| (name(c), c)).collect();
    let incoming_names: std::collections::HashSet<&String> = incoming.iter().map(&name).collect();
    for item in incoming {
        match current_by_name.get(name(item)).copied() {
            None => out.push(Change {
                target,
                name: name(item).clone(),
                change: ChangeKind::Add,
            }),
            Some(c) if c != item => out.push(Change {
                target,
                name: name(item).clone(),
                change: ChangeKind::Update,
            }),
            Some(_) => {}
        }
    }
    for item in current {
        if !incoming_names.contains(name(item)) {
            out.push(Change {
                target,
                name: name(item).clone(),
                change: ChangeKind::Remove,
            });
        }
    }
}
