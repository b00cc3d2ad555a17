//! The `api_keys` tables: programmatic API keys, their project roles and access lists, and the secret
//! that signs Digest nonces. The private key is shown once, at creation, and never stored: only
//! `HA1 = MD5(publicKey:realm:privateKey)` and the last 12 characters (for the masked form) are kept.

use access_core::access_list::AccessListEntry;
use access_core::project_role::ProjectRole;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use super::events::{self, Diff, EventType};
use crate::access::digest::{self, NonceSecret};
use access_core::org_role::OrgRole;

/// A key as answered (Atlas's shape, private key masked) and as recorded in events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StoredApiKey)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub desc: String,
    pub public_key: String,
    /// Masked: `********-****-****-` and the last 12 characters.
    pub private_key: String,
    pub roles: Vec<KeyRole>,
    pub access_list: Vec<AccessListItem>,
    /// RFC 3339 (an extension).
    #[schema(format = DateTime)]
    pub created: String,
    /// An extension: the console account, `apiKey:<public key>` or `cli`.
    pub created_by: String,
    /// The organization the key belongs to (none only for a key stored before organizations whose
    /// projects were all deleted).
    #[serde(skip)]
    pub org_id: Option<String>,
    /// Its organization role there.
    #[serde(skip)]
    pub org_role: access_core::org_role::OrgRole,
}

/// A role of a key: in a project (`groupId`) or in its organization (`orgId`), as Atlas lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ApiKeyRole)]
#[serde(rename_all = "camelCase")]
pub struct KeyRole {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[schema(
        pattern = "^(GROUP_OWNER|GROUP_DATABASE_ACCESS_ADMIN|GROUP_READ_ONLY|ORG_OWNER|ORG_GROUP_CREATOR|ORG_READ_ONLY|ORG_MEMBER)$"
    )]
    pub role_name: String,
}

/// Where a key is managed: a project's API keys (its role there) or its organization's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope<'a> {
    Project(&'a str),
    Org(&'a str),
}

impl ApiKey {
    /// Whether the key may be managed in `scope`: a role in the project, or belonging to the
    /// organization.
    pub fn is_in(&self, scope: KeyScope<'_>) -> bool {
        match scope {
            KeyScope::Project(project) => self
                .roles
                .iter()
                .any(|r| r.group_id.as_deref() == Some(project)),
            KeyScope::Org(org) => self.org_id.as_deref() == Some(org),
        }
    }

    /// Keeps only its roles in `project_id`: a project's API keys show those (as before keys belonged
    /// to organizations; the key's other projects are not this project's business), the organization's
    /// show them all.
    pub fn keep_roles_in(&mut self, project_id: &str) {
        self.roles
            .retain(|role| role.group_id.as_deref() == Some(project_id));
    }

    /// The projects the key has a role in.
    pub fn projects(&self) -> Vec<&str> {
        let mut projects: Vec<&str> = self
            .roles
            .iter()
            .filter_map(|r| r.group_id.as_deref())
            .collect();
        projects.dedup();
        projects
    }
}

/// Writes a key's event where it is managed: the project's activity feed or the organization's events.
#[allow(clippy::too_many_arguments)]
async fn record_in<T: Serialize>(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    event_type: EventType,
    actor: &str,
    target: &str,
    diff: &Diff<'_, T>,
    now: i64,
) -> Result<(), sqlx::Error> {
    match scope {
        KeyScope::Project(project) => {
            events::record(conn, project, event_type, actor, target, diff, now).await
        }
        KeyScope::Org(org) => {
            super::organizations::record_named(
                conn,
                org,
                None,
                event_type.name(),
                actor,
                target,
                diff,
                now,
            )
            .await
        }
    }
}

/// An access list entry as Atlas answers it: `cidrBlock` always, `ipAddress` for a single address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ApiKeyAccessListItem)]
#[serde(rename_all = "camelCase")]
pub struct AccessListItem {
    pub cidr_block: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    #[schema(format = DateTime)]
    pub created: String,
}

impl ApiKey {
    /// The key's roles in one project.
    pub fn roles_in(&self, project_id: &str) -> Vec<ProjectRole> {
        self.roles
            .iter()
            .filter(|r| r.group_id.as_deref() == Some(project_id))
            .filter_map(|r| ProjectRole::from_atlas_name(&r.role_name))
            .collect()
    }

    /// The access list as entries (stored ones always read).
    pub fn access_entries(&self) -> Vec<AccessListEntry> {
        self.access_list
            .iter()
            .filter_map(|item| AccessListEntry::parse(&item.cidr_block).ok())
            .collect()
    }
}

/// A key just created: the stored key and its private key, shown this once.
#[derive(Debug, Clone)]
pub struct CreatedKey {
    pub key: ApiKey,
    pub private_key: String,
}

/// A key found by its public key, for authentication: the key and its HA1.
#[derive(Debug, Clone)]
pub struct KeyCredentials {
    pub key: ApiKey,
    pub ha1: String,
}

/// Masks a private key as Atlas shows it after creation.
pub fn mask(private_key_tail: &str) -> String {
    format!("********-****-****-{private_key_tail}")
}

/// 8 random lowercase letters.
fn new_public_key() -> String {
    use rand::Rng as _;
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(b'a' + rng.gen_range(0..26u8)))
        .collect()
}

