//! Projects ("groups" in the Atlas API): `GET|POST /groups`, `GET|PATCH|DELETE /groups/{groupId}`,
//! `GET /groups/byName/{groupName}`.
//!
//! A caller sees only the projects where it has a role (its own, or one its organization role gives:
//! [`access_core::org_role`]); any other answers 404 `GROUP_NOT_FOUND`, as one that does not exist
//! (the guard does that for every `{groupId}` route; the list and `byName` filter the same way).

use access_core::api::{Group, GroupNameChange, NewGroup, Paginated};
use access_core::project_name::validate_project_name;
use access_core::project_role::ProjectRole;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::caller::{Actor, Principal, PrincipalKind};
use super::clusters::rules;
use super::group_id::OrgId;
use super::{ApiError, AppState, GroupId, JsonBody, Paging};
use crate::storage::projects::{self, Project};
use crate::storage::{self, begin_write, now_unix};

/// `GET /groups`: the projects the caller may see, oldest first.
#[utoipa::path(
    get,
    path = "/groups",
    tag = "Projects",
    operation_id = "listProjects",
    summary = "The projects the caller may see.",
    params(
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<Group>),
        (status = 400, description = "Bad Request"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    paging: Paging,
) -> Result<Json<Paginated<Group>>, ApiError> {
    visible(&state, &principal, None, &paging).await
}

/// `GET /orgs/{orgId}/groups`: the projects of the organization the caller may see.
#[utoipa::path(
    get,
    path = "/orgs/{orgId}/groups",
    tag = "Organizations",
    operation_id = "listOrganizationProjects",
    summary = "The organization's projects the caller may see.",
    params(
        super::group_id::OrgPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<Group>),
    )
)]
pub async fn list_in_org(
    State(state): State<AppState>,
    principal: Principal,
    org_id: OrgId,
    paging: Paging,
) -> Result<Json<Paginated<Group>>, ApiError> {
    visible(&state, &principal, Some(&org_id.0), &paging).await
}

