//! A project's access in the forms the people who run MongoDB already use. Pure functions: the server,
//! the CLI and the UI render the same bytes.
//!
//! - [`mongosh`]: an idempotent script that makes a self-managed deployment match the project;
//! - [`terraform`]: HCL for the `mongodbatlas` provider that recreates the project's X.509 access in Atlas;
//! - [`ca_bundle`]: the CA bundle for `net.tls.CAFile`, and a `mongod.conf` snippet with rotation steps;
//! - [`backup`]: the whole project as one versioned JSON document (export and import);
//! - [`self_managed`]: the project in a self-managed deployment's own terms, which the script renders and
//!   [`crate::drift`] compares a deployment with.

pub mod backup;
pub mod ca_bundle;
pub mod mongosh;
pub mod self_managed;
pub mod terraform;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::cluster::Cluster;
use crate::custom_role::CustomDbRole;
use crate::database_user::DatabaseUser;

/// What an export reads of a project.
#[derive(Debug, Clone, Copy)]
pub struct ProjectAccess<'a> {
    /// The project's database users.
    pub users: &'a [DatabaseUser],
    /// The project's custom roles.
    pub custom_roles: &'a [CustomDbRole],
    /// The project's clusters.
    pub clusters: &'a [Cluster],
    /// The stored PEM bundle, `None` while self-managed X.509 is off.
    pub ca_bundle: Option<&'a str>,
}

/// The export formats (`?format=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `mongosh`: a script that makes a self-managed deployment match the project.
    Mongosh,
    /// `terraform`: HCL for the `mongodbatlas` provider.
    Terraform,
    /// `ca-bundle`: the CA bundle as a PEM file.
    CaBundle,
    /// `mongod-conf`: a `mongod.conf` snippet, with rotation steps.
    MongodConf,
    /// `json`: the whole project as a [`backup`] document.
    Json,
}

impl Format {
    /// Every format, in the order the page offers them.
    pub const ALL: [Format; 5] = [
        Self::Mongosh,
        Self::Terraform,
        Self::CaBundle,
        Self::MongodConf,
        Self::Json,
    ];

    /// Its name in `?format=` and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Self::Mongosh => "mongosh",
            Self::Terraform => "terraform",
            Self::CaBundle => "ca-bundle",
            Self::MongodConf => "mongod-conf",
            Self::Json => "json",
        }
    }

    /// The format of that name, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file a download is saved as.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Mongosh => "access.js",
            Self::Terraform => "access.tf",
            Self::CaBundle => "ca.pem",
            Self::MongodConf => "mongod-tls.conf",
            Self::Json => "project.json",
        }
    }

    /// The `Content-Type` of its download.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Mongosh => "text/javascript; charset=utf-8",
            Self::Terraform | Self::MongodConf => "text/plain; charset=utf-8",
            Self::CaBundle => "application/x-pem-file",
            Self::Json => "application/json",
        }
    }

    /// Whether `cluster` (export only the users of one cluster) means something for this format.
    pub fn takes_cluster(self) -> bool {
        matches!(self, Self::Mongosh)
    }
}

/// Why an export cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// `cluster` names no cluster of the project (`EXPORT_UNKNOWN_CLUSTER`).
    #[error(
        "the project has no cluster named {name:?} (its clusters: {})",
        list(known)
    )]
    UnknownCluster {
        /// The cluster as sent.
        name: String,
        /// The project's clusters, listed in the message.
        known: Vec<String>,
    },
    /// `ca-bundle` or `mongod-conf` while the project has no CA bundle (409 `EXPORT_NO_CA_BUNDLE`).
    #[error("the project has no CA bundle: turn self-managed X.509 on and save one first")]
    NoCaBundle,
    /// `cluster` given with a format other than mongosh (`EXPORT_CLUSTER_NOT_APPLICABLE`).
    #[error("cluster applies to the mongosh format only, not to {format}")]
    ClusterNotApplicable {
        /// The format asked for.
        format: &'static str,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

impl ExportError {
    /// The stable `errorCode` (400, or 409 for [`Self::NoCaBundle`]).
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::UnknownCluster { .. } => "EXPORT_UNKNOWN_CLUSTER",
            Self::NoCaBundle => "EXPORT_NO_CA_BUNDLE",
            Self::ClusterNotApplicable { .. } => "EXPORT_CLUSTER_NOT_APPLICABLE",
        }
    }
}

/// Renders `format` (except [`Format::Json`], which needs the alert settings too: [`backup`]).
pub fn render(
    format: Format,
    project: &ProjectAccess<'_>,
    cluster: Option<&str>,
) -> Result<String, ExportError> {
    if cluster.is_some() && !format.takes_cluster() {
        return Err(ExportError::ClusterNotApplicable {
            format: format.name(),
        });
    }
    match format {
        Format::Mongosh => mongosh::script(project, cluster),
        Format::Terraform => Ok(terraform::hcl(project)),
        Format::CaBundle => ca_bundle::pem(project),
        Format::MongodConf => ca_bundle::mongod_conf(project),
        Format::Json => Ok(backup::Backup::of(project, Vec::new()).to_json()),
    }
}

/// One line of a comment: line breaks and other control characters escaped, so text from the project
/// (a name, a description) can never end the comment.
pub(crate) fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}
