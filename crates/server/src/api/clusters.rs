//! `GET|POST /groups/{groupId}/clusters`, `GET|PATCH|DELETE /groups/{groupId}/clusters/{clusterName}`:
//! the project's clusters as far as roles and user scopes care (`{"name", "mongoDBMajorVersion"}`, and the
//! extension `memberCertificateSubject`: the RFC 2253 subject of the deployment's member certificates, for
//! the cluster-member rule of `access_core::cluster_member`).

use access_core::api::Paginated;
use access_core::cluster::{self, Cluster, ClusterError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::caller::Actor;
use super::{groups, ApiError, AppState, GroupId, JsonBody, Paging};
use crate::storage::{clusters, database_users, now_unix};

/// A cluster as answered: the core shape plus `groupId`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Cluster)]
#[serde(rename_all = "camelCase")]
pub struct ClusterOut {
    group_id: String,
    #[serde(flatten)]
    cluster: Cluster,
}

/// The body of a POST. The read-only `groupId` and `links` are accepted and ignored.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ClusterRequest)]
#[serde(deny_unknown_fields)]
pub struct ClusterIn {
    name: Option<String>,
    #[serde(rename = "mongoDBMajorVersion")]
    mongo_db_major_version: Option<String>,
    #[serde(rename = "memberCertificateSubject")]
    member_certificate_subject: Option<String>,
    #[serde(rename = "groupId")]
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    group_id: Option<serde::de::IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<serde::de::IgnoredAny>,
}

/// The body of a PATCH: what is given changes; `memberCertificateSubject` `null` or `""` clears it. A
/// `name` other than the path's is refused (a cluster is not renamed).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ClusterUpdate)]
#[serde(deny_unknown_fields)]
pub struct ClusterPatch {
    name: Option<String>,
    #[serde(rename = "mongoDBMajorVersion")]
    mongo_db_major_version: Option<String>,
    /// Absent: unchanged; `null`: cleared.
    #[serde(
        rename = "memberCertificateSubject",
        default,
        deserialize_with = "present"
    )]
    member_certificate_subject: Option<Option<String>>,
    #[serde(rename = "groupId")]
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    group_id: Option<serde::de::IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<serde::de::IgnoredAny>,
}

