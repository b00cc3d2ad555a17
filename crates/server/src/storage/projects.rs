//! The `projects` table: Atlas "groups", each in an organization ([`super::organizations`]).

use access_core::time::format_rfc3339;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use super::organizations::{self, OrgEventType};

/// The name of the project created on first start.
pub const FIRST_PROJECT_NAME: &str = "Project 0";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub org_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Creates "Project 0" in "Organization 0" when the database holds no project.
pub async fn create_first_project(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM projects")
        .fetch_one(&mut *tx)
        .await?;
    if count == 0 {
        let org_id = match organizations::first(&mut tx).await? {
            Some(org) => org.id,
            None => organizations::insert(&mut tx, organizations::FIRST_ORG_NAME, now).await?,
        };
        let id = insert(&mut tx, &org_id, FIRST_PROJECT_NAME, now).await?;
        tracing::info!(group_id = %id, "created the first project, {FIRST_PROJECT_NAME:?}");
    }
    tx.commit().await
}

/// Inserts a project; the caller checked that the name is free in the organization.
pub async fn insert(
    conn: &mut AnyConnection,
    org_id: &str,
    name: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query("INSERT INTO projects (id, name, org_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(org_id)
        .bind(format_rfc3339(now))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Who is looking: the projects they may see are those where they have a project role, and every
/// project of an organization where their organization role reaches into every project
/// (`ORG_OWNER`, `ORG_READ_ONLY`).
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    Account(&'a str),
    ApiKey(&'a str),
}

impl Viewer<'_> {
    /// The SQL condition on `p` (a `projects` row) that it may see, with the viewer's id as `$1`.
    fn condition(self) -> &'static str {
        match self {
            Viewer::Account(_) => {
                "(EXISTS (SELECT 1 FROM account_project_roles r WHERE r.project_id = p.id AND r.account_id = $1) \
                 OR EXISTS (SELECT 1 FROM account_org_roles o WHERE o.org_id = p.org_id AND o.account_id = $1 \
                    AND o.role_name IN ('ORG_OWNER', 'ORG_READ_ONLY')))"
            }
            Viewer::ApiKey(_) => {
                "(EXISTS (SELECT 1 FROM api_key_roles r WHERE r.project_id = p.id AND r.api_key_id = $1) \
                 OR EXISTS (SELECT 1 FROM api_keys k WHERE k.id = $1 AND k.org_id = p.org_id \
                    AND k.org_role IN ('ORG_OWNER', 'ORG_READ_ONLY')))"
            }
        }
    }
}

impl<'a> Viewer<'a> {
    fn bound(self) -> &'a str {
        match self {
            Viewer::Account(id) | Viewer::ApiKey(id) => id,
        }
    }
}

/// A listed project with its number of clusters (read in the same query).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ListedProject {
    #[sqlx(flatten)]
    pub project: Project,
    pub cluster_count: i64,
}

/// One page of the projects `viewer` may see (in `org_id` if given), oldest first, each with its
/// cluster count, and how many there are.
pub async fn list_visible(
    pool: &AnyPool,
    viewer: Viewer<'_>,
    org_id: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<ListedProject>, u64), sqlx::Error> {
    let org = if org_id.is_some() {
        " AND p.org_id = $2"
    } else {
        ""
    };
    let condition = format!("{}{org}", viewer.condition());
    let (limit_n, offset_n) = if org_id.is_some() { (3, 4) } else { (2, 3) };
    let mut conn = pool.acquire().await?;
    let count_sql = format!("SELECT COUNT(*) FROM projects p WHERE {condition}");
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(viewer.bound());
    if let Some(org_id) = org_id {
        count = count.bind(org_id);
    }
    let (total,) = count.fetch_one(&mut *conn).await?;
    let list_sql = format!(
        "SELECT p.id, p.name, p.org_id, p.created_at, \
           (SELECT COUNT(*) FROM clusters c WHERE c.project_id = p.id) AS cluster_count \
         FROM projects p WHERE {condition} \
         ORDER BY p.created_at, p.id LIMIT ${limit_n} OFFSET ${offset_n}"
    );
    let mut list = sqlx::query_as::<_, ListedProject>(&list_sql).bind(viewer.bound());
    if let Some(org_id) = org_id {
        list = list.bind(org_id);
    }
    let projects = list
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&mut *conn)
        .await?;
    Ok((projects, u64::try_from(total).unwrap_or(0)))
}

/// The project named `name` that `viewer` may see (the oldest, should two organizations both have one).
pub async fn find_visible_by_name(
    pool: &AnyPool,
    viewer: Viewer<'_>,
    name: &str,
) -> Result<Option<Project>, sqlx::Error> {
    let sql = format!(
        "SELECT p.id, p.name, p.org_id, p.created_at FROM projects p WHERE p.name = $2 AND {} \
         ORDER BY p.created_at, p.id LIMIT 1",
        viewer.condition()
    );
    sqlx::query_as(&sql)
        .bind(viewer.bound())
        .bind(name)
        .fetch_optional(pool)
        .await
}

pub async fn find(pool: &AnyPool, id: &str) -> Result<Option<Project>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    find_in(&mut conn, id).await
}

