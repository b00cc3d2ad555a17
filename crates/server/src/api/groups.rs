//! `GET /groups` and `GET /groups/{groupId}`: projects.

use access_core::api::{Group, Paginated};
use axum::extract::State;
use axum::Json;

use super::{ApiError, AppState, GroupId, Paging};
use crate::storage::projects::{self, Project};

pub async fn list(
    State(state): State<AppState>,
    paging: Paging,
) -> Result<Json<Paginated<Group>>, ApiError> {
    let total = projects::count(&state.pool).await?;
    let projects = projects::list(&state.pool, paging.offset(), paging.items_per_page).await?;
    let mut results = Vec::with_capacity(projects.len());
    for project in projects {
        results.push(group(&state, project).await?);
    }
    Ok(Json(paging.envelope(results, total)))
}

pub async fn get(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Json<Group>, ApiError> {
    let project = find(&state, &group_id).await?;
    Ok(Json(group(&state, project).await?))
}

/// The project with that ID, or `GROUP_NOT_FOUND`.
pub async fn find(state: &AppState, group_id: &GroupId) -> Result<Project, ApiError> {
    projects::find(&state.pool, &group_id.0)
        .await?
        .ok_or_else(|| ApiError::GroupNotFound {
            group_id: group_id.0.clone(),
        })
}

async fn group(state: &AppState, project: Project) -> Result<Group, ApiError> {
    let clusters = crate::storage::clusters::count(&state.pool, &project.id).await?;
    Ok(Group {
        id: project.id,
        name: project.name,
        org_id: project.org_id,
        created: project.created_at,
        cluster_count: u32::try_from(clusters).unwrap_or(u32::MAX),
    })
}
