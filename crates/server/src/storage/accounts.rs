//! The `accounts`, `account_project_roles`, `sessions` and `sign_in_failures` tables: who may use the
//! console, with which project role, and who is signed in.

use std::collections::BTreeMap;

use access_core::org_role::OrgRole;
use access_core::project_role::ProjectRole;
use access_core::time::format_rfc3339;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use super::events::{self, Diff, EventType};

/// A console account (never with its password hash). Answered as [`access_core::api::Account`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "access_core::api::Account")]
pub struct Account {
    pub id: String,
    pub username: String,
    /// Project id → role.
    pub roles: BTreeMap<String, ProjectRole>,
    /// Organization id → role.
    pub org_roles: BTreeMap<String, OrgRole>,
    pub created: String,
}

impl Account {
    /// Whether the account has anything besides plain membership: a project role, or an organization
    /// role above `ORG_MEMBER`.
    pub fn has_any_role(&self) -> bool {
        !self.roles.is_empty() || self.org_roles.values().any(|role| *role != OrgRole::Member)
    }
}

impl From<Account> for access_core::api::Account {
    fn from(account: Account) -> Self {
        access_core::api::Account {
            username: account.username,
            roles: account
                .roles
                .into_iter()
                .map(|(group_id, role)| access_core::api::ProjectRoleAssignment {
                    group_id,
                    role_name: role.atlas_name().to_owned(),
                })
                .collect(),
            org_roles: account
                .org_roles
                .into_iter()
                .map(|(org_id, role)| access_core::api::OrgRoleAssignment {
                    org_id,
                    role_name: role.atlas_name().to_owned(),
                })
                .collect(),
            created: account.created,
        }
    }
}

/// The key an account name is unique under: case is ignored.
pub fn username_key(username: &str) -> String {
    username.to_lowercase()
}

/// Whether any account exists (none: the console asks for its first owner). On a pool, or on a
/// transaction's connection.
pub async fn any<'c, E>(executor: E) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // A boolean read as an integer: the `Any` driver reads no SQLite boolean.
    let (exists,): (i64,) =
        sqlx::query_as("SELECT CAST(EXISTS (SELECT 1 FROM accounts) AS INTEGER)")
            .fetch_one(executor)
            .await?;
    Ok(exists != 0)
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    username: String,
    created_at: String,
}

async fn roles_of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<BTreeMap<String, ProjectRole>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT project_id, role_name FROM account_project_roles WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(project, name)| Some((project, ProjectRole::from_atlas_name(&name)?)))
        .collect())
}

fn account(
    row: AccountRow,
    roles: BTreeMap<String, ProjectRole>,
    org_roles: BTreeMap<String, OrgRole>,
) -> Account {
    Account {
        id: row.id,
        username: row.username,
        roles,
        org_roles,
        created: row.created_at,
    }
}

/// The account of that name (any case), with its password hash.
pub async fn find_for_sign_in(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<(Account, String)>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, username, created_at, password_hash FROM accounts WHERE username_key = $1",
    )
    .bind(username_key(username))
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, username, created_at, hash)) = row else {
        return Ok(None);
    };
    let roles = roles_of(conn, &id).await?;
    let org_roles = super::organizations::account_roles(conn, &id).await?;
    Ok(Some((
        account(
            AccountRow {
                id,
                username,
                created_at,
            },
            roles,
            org_roles,
        ),
        hash,
    )))
}

/// The account of that id.
pub async fn find_by_id(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Option<Account>, sqlx::Error> {
    let username: Option<(String,)> = sqlx::query_as("SELECT username FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    match username {
        Some((username,)) => find(conn, &username).await,
        None => Ok(None),
    }
}

/// The account of that name (any case).
pub async fn find(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<Account>, sqlx::Error> {
    Ok(find_for_sign_in(conn, username)
        .await?
        .map(|(account, _)| account))
}

/// Every account with a role in `project_id`, by name.
pub async fn list_in_project(
    conn: &mut AnyConnection,
    project_id: &str,
) -> Result<Vec<Account>, sqlx::Error> {
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT a.id, a.username, a.created_at FROM accounts a \
         JOIN account_project_roles r ON r.account_id = a.id \
         WHERE r.project_id = $1 ORDER BY a.username_key",
    )
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut accounts = Vec::with_capacity(rows.len());
    for row in rows {
        // Only the role here: the account's other projects are not this project's business.
        let roles = roles_of(conn, &row.id)
            .await?
            .into_iter()
            .filter(|(project, _)| project == project_id)
            .collect();
        accounts.push(account(row, roles, BTreeMap::new()));
    }
    Ok(accounts)
}

/// How many owners `project_id` has.
pub async fn owner_count(conn: &mut AnyConnection, project_id: &str) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM account_project_roles WHERE project_id = $1 AND role_name = $2",
    )
    .bind(project_id)
    .bind(ProjectRole::Owner.atlas_name())
    .fetch_one(&mut *conn)
    .await?;
    Ok(count)
}

