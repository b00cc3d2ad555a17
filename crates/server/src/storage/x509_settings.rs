//! The `project_x509_settings` table: whether a project uses self-managed X.509 authentication, and its
//! CA bundle exactly as submitted.

use sqlx::{AnyConnection, AnyPool};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct X509Settings {
    pub enabled: bool,
    pub cas_pem: Option<String>,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl X509Settings {
    /// The stored bundle when self-managed X.509 is on.
    pub fn active_bundle(&self) -> Option<&str> {
        if self.enabled {
            self.cas_pem.as_deref()
        } else {
            None
        }
    }
}

pub async fn find(pool: &AnyPool, project_id: &str) -> Result<Option<X509Settings>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    find_in(&mut conn, project_id).await
}

/// [`find`] on a connection (inside the transaction of a change).
pub async fn find_in(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Option<X509Settings>, sqlx::Error> {
    // The `Any` driver reads no SQLite BOOLEAN: `enabled` is read as an integer.
    let row: Option<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT CAST(enabled AS INTEGER), cas_pem, updated_at FROM project_x509_settings \
         WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(enabled, cas_pem, updated_at)| X509Settings {
        enabled: enabled != 0,
        cas_pem,
        updated_at,
    }))
}

/// Turns self-managed X.509 on with `cas_pem` as the CA bundle (replacing any previous one), on the
/// connection (transaction) that also records the change's event.
pub async fn save_bundle(
    conn: &mut AnyConnection,
    project_id: &str,
    cas_pem: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_x509_settings (project_id, enabled, cas_pem, updated_at) VALUES ($1, TRUE, $2, $3) \
         ON CONFLICT (project_id) DO UPDATE SET enabled = TRUE, cas_pem = excluded.cas_pem, updated_at = excluded.updated_at",
    )
    .bind(project_id)
    .bind(cas_pem)
    .bind(access_core::time::format_rfc3339(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Turns self-managed X.509 off and forgets the CA bundle, on the connection (transaction) that also
/// records the change's event.
pub async fn disable(
    conn: &mut AnyConnection,
    project_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO project_x509_settings (project_id, enabled, cas_pem, updated_at) VALUES ($1, FALSE, NULL, $2) \
         ON CONFLICT (project_id) DO UPDATE SET enabled = FALSE, cas_pem = NULL, updated_at = excluded.updated_at",
    )
    .bind(project_id)
    .bind(access_core::time::format_rfc3339(now))
    .execute(conn)
    .await?;
    Ok(())
}
