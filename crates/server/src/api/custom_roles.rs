//! `GET|POST /groups/{groupId}/customDBRoles/roles`, `GET|PATCH|DELETE .../roles/{roleName}` (Atlas), and
//! the extension `GET .../roles/{roleName}/effectivePrivileges`.
//!
//! Every rule is the core's ([`access_core::custom_role`]): a refused request answers the first broken
//! rule's `errorCode` and status, and lists every broken rule, with its field, in `errors`. As in Atlas:
//! the list is a bare JSON array (no envelope, no paging), ordered by `roleName`; POST answers 200 with
//! the role; PATCH replaces `actions` and/or `inheritedRoles` and never renames; DELETE answers 204.
//! Each change writes its event (`MONGODB_ROLE_ADDED`/`UPDATED`/`DELETED`) in its own transaction.

use access_core::custom_role::{
    apply_update, check_delete, detach_deleted_role, effective_privileges, validate_custom_role,
    ActionResource, CustomDbRole, CustomDbRoleUpdate, CustomRoleError, CustomRoleErrorKind,
    EffectivePrivilege, InheritedRole, Mode, Project, RoleAction,
};
use access_core::database_user::UserRole;
use access_core::etag::of_custom_role;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::caller::Actor;
use super::etag::{Precondition, Tagged};
use super::{groups, ApiError, AppState, GroupId, JsonBody};
use crate::storage::events::{self, Diff, EventType};
use crate::storage::{clusters, custom_roles, now_unix};

/// The `{roleName}` path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleName(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RoleName {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        #[derive(Deserialize)]
        struct Params {
            #[serde(rename = "roleName")]
            role_name: String,
        }
        match Path::<Params>::from_request_parts(parts, state).await {
            Ok(Path(params)) => Ok(Self(params.role_name)),
            // Percent-encoding that is not UTF-8: no role has such a name.
            Err(_) => Err(refused(vec![not_found("(not UTF-8)")])),
        }
    }
}

/// A POST body: the Atlas role. Unknown attributes are refused; missing ones read as empty, so that the
/// rules name them (`ROLE_NAME_REQUIRED`, `ACTION_REQUIRED`, ...).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = CustomDbRoleRequest)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRole {
    #[serde(default)]
    role_name: String,
    #[serde(default)]
    actions: Vec<ActionBody>,
    #[serde(default)]
    inherited_roles: Vec<InheritedBody>,
}

/// A PATCH body: what is absent (or null) stays as it was.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = CustomDbRoleUpdate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleUpdate {
    #[serde(default)]
    role_name: Option<String>,
    #[serde(default)]
    actions: Option<Vec<ActionBody>>,
    #[serde(default)]
    inherited_roles: Option<Vec<InheritedBody>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = CustomDbRoleActionRequest)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    #[serde(default)]
    action: String,
    #[serde(default)]
    resources: Vec<ResourceBody>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = CustomDbRoleResourceRequest)]
#[serde(deny_unknown_fields)]
struct ResourceBody {
    #[serde(default)]
    db: Option<String>,
    #[serde(default)]
    collection: Option<String>,
    #[serde(default)]
    cluster: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = InheritedRoleRequest)]
#[serde(deny_unknown_fields)]
struct InheritedBody {
    #[serde(default)]
    role: String,
    #[serde(default)]
    db: String,
}

fn actions(body: Vec<ActionBody>) -> Vec<RoleAction> {
    body.into_iter()
        .map(|a| RoleAction {
            action: a.action,
            resources: a
                .resources
                .into_iter()
                .map(|r| ActionResource {
                    db: r.db,
                    collection: r.collection,
                    cluster: r.cluster,
                })
                .collect(),
        })
        .collect()
}

fn inherited(body: Vec<InheritedBody>) -> Vec<InheritedRole> {
    body.into_iter()
        .map(|r| InheritedRole::new(r.role, r.db))
        .collect()
}

impl From<NewRole> for CustomDbRole {
    fn from(body: NewRole) -> Self {
        Self {
            role_name: body.role_name,
            actions: actions(body.actions),
            inherited_roles: inherited(body.inherited_roles),
        }
    }
}

impl From<RoleUpdate> for CustomDbRoleUpdate {
    fn from(body: RoleUpdate) -> Self {
        Self {
            role_name: body.role_name,
            actions: body.actions.map(actions),
            inherited_roles: body.inherited_roles.map(inherited),
        }
    }
}

/// `GET .../effectivePrivileges`: everything the role grants once inheritance is flattened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EffectivePrivileges {
    pub role_name: String,
    pub privileges: Vec<EffectivePrivilege>,
}

/// The refusal for rule errors (never empty in practice; an empty list is a server fault).
pub(crate) fn refused(errors: Vec<CustomRoleError>) -> ApiError {
    let mut errors = errors.into_iter();
    match errors.next() {
        Some(first) => ApiError::CustomRole {
            first: Box::new(first),
            more: errors.collect(),
        },
        None => ApiError::Internal {
            what: "a custom role was refused without a reason".to_owned(),
        },
    }
}