/// A random UUID (version 4), the shape of Atlas's private keys.
fn new_private_key() -> String {
    use rand::Rng as _;
    let mut bytes: [u8; 16] = rand::thread_rng().gen();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Creates a key in `scope` with its access list: in a project, with `roles` there (in the project's
/// organization, as `ORG_MEMBER`), writing `API_KEY_ADDED_TO_GROUP`; in an organization, with
/// `org_role` there and no project role, writing the organization's `API_KEY_CREATED`.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    description: &str,
    roles: &[ProjectRole],
    org_role: OrgRole,
    access_list: &[AccessListEntry],
    actor: &str,
    now: i64,
) -> Result<CreatedKey, sqlx::Error> {
    let id = super::new_id();
    let private_key = new_private_key();
    let tail = private_key
        .get(private_key.len().saturating_sub(12)..)
        .unwrap_or("")
        .to_owned();
    let created = access_core::time::format_rfc3339(now);
    // A new public key until one is free (26^8 keys: a clash is rare).
    let mut public_key = new_public_key();
    for _ in 0..16 {
        let (taken,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM api_keys WHERE public_key = $1")
                .bind(&public_key)
                .fetch_one(&mut *conn)
                .await?;
        if taken == 0 {
            break;
        }
        public_key = new_public_key();
    }
    sqlx::query(
        "INSERT INTO api_keys (id, public_key, ha1, private_key_tail, description, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&public_key)
    .bind(digest::ha1(&public_key, &private_key))
    .bind(&tail)
    .bind(description)
    .bind(&created)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    // The key belongs to the organization (of the project).
    let org_sql = match scope {
        KeyScope::Project(_) => {
            "UPDATE api_keys SET org_id = (SELECT org_id FROM projects WHERE id = $1), org_role = $2 WHERE id = $3"
        }
        KeyScope::Org(_) => "UPDATE api_keys SET org_id = $1, org_role = $2 WHERE id = $3",
    };
    let (KeyScope::Project(place) | KeyScope::Org(place)) = scope;
    sqlx::query(org_sql)
        .bind(place)
        .bind(org_role.atlas_name())
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    if let KeyScope::Project(project_id) = scope {
        set_roles(conn, &id, project_id, roles).await?;
    }
    for entry in access_list {
        insert_entry(conn, &id, entry, &created).await?;
    }
    let key = load(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let diff = Diff {
        before: None,
        after: Some(&key),
    };
    let event_type = match scope {
        KeyScope::Project(_) => EventType::ApiKeyAddedToGroup,
        KeyScope::Org(_) => EventType::ApiKeyCreated,
    };
    record_in(conn, scope, event_type, actor, &key.public_key, &diff, now).await?;
    Ok(CreatedKey { key, private_key })
}

pub async fn set_roles(
    conn: &mut AnyConnection,
    id: &str,
    project_id: &str,
    roles: &[ProjectRole],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_key_roles WHERE api_key_id = $1 AND project_id = $2")
        .bind(id)
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    for role in roles {
        sqlx::query(
            "INSERT INTO api_key_roles (api_key_id, project_id, role_name) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(project_id)
        .bind(role.atlas_name())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn insert_entry(
    conn: &mut AnyConnection,
    id: &str,
    entry: &AccessListEntry,
    created: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO api_key_access_list (api_key_id, cidr_block, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(entry.cidr_block())
    .bind(created)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

type KeyRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

const KEY_COLUMNS: &str =
    "id, public_key, private_key_tail, description, created_at, created_by, org_id, org_role";

async fn complete(conn: &mut AnyConnection, row: KeyRow) -> Result<ApiKey, sqlx::Error> {
    let (id, public_key, tail, desc, created, created_by, org_id, org_role) = row;
    let roles: Vec<(String, String)> = sqlx::query_as(
        "SELECT project_id, role_name FROM api_key_roles WHERE api_key_id = $1 ORDER BY project_id, role_name",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let entries: Vec<(String, String)> = sqlx::query_as(
        "SELECT cidr_block, created_at FROM api_key_access_list WHERE api_key_id = $1 ORDER BY created_at, cidr_block",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let org_entry = org_id.clone().map(|org_id| KeyRole {
        group_id: None,
        org_id: Some(org_id),
        role_name: org_role.clone(),
    });
    Ok(ApiKey {
        id,
        desc,
        public_key,
        private_key: mask(&tail),
        roles: org_entry
            .into_iter()
            .chain(roles.into_iter().map(|(group_id, role_name)| KeyRole {
                group_id: Some(group_id),
                org_id: None,
                role_name,
            }))
            .collect(),
        access_list: entries
            .into_iter()
            .map(|(cidr_block, created)| access_item(cidr_block, created))
            .collect(),
        created,
        created_by,
        org_id,
        org_role: access_core::org_role::OrgRole::from_atlas_name(&org_role)
            .unwrap_or(access_core::org_role::OrgRole::Member),
    })
}

fn access_item(cidr_block: String, created: String) -> AccessListItem {
    let ip_address = AccessListEntry::parse(&cidr_block)
        .ok()
        .filter(AccessListEntry::is_single_address)
        .map(|entry| entry.address().to_string());
    AccessListItem {
        cidr_block,
        ip_address,
        created,
    }
}

/// The keys of these rows, each completed with its roles and access list.
async fn keys_of(conn: &mut AnyConnection, rows: Vec<KeyRow>) -> Result<Vec<ApiKey>, sqlx::Error> {
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        keys.push(complete(conn, row).await?);
    }
    Ok(keys)
}

async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<ApiKey>, sqlx::Error> {
    let row: Option<KeyRow> =
        sqlx::query_as(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        Some(row) => Ok(Some(complete(conn, row).await?)),
        None => Ok(None),
    }
}

/// The keys with a role in the project, oldest first.
pub async fn list(pool: &AnyPool, project_id: &str) -> Result<Vec<ApiKey>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<KeyRow> = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys WHERE id IN \
         (SELECT api_key_id FROM api_key_roles WHERE project_id = $1) ORDER BY created_at, public_key"
    ))
    .bind(project_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let mut key = complete(&mut conn, row).await?;
        key.keep_roles_in(project_id);
        keys.push(key);
    }
    Ok(keys)
}

/// Every key, oldest first (the CLI).
pub async fn list_all(pool: &AnyPool) -> Result<Vec<ApiKey>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<KeyRow> = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, public_key"
    ))
    .fetch_all(&mut *conn)
    .await?;
    keys_of(&mut conn, rows).await
}

/// The key `id` if it has a role in the project.
pub async fn find(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<Option<ApiKey>, sqlx::Error> {
    find_in(conn, KeyScope::Project(project_id), id).await
}

/// The key `id` if it is in `scope` ([`ApiKey::is_in`]).
pub async fn find_in(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    id: &str,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let key = load(conn, id).await?;
    Ok(key.filter(|k| k.is_in(scope)))
}

/// The keys of the organization, oldest first.
pub async fn list_in_org(pool: &AnyPool, org_id: &str) -> Result<Vec<ApiKey>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows: Vec<KeyRow> = sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys WHERE org_id = $1 ORDER BY created_at, public_key"
    ))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    keys_of(&mut conn, rows).await
}

/// Sets the key's description, with `API_KEY_DESCRIPTION_CHANGED` where it is managed (nothing when it
/// is the same).
async fn set_description(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    before: &ApiKey,
    description: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    if description == before.desc {
        return Ok(());
    }
    sqlx::query("UPDATE api_keys SET description = $1 WHERE id = $2")
        .bind(description)
        .bind(&before.id)
        .execute(&mut *conn)
        .await?;
    let after = load(conn, &before.id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let diff = Diff {
        before: Some(before),
        after: Some(&after),
    };
    record_in(
        conn,
        scope,
        EventType::ApiKeyDescriptionChanged,
        actor,
        &after.public_key,
        &diff,
        now,
    )
    .await
}

/// Changes an organization key's description and/or organization role, with the organization's
/// events. `None` when the key is not the organization's.
pub async fn update_in_org(
    conn: &mut AnyConnection,
    org_id: &str,
    id: &str,
    description: Option<&str>,
    org_role: Option<OrgRole>,
    actor: &str,
    now: i64,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let scope = KeyScope::Org(org_id);
    let Some(before) = find_in(conn, scope, id).await? else {
        return Ok(None);
    };
    if let Some(description) = description {
        set_description(conn, scope, &before, description, actor, now).await?;
    }
    if let Some(role) = org_role.filter(|role| *role != before.org_role) {
        let current = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        sqlx::query("UPDATE api_keys SET org_role = $1 WHERE id = $2")
            .bind(role.atlas_name())
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let after = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let diff = Diff {
            before: Some(&current),
            after: Some(&after),
        };
        record_in(
            conn,
            scope,
            EventType::ApiKeyRolesChanged,
            actor,
            &after.public_key,
            &diff,
            now,
        )
        .await?;
    }
    load(conn, id).await
}

/// Assigns an organization key to a project with `roles` there (`API_KEY_ADDED_TO_GROUP` in the
/// project). The caller checked the key belongs to the project's organization.
pub async fn assign(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
    roles: &[ProjectRole],
    actor: &str,
    now: i64,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let Some(before) = load(conn, id).await? else {
        return Ok(None);
    };
    set_roles(conn, id, project_id, roles).await?;
    let after = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let diff = Diff {
        before: Some(&before),
        after: Some(&after),
    };
    events::record(
        conn,
        project_id,
        EventType::ApiKeyAddedToGroup,
        actor,
        &after.public_key,
        &diff,
        now,
    )
    .await?;
    Ok(Some(after))
}

/// Deletes the key (from every project, with its access list): `API_KEY_REMOVED_FROM_GROUP` in each
/// project it was in, `API_KEY_DELETED` in the organization. `None` when there is no such key.
pub async fn delete_key(
    conn: &mut AnyConnection,
    id: &str,
    actor: &str,
    now: i64,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let Some(before) = load(conn, id).await? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM api_keys WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let diff = Diff {
        before: Some(&before),
        after: None,
    };
    for project in before.projects() {
        events::record(
            conn,
            project,
            EventType::ApiKeyRemovedFromGroup,
            actor,
            &before.public_key,
            &diff,
            now,
        )
        .await?;
    }
    record_deleted(conn, &before, actor, now).await?;
    Ok(Some(before))
}

/// The key with this public key and its HA1, for Digest verification.
pub async fn credentials(
    pool: &AnyPool,
    public_key: &str,
) -> Result<Option<KeyCredentials>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, ha1 FROM api_keys WHERE public_key = $1")
            .bind(public_key)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, ha1)) = row else {
        return Ok(None);
    };
    Ok(load(&mut conn, &id)
        .await?
        .map(|key| KeyCredentials { key, ha1 }))
}

