//! The `events` table: the activity feed. An event is written with [`record`] inside the transaction of
//! the change it describes, so that there is no change without its event and no event without its change.

use serde::Serialize;
use sqlx::AnyConnection;

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
    /// A cluster's version or member certificate subject changed.
    ClusterUpdated,
    ClusterDeleted,
    /// The CA bundle saved (self-managed X.509 turned on, or its CAs changed).
    X509CaBundleUpdated,
    /// Self-managed X.509 turned off (the CA bundle forgotten).
    X509AuthenticationDisabled,
    AlertConfigAdded,
    AlertConfigUpdated,
    AlertConfigDeleted,
    /// A console account created (its project role in the diff).
    AccountAdded,
    /// A console account's role or password changed.
    AccountUpdated,
    AccountDeleted,
    /// A sign-in to the console refused (wrong name or password, or throttled).
    SignInFailed,
    /// A programmatic API key created with roles in the project.
    ApiKeyAddedToGroup,
    /// A key taken out of the project (deleted when it was in no other).
    ApiKeyRemovedFromGroup,
    ApiKeyRolesChanged,
    ApiKeyDescriptionChanged,
    ApiKeyAccessListEntryAdded,
    ApiKeyAccessListEntryDeleted,
    /// An organization's key created (organization events only).
    ApiKeyCreated,
    /// An organization's key deleted (organization events only).
    ApiKeyDeleted,
}

/// An event type in the OpenAPI document: a string, one of [`EventType::ALL`]'s names.
impl utoipa::PartialSchema for EventType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Self::ALL.map(Self::name)))
            .into()
    }
}

impl utoipa::ToSchema for EventType {}

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
            Self::ClusterUpdated => "CLUSTER_UPDATED",
            Self::ClusterDeleted => "CLUSTER_DELETED",
            Self::X509CaBundleUpdated => "X509_CA_BUNDLE_UPDATED",
            Self::X509AuthenticationDisabled => "X509_AUTHENTICATION_DISABLED",
            Self::AlertConfigAdded => "ALERT_CONFIG_ADDED",
            Self::AlertConfigUpdated => "ALERT_CONFIG_UPDATED",
            Self::AlertConfigDeleted => "ALERT_CONFIG_DELETED",
            Self::AccountAdded => "ACCOUNT_ADDED",
            Self::AccountUpdated => "ACCOUNT_UPDATED",
            Self::AccountDeleted => "ACCOUNT_DELETED",
            Self::SignInFailed => "SIGN_IN_FAILED",
            Self::ApiKeyAddedToGroup => "API_KEY_ADDED_TO_GROUP",
            Self::ApiKeyRemovedFromGroup => "API_KEY_REMOVED_FROM_GROUP",
            Self::ApiKeyRolesChanged => "API_KEY_ROLES_CHANGED",
            Self::ApiKeyDescriptionChanged => "API_KEY_DESCRIPTION_CHANGED",
            Self::ApiKeyAccessListEntryAdded => "API_KEY_ACCESS_LIST_ENTRY_ADDED",
            Self::ApiKeyAccessListEntryDeleted => "API_KEY_ACCESS_LIST_ENTRY_DELETED",
            Self::ApiKeyCreated => "API_KEY_CREATED",
            Self::ApiKeyDeleted => "API_KEY_DELETED",
        }
    }

    /// Every event type, for filters.
    pub const ALL: [EventType; 25] = [
        Self::MongodbUserAdded,
        Self::MongodbUserUpdated,
        Self::MongodbUserDeleted,
        Self::MongodbUserExpired,
        Self::MongodbRoleAdded,
        Self::MongodbRoleUpdated,
        Self::MongodbRoleDeleted,
        Self::ClusterAdded,
        Self::ClusterUpdated,
        Self::ClusterDeleted,
        Self::X509CaBundleUpdated,
        Self::X509AuthenticationDisabled,
        Self::AlertConfigAdded,
        Self::AlertConfigUpdated,
        Self::AlertConfigDeleted,
        Self::AccountAdded,
        Self::AccountUpdated,
        Self::AccountDeleted,
        Self::SignInFailed,
        Self::ApiKeyAddedToGroup,
        Self::ApiKeyRemovedFromGroup,
        Self::ApiKeyRolesChanged,
        Self::ApiKeyDescriptionChanged,
        Self::ApiKeyAccessListEntryAdded,
        Self::ApiKeyAccessListEntryDeleted,
    ];

    /// The event type of an `eventTypeName`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
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
    conn: &mut AnyConnection,
    project_id: &str,
    event_type: EventType,
    actor: &str,
    target: &str,
    diff: &Diff<'_, T>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let detail = serde_json::to_string(diff).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let seq = super::Backend::of(conn).next_seq("events");
    sqlx::query(&format!(
        "INSERT INTO events (id, seq, project_id, created_at, event_type_name, actor, target, detail) \
         VALUES ($1, {seq}, $2, $3, $4, $5, $6, $7)"
    ))
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

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: String,
    pub project_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub event_type_name: String,
    pub actor: String,
    pub target: String,
    /// JSON `{"before", "after"}`.
    pub detail: String,
}

