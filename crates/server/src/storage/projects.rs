//! The `projects` table: Atlas "groups".

use sqlx::AnyPool;

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

/// Creates "Project 0" (in a new organisation) when the database holds no project.
pub async fn create_first_project(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM projects")
        .fetch_one(&mut *tx)
        .await?;
    if count == 0 {
        let id = super::new_id();
        let org_id = super::new_id();
        sqlx::query("INSERT INTO projects (id, name, org_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(FIRST_PROJECT_NAME)
            .bind(&org_id)
            .bind(access_core::time::format_rfc3339(now))
            .execute(&mut *tx)
            .await?;
        tracing::info!(group_id = %id, "created the first project, {FIRST_PROJECT_NAME:?}");
    }
    tx.commit().await
}

/// One page of projects, oldest first.
pub async fn list(pool: &AnyPool, offset: u64, limit: u64) -> Result<Vec<Project>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, org_id, created_at FROM projects ORDER BY created_at, id LIMIT $1 OFFSET $2",
    )
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await
}

pub async fn count(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM projects")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

pub async fn find(pool: &AnyPool, id: &str) -> Result<Option<Project>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, org_id, created_at FROM projects WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
