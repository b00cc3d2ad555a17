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
    let results = projects::list(&state.pool, paging.offset(), paging.items_per_page).await?;
    Ok(Json(Paginated {
        results: results.into_iter().map(group).collect(),
        total_count: paging.include_count.then_some(total),
        links: paging.links(total),
    }))
}

pub async fn get(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Json<Group>, ApiError> {
    Ok(Json(group(find(&state, &group_id).await?)))
}

/// The project with that ID, or `GROUP_NOT_FOUND`.
pub async fn find(state: &AppState, group_id: &GroupId) -> Result<Project, ApiError> {
    projects::find(&state.pool, &group_id.0)
        .await?
        .ok_or_else(|| ApiError::GroupNotFound {
            group_id: group_id.0.clone(),
        })
}

fn group(project: Project) -> Group {
    Group {
        id: project.id,
        name: project.name,
        org_id: project.org_id,
        created: project.created_at,
        cluster_count: 0,
    }
}
