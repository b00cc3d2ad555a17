//! Programmatic API keys of a project, as Atlas's project API keys:
//! `GET|POST /groups/{groupId}/apiKeys`, `GET|PATCH|DELETE /groups/{groupId}/apiKeys/{apiUserId}`, and
//! (an extension: Atlas has them under `/orgs/{orgId}/apiKeys/...`) the key's access list
//! `GET|POST .../apiKeys/{apiUserId}/accessList`, `DELETE .../accessList/{entry}` (entry percent-encoded,
//! `10.0.0.0%2F8` or `192.0.2.7`).
//!
//! The private key is in the POST answer only; afterwards it is masked (`********-****-****-` and its
//! last 12 characters). A key belongs to an organization (as in Atlas): one created here belongs to the
//! project's, with its roles in the project; DELETE takes it out of the project, and deletes it when it
//! could reach nothing any more (`ORG_MEMBER`, in no other project). The organization's keys: `GET|POST /orgs/{orgId}/apiKeys`,
//! `GET|PATCH|DELETE /orgs/{orgId}/apiKeys/{apiUserId}` and the access list under it; an organization
//! key is assigned to a project with `POST /groups/{groupId}/apiKeys/{apiUserId}` (`{"roles": [...]}`).

use access_core::access_list::{AccessListEntry, AccessListError};
use access_core::api::{Link, Paginated};
use access_core::field_issue::FieldIssue;
use access_core::project_role::ProjectRole;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::caller::Actor;
use super::group_id::OrgId;
use super::{groups, ApiError, AppState, GroupId, JsonBody, Paging};
use access_core::org_role::OrgRole;

use crate::storage::api_keys::{self, AccessListItem, ApiKey, KeyScope};
use crate::storage::now_unix;

/// Longest `desc`, in characters (Atlas: 1 to 250).
pub const MAX_DESCRIPTION_CHARS: usize = 250;

/// A key as answered: the stored key, `links`, and the private key in the POST answer only.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ApiKey)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyOut {
    #[serde(flatten)]
    key: ApiKey,
    links: Vec<Link>,
}

/// A POST or PATCH body: `{"desc", "roles": ["GROUP_READ_ONLY", ...]}`, plus (an extension) the POST's
/// first `accessList` entries. Read-only attributes of a GET answer are accepted and ignored.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = ApiKeyRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiKeyIn {
    desc: Option<String>,
    roles: Option<Vec<RoleIn>>,
    access_list: Option<Vec<AccessListIn>>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    id: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    public_key: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    private_key: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    created: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    created_by: Option<IgnoredAny>,
}

/// A role as a name (`"GROUP_READ_ONLY"`, Atlas's request shape) or as answered (`{"groupId",
/// "roleName"}`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ApiKeyRoleRequest)]
#[serde(untagged)]
pub enum RoleIn {
    Name(String),
    Answered {
        #[serde(rename = "roleName")]
        role_name: String,
        #[allow(dead_code)]
        #[serde(rename = "groupId")]
        group_id: Option<String>,
        /// An organization role as answered (`{"orgId", "roleName"}`): a GET body sent back to a
        /// project's PATCH holds it; the project's roles are the others.
        #[serde(rename = "orgId")]
        org_id: Option<String>,
    },
}

impl RoleIn {
    fn name(&self) -> &str {
        match self {
            RoleIn::Name(name)
            | RoleIn::Answered {
                role_name: name, ..
            } => name,
        }
    }
}

/// An access list entry to add: `{"ipAddress": "192.0.2.7"}` or `{"cidrBlock": "10.0.0.0/8"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = AccessListEntryRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessListIn {
    ip_address: Option<String>,
    cidr_block: Option<String>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    created: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<IgnoredAny>,
}

/// An API key ID from the path: 24 lowercase hex characters, else no key has it.
fn key_id(value: &str) -> Result<String, ApiError> {
    if value.len() == 24
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(value.to_owned())
    } else {
        Err(ApiError::ApiKeyNotFound {
            id: value.to_owned(),
        })
    }
}