pub async fn find_in(conn: &mut AnyConnection, id: &str) -> Result<Option<Project>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, org_id, created_at FROM projects WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The project and the sequence number of its newest event (0 before any), in one query: the version
/// of what its lists show (see `api::page_cache`). Every change of a project's users, roles and
/// events is written with its event in one write transaction, and write transactions take turns
/// ([`super::begin_write`]), so a commit that changes what a list shows also raises this number.
pub async fn find_with_last_event(
    pool: &AnyPool,
    id: &str,
) -> Result<Option<(Project, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        project: Project,
        last_event: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, org_id, created_at, \
           COALESCE((SELECT MAX(seq) FROM events WHERE project_id = projects.id), 0) AS last_event \
         FROM projects WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.project, row.last_event)))
}

/// Whether the organization has a project of that name, other than `except`.
pub async fn name_taken(
    conn: &mut AnyConnection,
    org_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let (taken,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM projects WHERE org_id = $1 AND name = $2 AND id <> $3",
    )
    .bind(org_id)
    .bind(name)
    .bind(except.unwrap_or(""))
    .fetch_one(conn)
    .await?;
    Ok(taken > 0)
}

/// What an organization event records of a project.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary<'a> {
    name: &'a str,
}

/// Records an organization event about `project`, its name before and after.
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut AnyConnection,
    project: &Project,
    event_type: OrgEventType,
    actor: &str,
    target: &str,
    before: Option<&str>,
    after: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let before = before.map(|name| Summary { name });
    let after = after.map(|name| Summary { name });
    organizations::record(
        conn,
        &project.org_id,
        Some(&project.id),
        event_type,
        actor,
        target,
        &super::events::Diff {
            before: before.as_ref(),
            after: after.as_ref(),
        },
        now,
    )
    .await
}

/// Renames the project, with its organization event.
pub async fn rename(
    conn: &mut AnyConnection,
    project: &Project,
    name: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(&project.id)
        .execute(&mut *conn)
        .await?;
    let (event, before) = (OrgEventType::GroupRenamed, Some(project.name.as_str()));
    record(conn, project, event, actor, name, before, Some(name), now).await
}

/// Records that `project` was created (in the transaction that inserted it).
pub async fn record_created(
    conn: &mut AnyConnection,
    project: &Project,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let name = Some(project.name.as_str());
    let event = OrgEventType::GroupCreated;
    record(conn, project, event, actor, &project.name, None, name, now).await
}

/// Deletes the project with everything in it (its CAs, users, roles, clusters, alert settings, alerts,
/// events, account roles and API key assignments: the tables' `ON DELETE CASCADE`), and records the
/// organization event. An API key that was in this project and is left with nothing to reach
/// (`ORG_MEMBER`, in no other project) is deleted, as when it is taken out of its last project.
pub async fn delete(
    conn: &mut AnyConnection,
    project: &Project,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let keys: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT api_key_id FROM api_key_roles WHERE project_id = $1")
            .bind(&project.id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM projects WHERE id = $1")
        .bind(&project.id)
        .execute(&mut *conn)
        .await?;
    for (key,) in keys {
        super::api_keys::delete_if_unreachable(conn, &key, actor, now).await?;
    }
    let name = Some(project.name.as_str());
    let event = OrgEventType::GroupDeleted;
    record(conn, project, event, actor, &project.name, name, None, now).await
}

/// A project as the organization page shows it: the counts, and the CA bundle (when self-managed X.509
/// is on) for the caller to inspect.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectCounts {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub cluster_count: i64,
    pub database_user_count: i64,
    pub custom_role_count: i64,
    pub open_alert_count: i64,
    pub cas_pem: Option<String>,
}

/// Every project of `org_id` that `viewer` may see, by name, with its counts: one query.
pub async fn counts_in_org(
    pool: &AnyPool,
    viewer: Viewer<'_>,
    org_id: &str,
) -> Result<Vec<ProjectCounts>, sqlx::Error> {
    let sql = format!(
        "SELECT p.id, p.name, p.created_at, \
           (SELECT COUNT(*) FROM clusters c WHERE c.project_id = p.id) AS cluster_count, \
           (SELECT COUNT(*) FROM database_users u WHERE u.project_id = p.id) AS database_user_count, \
           (SELECT COUNT(*) FROM custom_roles r WHERE r.project_id = p.id) AS custom_role_count, \
           (SELECT COUNT(*) FROM alerts a WHERE a.project_id = p.id AND a.status = 'OPEN') AS open_alert_count, \
           (SELECT CASE WHEN x.enabled = TRUE THEN x.cas_pem ELSE NULL END FROM project_x509_settings x \
              WHERE x.project_id = p.id) AS cas_pem \
         FROM projects p WHERE p.org_id = $2 AND {} ORDER BY p.name, p.id",
        viewer.condition()
    );
    sqlx::query_as(&sql)
        .bind(viewer.bound())
        .bind(org_id)
        .fetch_all(pool)
        .await
}

/// One page of every project, oldest first (the CLI and the metrics, which see every project).
pub async fn list(pool: &AnyPool, offset: u64, limit: u64) -> Result<Vec<Project>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, org_id, created_at FROM projects ORDER BY created_at, id LIMIT $1 OFFSET $2",
    )
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await
}
