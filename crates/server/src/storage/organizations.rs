//! The `organizations`, `account_org_roles` and `org_events` tables: the owner of projects, who has
//! which organization role there, and what happened at the organization's level.

use access_core::org_role::OrgRole;
use access_core::time::format_rfc3339;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use super::events::Diff;

/// The name of the organization created on first start (and given, on upgrade, to the one every
/// existing project belonged to).
pub const FIRST_ORG_NAME: &str = "Organization 0";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// The oldest organization.
pub async fn first(conn: &mut AnyConnection) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, created_at FROM organizations ORDER BY created_at, id LIMIT 1")
        .fetch_optional(conn)
        .await
}

pub async fn insert(conn: &mut AnyConnection, name: &str, now: i64) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(name)
        .bind(format_rfc3339(now))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn find(pool: &AnyPool, id: &str) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, created_at FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The organizations of these ids, oldest first.
pub async fn find_all(pool: &AnyPool, ids: &[&str]) -> Result<Vec<Organization>, sqlx::Error> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.extend(find(pool, id).await?);
    }
    found.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    Ok(found)
}

/// The organization role of an account in each organization where it has one.
pub async fn account_roles(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<std::collections::BTreeMap<String, OrgRole>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT org_id, role_name FROM account_org_roles WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(org, name)| Some((org, OrgRole::from_atlas_name(&name)?)))
        .collect())
}

/// Gives the account `role` in the organization of each of `project_ids` where it has no organization
/// role yet (a new member joins as `ORG_MEMBER`).
pub async fn join_orgs_of_projects(
    conn: &mut AnyConnection,
    account_id: &str,
    project_ids: &[String],
    role: OrgRole,
) -> Result<(), sqlx::Error> {
    for project_id in project_ids {
        sqlx::query(
            "INSERT INTO account_org_roles (account_id, org_id, role_name) \
             SELECT $1, org_id, $2 FROM projects WHERE id = $3 \
             ON CONFLICT (account_id, org_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(role.atlas_name())
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An account of the organization, with its organization role.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub account_id: String,
    pub username: String,
    pub role_name: String,
    pub created_at: String,
}

/// Every account with a role in the organization, by name.
pub async fn members(conn: &mut AnyConnection, org_id: &str) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.username, o.role_name, a.created_at \
         FROM account_org_roles o JOIN accounts a ON a.id = o.account_id \
         WHERE o.org_id = $1 ORDER BY a.username_key",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// How many accounts are `ORG_OWNER` of the organization.
pub async fn owner_count(conn: &mut AnyConnection, org_id: &str) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM account_org_roles WHERE org_id = $1 AND role_name = 'ORG_OWNER'",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// What an organization role event records.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleSummary<'a> {
    username: &'a str,
    org_role: &'static str,
}

/// Sets a member's organization role, with its organization event.
#[allow(clippy::too_many_arguments)]
pub async fn set_role(
    conn: &mut AnyConnection,
    org_id: &str,
    member: &Member,
    role: OrgRole,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account_org_roles SET role_name = $1 WHERE org_id = $2 AND account_id = $3",
    )
    .bind(role.atlas_name())
    .bind(org_id)
    .bind(&member.account_id)
    .execute(&mut *conn)
    .await?;
    let before = OrgRole::from_atlas_name(&member.role_name).map(OrgRole::atlas_name);
    record(
        conn,
        org_id,
        None,
        OrgEventType::OrgMemberRoleChanged,
        actor,
        &member.username,
        &Diff {
            before: before
                .map(|org_role| RoleSummary {
                    username: &member.username,
                    org_role,
                })
                .as_ref(),
            after: Some(&RoleSummary {
                username: &member.username,
                org_role: role.atlas_name(),
            }),
        },
        now,
    )
    .await
}

/// Organization event types (Atlas's names where Atlas has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgEventType {
    GroupCreated,
    GroupRenamed,
    GroupDeleted,
    OrgMemberRoleChanged,
}

impl OrgEventType {
    pub fn name(self) -> &'static str {
        match self {
            Self::GroupCreated => "GROUP_CREATED",
            Self::GroupRenamed => "GROUP_RENAMED",
            Self::GroupDeleted => "GROUP_DELETED",
            Self::OrgMemberRoleChanged => "ORG_MEMBER_ROLE_CHANGED",
        }
    }
}

/// Writes one organization event, on the connection (transaction) of the change.
#[allow(clippy::too_many_arguments)]
pub async fn record<T: Serialize>(
    conn: &mut AnyConnection,
    org_id: &str,
    group_id: Option<&str>,
    event_type: OrgEventType,
    actor: &str,
    target: &str,
    diff: &Diff<'_, T>,
    now: i64,
) -> Result<(), sqlx::Error> {
    record_named(
        conn,
        org_id,
        group_id,
        event_type.name(),
        actor,
        target,
        diff,
        now,
    )
    .await
}

/// [`record`] with the event type's name (an organization's API key events use the names of the
/// project's: `API_KEY_ROLES_CHANGED`, ...).
#[allow(clippy::too_many_arguments)]
pub async fn record_named<T: Serialize>(
    conn: &mut AnyConnection,
    org_id: &str,
    group_id: Option<&str>,
    event_type: &str,
    actor: &str,
    target: &str,
    diff: &Diff<'_, T>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let detail = serde_json::to_string(diff).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let seq = super::Backend::of(conn).next_seq("org_events");
    sqlx::query(&format!(
        "INSERT INTO org_events (id, seq, org_id, group_id, created_at, event_type_name, actor, target, detail) \
         VALUES ($1, {seq}, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(super::new_id())
    .bind(org_id)
    .bind(group_id)
    .bind(format_rfc3339(now))
    .bind(event_type)
    .bind(actor)
    .bind(target)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored organization event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredOrgEvent {
    pub id: String,
    pub group_id: Option<String>,
    pub created_at: String,
    pub event_type_name: String,
    pub actor: String,
    pub target: String,
    pub detail: String,
}

/// The organization's event of that id.
pub async fn event(
    pool: &AnyPool,
    org_id: &str,
    id: &str,
) -> Result<Option<StoredOrgEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, group_id, created_at, event_type_name, actor, target, detail FROM org_events \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// One page of the organization's events, newest first, and how many there are.
pub async fn events(
    pool: &AnyPool,
    org_id: &str,
    offset: u64,
    limit: u64,
) -> Result<(Vec<StoredOrgEvent>, u64), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM org_events WHERE org_id = $1")
        .bind(org_id)
        .fetch_one(&mut *conn)
        .await?;
    let events = sqlx::query_as(
        "SELECT id, group_id, created_at, event_type_name, actor, target, detail FROM org_events \
         WHERE org_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3",
    )
    .bind(org_id)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    Ok((events, u64::try_from(total).unwrap_or(0)))
}