/// `http://host/api/atlas/<version>` of the request, for `links`.
#[derive(Debug, Clone)]
pub struct LinkBase(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for LinkBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |o| o.0.path().to_owned());
        let prefix = super::PREFIXES
            .iter()
            .find(|p| path.starts_with(*p))
            .copied()
            .unwrap_or(super::PREFIXES[0]);
        // The configured public address, never the Host header (see `PublicBase`).
        let origin = parts
            .extensions
            .get::<super::PublicBase>()
            .map(|base| base.0.clone())
            .unwrap_or_default();
        Ok(LinkBase(format!("{origin}{prefix}")))
    }
}

fn out(key: ApiKey, href: String) -> ApiKeyOut {
    ApiKeyOut {
        key,
        links: vec![Link {
            rel: "self".to_owned(),
            href,
        }],
    }
}

/// The URL of the key resource.
fn key_href(base: &LinkBase, group_id: &str, id: &str) -> String {
    scoped_href(base, KeyScope::Project(group_id), id)
}

/// A key as a project's API keys answer it: its roles in that project only.
fn in_project(mut key: ApiKey, project_id: &str) -> ApiKey {
    key.keep_roles_in(project_id);
    key
}

/// The URL of the key resource where it is managed.
fn scoped_href(base: &LinkBase, scope: KeyScope<'_>, id: &str) -> String {
    match scope {
        KeyScope::Project(group_id) => format!("{}/groups/{group_id}/apiKeys/{id}", base.0),
        KeyScope::Org(org_id) => format!("{}/orgs/{org_id}/apiKeys/{id}", base.0),
    }
}

/// The project roles of a body: known names, at least one (`field`: where they are). An organization
/// role as answered (`{"orgId", ...}`) is not one of them and is passed over.
fn read_roles(roles: &[RoleIn]) -> Result<Vec<ProjectRole>, ApiError> {
    let roles: Vec<&RoleIn> = roles
        .iter()
        .filter(|role| {
            !matches!(
                role,
                RoleIn::Answered {
                    org_id: Some(_),
                    ..
                }
            )
        })
        .collect();
    read_role_names(
        &roles,
        ProjectRole::from_atlas_name,
        "a project role",
        "GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN or GROUP_READ_ONLY",
    )
}

/// The roles of a body, each a name `parse` knows (`kind`, `names`: what the message says); at least
/// one. Every unknown name is an issue at its `roles[i]`.
fn read_role_names<R>(
    roles: &[&RoleIn],
    parse: fn(&str) -> Option<R>,
    kind: &str,
    names: &str,
) -> Result<Vec<R>, ApiError> {
    let mut issues = Vec::new();
    let mut read = Vec::new();
    if roles.is_empty() {
        issues.push(FieldIssue {
            field: "roles".to_owned(),
            error_code: "API_KEY_ROLES_REQUIRED".to_owned(),
            detail: format!("give the key {kind}: {names}"),
        });
    }
    for (i, role) in roles.iter().enumerate() {
        match parse(role.name()) {
            Some(role) => read.push(role),
            None => issues.push(FieldIssue {
                field: format!("roles[{i}]"),
                error_code: "INVALID_ROLE_FOR_API_KEY".to_owned(),
                detail: format!("{:?} is not {kind}: use {names}", role.name()),
            }),
        }
    }
    if issues.is_empty() {
        Ok(read)
    } else {
        Err(rules(issues))
    }
}

fn read_description(desc: &str) -> Result<String, ApiError> {
    let trimmed = desc.trim();
    let count = trimmed.chars().count();
    if count == 0 || count > MAX_DESCRIPTION_CHARS {
        return Err(rules(vec![FieldIssue {
            field: "desc".to_owned(),
            error_code: "INVALID_API_KEY_DESCRIPTION".to_owned(),
            detail: format!(
                "the description must be 1 to {MAX_DESCRIPTION_CHARS} characters (it has {count})"
            ),
        }]));
    }
    Ok(trimmed.to_owned())
}

