//! The `database_users` and `database_user_roles` tables: a project's database users, in the core
//! [`DatabaseUser`] shape.
//!
//! A user whose `delete_after` has passed is never read back (every read filters on it), and is removed,
//! with a `MONGODB_USER_EXPIRED` event by the actor `system`, by [`remove_expired_users`] (the server's
//! background sweep) and at the start of every write transaction of this module's callers
//! ([`remove_expired_in`]).

use access_core::database_user::{DatabaseUser, UserLabel, UserRole, UserScope, X509Type};
use access_core::time::format_rfc3339;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

use super::events::{self, Diff, EventType};

/// The part of a user kept as JSON in `database_users.body`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Body {
    #[serde(default)]
    scopes: Vec<UserScope>,
    #[serde(default)]
    labels: Vec<UserLabel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    project_id: String,
    database_name: String,
    username: String,
    x509_type: String,
    body: String,
    delete_after: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PageRoleRow {
    database_name: String,
    username: String,
    role_name: String,
    role_database: String,
    role_collection: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    role_name: String,
    role_database: String,
    role_collection: Option<String>,
}

fn decode_error(what: &str, error: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("database_users.{what}: {error}").into())
}

fn user_of(row: Row, roles: Vec<UserRole>) -> Result<DatabaseUser, sqlx::Error> {
    let body: Body = serde_json::from_str(&row.body).map_err(|e| decode_error("body", e))?;
    let x509_type: X509Type = serde_json::from_value(serde_json::Value::String(row.x509_type))
        .map_err(|e| decode_error("x509_type", e))?;
    Ok(DatabaseUser {
        group_id: Some(row.project_id),
        database_name: row.database_name,
        username: row.username,
        x509_type,
        aws_iam_type: Default::default(),
        ldap_auth_type: Default::default(),
        oidc_auth_type: Default::default(),
        roles,
        scopes: body.scopes,
        labels: body.labels,
        description: body.description,
        delete_after_date: row.delete_after,
        password: None,
    })
}

const COLUMNS: &str = "project_id, database_name, username, x509_type, body, delete_after";

/// The user, unless absent or expired at `now`.
pub async fn find(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
    now: i64,
) -> Result<Option<DatabaseUser>, sqlx::Error> {
    find_live_at(conn, project_id, database_name, username, Some(now)).await
}

/// The user of that name, even a temporary user past its `deleteAfterDate` that the sweep has not yet
/// removed (the access check says why such a user does not get in).
pub async fn find_including_expired(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
) -> Result<Option<DatabaseUser>, sqlx::Error> {
    find_live_at(conn, project_id, database_name, username, None).await
}

/// The user of that name with its roles; with `live_at`, only if it is not expired then.
async fn find_live_at(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
    live_at: Option<i64>,
) -> Result<Option<DatabaseUser>, sqlx::Error> {
    let expiry = if live_at.is_some() {
        " AND (delete_after IS NULL OR delete_after > $4)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM database_users WHERE project_id = $1 AND database_name = $2 AND username = $3{expiry}"
    );
    let mut query = sqlx::query_as(&sql)
        .bind(project_id)
        .bind(database_name)
        .bind(username);
    if let Some(now) = live_at {
        query = query.bind(format_rfc3339(now));
    }
    let row: Option<Row> = query.fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(None) };
    let roles = roles_of(conn, project_id, database_name, username).await?;
    user_of(row, roles).map(Some)
}

/// Every username of `database_name` in the project (the access check's nearest users).
pub async fn usernames(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT username FROM database_users WHERE project_id = $1 AND database_name = $2 ORDER BY username",
    )
    .bind(project_id)
    .bind(database_name)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

async fn roles_of(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
) -> Result<Vec<UserRole>, sqlx::Error> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT role_name, role_database, role_collection FROM database_user_roles \
         WHERE project_id = $1 AND database_name = $2 AND username = $3 ORDER BY position",
    )
    .bind(project_id)
    .bind(database_name)
    .bind(username)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(role_of).collect())
}

fn role_of(row: RoleRow) -> UserRole {
    UserRole {
        role_name: row.role_name,
        database_name: row.role_database,
        collection_name: row.role_collection,
    }
}

