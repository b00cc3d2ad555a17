//! Organizations: `GET /orgs`, `GET /orgs/{orgId}`, `GET /orgs/{orgId}/events`; and the console's
//! organization page and access (`/api/console/orgs/{orgId}/projects`, `.../accounts`).
//!
//! A caller sees the organizations where it has an organization role; any other answers 404
//! `ORG_NOT_FOUND` (the guard, for every `{orgId}` route). Changing the organization (its members'
//! roles) needs `ORG_OWNER` (the guard too).

use access_core::api::{OrgMember, Organization, Paginated, ProjectSummary};
use access_core::org_role::OrgRole;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::caller::{Actor, Principal};
use super::group_id::OrgId;
use super::{ApiError, AppState, JsonBody, Paging};
use crate::storage::organizations::{self, StoredOrgEvent};
use crate::storage::{begin_write, now_unix, projects};

fn organization(org: organizations::Organization) -> Organization {
    Organization {
        id: org.id,
        name: org.name,
        is_deleted: false,
    }
}

/// `GET /orgs`: the caller's organizations, oldest first.
#[utoipa::path(
    get,
    path = "/orgs",
    tag = "Organizations",
    operation_id = "listOrganizations",
    summary = "The organizations where the caller has a role.",
    params(
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<Organization>),
        (status = 400, description = "Bad Request"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    paging: Paging,
) -> Result<Json<Paginated<Organization>>, ApiError> {
    let ids: Vec<&str> = principal.org_roles.keys().map(String::as_str).collect();
    let found = organizations::find_all(&state.pool, &ids).await?;
    let total = u64::try_from(found.len()).unwrap_or(u64::MAX);
    let page = found
        .into_iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.items_per_page).unwrap_or(usize::MAX))
        .map(organization)
        .collect();
    Ok(Json(paging.envelope(page, total)))
}

/// `GET /orgs/{orgId}`.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}",
    tag = "Organizations",
    operation_id = "getOrganization",
    summary = "One organization.",
    params(
        super::group_id::OrgPath,
    ),
    responses(
        (status = 200, description = "OK", body = Organization),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    org_id: OrgId,
) -> Result<Json<Organization>, ApiError> {
    let org = organizations::find(&state.pool, &org_id.0)
        .await?
        .ok_or(ApiError::OrgNotFound { org_id: org_id.0 })?;
    Ok(Json(organization(org)))
}

/// An organization event in the API shape (as a project's, with `orgId`; `groupId` when it is about a
/// project).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgEvent {
    pub id: String,
    #[schema(format = DateTime)]
    pub created: String,
    pub event_type_name: String,
    pub org_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    pub username: String,
    pub target: String,
    #[schema(value_type = access_core::api::EventDiff)]
    pub diff: serde_json::Value,
}

/// An organization event in the API shape.
fn org_event(org_id: &str, event: StoredOrgEvent) -> OrgEvent {
    OrgEvent {
        id: event.id,
        created: event.created_at,
        event_type_name: event.event_type_name,
        org_id: org_id.to_owned(),
        group_id: event.group_id,
        username: event.actor,
        target: event.target,
        diff: serde_json::from_str(&event.detail)
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default())),
    }
}

/// `GET /orgs/{orgId}/events/{eventId}`.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/events/{eventId}",
    tag = "Organizations",
    operation_id = "getOrganizationEvent",
    summary = "One event of the organization.",
    params(
        super::group_id::OrgPath,
        ("eventId" = String, Path, description = "An event's ID.", min_length = 1, example = "5f1a2b3c4d5e6f7a8b9c0d20"),
    ),
    responses(
        (status = 200, description = "OK", body = OrgEvent),
        (status = 404, description = "Not Found"),
    )
)]
pub async fn event(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    org_id: OrgId,
) -> Result<Json<OrgEvent>, ApiError> {
    let event = organizations::event(&state.pool, &org_id.0, &id)
        .await?
        .ok_or(ApiError::EventNotFound { id })?;
    Ok(Json(org_event(&org_id.0, event)))
}