/// The entries of a POST body (`field`: `accessList` or empty for the access list resource's array).
fn read_entries(entries: &[AccessListIn], field: &str) -> Result<Vec<AccessListEntry>, ApiError> {
    let mut issues = Vec::new();
    let mut read = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = if field.is_empty() {
            format!("[{i}]")
        } else {
            format!("{field}[{i}]")
        };
        let (text, name) = match (&entry.ip_address, &entry.cidr_block) {
            (Some(ip), None) => (ip, "ipAddress"),
            (None, Some(cidr)) => (cidr, "cidrBlock"),
            _ => {
                issues.push(FieldIssue {
                    field: at,
                    error_code: "INVALID_IP_ADDRESS_OR_CIDR_NOTATION".to_owned(),
                    detail: "give exactly one of ipAddress and cidrBlock".to_owned(),
                });
                continue;
            }
        };
        let parsed = AccessListEntry::parse(text).and_then(|parsed| {
            if name == "ipAddress" && !parsed.is_single_address() {
                Err(AccessListError::NotAnAddress {
                    text: text.to_owned(),
                })
            } else {
                Ok(parsed)
            }
        });
        match parsed {
            Ok(parsed) => read.push(parsed),
            Err(error) => issues.push(FieldIssue {
                field: format!("{at}.{name}"),
                error_code: error.error_code().to_owned(),
                detail: error.to_string(),
            }),
        }
    }
    if issues.is_empty() {
        Ok(read)
    } else {
        Err(rules(issues))
    }
}

fn rules(issues: Vec<FieldIssue>) -> ApiError {
    let code = issues
        .first()
        .map_or("INVALID_ATTRIBUTE", |i| static_code(&i.error_code));
    ApiError::Rules { code, issues }
}

