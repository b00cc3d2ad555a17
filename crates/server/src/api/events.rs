//! `GET /groups/{groupId}/events`: the project's activity feed, newest first.
//!
//! Filters: `eventType` (repeatable: any of them), `minDate` and `maxDate` (RFC 3339, inclusive),
//! `text` (extension: part of the target or actor, case ignored), and Atlas paging. Each event is
//! Atlas's `{"id", "created", "eventTypeName", "groupId", "username"}` (the actor: `anonymous` until access control exists, `system` for the server's own changes), plus our
//! `target` (what the change was about: a username, role name, cluster name, alert configuration id,
//! or `customerX509`) and `diff` (`{"before", "after"}`, either absent for a creation or deletion).
//! Events are never edited or deleted through the API.

use access_core::api::Event;
use access_core::time::parse_rfc3339;
use axum::extract::{Query, State};
use axum::response::{IntoResponse as _, Response};
use axum::Json;

use super::caller::Principal;
use super::{groups, page_cache, ApiError, AppState, GroupId, Paging};
use crate::storage::events::{self, EventFilter, EventType, StoredEvent};

impl From<StoredEvent> for Event {
    fn from(event: StoredEvent) -> Self {
        let diff = serde_json::from_str(&event.detail)
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default()));
        Self {
            id: event.id,
            created: event.created_at,
            event_type_name: event.event_type_name,
            group_id: event.project_id,
            org_id: None,
            username: event.actor,
            target: event.target,
            diff,
        }
    }
}

/// The longest `text` filter.
const MAX_TEXT_FILTER_CHARS: usize = 200;

/// The filters of [`filter_of`] as the OpenAPI document states them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EventQuery {
    /// Only events of these types (repeatable).
    #[param(rename = "eventType", style = Form, explode)]
    event_type: Option<Vec<EventType>>,
    /// Only events at or after this time (RFC 3339).
    #[param(rename = "minDate", format = DateTime)]
    min_date: Option<String>,
    /// Only events at or before this time (RFC 3339).
    #[param(rename = "maxDate", format = DateTime)]
    max_date: Option<String>,
    /// Extension: part of the event's target or actor, case ignored.
    #[param(max_length = 200)]
    text: Option<String>,
}

/// Reads `eventType`, `minDate`, `maxDate` and (our extension) `text` — a part of the target or of who
/// made the change, case ignored. Other parameters are paging's or ignored.
pub fn filter_of(query: &[(String, String)]) -> Result<EventFilter, ApiError> {
    let mut filter = EventFilter::default();
    for (name, value) in query {
        match name.as_str() {
            "eventType" => {
                let event_type =
                    EventType::from_name(value).ok_or_else(|| ApiError::InvalidQueryParameter {
                        name: name.clone(),
                        detail: format!(
                            "it is {:?}, which is not an event type; use one of {}.",
                            value.chars().take(60).collect::<String>(),
                            EventType::ALL.map(EventType::name).join(", ")
                        ),
                    })?;
                if !filter.event_types.contains(&event_type) {
                    filter.event_types.push(event_type);
                }
            }
            "minDate" | "maxDate" => {
                let at = parse_rfc3339(value).ok_or_else(|| ApiError::InvalidQueryParameter {
                    name: name.clone(),
                    detail: format!(
                        "it is {:?}, which is not an RFC 3339 date-time; use e.g. 2026-01-31T00:00:00Z.",
                        value.chars().take(60).collect::<String>()
                    ),
                })?;
                let at = access_core::time::format_rfc3339(at);
                if name == "minDate" {
                    filter.min_date = Some(at);
                } else {
                    filter.max_date = Some(at);
                }
            }
            "text" => {
                if value.chars().count() > MAX_TEXT_FILTER_CHARS {
                    return Err(ApiError::InvalidQueryParameter {
                        name: name.clone(),
                        detail: format!("it is longer than {MAX_TEXT_FILTER_CHARS} characters."),
                    });
                }
                filter.text = Some(value.trim().to_owned()).filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
    Ok(filter)
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/events",
    tag = "Events",
    operation_id = "listProjectEvents",
    summary = "The activity feed, newest first.",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
        EventQuery,
    ),
    responses(
        (status = 200, description = "OK", body = access_core::api::Paginated<Event>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    group_id: GroupId,
    paging: Paging,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    headers: axum::http::HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (project, version) = groups::find_with_version(&state, &group_id).await?;
    let filter = filter_of(&query)?;
    // A Read Only caller reads a webhook's host, not its URL (the URL of a chat webhook is its
    // credential), in the feed as in `alertConfigs`.
    let hosts_only = super::alert_configs::sees_webhook_hosts_only(&principal, &project.id);
    let key = page_cache::Key::new(page_cache::List::Events { hosts_only }, &project.id, &uri);
    if let Some(answer) = state.pages.get(&key, version, 0) {
        return Ok(answer.response(&headers));
    }
    let (rows, total) = events::list(
        &state.pool,
        &project.id,
        &filter,
        paging.offset(),
        paging.items_per_page,
        paging.include_count,
    )
    .await?;
    let events = rows
        .into_iter()
        .map(|stored| answered(stored, &project.org_id, hosts_only))
        .collect();
    let page = paging.envelope_counted(events, total);
    Ok(match page_cache::Answer::new(&page, version, None) {
        Some(answer) => state.pages.put(key, answer).response(&headers),
        None => Json(page).into_response(),
    })
}

/// `GET /groups/{groupId}/events/{eventId}`: one event of the project (Atlas's getProjectEvent).
#[utoipa::path(
    get,
    path = "/groups/{groupId}/events/{eventId}",
    tag = "Events",
    operation_id = "getProjectEvent",
    summary = "One event of the activity feed.",
    params(
        super::group_id::GroupPath,
        ("eventId" = String, Path, description = "An event's ID.", min_length = 1, example = "5f1a2b3c4d5e6f7a8b9c0d20"),
    ),
    responses(
        (status = 200, description = "OK", body = Event),
        (status = 404, description = "Not Found"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    principal: Principal,
    group_id: GroupId,
    axum::extract::Path((_, id)): axum::extract::Path<(String, String)>,
) -> Result<Json<Event>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let stored = events::find(&state.pool, &project.id, &id)
        .await?
        .ok_or(ApiError::EventNotFound { id })?;
    let hosts_only = super::alert_configs::sees_webhook_hosts_only(&principal, &project.id);
    Ok(Json(answered(stored, &project.org_id, hosts_only)))
}

/// An event as answered: with its organization, and, for a Read Only caller (`hosts_only`), each
/// webhook of an alert configuration's change as its host only (the URL of a chat webhook is its
/// credential), as in `alertConfigs`.
fn answered(stored: StoredEvent, org_id: &str, hosts_only: bool) -> Event {
    let mut event = Event::from(stored);
    event.org_id = Some(org_id.to_owned());
    if hosts_only && event.event_type_name.starts_with("ALERT_CONFIG_") {
        crate::storage::alert_configs::diff_hosts_only(&mut event.diff);
    }
    event
}