/// A field that is present (possibly `null`), as `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn out(group_id: &str, cluster: Cluster) -> ClusterOut {
    ClusterOut {
        group_id: group_id.to_owned(),
        cluster,
    }
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/clusters",
    tag = "Clusters",
    operation_id = "listClusters",
    summary = "The project's clusters.",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<ClusterOut>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    group_id: GroupId,
    paging: Paging,
) -> Result<Json<Paginated<ClusterOut>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let all = clusters::list(&mut conn, &project.id).await?;
    Ok(Json(
        paging.page_of(all.into_iter().map(|c| out(&project.id, c))),
    ))
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/clusters/{clusterName}",
    tag = "Clusters",
    operation_id = "getCluster",
    summary = "One cluster.",
    params(
        super::group_id::GroupPath,
        ("clusterName" = String, Path, description = "The cluster's name.", min_length = 1, example = "Cluster0"),
    ),
    responses(
        (status = 200, description = "OK", body = ClusterOut),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<Json<ClusterOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    clusters::find(&state.pool, &project.id, &name)
        .await?
        .map(|c| Json(out(&project.id, c)))
        .ok_or(ApiError::ClusterNotFound { name })
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/clusters",
    tag = "Clusters",
    operation_id = "createCluster",
    summary = "Records a cluster (name and MongoDB major version).",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = ClusterIn, example = json!({ "name": "Cluster1", "mongoDBMajorVersion": "8.0" })),
    responses(
        (status = 201, description = "OK", body = ClusterOut),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<ClusterIn>,
) -> Result<(StatusCode, Json<ClusterOut>), ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let name = body
        .name
        .ok_or(ApiError::MissingAttribute { name: "name" })?;
    let version = body
        .mongo_db_major_version
        .ok_or(ApiError::MissingAttribute {
            name: "mongoDBMajorVersion",
        })?;
    let mut cluster = Cluster::new(name, version);
    cluster.member_certificate_subject =
        cluster::member_subject(body.member_certificate_subject.as_deref())
            .map_err(|e| rules(&[e]))?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let existing = clusters::list(&mut tx, &project.id).await?;
    if let Err(errors) = cluster::validate_cluster(&cluster, &existing) {
        if errors
            .iter()
            .any(|e| matches!(e, ClusterError::Duplicate(_)))
        {
            return Err(ApiError::DuplicateClusterName { name: cluster.name });
        }
        return Err(rules(&errors));
    }
    clusters::insert(&mut tx, &project.id, &cluster, actor.name(), now).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, cluster = %cluster.name, "added a cluster");
    Ok((StatusCode::CREATED, Json(out(&project.id, cluster))))
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/clusters/{clusterName}",
    tag = "Clusters",
    operation_id = "updateCluster",
    summary = "Changes the MongoDB major version and (an extension) the member certificate subject; never the name.",
    params(
        super::group_id::GroupPath,
        ("clusterName" = String, Path, description = "The cluster's name.", min_length = 1, example = "Cluster0"),
    ),
    request_body(content = ClusterPatch, example = json!({ "mongoDBMajorVersion": "8.3", "memberCertificateSubject": "CN=node1,OU=Servers,O=Acme" })),
    responses(
        (status = 200, description = "OK", body = ClusterOut),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, name)): Path<(String, String)>,
    group_id: GroupId,
    JsonBody(body): JsonBody<ClusterPatch>,
) -> Result<Json<ClusterOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    if body.name.as_ref().is_some_and(|n| *n != name) {
        return Err(rules(&[ClusterError::Rename {
            from: name,
            to: body.name.unwrap_or_default(),
        }]));
    }
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let existing = clusters::list(&mut tx, &project.id).await?;
    let Some(before) = existing.iter().find(|c| c.name == name).cloned() else {
        return Err(ApiError::ClusterNotFound { name });
    };
    let mut after = before.clone();
    if let Some(version) = body.mongo_db_major_version {
        after.mongo_db_major_version = version;
    }
    let mut errors = Vec::new();
    if let Err(e) = after.version() {
        errors.push(ClusterError::from(e));
    }
    if let Some(subject) = body.member_certificate_subject {
        match cluster::member_subject(subject.as_deref()) {
            Ok(saved) => after.member_certificate_subject = saved,
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(rules(&errors));
    }
    if after != before {
        clusters::update(&mut tx, &project.id, &before, &after, actor.name(), now).await?;
        tx.commit().await?;
        tracing::info!(group_id = %project.id, cluster = %name, "updated a cluster");
    }
    Ok(Json(out(&project.id, after)))
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/clusters/{clusterName}",
    tag = "Clusters",
    operation_id = "deleteCluster",
    summary = "Removes the cluster unless a user's scopes name it.",
    params(
        super::group_id::GroupPath,
        ("clusterName" = String, Path, description = "The cluster's name.", min_length = 1, example = "Cluster0"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, name)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    database_users::remove_expired_in(&mut tx, now).await?;
    let users = clusters::users_scoped_to(&mut tx, &project.id, &name, now).await?;
    if !users.is_empty() {
        return Err(ApiError::ClusterInUse {
            name,
            users: users.into_iter().map(|(_, username)| username).collect(),
        });
    }
    if !clusters::delete(&mut tx, &project.id, &name, actor.name(), now).await? {
        return Err(ApiError::ClusterNotFound { name });
    }
    tx.commit().await?;
    tracing::info!(group_id = %project.id, cluster = %name, "deleted a cluster");
    Ok(StatusCode::NO_CONTENT)
}

/// Rule errors as the `Rules` refusal: the first decides the code.
pub fn rules<E: access_core::field_issue::FieldError>(errors: &[E]) -> ApiError {
    ApiError::Rules {
        code: errors
            .first()
            .map_or("INVALID_ATTRIBUTE", |e| e.error_code()),
        issues: errors.iter().map(|e| e.to_issue()).collect(),
    }
}
