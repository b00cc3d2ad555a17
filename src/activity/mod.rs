//! The Activity Feed: the project's events, newest first, each as a sentence with its diff on demand.

mod event_filters;
mod event_row;

pub use event_filters::{EventFilters, EventQuery};
pub use event_row::EventRow;

use serde::Deserialize;

/// An event as `GET /groups/{groupId}/events` answers it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub created: String,
    pub event_type_name: String,
    /// Who made the change.
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub target: String,
    /// `{"before", "after"}`, either absent.
    #[serde(default)]
    pub diff: serde_json::Value,
}
