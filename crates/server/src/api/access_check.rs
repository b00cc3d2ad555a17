//! `POST /groups/{groupId}/accessCheck` (an extension): will this certificate (or distinguished name) get
//! in, as which database user, and may it run this operation? The rules are core's
//! [`access_core::access_check`]; this handler reads what they need from the project. It changes nothing
//! and records no event; every project role may call it.

use access_core::access_check::{
    self, check_request, username_of, AccessCheckAnswer, AccessCheckRequest, ProjectData,
    RequestError,
};
use access_core::field_issue::FieldError as _;
use axum::extract::State;
use axum::Json;
use sqlx::AnyPool;

use super::{groups, ApiError, AppState, GroupId, JsonBody};
use crate::storage::{clusters, custom_roles, database_users, now_unix, x509_settings};

/// The database certificate users live in.
const EXTERNAL: &str = "$external";

fn refused(error: RequestError) -> ApiError {
    match error {
        RequestError::UnknownCluster(name) => ApiError::ClusterNotFound { name },
        other => ApiError::Rules {
            code: other.error_code(),
            issues: vec![other.to_issue()],
        },
    }
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/accessCheck",
    tag = "Access Check",
    operation_id = "checkAccess",
    summary = "Extension: whether a client certificate (or a distinguished name) would connect, as which database user, and whether it may run the given actions. Changes nothing, records no event; every project role may call it.",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = AccessCheckRequest, example = json!({ "username": "CN=app,OU=billing,O=Acme", "actions": ["FIND"], "database": "sales", "collection": "orders" })),
    responses(
        (status = 200, description = "OK", body = AccessCheckAnswer),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    group_id: GroupId,
    JsonBody(body): JsonBody<AccessCheckRequest>,
) -> Result<Json<AccessCheckAnswer>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    run(&state.pool, &project.id, &body, now_unix())
        .await
        .map(Json)
}

/// The check of `request` in the project `project_id` at `now`, read from the database (the API and
/// `access-console check` both call it).
pub async fn run(
    pool: &AnyPool,
    project_id: &str,
    request: &AccessCheckRequest,
    now: i64,
) -> Result<AccessCheckAnswer, ApiError> {
    let mut conn = pool.acquire().await?;
    let project_clusters = clusters::list(&mut conn, project_id).await?;
    let checked = check_request(request, &project_clusters).map_err(refused)?;
    let username = username_of(&checked, now);
    let user = match &username {
        Some(name) => {
            database_users::find_including_expired(&mut conn, project_id, EXTERNAL, name).await?
        }
        None => None,
    };
    // The nearest users are looked for only when no user has the name.
    let usernames = if user.is_none() && username.is_some() {
        database_users::usernames(&mut conn, project_id, EXTERNAL).await?
    } else {
        Vec::new()
    };
    let roles = custom_roles::list(&mut conn, project_id).await?;
    let settings = x509_settings::find_in(&mut conn, project_id).await?;
    drop(conn);
    let bundle = settings.as_ref().and_then(|s| s.active_bundle());
    let users: Vec<_> = user.into_iter().collect();
    Ok(access_check::check(
        &checked,
        &ProjectData {
            ca_bundle: bundle,
            clusters: &project_clusters,
            custom_roles: &roles,
            users: &users,
            usernames: &usernames,
        },
        now,
    ))
}
