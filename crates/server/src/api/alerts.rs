//! `GET /groups/{groupId}/alerts` (filter: `status` OPEN or CLOSED), `GET|PATCH .../alerts/{alertId}`:
//! the alerts opened by the evaluator ([`crate::alerts`]), newest first. Atlas's shape
//! (`id`, `alertConfigId`, `eventTypeName`, `status`, `created`, `updated`, `lastNotified`, `resolved`,
//! `acknowledgedUntil`, `acknowledgementComment`) plus our `ca`: `{"subject", "sha256", "notAfter",
//! "daysLeft"}`. PATCH `{"acknowledgedUntil": "<RFC 3339, future>", "acknowledgementComment": "..."}`
//! acknowledges an open alert (no notification until then); `"acknowledgedUntil": null` un-acknowledges.

use access_core::api::Paginated;
use access_core::field_issue::FieldIssue;
use access_core::time::{format_rfc3339, parse_rfc3339};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Deserializer};

use super::{groups, ApiError, AppState, GroupId, JsonBody, Paging};
use crate::storage::alerts::{self, AlertView};
use crate::storage::now_unix;

pub const MAX_COMMENT_CHARS: usize = 1024;

#[utoipa::path(
    get,
    path = "/groups/{groupId}/alerts",
    tag = "Alerts",
    operation_id = "listAlerts",
    summary = "The alerts, newest first.",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
        ("status" = Option<String>, Query, description = "Only alerts in this status: `OPEN` or `CLOSED`.", pattern = "^(OPEN|CLOSED)$"),
    ),
    responses(
        (status = 200, description = "OK", body = Paginated<AlertView>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    group_id: GroupId,
    paging: Paging,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Paginated<AlertView>>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let status = match query.iter().rev().find(|(k, _)| k == "status") {
        None => None,
        Some((_, v)) if v == alerts::OPEN || v == alerts::CLOSED => Some(v.as_str()),
        Some((name, v)) => {
            return Err(ApiError::InvalidQueryParameter {
                name: name.clone(),
                detail: format!(
                    "it is {:?}; use OPEN or CLOSED.",
                    v.chars().take(40).collect::<String>()
                ),
            })
        }
    };
    let (rows, total) = alerts::list(
        &state.pool,
        &project.id,
        status,
        paging.offset(),
        paging.items_per_page,
    )
    .await?;
    Ok(Json(paging.envelope(
        rows.iter().map(alerts::Alert::view).collect(),
        total,
    )))
}

async fn find_alert(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
    id: &str,
) -> Result<alerts::Alert, ApiError> {
    alerts::find(conn, project_id, id)
        .await?
        .ok_or_else(|| ApiError::AlertNotFound { id: id.to_owned() })
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/alerts/{alertId}",
    tag = "Alerts",
    operation_id = "getAlert",
    summary = "One alert.",
    params(
        super::group_id::GroupPath,
        ("alertId" = String, Path, description = "The alert.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e2a"),
    ),
    responses(
        (status = 200, description = "OK", body = AlertView),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
) -> Result<Json<AlertView>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(find_alert(&mut conn, &project.id, &id).await?.view()))
}

/// The body of an acknowledgement.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = AlertAcknowledgement)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Acknowledgement {
    /// Absent: unchanged; `null`: not acknowledged.
    #[serde(default, deserialize_with = "present")]
    acknowledged_until: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 1024)]
    acknowledgement_comment: Option<Option<String>>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

fn rule(field: &str, code: &'static str, detail: String) -> ApiError {
    ApiError::Rules {
        code,
        issues: vec![FieldIssue {
            field: field.to_owned(),
            error_code: code.to_owned(),
            detail,
        }],
    }
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/alerts/{alertId}",
    tag = "Alerts",
    operation_id = "acknowledgeAlert",
    summary = "Acknowledges an open alert until a time (`null`: no longer acknowledged).",
    params(
        super::group_id::GroupPath,
        ("alertId" = String, Path, description = "The alert.", min_length = 1, example = "6a1b2c3d4e5f6a7b8c9d0e2a"),
    ),
    request_body(content = Acknowledgement, example = json!({ "acknowledgedUntil": "2030-01-01T00:00:00Z", "acknowledgementComment": "renewing" })),
    responses(
        (status = 200, description = "OK", body = AlertView),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    group_id: GroupId,
    JsonBody(body): JsonBody<Acknowledgement>,
) -> Result<Json<AlertView>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let alert = find_alert(&mut tx, &project.id, &id).await?;
    if alert.status != alerts::OPEN {
        return Err(ApiError::AlertClosed { id });
    }
    let until = match body.acknowledged_until {
        None => alert.acknowledged_until.clone(),
        Some(None) => None,
        Some(Some(text)) => match parse_rfc3339(&text) {
            Some(at) if at > now => Some(format_rfc3339(at)),
            Some(_) => {
                return Err(rule(
                    "acknowledgedUntil",
                    "INVALID_ACKNOWLEDGED_UNTIL",
                    format!(
                        "the time is not in the future (it is now {})",
                        format_rfc3339(now)
                    ),
                ))
            }
            None => {
                return Err(rule(
                    "acknowledgedUntil",
                    "INVALID_ACKNOWLEDGED_UNTIL",
                    "the time is not an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z".to_owned(),
                ))
            }
        },
    };
    let comment = match body.acknowledgement_comment {
        None => alert.acknowledgement_comment.clone(),
        Some(comment) => comment.filter(|c| !c.is_empty()),
    };
    if comment
        .as_deref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        return Err(rule(
            "acknowledgementComment",
            "ACKNOWLEDGEMENT_COMMENT_TOO_LONG",
            format!("the comment has more than {MAX_COMMENT_CHARS} characters"),
        ));
    }
    let now_text = format_rfc3339(now);
    alerts::acknowledge(
        &mut tx,
        &alert.id,
        until.as_deref(),
        comment.as_deref(),
        &now_text,
    )
    .await?;
    let updated = find_alert(&mut tx, &project.id, &id).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, alert_id = %id, "acknowledged an alert");
    Ok(Json(updated.view()))
}
