//! The `clusters` table: a project's clusters, as far as roles and user scopes care.

use super::Backend;
use access_core::cluster::Cluster;
use sqlx::{AnyConnection, AnyPool};

use super::events::{self, Diff, EventType};

/// A stored row: name, version, member certificate subject.
type Row = (String, String, Option<String>);

fn cluster_of((name, version, member): Row) -> Cluster {
    Cluster {
        member_certificate_subject: member,
        ..Cluster::new(name, version)
    }
}

/// The project's clusters, by name.
pub async fn list(conn: &mut AnyConnection, project_id: &str) -> Result<Vec<Cluster>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT name, mongodb_major_version, member_certificate_subject FROM clusters \
         WHERE project_id = $1 ORDER BY name",
    )
    .bind(project_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(cluster_of).collect())
}

pub async fn count(pool: &AnyPool, project_id: &str) -> Result<u64, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    count_in(&mut conn, project_id).await
}

/// [`count`] on a transaction's connection.
pub async fn count_in(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
) -> Result<u64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clusters WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

pub async fn find(
    pool: &AnyPool,
    project_id: &str,
    name: &str,
) -> Result<Option<Cluster>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT name, mongodb_major_version, member_certificate_subject FROM clusters \
         WHERE project_id = $1 AND name = $2",
    )
    .bind(project_id)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(cluster_of))
}

/// Adds a cluster (already validated) and its `CLUSTER_ADDED` event.
pub async fn insert(
    conn: &mut AnyConnection,
    project_id: &str,
    cluster: &Cluster,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO clusters (project_id, name, mongodb_major_version, member_certificate_subject, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(project_id)
    .bind(&cluster.name)
    .bind(&cluster.mongo_db_major_version)
    .bind(cluster.member_certificate_subject.clone())
    .bind(access_core::time::format_rfc3339(now))
    .execute(&mut *conn)
    .await?;
    let diff = Diff {
        before: None,
        after: Some(cluster),
    };
    events::record(
        conn,
        project_id,
        EventType::ClusterAdded,
        actor,
        &cluster.name,
        &diff,
        now,
    )
    .await
}

/// Deletes a cluster and writes its `CLUSTER_DELETED` event; `false` when there was no such cluster.
pub async fn delete(
    conn: &mut AnyConnection,
    project_id: &str,
    name: &str,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "DELETE FROM clusters WHERE project_id = $1 AND name = $2 \
         RETURNING name, mongodb_major_version, member_certificate_subject",
    )
    .bind(project_id)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let cluster = cluster_of(row);
    let diff = Diff {
        before: Some(&cluster),
        after: None,
    };
    events::record(
        conn,
        project_id,
        EventType::ClusterDeleted,
        actor,
        &cluster.name,
        &diff,
        now,
    )
    .await?;
    Ok(true)
}

/// Saves a cluster's new version and member subject (already validated) and its `CLUSTER_UPDATED` event.
pub async fn update(
    conn: &mut AnyConnection,
    project_id: &str,
    before: &Cluster,
    after: &Cluster,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE clusters SET mongodb_major_version = $3, member_certificate_subject = $4 \
         WHERE project_id = $1 AND name = $2",
    )
    .bind(project_id)
    .bind(&after.name)
    .bind(&after.mongo_db_major_version)
    .bind(after.member_certificate_subject.clone())
    .execute(&mut *conn)
    .await?;
    let diff = Diff {
        before: Some(before),
        after: Some(after),
    };
    events::record(
        conn,
        project_id,
        EventType::ClusterUpdated,
        actor,
        &after.name,
        &diff,
        now,
    )
    .await
}

/// The users (`database_name`, `username`) whose `scopes` name the cluster, unexpired ones only.
pub async fn users_scoped_to(
    conn: &mut AnyConnection,
    project_id: &str,
    name: &str,
    now: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    // The scope names inside the JSON body: each backend has its own JSON functions.
    let scopes = match Backend::of(conn) {
        Backend::Sqlite => {
            "json_each(u.body, '$.scopes') s WHERE u.project_id = $1 \
             AND json_extract(s.value, '$.name') = $2"
        }
        Backend::Postgres => {
            "jsonb_array_elements(u.body::jsonb -> 'scopes') s WHERE u.project_id = $1 \
             AND s ->> 'name' = $2"
        }
    };
    sqlx::query_as(&format!(
        "SELECT DISTINCT u.database_name, u.username FROM database_users u, {scopes} \
         AND (u.delete_after IS NULL OR u.delete_after > $3) ORDER BY u.username, u.database_name"
    ))
    .bind(project_id)
    .bind(name)
    .bind(access_core::time::format_rfc3339(now))
    .fetch_all(conn)
    .await
}