/// One page of the project's unexpired users, by username then database name, and how many match.
/// `name_filter`: a case-insensitive (ASCII) substring of the username.
pub async fn list(
    pool: &AnyPool,
    project_id: &str,
    name_filter: Option<&str>,
    now: i64,
    offset: u64,
    limit: u64,
    count: bool,
) -> Result<(Vec<DatabaseUser>, Option<u64>), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    list_in(
        &mut conn,
        project_id,
        name_filter,
        now,
        offset,
        limit,
        count,
    )
    .await
}

/// When the project's next temporary user expires after `now` (Unix seconds), if any does: until
/// then, a page of its users read now stays true.
pub async fn next_expiry(
    pool: &AnyPool,
    project_id: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let (next,): (Option<String>,) = sqlx::query_as(
        "SELECT MIN(delete_after) FROM database_users WHERE project_id = $1 AND delete_after > $2",
    )
    .bind(project_id)
    .bind(format_rfc3339(now))
    .fetch_one(pool)
    .await?;
    // An expiry that does not read back as a date: kept for no time at all.
    Ok(next.map(|text| access_core::time::parse_rfc3339(&text).unwrap_or(now)))
}

/// Every unexpired user of the project, by username, on a connection (inside the transaction of a change).
pub async fn all_in(
    conn: &mut AnyConnection,
    project_id: &str,
    now: i64,
) -> Result<Vec<DatabaseUser>, sqlx::Error> {
    Ok(
        list_in(conn, project_id, None, now, 0, i64::MAX as u64, false)
            .await?
            .0,
    )
}

/// [`list`] on a connection.
pub async fn list_in(
    conn: &mut AnyConnection,
    project_id: &str,
    name_filter: Option<&str>,
    now: i64,
    offset: u64,
    limit: u64,
    count: bool,
) -> Result<(Vec<DatabaseUser>, Option<u64>), sqlx::Error> {
    let filter = name_filter.unwrap_or("");
    let now = format_rfc3339(now);
    let position = super::Backend::of(conn).position_function();
    let condition = format!(
        "project_id = $1 AND (delete_after IS NULL OR delete_after > $2) \
         AND ($3 = '' OR {position}(lower(username), lower($3)) > 0)"
    );
    // The count reads every row of the project (most of a list request's time with 10,000 users):
    // only when asked for (`includeCount`, true by default).
    let total = if count {
        let (total,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM database_users WHERE {condition}"
        ))
        .bind(project_id)
        .bind(&now)
        .bind(filter)
        .fetch_one(&mut *conn)
        .await?;
        Some(u64::try_from(total).unwrap_or(0))
    } else {
        None
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM database_users WHERE {condition} \
         ORDER BY username, database_name LIMIT $4 OFFSET $5"
    ))
    .bind(project_id)
    .bind(&now)
    .bind(filter)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    // The roles of the whole page in one query (not one per user), in the page's order.
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok((Vec::new(), total));
    };
    let role_rows: Vec<PageRoleRow> = sqlx::query_as(
        "SELECT database_name, username, role_name, role_database, role_collection FROM database_user_roles \
         WHERE project_id = $1 AND (username, database_name) >= ($2, $3) AND (username, database_name) <= ($4, $5) \
         ORDER BY username, database_name, position",
    )
    .bind(project_id)
    .bind(&first.username)
    .bind(&first.database_name)
    .bind(&last.username)
    .bind(&last.database_name)
    .fetch_all(&mut *conn)
    .await?;
    let mut role_rows = role_rows.into_iter().peekable();
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        // Role rows of users left out of the page (filtered, expired) are skipped.
        while role_rows
            .next_if(|r| (&r.username, &r.database_name) < (&row.username, &row.database_name))
            .is_some()
        {}
        let mut roles = Vec::new();
        while let Some(r) = role_rows
            .next_if(|r| r.username == row.username && r.database_name == row.database_name)
        {
            roles.push(UserRole {
                role_name: r.role_name,
                database_name: r.role_database,
                collection_name: r.role_collection,
            });
        }
        users.push(user_of(row, roles)?);
    }
    Ok((users, total))
}