/// One event of the project, by its id.
pub async fn find(
    pool: &sqlx::AnyPool,
    project_id: &str,
    id: &str,
) -> Result<Option<StoredEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, project_id, created_at, event_type_name, actor, target, detail FROM events \
         WHERE project_id = $1 AND id = $2",
    )
    .bind(project_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Which events to list: event types (any of them; empty: all), a time range (RFC 3339 UTC, inclusive),
/// and text that the target or the actor contains (ASCII case ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub event_types: Vec<EventType>,
    pub min_date: Option<String>,
    pub max_date: Option<String>,
    pub text: Option<String>,
}

/// One page of the project's events, newest first, and how many match (when `count`).
pub async fn list(
    pool: &sqlx::AnyPool,
    project_id: &str,
    filter: &EventFilter,
    offset: u64,
    limit: u64,
    count: bool,
) -> Result<(Vec<StoredEvent>, Option<u64>), sqlx::Error> {
    // Only the conditions asked for, so that SQLite can pick an index for them. Event type names are
    // ours (never client text): they go into the SQL as literals; dates and text are bound.
    let mut condition = "project_id = $1".to_owned();
    // Values bound after the project id, in order.
    let mut bound: Vec<&str> = Vec::new();
    for (date, operator) in [(&filter.min_date, ">="), (&filter.max_date, "<=")] {
        if let Some(date) = date {
            bound.push(date);
            condition.push_str(&format!(" AND created_at {operator} ${}", bound.len() + 1));
        }
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
        bound.push(text);
        let n = bound.len() + 1;
        let position = super::Backend::of_pool(pool).position_function();
        condition.push_str(&format!(
            " AND ({position}(lower(target), lower(${n})) > 0 \
             OR {position}(lower(actor), lower(${n})) > 0)"
        ));
    }
    if !filter.event_types.is_empty() {
        let names: Vec<String> = filter
            .event_types
            .iter()
            .map(|t| format!("'{}'", t.name()))
            .collect();
        condition.push_str(&format!(" AND event_type_name IN ({})", names.join(", ")));
    }
    let mut conn = pool.acquire().await?;
    let total = if count {
        let sql = format!("SELECT COUNT(*) FROM events WHERE {condition}");
        let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(project_id);
        for value in &bound {
            query = query.bind(*value);
        }
        let (total,) = query.fetch_one(&mut *conn).await?;
        Some(u64::try_from(total).unwrap_or(0))
    } else {
        None
    };
    let sql = format!(
        "SELECT id, project_id, created_at, event_type_name, actor, target, detail FROM events \
         WHERE {condition} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
        bound.len() + 2,
        bound.len() + 3
    );
    let mut query = sqlx::query_as::<_, StoredEvent>(&sql).bind(project_id);
    for value in &bound {
        query = query.bind(*value);
    }
    let rows = query
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&mut *conn)
        .await?;
    Ok((rows, total))
}