/// Changes the description and/or the roles in the project, writing `API_KEY_DESCRIPTION_CHANGED` and/or
/// `API_KEY_ROLES_CHANGED` (none when nothing changes). `None` when the key has no role in the project.
pub async fn update(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
    description: Option<&str>,
    roles: Option<&[ProjectRole]>,
    actor: &str,
    now: i64,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let Some(before) = find(conn, project_id, id).await? else {
        return Ok(None);
    };
    if let Some(description) = description {
        set_description(
            conn,
            KeyScope::Project(project_id),
            &before,
            description,
            actor,
            now,
        )
        .await?;
    }
    if let Some(roles) = roles {
        let mut wanted: Vec<&str> = roles.iter().map(|r| r.atlas_name()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut had: Vec<&str> = before
            .roles
            .iter()
            .filter(|r| r.group_id.as_deref() == Some(project_id))
            .map(|r| r.role_name.as_str())
            .collect();
        had.sort_unstable();
        if wanted != had {
            let current = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
            set_roles(conn, id, project_id, roles).await?;
            let after = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
            record(
                conn,
                project_id,
                EventType::ApiKeyRolesChanged,
                actor,
                &current,
                &after,
                now,
            )
            .await?;
        }
    }
    load(conn, id).await
}

async fn record(
    conn: &mut AnyConnection,
    project_id: &str,
    event_type: EventType,
    actor: &str,
    before: &ApiKey,
    after: &ApiKey,
    now: i64,
) -> Result<(), sqlx::Error> {
    let diff = Diff {
        before: Some(before),
        after: Some(after),
    };
    events::record(
        conn,
        project_id,
        event_type,
        actor,
        &after.public_key,
        &diff,
        now,
    )
    .await
}

/// What [`remove_from_project`] did.
#[derive(Debug, Clone)]
pub struct Removed {
    /// The key as it was.
    pub key: ApiKey,
    /// Whether the key was deleted: an `ORG_MEMBER` key that was in no other project could reach
    /// nothing any more (a key made on a project's page, as before organizations).
    pub deleted: bool,
}

/// Takes the key out of the project (`API_KEY_REMOVED_FROM_GROUP`). A key with a role in another
/// project, or an organization role above `ORG_MEMBER`, stays its organization's; one left with nothing
/// to reach is deleted (`API_KEY_DELETED` in the organization). `None` when the key has no role in the
/// project.
pub async fn remove_from_project(
    conn: &mut AnyConnection,
    project_id: &str,
    id: &str,
    actor: &str,
    now: i64,
) -> Result<Option<Removed>, sqlx::Error> {
    let Some(before) = find(conn, project_id, id).await? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM api_key_roles WHERE api_key_id = $1 AND project_id = $2")
        .bind(id)
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    let deleted = delete_unreachable(conn, id).await?;
    let diff = Diff {
        before: Some(&before),
        after: None,
    };
    events::record(
        conn,
        project_id,
        EventType::ApiKeyRemovedFromGroup,
        actor,
        &before.public_key,
        &diff,
        now,
    )
    .await?;
    if deleted {
        record_deleted(conn, &before, actor, now).await?;
    }
    Ok(Some(Removed {
        key: before,
        deleted,
    }))
}

/// Deletes the key if it can reach nothing any more: in no project, with an organization role that
/// does not keep it (core's [`OrgRole::keeps_a_key_without_projects`]).
async fn delete_unreachable(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    // Role names are ours (never client text): they go into the SQL as literals.
    let gone: Vec<String> = OrgRole::ALL
        .into_iter()
        .filter(|role| !role.keeps_a_key_without_projects())
        .map(|role| format!("'{}'", role.atlas_name()))
        .collect();
    Ok(sqlx::query(&format!(
        "DELETE FROM api_keys WHERE id = $1 AND org_role IN ({}) \
         AND NOT EXISTS (SELECT 1 FROM api_key_roles WHERE api_key_id = $1)",
        gone.join(", ")
    ))
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1)
}

/// [`delete_unreachable`] for a key whose project was just deleted, with `API_KEY_DELETED` in its
/// organization when it goes.
pub async fn delete_if_unreachable(
    conn: &mut AnyConnection,
    id: &str,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some(before) = load(conn, id).await? else {
        return Ok(false);
    };
    let deleted = delete_unreachable(conn, id).await?;
    if deleted {
        record_deleted(conn, &before, actor, now).await?;
    }
    Ok(deleted)
}

/// Records `API_KEY_DELETED` in the key's organization.
async fn record_deleted(
    conn: &mut AnyConnection,
    key: &ApiKey,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Some(org) = key.org_id.as_deref() else {
        return Ok(());
    };
    let diff = Diff {
        before: Some(key),
        after: None,
    };
    super::organizations::record_named(
        conn,
        org,
        None,
        EventType::ApiKeyDeleted.name(),
        actor,
        &key.public_key,
        &diff,
        now,
    )
    .await
}

/// The key with this public key (the CLI).
pub async fn find_by_public_key(
    conn: &mut AnyConnection,
    public_key: &str,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM api_keys WHERE public_key = $1")
        .bind(public_key)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some((id,)) => load(conn, &id).await,
        None => Ok(None),
    }
}

