//! The `custom_roles` table, and what the custom role rules read from the rest of the project: its
//! clusters (versions) and the database users holding a role.
//!
//! `body` is the Atlas JSON of the role without its name (`{"actions", "inheritedRoles"}`).

use access_core::custom_role::{CustomDbRole, InheritedRole, RoleAction};
use access_core::database_user::{DatabaseUser, UserRole};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// The stored `body` column.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(default)]
    actions: Vec<RoleAction>,
    #[serde(default)]
    inherited_roles: Vec<InheritedRole>,
}

fn to_body(role: &CustomDbRole) -> Result<String, sqlx::Error> {
    let body = Body {
        actions: role.actions.clone(),
        inherited_roles: role.inherited_roles.clone(),
    };
    serde_json::to_string(&body).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn from_row((role_name, body): (String, String)) -> Result<CustomDbRole, sqlx::Error> {
    let body: Body = serde_json::from_str(&body).map_err(|e| sqlx::Error::ColumnDecode {
        index: "body".to_owned(),
        source: Box::new(e),
    })?;
    Ok(CustomDbRole {
        role_name,
        actions: body.actions,
        inherited_roles: body.inherited_roles,
    })
}

/// Every custom role of the project, by role name.
pub async fn list(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Vec<CustomDbRole>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT role_name, body FROM custom_roles WHERE project_id = $1 ORDER BY role_name",
    )
    .bind(project_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// Whether `error` is the primary key refusing a second row for the same role name.
pub fn is_duplicate(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

pub async fn insert(
    conn: &mut AnyConnection,
    project_id: &str,
    role: &CustomDbRole,
    now: i64,
) -> Result<(), sqlx::Error> {
    let at = access_core::time::format_rfc3339(now);
    sqlx::query(
        "INSERT INTO custom_roles (project_id, role_name, body, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(project_id)
    .bind(&role.role_name)
    .bind(to_body(role)?)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the actions and inherited roles of a stored role. Returns whether the role exists.
pub async fn update(
    conn: &mut AnyConnection,
    project_id: &str,
    role: &CustomDbRole,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE custom_roles SET body = $1, updated_at = $2 WHERE project_id = $3 AND role_name = $4",
    )
    .bind(to_body(role)?)
    .bind(access_core::time::format_rfc3339(now))
    .bind(project_id)
    .bind(&role.role_name)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Returns whether the role existed.
pub async fn delete(
    conn: &mut AnyConnection,
    project_id: &str,
    role_name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM custom_roles WHERE project_id = $1 AND role_name = $2")
        .bind(project_id)
        .bind(role_name)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The database users of the project that hold `role_name`, each with all its roles (in order). Only the
/// name and roles are filled in: what the delete guard reads.
pub async fn users_holding(
    conn: &mut AnyConnection,
    project_id: &str,
    role_name: &str,
) -> Result<Vec<DatabaseUser>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.database_name, r.username, r.role_name, r.role_database, r.role_collection \
         FROM database_user_roles r \
         WHERE r.project_id = $1 AND EXISTS ( \
             SELECT 1 FROM database_user_roles h \
             WHERE h.project_id = r.project_id AND h.database_name = r.database_name \
               AND h.username = r.username AND h.role_name = $2) \
         ORDER BY r.database_name, r.username, r.position",
    )
    .bind(project_id)
    .bind(role_name)
    .fetch_all(conn)
    .await?;
    let mut users: Vec<DatabaseUser> = Vec::new();
    for (database_name, username, role, role_database, role_collection) in rows {
        let role = UserRole {
            role_name: role,
            database_name: role_database,
            collection_name: role_collection,
        };
        match users.last_mut() {
            Some(u) if u.database_name == database_name && u.username == username => {
                u.roles.push(role)
            }
            _ => users.push(DatabaseUser {
                group_id: None,
                database_name,
                username,
                x509_type: Default::default(),
                aws_iam_type: Default::default(),
                ldap_auth_type: Default::default(),
                oidc_auth_type: Default::default(),
                roles: vec![role],
                scopes: Vec::new(),
                labels: Vec::new(),
                description: None,
                delete_after_date: None,
                password: None,
            }),
        }
    }
    Ok(users)
}

/// Removes `role_name` from the roles of the user `database_name`/`username`.
pub async fn remove_from_user(
    conn: &mut AnyConnection,
    project_id: &str,
    database_name: &str,
    username: &str,
    role_name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM database_user_roles \
         WHERE project_id = $1 AND database_name = $2 AND username = $3 AND role_name = $4",
    )
    .bind(project_id)
    .bind(database_name)
    .bind(username)
    .bind(role_name)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE database_users SET updated_at = $1 \
         WHERE project_id = $2 AND database_name = $3 AND username = $4",
    )
    .bind(access_core::time::format_rfc3339(now))
    .bind(project_id)
    .bind(database_name)
    .bind(username)
    .execute(conn)
    .await?;
    Ok(())
}