/// `GET /orgs/{orgId}/events`: newest first.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/events",
    tag = "Organizations",
    operation_id = "listOrganizationEvents",
    summary = "The organization's events (projects created, renamed, deleted; members' roles; its API keys), newest first.",
    params(
        super::group_id::OrgPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<OrgEvent>),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    org_id: OrgId,
    paging: Paging,
) -> Result<Json<Paginated<OrgEvent>>, ApiError> {
    let (events, total) = organizations::events(
        &state.pool,
        &org_id.0,
        paging.offset(),
        paging.items_per_page,
    )
    .await?;
    let results = events
        .into_iter()
        .map(|event| org_event(&org_id.0, event))
        .collect();
    Ok(Json(paging.envelope(results, total)))
}

/// `GET /api/console/orgs/{orgId}/projects`: every project of the organization the caller may see, by
/// name, with what the organization page shows (one query for the counts; each CA bundle's size and
/// soonest expiry from [`super::user_security::Inspections::facts`], inspected once per bundle).
pub async fn project_summaries(
    State(state): State<AppState>,
    principal: Principal,
    org_id: OrgId,
) -> Result<Json<Paginated<ProjectSummary>>, ApiError> {
    let rows = projects::counts_in_org(&state.pool, principal.viewer(), &org_id.0).await?;
    let bundles: Vec<&str> = rows
        .iter()
        .map(|row| row.cas_pem.as_deref().unwrap_or(""))
        .collect();
    let facts = state.inspections.facts(&bundles, now_unix()).await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let results: Vec<ProjectSummary> = rows
        .into_iter()
        .zip(facts)
        .map(|(row, (ca_count, soonest_ca_expiry))| {
            let role = principal.role_in(&row.id, &org_id.0);
            ProjectSummary {
                role_name: role.map_or("", |r| r.atlas_name()).to_owned(),
                ca_count,
                soonest_ca_expiry,
                id: row.id,
                name: row.name,
                created: row.created_at,
                cluster_count: u32::try_from(row.cluster_count).unwrap_or(u32::MAX),
                database_user_count: count(row.database_user_count),
                custom_role_count: count(row.custom_role_count),
                open_alert_count: count(row.open_alert_count),
            }
        })
        .collect();
    Ok(Json(all_of(results)))
}

fn member(m: organizations::Member) -> OrgMember {
    OrgMember {
        username: m.username,
        org_role: m.role_name,
        created: m.created_at,
    }
}

/// `GET /api/console/orgs/{orgId}/accounts`.
pub async fn members(
    State(state): State<AppState>,
    org_id: OrgId,
) -> Result<Json<Paginated<OrgMember>>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let results: Vec<OrgMember> = organizations::members(&mut conn, &org_id.0)
        .await?
        .into_iter()
        .map(member)
        .collect();
    Ok(Json(all_of(results)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberPatch {
    org_role: String,
}

/// `PATCH /api/console/orgs/{orgId}/accounts/{username}`: the account's organization role
/// (`ORG_OWNER` only, by the guard); the last owner cannot be demoted.
pub async fn patch_member(
    State(state): State<AppState>,
    Path((_, username)): Path<(String, String)>,
    org_id: OrgId,
    actor: Actor,
    JsonBody(body): JsonBody<MemberPatch>,
) -> Result<Json<OrgMember>, ApiError> {
    let role = OrgRole::from_atlas_name(&body.org_role).ok_or(ApiError::UnknownOrgRole {
        role: body.org_role,
    })?;
    let mut tx = begin_write(&state.pool).await?;
    let key = crate::storage::accounts::username_key(&username);
    let found = organizations::members(&mut tx, &org_id.0)
        .await?
        .into_iter()
        .find(|m| crate::storage::accounts::username_key(&m.username) == key)
        .ok_or_else(|| ApiError::AccountNotFound {
            username: username.clone(),
        })?;
    if found.role_name != role.atlas_name() {
        if found.role_name == OrgRole::Owner.atlas_name()
            && organizations::owner_count(&mut tx, &org_id.0).await? <= 1
        {
            return Err(ApiError::LastOrgOwner {
                username: found.username,
            });
        }
        organizations::set_role(&mut tx, &org_id.0, &found, role, actor.name(), now_unix()).await?;
    }
    tx.commit().await?;
    Ok(Json(OrgMember {
        org_role: role.atlas_name().to_owned(),
        ..member(found)
    }))
}

/// Every item in one answer (the console's organization lists are not paged).
fn all_of<T>(results: Vec<T>) -> Paginated<T> {
    Paginated {
        total_count: Some(u64::try_from(results.len()).unwrap_or(u64::MAX)),
        results,
        links: Vec::new(),
    }
}