/// One page of the projects the caller may see (in `org_id`, if given).
async fn visible(
    state: &AppState,
    principal: &Principal,
    org_id: Option<&str>,
    paging: &Paging,
) -> Result<Json<Paginated<Group>>, ApiError> {
    let (projects, total) = projects::list_visible(
        &state.pool,
        principal.viewer(),
        org_id,
        paging.offset(),
        paging.items_per_page,
    )
    .await?;
    let results = projects
        .into_iter()
        .map(|listed| group_of(listed.project, listed.cluster_count))
        .collect();
    Ok(Json(paging.envelope(results, total)))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}",
    tag = "Projects",
    operation_id = "getProject",
    summary = "One project.",
    params(
        super::group_id::GroupPath,
    ),
    responses(
        (status = 200, description = "OK", body = Group),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Json<Group>, ApiError> {
    let project = find(&state, &group_id).await?;
    Ok(Json(group(&state, project).await?))
}

/// `GET /groups/byName/{groupName}`.
#[utoipa::path(
    get,
    path = "/groups/byName/{groupName}",
    tag = "Projects",
    operation_id = "getProjectByName",
    summary = "The project of that name.",
    params(
        ("groupName" = String, Path, description = "The project's name.", min_length = 1, example = "Project 0"),
    ),
    responses(
        (status = 200, description = "OK", body = Group),
        (status = 404, description = "Not Found"),
    )
)]
pub async fn get_by_name(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<Group>, ApiError> {
    let project = projects::find_visible_by_name(&state.pool, principal.viewer(), &name)
        .await?
        .ok_or(ApiError::GroupNameNotFound { name })?;
    Ok(Json(group(&state, project).await?))
}

/// `POST /groups`: a new project in an organization where the caller may create projects; the caller
/// becomes its Project Owner.
#[utoipa::path(
    post,
    path = "/groups",
    tag = "Projects",
    operation_id = "createProject",
    summary = "A new project in an organization (ORG_OWNER or ORG_GROUP_CREATOR there); the caller becomes its Project Owner.",
    request_body(content = NewGroup, example = json!({ "name": "staging-eu", "orgId": "5f1a2b3c4d5e6f7a8b9c0d1f" })),
    responses(
        (status = 201, description = "OK", body = Group),
        (status = 404, description = "Not Found"),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    actor: Actor,
    JsonBody(body): JsonBody<NewGroup>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    validate_project_name(&body.name).map_err(|e| rules(&[e]))?;
    let org_id = match &body.org_id {
        Some(org_id) => OrgId::parse(org_id)?.0,
        None => match principal.org_roles.keys().collect::<Vec<_>>()[..] {
            [only] => only.clone(),
            _ => return Err(ApiError::OrgIdRequired),
        },
    };
    let role = principal
        .org_roles
        .get(&org_id)
        .copied()
        .ok_or_else(|| ApiError::OrgNotFound {
            org_id: org_id.clone(),
        })?;
    if !role.may_create_projects() {
        return Err(ApiError::InsufficientOrgRole { role });
    }
    let now = now_unix();
    let mut tx = begin_write(&state.pool).await?;
    if projects::name_taken(&mut tx, &org_id, &body.name, None).await? {
        return Err(ApiError::GroupAlreadyExists { name: body.name });
    }
    let id = projects::insert(&mut tx, &org_id, &body.name, now).await?;
    let project = projects::find_in(&mut tx, &id)
        .await?
        .ok_or_else(|| ApiError::Internal {
            what: "the project just inserted is missing".to_owned(),
        })?;
    projects::record_created(&mut tx, &project, actor.name(), now).await?;
    match &principal.kind {
        PrincipalKind::Session { account_id, .. } => {
            let account = storage::accounts::find_by_id(&mut tx, account_id)
                .await?
                .ok_or(ApiError::SessionExpired)?;
            storage::accounts::set_role(
                &mut tx,
                &account,
                &project.id,
                ProjectRole::Owner,
                actor.name(),
                now,
            )
            .await?;
        }
        PrincipalKind::ApiKey { id } => {
            storage::api_keys::set_roles(&mut tx, id, &project.id, &[ProjectRole::Owner]).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(group_id = %project.id, org_id = %project.org_id, name = %project.name, "created a project");
    Ok((StatusCode::CREATED, Json(group(&state, project).await?)))
}

/// `PATCH /groups/{groupId}`: renames the project (Project Owner).
#[utoipa::path(
    patch,
    path = "/groups/{groupId}",
    tag = "Projects",
    operation_id = "updateProject",
    summary = "Renames the project (Project Owner).",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = GroupNameChange, example = json!({ "name": "production-eu" })),
    responses(
        (status = 200, description = "OK", body = Group),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn rename(
    State(state): State<AppState>,
    group_id: GroupId,
    actor: Actor,
    JsonBody(body): JsonBody<GroupNameChange>,
) -> Result<Json<Group>, ApiError> {
    validate_project_name(&body.name).map_err(|e| rules(&[e]))?;
    let mut tx = begin_write(&state.pool).await?;
    let project = find_in(&mut tx, &group_id).await?;
    if project.name != body.name {
        if projects::name_taken(&mut tx, &project.org_id, &body.name, Some(&project.id)).await? {
            return Err(ApiError::GroupAlreadyExists { name: body.name });
        }
        projects::rename(&mut tx, &project, &body.name, actor.name(), now_unix()).await?;
    }
    tx.commit().await?;
    let project = find(&state, &group_id).await?;
    Ok(Json(group(&state, project).await?))
}

/// `DELETE /groups/{groupId}`: refused while the project has clusters (as Atlas); otherwise the project
/// goes with everything in it, in one transaction.
#[utoipa::path(
    delete,
    path = "/groups/{groupId}",
    tag = "Projects",
    operation_id = "deleteProject",
    summary = "Deletes the project with everything in it; refused while it has clusters (409).",
    params(
        super::group_id::GroupPath,
    ),
    responses(
        (status = 204, description = "Done; no body."),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    group_id: GroupId,
    actor: Actor,
) -> Result<StatusCode, ApiError> {
    let mut tx = begin_write(&state.pool).await?;
    let project = find_in(&mut tx, &group_id).await?;
    let clusters = storage::clusters::count_in(&mut tx, &project.id).await?;
    if clusters > 0 {
        return Err(ApiError::GroupHasClusters { clusters });
    }
    projects::delete(&mut tx, &project, actor.name(), now_unix()).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, name = %project.name, "deleted a project");
    Ok(StatusCode::NO_CONTENT)
}

/// The project with that ID, or `GROUP_NOT_FOUND`.
pub async fn find(state: &AppState, group_id: &GroupId) -> Result<Project, ApiError> {
    let mut conn = state.pool.acquire().await?;
    find_in(&mut conn, group_id).await
}

/// [`find`], with the version of what the project's lists show (its newest event's sequence number:
/// see [`super::page_cache`]), in the same query.
pub async fn find_with_version(
    state: &AppState,
    group_id: &GroupId,
) -> Result<(Project, i64), ApiError> {
    projects::find_with_last_event(&state.pool, &group_id.0)
        .await?
        .ok_or_else(|| ApiError::GroupNotFound {
            group_id: group_id.0.clone(),
        })
}

/// [`find`] on a transaction's connection.
async fn find_in(conn: &mut sqlx::AnyConnection, group_id: &GroupId) -> Result<Project, ApiError> {
    projects::find_in(conn, &group_id.0)
        .await?
        .ok_or_else(|| ApiError::GroupNotFound {
            group_id: group_id.0.clone(),
        })
}

async fn group(state: &AppState, project: Project) -> Result<Group, ApiError> {
    let clusters = crate::storage::clusters::count(&state.pool, &project.id).await?;
    Ok(group_of(
        project,
        i64::try_from(clusters).unwrap_or(i64::MAX),
    ))
}

fn group_of(project: Project, clusters: i64) -> Group {
    Group {
        id: project.id,
        name: project.name,
        org_id: project.org_id,
        created: project.created_at,
        cluster_count: u32::try_from(clusters).unwrap_or(u32::MAX),
    }
}