/// Adds entries to the key's access list (those already there are left as they are), one
/// `API_KEY_ACCESS_LIST_ENTRY_ADDED` per entry added. `None` when the key is not in `scope`.
pub async fn add_access_list(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    id: &str,
    entries: &[AccessListEntry],
    actor: &str,
    now: i64,
) -> Result<Option<ApiKey>, sqlx::Error> {
    let Some(mut before) = find_in(conn, scope, id).await? else {
        return Ok(None);
    };
    let created = access_core::time::format_rfc3339(now);
    for entry in entries {
        if insert_entry(conn, id, entry, &created).await? {
            let after = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
            let target = format!("{} {}", after.public_key, entry);
            let diff = Diff {
                before: Some(&before),
                after: Some(&after),
            };
            record_in(
                conn,
                scope,
                EventType::ApiKeyAccessListEntryAdded,
                actor,
                &target,
                &diff,
                now,
            )
            .await?;
            before = after;
        }
    }
    Ok(Some(before))
}

/// Whether the entry was deleted from the key's access list (`API_KEY_ACCESS_LIST_ENTRY_DELETED`).
/// `None` when the key is not in `scope`.
pub async fn delete_access_list_entry(
    conn: &mut AnyConnection,
    scope: KeyScope<'_>,
    id: &str,
    entry: &AccessListEntry,
    actor: &str,
    now: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let Some(before) = find_in(conn, scope, id).await? else {
        return Ok(None);
    };
    let deleted =
        sqlx::query("DELETE FROM api_key_access_list WHERE api_key_id = $1 AND cidr_block = $2")
            .bind(id)
            .bind(entry.cidr_block())
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1;
    if deleted {
        let after = load(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        let target = format!("{} {}", after.public_key, entry);
        let diff = Diff {
            before: Some(&before),
            after: Some(&after),
        };
        record_in(
            conn,
            scope,
            EventType::ApiKeyAccessListEntryDeleted,
            actor,
            &target,
            &diff,
            now,
        )
        .await?;
    }
    Ok(Some(deleted))
}

/// The secret that signs Digest nonces: made on first use, then the same for every server instance on
/// this database.
pub async fn nonce_secret(pool: &AnyPool) -> Result<NonceSecret, sqlx::Error> {
    let fresh = NonceSecret::generate();
    sqlx::query(
        "INSERT INTO digest_nonce_secret (id, secret) VALUES (1, $1) ON CONFLICT DO NOTHING",
    )
    .bind(fresh.as_bytes().as_slice())
    .execute(pool)
    .await?;
    let (stored,): (Vec<u8>,) =
        sqlx::query_as("SELECT secret FROM digest_nonce_secret WHERE id = 1")
            .fetch_one(pool)
            .await?;
    NonceSecret::from_slice(&stored).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "secret".to_owned(),
        source: "the Digest nonce secret is not 32 bytes".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_atlas_s_shapes() {
        for _ in 0..100 {
            let public = new_public_key();
            assert_eq!(public.len(), 8);
            assert!(public.bytes().all(|b| b.is_ascii_lowercase()), "{public}");
            let private = new_private_key();
            let groups: Vec<usize> = private.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{private}");
            assert_eq!(private.get(14..15), Some("4"), "version 4: {private}");
        }
        assert_eq!(mask("e66d20841f3e"), "********-****-****-e66d20841f3e");
    }
}