/// The `&'static` form of the codes this module makes.
fn static_code(code: &str) -> &'static str {
    [
        "API_KEY_ROLES_REQUIRED",
        "INVALID_ROLE_FOR_API_KEY",
        "INVALID_API_KEY_DESCRIPTION",
        "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
        "INVALID_CIDR_PREFIX",
        "CIDR_HOST_BITS_SET",
    ]
    .into_iter()
    .find(|c| *c == code)
    .unwrap_or("INVALID_ATTRIBUTE")
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/apiKeys",
    tag = "Programmatic API Keys",
    operation_id = "listProjectApiKeys",
    summary = "The project's API keys (private keys masked).",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<ApiKeyOut>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    base: LinkBase,
    group_id: GroupId,
    paging: Paging,
) -> Result<Json<Paginated<ApiKeyOut>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let keys = api_keys::list(&state.pool, &project.id).await?;
    Ok(Json(paging.page_of(keys.into_iter().map(|key| {
        let href = key_href(&base, &project.id, &key.id);
        out(key, href)
    }))))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "getProjectApiKey",
    summary = "One API key (private key masked).",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
    ),
    responses(
        (status = 200, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    group_id: GroupId,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let id = key_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let key = api_keys::find(&mut conn, &project.id, &id)
        .await?
        .ok_or(ApiError::ApiKeyNotFound { id })?;
    let href = key_href(&base, &project.id, &key.id);
    Ok(Json(out(in_project(key, &project.id), href)))
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/apiKeys",
    tag = "Programmatic API Keys",
    operation_id = "createProjectApiKey",
    summary = "Creates an API key with project roles; the answer is the only one with the private key.",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = ApiKeyIn, example = json!({ "desc": "deploy pipeline", "roles": ["GROUP_DATABASE_ACCESS_ADMIN"], "accessList": [{ "cidrBlock": "10.0.0.0/8" }] })),
    responses(
        (status = 201, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    base: LinkBase,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<ApiKeyIn>,
) -> Result<CreatedAnswer, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let desc = body
        .desc
        .as_deref()
        .ok_or(ApiError::MissingAttribute { name: "desc" })?;
    let desc = read_description(desc)?;
    let roles = read_roles(
        body.roles
            .as_deref()
            .ok_or(ApiError::MissingAttribute { name: "roles" })?,
    )?;
    let entries = read_entries(body.access_list.as_deref().unwrap_or(&[]), "accessList")?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let created = api_keys::insert(
        &mut tx,
        KeyScope::Project(&project.id),
        &desc,
        &roles,
        OrgRole::Member,
        &entries,
        actor.name(),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, public_key = %created.key.public_key, "created an API key");
    let href = key_href(&base, &project.id, &created.key.id);
    let created = api_keys::CreatedKey {
        key: in_project(created.key, &project.id),
        private_key: created.private_key,
    };
    created_answer(created, href)
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "updateProjectApiKey",
    summary = "Changes the key's description or project roles.",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
    ),
    request_body(content = ApiKeyIn, example = json!({ "roles": ["GROUP_OWNER"] })),
    responses(
        (status = 200, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<ApiKeyIn>,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let id = key_id(&id)?;
    let desc = body.desc.as_deref().map(read_description).transpose()?;
    let roles = body.roles.as_deref().map(read_roles).transpose()?;
    if body.access_list.is_some() {
        return Err(ApiError::InvalidAttribute {
            path: "accessList".to_owned(),
            detail: "accessList cannot be changed by PATCH: use POST and DELETE on .../apiKeys/{apiUserId}/accessList".to_owned(),
        });
    }
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let key = api_keys::update(
        &mut tx,
        &project.id,
        &id,
        desc.as_deref(),
        roles.as_deref(),
        actor.name(),
        now,
    )
    .await?
    .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    let href = key_href(&base, &project.id, &key.id);
    Ok(Json(out(in_project(key, &project.id), href)))
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "removeProjectApiKey",
    summary = "Takes the key out of the project (it stays its organization's).",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
    ),
    responses(
        (status = 204, description = "Done; no body."),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    actor: Actor,
    group_id: GroupId,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let id = key_id(&id)?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let removed = api_keys::remove_from_project(&mut tx, &project.id, &id, actor.name(), now)
        .await?
        .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    if removed.deleted {
        state.access.api_keys.forget(&removed.key.public_key);
    }
    tracing::info!(group_id = %project.id, public_key = %removed.key.public_key, deleted = removed.deleted, "took an API key out of the project");
    Ok(StatusCode::NO_CONTENT)
}

/// An access list entry as answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = AccessListEntry)]
#[serde(rename_all = "camelCase")]
pub struct AccessListOut {
    #[serde(flatten)]
    item: AccessListItem,
    links: Vec<Link>,
}

fn access_list_page(
    key: ApiKey,
    paging: &Paging,
    base: &LinkBase,
    scope: KeyScope<'_>,
) -> Paginated<AccessListOut> {
    let base = scoped_href(base, scope, &key.id);
    paging.page_of(key.access_list.into_iter().map(|item| {
        let href = format!("{base}/accessList/{}", item.cidr_block.replace('/', "%2F"));
        AccessListOut {
            item,
            links: vec![Link {
                rel: "self".to_owned(),
                href,
            }],
        }
    }))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/apiKeys/{apiUserId}/accessList",
    tag = "Programmatic API Keys",
    operation_id = "listApiKeyAccessListEntries",
    summary = "Extension (Atlas has it under /orgs): the addresses the key may be used from.",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<AccessListOut>),
    )
)]
pub async fn access_list(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    group_id: GroupId,
    paging: Paging,
) -> Result<Json<Paginated<AccessListOut>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    list_access(&state, KeyScope::Project(&project.id), &id, &base, &paging).await
}