/// Inserts an account with `role` in each of `project_ids` and `org_role` in their organizations, and
/// its event in each project. The caller checked that the name is free (the unique key refuses it
/// otherwise).
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    username: &str,
    password_hash: &str,
    role: ProjectRole,
    org_role: OrgRole,
    project_ids: &[String],
    actor: &str,
    now: i64,
) -> Result<Account, sqlx::Error> {
    let id = super::new_id();
    let created = format_rfc3339(now);
    sqlx::query(
        "INSERT INTO accounts (id, username, username_key, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(username)
    .bind(username_key(username))
    .bind(password_hash)
    .bind(&created)
    .execute(&mut *conn)
    .await?;
    for project_id in project_ids {
        sqlx::query(
            "INSERT INTO account_project_roles (account_id, project_id, role_name) VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(project_id)
        .bind(role.atlas_name())
        .execute(&mut *conn)
        .await?;
    }
    super::organizations::join_orgs_of_projects(conn, &id, project_ids, org_role).await?;
    let org_roles = super::organizations::account_roles(conn, &id).await?;
    let account = Account {
        id,
        username: username.to_owned(),
        roles: project_ids
            .iter()
            .map(|project| (project.clone(), role))
            .collect(),
        org_roles,
        created,
    };
    for project_id in project_ids {
        let after = Summary::of(&account, project_id);
        events::record(
            conn,
            project_id,
            EventType::AccountAdded,
            actor,
            &account.username,
            &Diff {
                before: None,
                after: Some(&after),
            },
            now,
        )
        .await?;
    }
    Ok(account)
}

/// What an account event records: the name and the role in that project (never a password).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary<'a> {
    username: &'a str,
    role_name: Option<&'static str>,
}

impl<'a> Summary<'a> {
    fn of(account: &'a Account, project_id: &str) -> Self {
        Summary {
            username: &account.username,
            role_name: account.roles.get(project_id).map(|r| r.atlas_name()),
        }
    }
}

/// Sets `account`'s role in `project_id`, with its event.
pub async fn set_role(
    conn: &mut AnyConnection,
    account: &Account,
    project_id: &str,
    role: ProjectRole,
    actor: &str,
    now: i64,
) -> Result<Account, sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_project_roles (account_id, project_id, role_name) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, project_id) DO UPDATE SET role_name = excluded.role_name",
    )
    .bind(&account.id)
    .bind(project_id)
    .bind(role.atlas_name())
    .execute(&mut *conn)
    .await?;
    let mut after = account.clone();
    after.roles.insert(project_id.to_owned(), role);
    events::record(
        conn,
        project_id,
        EventType::AccountUpdated,
        actor,
        &account.username,
        &Diff {
            before: Some(&Summary::of(account, project_id)),
            after: Some(&Summary::of(&after, project_id)),
        },
        now,
    )
    .await?;
    Ok(after)
}