/// The names of the project's custom roles (for the rules on a user's roles).
pub async fn custom_role_names(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role_name FROM custom_roles WHERE project_id = $1")
            .bind(project_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

async fn write_rows(
    conn: &mut AnyConnection,
    project_id: &str,
    user: &DatabaseUser,
    now: i64,
) -> Result<(), sqlx::Error> {
    let body = serde_json::to_string(&Body {
        scopes: user.scopes.clone(),
        labels: user.labels.clone(),
        description: user.description.clone(),
    })
    .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let x509_type = match serde_json::to_value(user.x509_type) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "NONE".to_owned(),
    };
    let now = format_rfc3339(now);
    sqlx::query(
        "INSERT INTO database_users (project_id, database_name, username, x509_type, body, delete_after, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (project_id, database_name, username) DO UPDATE SET x509_type = excluded.x509_type, \
         body = excluded.body, delete_after = excluded.delete_after, updated_at = excluded.updated_at",
    )
    .bind(project_id)
    .bind(&user.database_name)
    .bind(&user.username)
    .bind(x509_type)
    .bind(body)
    .bind(&user.delete_after_date)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM database_user_roles WHERE project_id = $1 AND database_name = $2 AND username = $3",
    )
    .bind(project_id)
    .bind(&user.database_name)
    .bind(&user.username)
    .execute(&mut *conn)
    .await?;
    for (position, role) in user.roles.iter().enumerate() {
        sqlx::query(
            "INSERT INTO database_user_roles (project_id, database_name, username, position, role_name, role_database, role_collection) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(project_id)
        .bind(&user.database_name)
        .bind(&user.username)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&role.role_name)
        .bind(&role.database_name)
        .bind(role.collection())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a user (validated, canonical username, no unexpired user of that name) and its
/// `MONGODB_USER_ADDED` event.
pub async fn insert(
    conn: &mut AnyConnection,
    project_id: &str,
    user: &DatabaseUser,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    write_rows(conn, project_id, user, now).await?;
    let diff = Diff {
        before: None,
        after: Some(user),
    };
    events::record(
        conn,
        project_id,
        EventType::MongodbUserAdded,
        actor,
        &user.username,
        &diff,
        now,
    )
    .await
}

/// Replaces an existing user by `after` (same key) and writes its `MONGODB_USER_UPDATED` event.
pub async fn update(
    conn: &mut AnyConnection,
    project_id: &str,
    before: &DatabaseUser,
    after: &DatabaseUser,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    write_rows(conn, project_id, after, now).await?;
    let diff = Diff {
        before: Some(before),
        after: Some(after),
    };
    events::record(
        conn,
        project_id,
        EventType::MongodbUserUpdated,
        actor,
        &after.username,
        &diff,
        now,
    )
    .await
}

async fn delete_rows(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
) -> Result<(), sqlx::Error> {
    // The role rows go with it (ON DELETE CASCADE).
    sqlx::query(
        "DELETE FROM database_users WHERE project_id = $1 AND database_name = $2 AND username = $3",
    )
    .bind(project_id)
    .bind(database_name)
    .bind(username)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes an existing user and writes `event_type` (`MONGODB_USER_DELETED`, or `MONGODB_USER_EXPIRED`).
pub async fn delete(
    conn: &mut AnyConnection,
    project_id: &str,
    user: &DatabaseUser,
    event_type: EventType,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    delete_rows(conn, project_id, &user.database_name, &user.username).await?;
    let diff = Diff {
        before: Some(user),
        after: None,
    };
    events::record(
        conn,
        project_id,
        event_type,
        actor,
        &user.username,
        &diff,
        now,
    )
    .await
}

/// Removes, on `conn` (a transaction), every user of every project whose `deleteAfterDate` is at or
/// before `now`, each with its `MONGODB_USER_EXPIRED` event by [`events::SYSTEM`]. Returns how many.
pub async fn remove_expired_in(conn: &mut AnyConnection, now: i64) -> Result<usize, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM database_users WHERE delete_after IS NOT NULL AND delete_after <= $1 \
         ORDER BY project_id, username, database_name"
    ))
    .bind(format_rfc3339(now))
    .fetch_all(&mut *conn)
    .await?;
    let count = rows.len();
    for row in rows {
        let project_id = row.project_id.clone();
        let roles = roles_of(conn, &project_id, &row.database_name, &row.username).await?;
        let user = user_of(row, roles)?;
        delete(
            conn,
            &project_id,
            &user,
            EventType::MongodbUserExpired,
            events::SYSTEM,
            now,
        )
        .await?;
    }
    Ok(count)
}

/// [`remove_expired_in`] in a transaction of its own: the server's sweep calls it periodically, tests call
/// it with an injected `now`.
pub async fn remove_expired_users(pool: &AnyPool, now: i64) -> Result<usize, sqlx::Error> {
    let mut tx = crate::storage::begin_write(pool).await?;
    let count = remove_expired_in(&mut tx, now).await?;
    tx.commit().await?;
    Ok(count)
}