/// `POST .../accessList` with an array of entries (as Atlas): adds them, answers the whole list (201).
#[utoipa::path(
    post,
    path = "/groups/{groupId}/apiKeys/{apiUserId}/accessList",
    tag = "Programmatic API Keys",
    operation_id = "createApiKeyAccessList",
    summary = "Extension (Atlas has it under /orgs): adds addresses or CIDR blocks; answers the whole list.",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
        super::paging::PagingParams,
    ),
    request_body(content = Vec<AccessListIn>, example = json!([{ "cidrBlock": "10.0.0.0/8" }, { "ipAddress": "192.0.2.7" }])),
    responses(
        (status = 201, description = "OK", body = Paginated<AccessListOut>),
    )
)]
pub async fn add_access_list(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    actor: Actor,
    group_id: GroupId,
    paging: Paging,
    JsonBody(body): JsonBody<Vec<AccessListIn>>,
) -> Result<(StatusCode, Json<Paginated<AccessListOut>>), ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let scope = KeyScope::Project(&project.id);
    add_access(&state, scope, &id, &base, &actor, &paging, &body).await
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}",
    tag = "Programmatic API Keys",
    operation_id = "deleteApiKeyAccessListEntry",
    summary = "Extension (Atlas has it under /orgs): removes one entry.",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
        ("entry" = String, Path, description = "An access list entry: an IP address or a CIDR block, percent-encoded (`10.0.0.0%2F8`).", min_length = 1, example = "10.0.0.0%2F8"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
    )
)]
pub async fn delete_access_list_entry(
    State(state): State<AppState>,
    Path((_, id, entry)): Path<(String, String, String)>,
    actor: Actor,
    group_id: GroupId,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    delete_access(&state, KeyScope::Project(&project.id), &id, entry, &actor).await
}

/// The key's access list, where it is managed.
async fn list_access(
    state: &AppState,
    scope: KeyScope<'_>,
    id: &str,
    base: &LinkBase,
    paging: &Paging,
) -> Result<Json<Paginated<AccessListOut>>, ApiError> {
    let id = key_id(id)?;
    let mut conn = state.pool.acquire().await?;
    let key = api_keys::find_in(&mut conn, scope, &id)
        .await?
        .ok_or(ApiError::ApiKeyNotFound { id })?;
    Ok(Json(access_list_page(key, paging, base, scope)))
}

/// Adds entries to the key's access list, where it is managed (201 with the whole list).
async fn add_access(
    state: &AppState,
    scope: KeyScope<'_>,
    id: &str,
    base: &LinkBase,
    actor: &Actor,
    paging: &Paging,
    body: &[AccessListIn],
) -> Result<(StatusCode, Json<Paginated<AccessListOut>>), ApiError> {
    let id = key_id(id)?;
    let entries = read_entries(body, "")?;
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let key = api_keys::add_access_list(&mut tx, scope, &id, &entries, actor.name(), now_unix())
        .await?
        .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(access_list_page(key, paging, base, scope)),
    ))
}

