//! The `events` table: the activity feed. An event is written with [`record`] inside the transaction of
//! the change it describes, so that there is no change without its event and no event without its change.

use serde::Serialize;
use sqlx::SqliteConnection;

/// Who made a change, until access control names console users and API keys.
pub const ANONYMOUS: &str = "anonymous";
/// The server itself (e.g. removing a temporary user whose `deleteAfterDate` has passed).
pub const SYSTEM: &str = "system";

/// Atlas-style event type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    MongodbUserAdded,
    MongodbUserUpdated,
    MongodbUserDeleted,
    /// A temporary user removed by the server once its `deleteAfterDate` passed.
    MongodbUserExpired,
    MongodbRoleAdded,
    MongodbRoleUpdated,
    MongodbRoleDeleted,
    ClusterAdded,
    ClusterDeleted,
}

impl EventType {
    pub fn name(self) -> &'static str {
        match self {
            Self::MongodbUserAdded => "MONGODB_USER_ADDED",
            Self::MongodbUserUpdated => "MONGODB_USER_UPDATED",
            Self::MongodbUserDeleted => "MONGODB_USER_DELETED",
            Self::MongodbUserExpired => "MONGODB_USER_EXPIRED",
            Self::MongodbRoleAdded => "MONGODB_ROLE_ADDED",
            Self::MongodbRoleUpdated => "MONGODB_ROLE_UPDATED",
            Self::MongodbRoleDeleted => "MONGODB_ROLE_DELETED",
            Self::ClusterAdded => "CLUSTER_ADDED",
            Self::ClusterDeleted => "CLUSTER_DELETED",
        }
    }
}

/// What changed: the resource before and after (absent for a creation / a deletion).
#[derive(Debug, Serialize)]
pub struct Diff<'a, T: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<&'a T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<&'a T>,
}

/// Writes one event, on the connection (transaction) of the change.
pub async fn record<T: Serialize>(
    conn: &mut SqliteConnection,
    project_id: &str,
    event_type: EventType,
    actor: &str,
    target: &str,
    diff: &Diff<'_, T>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let detail = serde_json::to_string(diff).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO events (id, seq, project_id, created_at, event_type_name, actor, target, detail) \
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events), $2, $3, $4, $5, $6, $7)",
    )
    .bind(super::new_id())
    .bind(project_id)
    .bind(access_core::time::format_rfc3339(now))
    .bind(event_type.name())
    .bind(actor)
    .bind(target)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}
