//! What every rule error can say about itself: which field it concerns and its stable error code.
//!
//! Field paths follow the Atlas JSON of the request (`roles[1].databaseName`,
//! `actions[2].resources[0].collection`, `inheritedRoles[0].role`) or, for the custom role dialog, its rows
//! (`rows[0].targets[1].db`). The UI places each message next to the field it names; the server returns the
//! same list in the error envelope.

use serde::{Deserialize, Serialize};

/// A rule error attached to one field.
pub trait FieldError: std::fmt::Display {
    /// Path of the field, e.g. `actions[2].resources[0].collection`. Empty when it concerns the whole request.
    fn field(&self) -> &str;
    /// Stable UPPER_SNAKE code, for the `errorCode` of the Atlas error envelope.
    fn error_code(&self) -> &'static str;

    /// The error as the wire carries it: field, code and message.
    fn to_issue(&self) -> FieldIssue {
        FieldIssue {
            field: self.field().to_owned(),
            error_code: self.error_code().to_owned(),
            detail: self.to_string(),
        }
    }
}

/// Serializable form of a [`FieldError`], as the server sends it and the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FieldIssue {
    /// Path of the field, e.g. `actions[2].resources[0].collection`; `""` for the request as a
    /// whole.
    pub field: String,
    /// The rule's stable UPPER_SNAKE code.
    pub error_code: String,
    /// The rule's message, for people.
    pub detail: String,
}

/// Builds `prefix[index]`.
pub(crate) fn indexed(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}