/// Replaces `account`'s password hash and signs out its sessions, with an event in each project.
pub async fn set_password(
    conn: &mut AnyConnection,
    account: &Account,
    password_hash: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(&account.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(&account.id)
        .execute(&mut *conn)
        .await?;
    for project_id in account.roles.keys() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct PasswordChanged<'a> {
            username: &'a str,
            password_changed: bool,
        }
        let change = PasswordChanged {
            username: &account.username,
            password_changed: true,
        };
        events::record(
            conn,
            project_id,
            EventType::AccountUpdated,
            actor,
            &account.username,
            &Diff {
                before: None,
                after: Some(&change),
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// Deletes the account (its roles and sessions go with it), with an event in each of its projects.
pub async fn delete(
    conn: &mut AnyConnection,
    account: &Account,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM accounts WHERE id = $1")
        .bind(&account.id)
        .execute(&mut *conn)
        .await?;
    for project_id in account.roles.keys() {
        record_removed(conn, account, project_id, actor, now).await?;
    }
    Ok(())
}

/// `ACCOUNT_DELETED` in `project_id`: the account is no longer there.
async fn record_removed(
    conn: &mut AnyConnection,
    account: &Account,
    project_id: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    events::record(
        conn,
        project_id,
        EventType::AccountDeleted,
        actor,
        &account.username,
        &Diff {
            before: Some(&Summary::of(account, project_id)),
            after: None,
        },
        now,
    )
    .await
}

/// Takes the account out of one project (its role there), with the event there. The account stays, in
/// its other projects and its organizations.
pub async fn remove_from_project(
    conn: &mut AnyConnection,
    account: &Account,
    project_id: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_project_roles WHERE account_id = $1 AND project_id = $2")
        .bind(&account.id)
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    record_removed(conn, account, project_id, actor, now).await
}

/// Every project id (a first owner becomes owner of each).
pub async fn project_ids(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM projects ORDER BY created_at, id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

// Sessions.

/// A stored session, found by its token's SHA-256.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub account: Account,
    pub csrf_token: String,
    pub expires_at: String,
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    token_sha256: &str,
    account_id: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_sha256, account_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_sha256)
    .bind(account_id)
    .bind(csrf_token)
    .bind(format_rfc3339(now))
    .bind(format_rfc3339(expires_at))
    .execute(&mut *conn)
    .await?;
    // Sessions that ended are of no use to anyone.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(format_rfc3339(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The unexpired session of that token hash, with its account.
pub async fn find_session(
    pool: &AnyPool,
    token_sha256: &str,
    now: i64,
) -> Result<Option<StoredSession>, sqlx::Error> {
    // One query, the session with its account's project roles and organization roles (a row per
    // role, `p` or `o` in the last column; one row with NULLs when it has none): every API request
    // reads it, so one round trip instead of three.
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT a.id, a.username, a.created_at, s.csrf_token, s.expires_at, r.project_id, r.role_name, \
           CASE WHEN r.project_id IS NULL THEN NULL ELSE 'p' END \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN account_project_roles r ON r.account_id = a.id \
         WHERE s.token_sha256 = $1 AND s.expires_at > $2 \
         UNION ALL \
         SELECT a.id, a.username, a.created_at, s.csrf_token, s.expires_at, o.org_id, o.role_name, 'o' \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         JOIN account_org_roles o ON o.account_id = a.id \
         WHERE s.token_sha256 = $1 AND s.expires_at > $2",
    )
    .bind(token_sha256)
    .bind(format_rfc3339(now))
    .fetch_all(pool)
    .await?;
    let mut roles = BTreeMap::new();
    let mut org_roles = BTreeMap::new();
    for row in &rows {
        let (Some(id), Some(name), Some(kind)) = (&row.5, row.6.as_deref(), row.7.as_deref())
        else {
            continue;
        };
        if kind == "o" {
            org_roles.extend(OrgRole::from_atlas_name(name).map(|role| (id.clone(), role)));
        } else {
            roles.extend(ProjectRole::from_atlas_name(name).map(|role| (id.clone(), role)));
        }
    }
    let Some((id, username, created_at, csrf_token, expires_at, ..)) = rows.into_iter().next()
    else {
        return Ok(None);
    };
    Ok(Some(StoredSession {
        account: account(
            AccountRow {
                id,
                username,
                created_at,
            },
            roles,
            org_roles,
        ),
        csrf_token,
        expires_at,
    }))
}

pub async fn delete_session(pool: &AnyPool, token_sha256: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(pool)
        .await?;
    Ok(())
}

// Failed sign-ins.

/// The times (RFC 3339) of the failed sign-ins as `username` from `remote_addr` since `since`, oldest
/// first.
pub async fn recent_failures(
    conn: &mut AnyConnection,
    username: &str,
    remote_addr: &str,
    since: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT failed_at FROM sign_in_failures \
         WHERE username_key = $1 AND remote_addr = $2 AND failed_at > $3 ORDER BY failed_at",
    )
    .bind(username_key(username))
    .bind(remote_addr)
    .bind(format_rfc3339(since))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}

/// Counts an attempt refused by the throttle: one row per name and address whose count goes up (no
/// event: an attacker retrying in a loop must not grow the activity feed).
pub async fn count_throttled(
    conn: &mut AnyConnection,
    username: &str,
    remote_addr: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_throttled (username_key, remote_addr, attempts, last_at) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (username_key, remote_addr) \
         DO UPDATE SET attempts = sign_in_throttled.attempts + 1, last_at = excluded.last_at",
    )
    .bind(username_key(username))
    .bind(remote_addr)
    .bind(format_rfc3339(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a refused sign-in (a wrong name or password) as an event in every project and as a failure
/// toward the throttle; the event also says how many attempts the throttle refused since the last
/// event (and that count starts again). `account` is the name of the account when one has the typed
/// name: an unknown name is not written in the feed (it may be a password typed in the wrong field).
/// Failures and counts older than `forget_before` are removed.
#[allow(clippy::too_many_arguments)]
pub async fn record_failure(
    conn: &mut AnyConnection,
    username: &str,
    account: Option<&str>,
    remote_addr: &str,
    reason: &str,
    now: i64,
    forget_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= $1")
        .bind(format_rfc3339(forget_before))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sign_in_throttled WHERE last_at <= $1")
        .bind(format_rfc3339(forget_before))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_failures (username_key, remote_addr, failed_at) VALUES ($1, $2, $3)",
    )
    .bind(username_key(username))
    .bind(remote_addr)
    .bind(format_rfc3339(now))
    .execute(&mut *conn)
    .await?;
    let throttled: Option<(i64,)> = sqlx::query_as(
        "DELETE FROM sign_in_throttled WHERE username_key = $1 AND remote_addr = $2 RETURNING attempts",
    )
    .bind(username_key(username))
    .bind(remote_addr)
    .fetch_optional(&mut *conn)
    .await?;
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Failure<'a> {
        username: &'a str,
        remote_address: &'a str,
        reason: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        throttled_attempts: Option<i64>,
    }
    let target = account.unwrap_or(UNKNOWN_ACCOUNT);
    let failure = Failure {
        username: target,
        remote_address: remote_addr,
        reason,
        throttled_attempts: throttled.map(|(n,)| n),
    };
    for project_id in project_ids(conn).await? {
        events::record(
            conn,
            &project_id,
            EventType::SignInFailed,
            remote_addr,
            target,
            &Diff {
                before: None,
                after: Some(&failure),
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// What the activity feed names a refused sign-in as a name no account has.
pub const UNKNOWN_ACCOUNT: &str = "(no such account)";

/// Forgets the failed sign-ins as `username` (after a successful one).
pub async fn clear_failures(conn: &mut AnyConnection, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE username_key = $1")
        .bind(username_key(username))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sign_in_throttled WHERE username_key = $1")
        .bind(username_key(username))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Why [`create_account`] refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("{}", .0.iter().map(|e| format!("{}: {e}", access_core::field_issue::FieldError::field(e))).collect::<Vec<_>>().join("; "))]
    Rules(Vec<access_core::account::AccountRuleError>),
    #[error("a console account named {0:?} already exists")]
    Duplicate(String),
    #[error(transparent)]
    Password(#[from] crate::access::password::PasswordError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Creates a console account with `role` in every project, its password hashed with
/// [`crate::access::password`] (the CLI's `accounts create`, and tests).
pub async fn create_account(
    pool: &sqlx::AnyPool,
    username: &str,
    password: &str,
    role: ProjectRole,
    actor: &str,
) -> Result<super::accounts::Account, CreateAccountError> {
    access_core::account::validate_new_account(username, password, role.atlas_name())
        .map_err(CreateAccountError::Rules)?;
    let hash =
        crate::access::password::hash(crate::access::password::shared_slots(), password.to_owned())
            .await?;
    let mut tx = super::begin_write(pool).await?;
    if let Some(existing) = find(&mut tx, username).await? {
        return Err(CreateAccountError::Duplicate(existing.username));
    }
    let projects = project_ids(&mut tx).await?;
    // `--owner` owns everything: the organization too.
    let org_role = if role == ProjectRole::Owner {
        OrgRole::Owner
    } else {
        OrgRole::Member
    };
    let account = insert(
        &mut tx,
        username,
        &hash,
        role,
        org_role,
        &projects,
        actor,
        super::now_unix(),
    )
    .await?;
    tx.commit().await?;
    Ok(account)
}

/// Signs `account` in without a password (the CLI and tests): a bearer token for its new session.
pub async fn open_bearer_session(
    pool: &sqlx::AnyPool,
    account_id: &str,
) -> Result<String, sqlx::Error> {
    let token = crate::access::session::new_token();
    let now = super::now_unix();
    let mut tx = super::begin_write(pool).await?;
    super::accounts::insert_session(
        &mut tx,
        &crate::access::session::token_sha256(&token),
        account_id,
        &crate::access::session::new_token(),
        now,
        now + crate::access::session::SESSION_LIFETIME_SECS,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}