/// Deletes one entry (percent-encoded in the path) of the key's access list, where it is managed.
async fn delete_access(
    state: &AppState,
    scope: KeyScope<'_>,
    id: &str,
    entry: String,
    actor: &Actor,
) -> Result<StatusCode, ApiError> {
    let id = key_id(id)?;
    let parsed =
        AccessListEntry::parse(&entry).map_err(|error| ApiError::AccessListEntryNotFound {
            entry: entry.clone(),
            reason: Some(error.to_string()),
        })?;
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let deleted =
        api_keys::delete_access_list_entry(&mut tx, scope, &id, &parsed, actor.name(), now_unix())
            .await?
            .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    if !deleted {
        return Err(ApiError::AccessListEntryNotFound {
            entry,
            reason: None,
        });
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organization role of a body's `roles` (organization role names, at least one; the most
/// powerful is kept: a key holds one organization role).
fn read_org_role(roles: &[RoleIn]) -> Result<OrgRole, ApiError> {
    let roles: Vec<&RoleIn> = roles.iter().collect();
    let read = read_role_names(
        &roles,
        OrgRole::from_atlas_name,
        "an organization role (project roles are given by assigning the key to a project)",
        "ORG_OWNER, ORG_GROUP_CREATOR, ORG_READ_ONLY or ORG_MEMBER",
    )?;
    read.into_iter().min().ok_or_else(|| rules(Vec::new()))
}

/// A key just made, as answered: 201, `Cache-Control: no-store`, the key with its private key.
type CreatedAnswer = (
    StatusCode,
    [(header::HeaderName, header::HeaderValue); 1],
    Json<serde_json::Value>,
);

/// The answer to a POST that made a key: 201, the key with its private key (this once), not cached.
fn created_answer(created: api_keys::CreatedKey, href: String) -> Result<CreatedAnswer, ApiError> {
    let mut answer =
        serde_json::to_value(out(created.key, href)).map_err(|e| ApiError::Internal {
            what: format!("cannot serialise an API key: {e}"),
        })?;
    if let Some(object) = answer.as_object_mut() {
        object.insert(
            "privateKey".to_owned(),
            serde_json::Value::from(created.private_key),
        );
    }
    Ok((
        StatusCode::CREATED,
        [(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        )],
        Json(answer),
    ))
}

/// `GET /orgs/{orgId}/apiKeys`.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/apiKeys",
    tag = "Programmatic API Keys",
    operation_id = "listOrganizationApiKeys",
    summary = "The organization's API keys (private keys masked).",
    params(
        super::group_id::OrgPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<ApiKeyOut>),
    )
)]
pub async fn org_list(
    State(state): State<AppState>,
    base: LinkBase,
    org_id: OrgId,
    paging: Paging,
) -> Result<Json<Paginated<ApiKeyOut>>, ApiError> {
    let keys = api_keys::list_in_org(&state.pool, &org_id.0).await?;
    Ok(Json(paging.page_of(keys.into_iter().map(|key| {
        let href = scoped_href(&base, KeyScope::Org(&org_id.0), &key.id);
        out(key, href)
    }))))
}