fn not_found(role_name: &str) -> CustomRoleError {
    CustomRoleError::new(
        "roleName",
        CustomRoleErrorKind::NotFound(role_name.to_owned()),
    )
}

/// [`crate::storage::begin_write`], with the API's error.
async fn begin_write(state: &AppState) -> Result<sqlx::Transaction<'static, sqlx::Any>, ApiError> {
    Ok(crate::storage::begin_write(&state.pool).await?)
}

fn find_in(roles: &[CustomDbRole], role_name: &str) -> Result<CustomDbRole, ApiError> {
    roles
        .iter()
        .find(|r| r.role_name == role_name)
        .cloned()
        .ok_or_else(|| refused(vec![not_found(role_name)]))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/customDBRoles/roles",
    tag = "Custom Database Roles",
    operation_id = "listCustomDatabaseRoles",
    summary = "Every custom role, ordered by name (a bare array, as Atlas).",
    params(
        super::group_id::GroupPath,
    ),
    responses(
        (status = 200, description = "OK", body = Vec<CustomDbRole>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Json<Vec<CustomDbRole>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(custom_roles::list(&mut conn, &project.id).await?))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/customDBRoles/roles/{roleName}",
    tag = "Custom Database Roles",
    operation_id = "getCustomDatabaseRole",
    summary = "One custom role.",
    params(
        super::group_id::GroupPath,
        ("roleName" = String, Path, description = "The custom role's name.", min_length = 1, example = "analyst"),
    ),
    responses(
        (status = 200, description = "OK", body = CustomDbRole),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    group_id: GroupId,
    RoleName(role_name): RoleName,
) -> Result<Tagged<CustomDbRole>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let roles = custom_roles::list(&mut conn, &project.id).await?;
    let role = find_in(&roles, &role_name)?;
    Ok(Tagged(of_custom_role(&role), role))
}

/// 412 unless `role` meets the request's `If-Match`.
fn check_unchanged(precondition: &Precondition, role: &CustomDbRole) -> Result<(), ApiError> {
    precondition.check(&of_custom_role(role), || {
        format!("custom role {}", role.role_name)
    })
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/customDBRoles/roles",
    tag = "Custom Database Roles",
    operation_id = "createCustomDatabaseRole",
    summary = "Adds a custom role.",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = NewRole, example = json!({ "roleName": "reporting", "actions": [{ "action": "FIND", "resources": [{ "db": "sales", "collection": "orders" }] }], "inheritedRoles": [{ "role": "read", "db": "reports" }] })),
    responses(
        (status = 200, description = "OK", body = CustomDbRole),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<NewRole>,
) -> Result<Tagged<CustomDbRole>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let role = CustomDbRole::from(body);
    let now = now_unix();
    let mut tx = begin_write(&state).await?;
    let roles = custom_roles::list(&mut tx, &project.id).await?;
    let clusters = clusters::list(&mut tx, &project.id).await?;
    let project_rules = Project {
        roles: &roles,
        clusters: &clusters,
    };
    if let Err(errors) = validate_custom_role(&role, &project_rules, Mode::Create) {
        log_refusal(&project.id, &errors);
        return Err(refused(errors));
    }
    if let Err(error) = custom_roles::insert(&mut tx, &project.id, &role, now).await {
        return Err(if custom_roles::is_duplicate(&error) {
            refused(vec![CustomRoleError::new(
                "roleName",
                CustomRoleErrorKind::NameTaken(role.role_name.clone()),
            )])
        } else {
            error.into()
        });
    }
    let diff = Diff {
        before: None,
        after: Some(&role),
    };
    events::record(
        &mut tx,
        &project.id,
        EventType::MongodbRoleAdded,
        actor.name(),
        &role.role_name,
        &diff,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, role = %role.role_name, "added a custom role");
    Ok(Tagged(of_custom_role(&role), role))
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/customDBRoles/roles/{roleName}",
    tag = "Custom Database Roles",
    operation_id = "updateCustomDatabaseRole",
    summary = "Replaces `actions` and/or `inheritedRoles`; never renames.",
    params(
        super::group_id::GroupPath,
        ("roleName" = String, Path, description = "The custom role's name.", min_length = 1, example = "analyst"),
    ),
    request_body(content = RoleUpdate, example = json!({ "inheritedRoles": [{ "role": "read", "db": "sales" }] })),
    responses(
        (status = 200, description = "OK", body = CustomDbRole),
        (status = 409, description = "Conflict"),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    RoleName(role_name): RoleName,
    precondition: Precondition,
    JsonBody(body): JsonBody<RoleUpdate>,
) -> Result<Tagged<CustomDbRole>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let update = CustomDbRoleUpdate::from(body);
    let now = now_unix();
    let mut tx = begin_write(&state).await?;
    let roles = custom_roles::list(&mut tx, &project.id).await?;
    let existing = find_in(&roles, &role_name)?;
    check_unchanged(&precondition, &existing)?;
    let role = apply_update(&existing, &update).map_err(|e| refused(vec![e]))?;
    let clusters = clusters::list(&mut tx, &project.id).await?;
    let project_rules = Project {
        roles: &roles,
        clusters: &clusters,
    };
    if let Err(errors) = validate_custom_role(&role, &project_rules, Mode::Update) {
        log_refusal(&project.id, &errors);
        return Err(refused(errors));
    }
    if !custom_roles::update(&mut tx, &project.id, &role, now).await? {
        return Err(refused(vec![not_found(&role_name)]));
    }
    record_update(&mut tx, &project.id, &existing, &role, actor.name(), now).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, role = %role.role_name, "updated a custom role");
    Ok(Tagged(of_custom_role(&role), role))
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/customDBRoles/roles/{roleName}",
    tag = "Custom Database Roles",
    operation_id = "deleteCustomDatabaseRole",
    summary = "Removes the role unless a role or user would be left with nothing.",
    params(
        super::group_id::GroupPath,
        ("roleName" = String, Path, description = "The custom role's name.", min_length = 1, example = "analyst"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
        (status = 409, description = "Conflict"),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    RoleName(role_name): RoleName,
    precondition: Precondition,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = begin_write(&state).await?;
    let roles = custom_roles::list(&mut tx, &project.id).await?;
    let existing = find_in(&roles, &role_name)?;
    check_unchanged(&precondition, &existing)?;
    let users = custom_roles::users_holding(&mut tx, &project.id, &role_name).await?;
    if let Err(errors) = check_delete(&role_name, &roles, &users) {
        log_refusal(&project.id, &errors);
        return Err(refused(errors));
    }
    // Roles and users that keep other roles lose the reference to the deleted one.
    let (detached_roles, detached_users) = detach_deleted_role(&role_name, &roles, &users);
    for child in &detached_roles {
        let Some(before) = roles.iter().find(|r| r.role_name == child.role_name) else {
            continue;
        };
        custom_roles::update(&mut tx, &project.id, child, now).await?;
        record_update(&mut tx, &project.id, before, child, actor.name(), now).await?;
    }
    for user in &detached_users {
        let Some(before) = users
            .iter()
            .find(|u| u.database_name == user.database_name && u.username == user.username)
        else {
            continue;
        };
        custom_roles::remove_from_user(
            &mut tx,
            &project.id,
            &user.database_name,
            &user.username,
            &role_name,
            now,
        )
        .await?;
        let diff = Diff {
            before: Some(&UserRoles::of(before)),
            after: Some(&UserRoles::of(user)),
        };
        events::record(
            &mut tx,
            &project.id,
            EventType::MongodbUserUpdated,
            actor.name(),
            &user.username,
            &diff,
            now,
        )
        .await?;
    }
    if !custom_roles::delete(&mut tx, &project.id, &role_name).await? {
        return Err(refused(vec![not_found(&role_name)]));
    }
    let diff = Diff {
        before: Some(&existing),
        after: None,
    };
    events::record(
        &mut tx,
        &project.id,
        EventType::MongodbRoleDeleted,
        actor.name(),
        &role_name,
        &diff,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, role = %role_name, "deleted a custom role");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges",
    tag = "Custom Database Roles",
    operation_id = "getCustomDatabaseRoleEffectivePrivileges",
    summary = "Extension: every action the role grants, inheritance flattened.",
    params(
        super::group_id::GroupPath,
        ("roleName" = String, Path, description = "The custom role's name.", min_length = 1, example = "analyst"),
    ),
    responses(
        (status = 200, description = "OK", body = EffectivePrivileges),
    )
)]
pub async fn effective(
    State(state): State<AppState>,
    group_id: GroupId,
    RoleName(role_name): RoleName,
) -> Result<Json<EffectivePrivileges>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let roles = custom_roles::list(&mut conn, &project.id).await?;
    let role = find_in(&roles, &role_name)?;
    Ok(Json(EffectivePrivileges {
        privileges: effective_privileges(&role, &roles),
        role_name: role.role_name,
    }))
}

/// What a user's event records when a deleted role is taken from its roles.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct UserRoles<'a> {
    database_name: &'a str,
    username: &'a str,
    roles: &'a [UserRole],
}

impl<'a> UserRoles<'a> {
    fn of(user: &'a access_core::database_user::DatabaseUser) -> Self {
        Self {
            database_name: &user.database_name,
            username: &user.username,
            roles: &user.roles,
        }
    }
}

async fn record_update(
    conn: &mut AnyConnection,
    project_id: &str,
    before: &CustomDbRole,
    after: &CustomDbRole,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let diff = Diff {
        before: Some(before),
        after: Some(after),
    };
    events::record(
        conn,
        project_id,
        EventType::MongodbRoleUpdated,
        actor,
        &after.role_name,
        &diff,
        now,
    )
    .await
}

fn log_refusal(project_id: &str, errors: &[CustomRoleError]) {
    let codes: Vec<&str> = errors.iter().map(CustomRoleError::error_code).collect();
    tracing::info!(group_id = %project_id, error_codes = ?codes, "refused a custom role change");
}