/// `GET /orgs/{orgId}/apiKeys/{apiUserId}`.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "getOrganizationApiKey",
    summary = "One key of the organization.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
    ),
    responses(
        (status = 200, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn org_get(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    org_id: OrgId,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let id = key_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let scope = KeyScope::Org(&org_id.0);
    let key = api_keys::find_in(&mut conn, scope, &id)
        .await?
        .ok_or(ApiError::ApiKeyNotFound { id })?;
    let href = scoped_href(&base, scope, &key.id);
    Ok(Json(out(key, href)))
}

/// `POST /orgs/{orgId}/apiKeys` `{"desc", "roles": ["ORG_MEMBER"], "accessList"}`: a key of the
/// organization, in no project yet.
#[utoipa::path(
    post,
    path = "/orgs/{orgId}/apiKeys",
    tag = "Programmatic API Keys",
    operation_id = "createOrganizationApiKey",
    summary = "A key of the organization (`roles`: its organization role), in no project yet; the private key is in this answer only.",
    params(
        super::group_id::OrgPath,
    ),
    request_body(content = ApiKeyIn, example = json!({ "desc": "terraform", "roles": ["ORG_MEMBER"] })),
    responses(
        (status = 201, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn org_create(
    State(state): State<AppState>,
    base: LinkBase,
    actor: Actor,
    org_id: OrgId,
    JsonBody(body): JsonBody<ApiKeyIn>,
) -> Result<CreatedAnswer, ApiError> {
    let desc = body
        .desc
        .as_deref()
        .ok_or(ApiError::MissingAttribute { name: "desc" })?;
    let desc = read_description(desc)?;
    let org_role = read_org_role(
        body.roles
            .as_deref()
            .ok_or(ApiError::MissingAttribute { name: "roles" })?,
    )?;
    let entries = read_entries(body.access_list.as_deref().unwrap_or(&[]), "accessList")?;
    let scope = KeyScope::Org(&org_id.0);
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let created = api_keys::insert(
        &mut tx,
        scope,
        &desc,
        &[],
        org_role,
        &entries,
        actor.name(),
        now_unix(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(org_id = %org_id.0, public_key = %created.key.public_key, "created an organization API key");
    let href = scoped_href(&base, scope, &created.key.id);
    created_answer(created, href)
}

/// `PATCH /orgs/{orgId}/apiKeys/{apiUserId}`: the description and/or the organization role.
#[utoipa::path(
    patch,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "updateOrganizationApiKey",
    summary = "Changes the key's description or organization role.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
    ),
    request_body(content = ApiKeyIn, example = json!({ "roles": ["ORG_READ_ONLY"] })),
    responses(
        (status = 200, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn org_patch(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    actor: Actor,
    org_id: OrgId,
    JsonBody(body): JsonBody<ApiKeyIn>,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let id = key_id(&id)?;
    let desc = body.desc.as_deref().map(read_description).transpose()?;
    let org_role = body.roles.as_deref().map(read_org_role).transpose()?;
    if body.access_list.is_some() {
        return Err(ApiError::InvalidAttribute {
            path: "accessList".to_owned(),
            detail: "accessList cannot be changed by PATCH: use POST and DELETE on .../apiKeys/{apiUserId}/accessList".to_owned(),
        });
    }
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let key = api_keys::update_in_org(
        &mut tx,
        &org_id.0,
        &id,
        desc.as_deref(),
        org_role,
        actor.name(),
        now_unix(),
    )
    .await?
    .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    let href = scoped_href(&base, KeyScope::Org(&org_id.0), &key.id);
    Ok(Json(out(key, href)))
}

/// `DELETE /orgs/{orgId}/apiKeys/{apiUserId}`: the key is deleted, from every project.
#[utoipa::path(
    delete,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "deleteOrganizationApiKey",
    summary = "Deletes the key, from every project: it is refused from then on.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
    ),
    responses(
        (status = 204, description = "Done; no body."),
    )
)]
pub async fn org_delete(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    actor: Actor,
    org_id: OrgId,
) -> Result<StatusCode, ApiError> {
    let id = key_id(&id)?;
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    if api_keys::find_in(&mut tx, KeyScope::Org(&org_id.0), &id)
        .await?
        .is_none()
    {
        return Err(ApiError::ApiKeyNotFound { id });
    }
    let removed = api_keys::delete_key(&mut tx, &id, actor.name(), now_unix())
        .await?
        .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    state.access.api_keys.forget(&removed.public_key);
    tracing::info!(org_id = %org_id.0, public_key = %removed.public_key, "deleted an API key");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /orgs/{orgId}/apiKeys/{apiUserId}/accessList`.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
    tag = "Programmatic API Keys",
    operation_id = "listOrganizationApiKeyAccessListEntries",
    summary = "The addresses the key may be used from.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<AccessListOut>),
    )
)]
pub async fn org_access_list(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    org_id: OrgId,
    paging: Paging,
) -> Result<Json<Paginated<AccessListOut>>, ApiError> {
    list_access(&state, KeyScope::Org(&org_id.0), &id, &base, &paging).await
}

/// `POST /orgs/{orgId}/apiKeys/{apiUserId}/accessList`.
#[utoipa::path(
    post,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
    tag = "Programmatic API Keys",
    operation_id = "createOrganizationApiKeyAccessList",
    summary = "Adds addresses or CIDR blocks; answers the whole list.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
        super::paging::PagingParams,
    ),
    request_body(content = Vec<AccessListIn>, example = json!([{ "cidrBlock": "10.0.0.0/8" }])),
    responses(
        (status = 201, description = "OK", body = Paginated<AccessListOut>),
    )
)]
pub async fn org_add_access_list(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    actor: Actor,
    org_id: OrgId,
    paging: Paging,
    JsonBody(body): JsonBody<Vec<AccessListIn>>,
) -> Result<(StatusCode, Json<Paginated<AccessListOut>>), ApiError> {
    let scope = KeyScope::Org(&org_id.0);
    add_access(&state, scope, &id, &base, &actor, &paging, &body).await
}

/// `DELETE /orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}`.
#[utoipa::path(
    delete,
    path = "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}",
    tag = "Programmatic API Keys",
    operation_id = "deleteOrganizationApiKeyAccessListEntry",
    summary = "Removes one entry.",
    params(
        super::group_id::OrgPath,
        ApiKeyPath,
        ("entry" = String, Path, description = "An access list entry: an IP address or a CIDR block, percent-encoded (`10.0.0.0%2F8`).", min_length = 1, example = "10.0.0.0%2F8"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
    )
)]
pub async fn org_delete_access_list_entry(
    State(state): State<AppState>,
    Path((_, id, entry)): Path<(String, String, String)>,
    actor: Actor,
    org_id: OrgId,
) -> Result<StatusCode, ApiError> {
    delete_access(&state, KeyScope::Org(&org_id.0), &id, entry, &actor).await
}

/// An assignment body: `{"roles": [...]}`, or Atlas's array of them (their roles together).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ApiKeyAssignment)]
#[serde(untagged)]
pub enum AssignmentIn {
    One(RolesIn),
    Many(Vec<RolesIn>),
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ApiKeyAssignmentRoles)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolesIn {
    roles: Vec<RoleIn>,
    /// Atlas's `UserAccessRoleAssignment` names the key again; the path's is the one used.
    #[allow(dead_code)]
    api_user_id: Option<String>,
}

/// `POST /groups/{groupId}/apiKeys/{apiUserId}`: assigns a key of the project's organization to the
/// project with these project roles (replacing any it had here).
#[utoipa::path(
    post,
    path = "/groups/{groupId}/apiKeys/{apiUserId}",
    tag = "Programmatic API Keys",
    operation_id = "addProjectApiKey",
    summary = "Assigns a key of the project's organization to the project with these project roles.",
    params(
        super::group_id::GroupPath,
        ApiKeyPath,
    ),
    request_body(content = AssignmentIn, example = json!({ "roles": ["GROUP_READ_ONLY"] })),
    responses(
        (status = 200, description = "OK", body = ApiKeyOut),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    base: LinkBase,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<AssignmentIn>,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let id = key_id(&id)?;
    let roles: Vec<RoleIn> = match body {
        AssignmentIn::One(one) => one.roles,
        AssignmentIn::Many(many) => many.into_iter().flat_map(|one| one.roles).collect(),
    };
    let roles = read_roles(&roles)?;
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    if api_keys::find_in(&mut tx, KeyScope::Org(&project.org_id), &id)
        .await?
        .is_none()
    {
        return Err(ApiError::ApiKeyNotFound { id });
    }
    let key = api_keys::assign(&mut tx, &project.id, &id, &roles, actor.name(), now_unix())
        .await?
        .ok_or_else(|| ApiError::ApiKeyNotFound { id: id.clone() })?;
    tx.commit().await?;
    let href = key_href(&base, &project.id, &key.id);
    Ok(Json(out(in_project(key, &project.id), href)))
}

/// The `{apiUserId}` path parameter, for the OpenAPI document (`params(ApiKeyPath)`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct ApiKeyPath {
    /// The API key's ID (24 hexadecimal characters).
    #[param(
        rename = "apiUserId",
        min_length = 1,
        example = "6a1b2c3d4e5f6a7b8c9d0e3b"
    )]
    api_user_id: String,
}
