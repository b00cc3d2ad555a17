//! The middleware in front of every protected route: authenticate, then authorize by project role.

use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use access_core::project_role::ProjectRole;

use super::{Principal, PrincipalKind};
use crate::access::session::{self, CSRF_HEADER};
use crate::api::routes::{self, Route};
use crate::api::{ApiError, AppState};
use crate::storage::{self, now_unix};

/// Lets the request through with its [`Principal`] in the extensions, or answers 401/403 (429 for an
/// API key over its rate limit). A 401 for no credentials or refused Digest credentials carries a Digest
/// challenge first, then the Bearer one: Atlas clients answer the Digest challenge. Not to a page's own
/// `fetch` (the console): a browser would open its password dialog.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match admit(&state, &parts).await {
        Ok(principal) => {
            if let Some(facts) = parts
                .extensions
                .get::<std::sync::Arc<crate::telemetry::RequestFacts>>()
            {
                facts.set_caller(match &principal.kind {
                    PrincipalKind::Session { account_id, .. } => format!("account:{account_id}"),
                    PrincipalKind::ApiKey { id } => format!("apiKey:{id}"),
                });
            }
            parts.extensions.insert(principal);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => {
            // A Digest client sends its request (body included) once without credentials, reads the
            // challenge, and sends it again on the same connection: a body left unread makes the server
            // close that connection, racing the retry ("server disconnected"). Small bodies are read
            // first; larger ones are left (the connection then closes).
            let _ = axum::body::to_bytes(body, REFUSED_BODY_READ_LIMIT).await;
            let digest_challenge = match &error {
                _ if from_a_page_script(&parts) => None,
                ApiError::NotAuthenticated => Some(false),
                ApiError::ApiKeyUnauthorized { stale } => Some(*stale),
                _ => None,
            };
            let mut response = error.into_response();
            if let Some(stale) = digest_challenge {
                match state.access.api_keys.challenge(&state.pool, stale).await {
                    Ok(challenge) => {
                        let headers = response.headers_mut();
                        let others: Vec<_> = headers
                            .get_all(header::WWW_AUTHENTICATE)
                            .iter()
                            .cloned()
                            .collect();
                        headers.insert(header::WWW_AUTHENTICATE, challenge);
                        for other in others {
                            headers.append(header::WWW_AUTHENTICATE, other);
                        }
                    }
                    Err(error) => return ApiError::from(error).into_response(),
                }
            }
            response
        }
    }
}

/// How much of a refused request's body is read before answering (see [`guard`]).
const REFUSED_BODY_READ_LIMIT: usize = 64 * 1024;

/// Whether a browser sent the request for a page's script (`fetch`): `Sec-Fetch-Mode` other than
/// `navigate`. Atlas clients send no `Sec-Fetch-*` header.
fn from_a_page_script(request: &Parts) -> bool {
    request
        .headers
        .get("sec-fetch-mode")
        .and_then(|mode| mode.to_str().ok())
        .is_some_and(|mode| !mode.eq_ignore_ascii_case("navigate"))
}

async fn admit(state: &AppState, request: &Parts) -> Result<Principal, ApiError> {
    let (route, matched) = matched_route(request)?;
    let principal = authenticate(state, request).await?;
    // The path as the client sent it: nested routers strip the version prefix from `uri`, not from
    // the matched route.
    let path = request
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(request.uri.path(), |original| original.0.path());
    if let Some(org_id) = routes::org_id(matched, path) {
        authorize_in_org(&principal, &request.method, route, org_id)?;
    }
    let group_id = routes::group_id(matched, path);
    // The project's organization, when an organization role may give more than the project role.
    let org_id = match group_id {
        Some(group_id)
            if route.in_project()
                && principal.reaches_into_projects()
                && principal.roles.get(group_id) != Some(&ProjectRole::Owner) =>
        {
            let group_id = crate::api::GroupId::parse(group_id)?;
            storage::projects::find(&state.pool, &group_id.0)
                .await?
                .map(|project| project.org_id)
        }
        _ => None,
    };
    match authorize(
        &principal,
        &request.method,
        route,
        group_id,
        org_id.as_deref(),
    ) {
        Ok(()) => {
            let mut principal = principal;
            // Handlers see the effective role in this project (an Organization Owner without a
            // project role here is Owner here: it reads webhook URLs, for one).
            if let (Some(group_id), Some(org_id)) = (group_id, org_id.as_deref()) {
                if let Some(role) = principal.role_in(group_id, org_id) {
                    principal.roles.insert(group_id.to_owned(), role);
                }
            }
            Ok(principal)
        }
        // A project the caller has no role in is not disclosed: 404, as for one that does not exist
        // (an id that cannot be one is said so, as to anyone).
        Err(ApiError::GroupNotFound { group_id }) => {
            let group_id = crate::api::GroupId::parse(&group_id)?;
            Err(ApiError::GroupNotFound {
                group_id: group_id.0,
            })
        }
        Err(error) => Err(error),
    }
}

/// Whether `principal` may make this request on a route of an organization (`{orgId}`): any role there
/// reads; a change needs `ORG_OWNER`. An organization the caller has no role in is not disclosed (404).
pub fn authorize_in_org(
    principal: &Principal,
    method: &Method,
    route: &Route,
    org_id: &str,
) -> Result<(), ApiError> {
    let org_id = crate::api::group_id::OrgId::parse(org_id)?.0;
    let role = principal
        .org_roles
        .get(&org_id)
        .copied()
        .ok_or(ApiError::OrgNotFound { org_id })?;
    if route.permission(method) == access_core::project_role::Permission::Read
        || role.may_manage_organization()
    {
        Ok(())
    } else {
        Err(ApiError::InsufficientOrgRole { role })
    }
}

/// The caller: `Authorization: Bearer <session token>`, or the session cookie (whose changes must carry
/// the session's CSRF token).
async fn authenticate(state: &AppState, request: &Parts) -> Result<Principal, ApiError> {
    let headers = &request.headers;
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let authorization = authorization
            .to_str()
            .map_err(|_| ApiError::NotAuthenticated)?;
        let (scheme, credentials) = authorization
            .trim()
            .split_once(' ')
            .unwrap_or((authorization, ""));
        return if scheme.eq_ignore_ascii_case("Bearer") {
            session_principal(state, credentials.trim()).await
        } else if scheme.eq_ignore_ascii_case("Digest") {
            api_key_principal(state, request, authorization).await
        } else {
            Err(ApiError::NotAuthenticated)
        };
    }
    let Some(token) = session::token_from_cookie(headers) else {
        return Err(ApiError::NotAuthenticated);
    };
    let principal = session_principal(state, token).await?;
    if !is_safe(&request.method) {
        let PrincipalKind::Session { csrf_token, .. } = &principal.kind else {
            return Err(ApiError::NotAuthenticated);
        };
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if !session::same_secret(sent, csrf_token) {
            return Err(ApiError::InvalidCsrfToken);
        }
    }
    Ok(principal)
}

/// The API key of `Authorization: Digest ...`: verified for this method and target, used from an
/// address on its access list, within its rate limit. Its roles: per project, the most powerful it has.
async fn api_key_principal(
    state: &AppState,
    request: &Parts,
    authorization: &str,
) -> Result<Principal, ApiError> {
    let peer = request
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    // The target as the client sent it: nested routers strip the version prefix from `uri`.
    let uri = request
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(&request.uri, |original| &original.0);
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path(), |pq| pq.as_str());
    let key = state
        .access
        .api_keys
        .authenticate(
            &state.pool,
            authorization,
            request.method.as_str(),
            target,
            peer,
        )
        .await?;
    let mut roles = std::collections::BTreeMap::new();
    for role in &key.roles {
        let Some(group_id) = &role.group_id else {
            continue; // its organization role, below
        };
        let Some(granted) =
            access_core::project_role::ProjectRole::from_atlas_name(&role.role_name)
        else {
            continue;
        };
        // ProjectRole orders the most powerful first.
        let entry = roles.entry(group_id.clone()).or_insert(granted);
        *entry = (*entry).min(granted);
    }
    Ok(Principal {
        name: key.public_key,
        kind: PrincipalKind::ApiKey { id: key.id },
        roles,
        org_roles: key
            .org_id
            .map(|org| (org, key.org_role))
            .into_iter()
            .collect(),
    })
}

async fn session_principal(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    if token.is_empty() {
        return Err(ApiError::NotAuthenticated);
    }
    let token_sha256 = session::token_sha256(token);
    let stored = storage::accounts::find_session(&state.pool, &token_sha256, now_unix())
        .await?
        .ok_or(ApiError::SessionExpired)?;
    Ok(Principal {
        name: stored.account.username,
        roles: stored.account.roles,
        org_roles: stored.account.org_roles,
        kind: PrincipalKind::Session {
            account_id: stored.account.id,
            token_sha256,
            csrf_token: stored.csrf_token,
            expires_at: stored.expires_at,
        },
    })
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The route a request matched, from the route table ([`routes`]): axum's [`MatchedPath`], never the
/// words of the path (a resource may be named `databaseUsers`).
fn matched_route(request: &Parts) -> Result<(&'static Route, &str), ApiError> {
    let matched = request
        .extensions
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .ok_or_else(|| ApiError::Internal {
            what: format!("guard without a matched route on {}", request.uri.path()),
        })?;
    let route = routes::find(matched).ok_or_else(|| ApiError::Internal {
        what: format!("the route {matched} is missing from the route table"),
    })?;
    Ok((route, matched))
}

/// Whether `principal` may make this request on `route`: its role in the project of the path (the
/// `{groupId}` of the route; its own, or what its role in the project's organization `org_id` gives)
/// must grant what the route needs for `method`. Routes without a project (`/groups`, the caller's own
/// session) need no role.
pub fn authorize(
    principal: &Principal,
    method: &Method,
    route: &Route,
    group_id: Option<&str>,
    org_id: Option<&str>,
) -> Result<(), ApiError> {
    if !route.in_project() {
        return Ok(());
    }
    let Some(group_id) = group_id else {
        return Err(ApiError::InvalidGroupId {
            value: String::new(),
        });
    };
    let own = principal.roles.get(group_id).copied();
    let role = match org_id {
        Some(org_id) => principal.role_in(group_id, org_id),
        None => own,
    }
    .ok_or_else(|| ApiError::GroupNotFound {
        group_id: group_id.to_owned(),
    })?;
    let permission = route.permission(method);
    if role.may(permission) {
        Ok(())
    } else {
        Err(ApiError::InsufficientProjectRole { role, permission })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use access_core::org_role::OrgRole;
    use access_core::project_role::Permission;
    use std::collections::BTreeMap;

    fn principal(role: ProjectRole) -> Principal {
        Principal {
            name: "customDBRoles".into(),
            kind: PrincipalKind::Session {
                account_id: String::new(),
                token_sha256: String::new(),
                csrf_token: String::new(),
                expires_at: String::new(),
            },
            roles: [("abc".to_owned(), role)].into(),
            org_roles: BTreeMap::new(),
        }
    }

    #[test]
    fn a_principal_without_a_role_in_the_project_is_refused() {
        let reader = principal(ProjectRole::ReadOnly);
        let clusters = routes::find("/api/atlas/v2/groups/{groupId}/clusters").expect("route");
        assert!(authorize(&reader, &Method::GET, clusters, Some("abc"), None).is_ok());
        assert!(matches!(
            authorize(&reader, &Method::POST, clusters, Some("abc"), None),
            Err(ApiError::InsufficientProjectRole {
                role: ProjectRole::ReadOnly,
                permission: Permission::ManageProject
            })
        ));
        assert!(matches!(
            authorize(&reader, &Method::GET, clusters, Some("def"), None),
            Err(ApiError::GroupNotFound { .. })
        ));
        let groups = routes::find("/api/atlas/v2/groups").expect("route");
        assert!(authorize(&reader, &Method::GET, groups, None, None).is_ok());
    }

    #[test]
    fn an_organization_role_reaches_into_the_projects_of_its_organization_only() {
        let mut reader = principal(ProjectRole::ReadOnly);
        reader.org_roles.insert("org1".to_owned(), OrgRole::Owner);
        let clusters = routes::find("/api/atlas/v2/groups/{groupId}/clusters").expect("route");
        // Project Read Only in abc, but Organization Owner of abc's organization: may change it.
        assert!(authorize(&reader, &Method::POST, clusters, Some("abc"), Some("org1")).is_ok());
        // A project of another organization: not disclosed.
        assert!(matches!(
            authorize(&reader, &Method::GET, clusters, Some("def"), Some("org2")),
            Err(ApiError::GroupNotFound { .. })
        ));
        let org = routes::find("/api/atlas/v2/orgs/{orgId}/groups").expect("route");
        let member = routes::find("/api/console/orgs/{orgId}/accounts/{username}").expect("route");
        let id = "0123456789abcdef01234567";
        reader.org_roles.insert(id.to_owned(), OrgRole::ReadOnly);
        assert!(authorize_in_org(&reader, &Method::GET, org, id).is_ok());
        assert!(matches!(
            authorize_in_org(&reader, &Method::PATCH, member, id),
            Err(ApiError::InsufficientOrgRole {
                role: OrgRole::ReadOnly
            })
        ));
        assert!(matches!(
            authorize_in_org(&reader, &Method::GET, org, "fedcba9876543210fedcba98"),
            Err(ApiError::OrgNotFound { .. })
        ));
        assert!(matches!(
            authorize_in_org(&reader, &Method::GET, org, "org1"),
            Err(ApiError::InvalidOrgId { .. })
        ));
    }

    #[test]
    fn the_route_decides_not_the_words_of_the_path() {
        let admin = principal(ProjectRole::DatabaseAccessAdmin);
        let account =
            routes::find("/api/console/groups/{groupId}/accounts/{username}").expect("route");
        assert!(matches!(
            authorize(&admin, &Method::PATCH, account, Some("abc"), None),
            Err(ApiError::InsufficientProjectRole {
                permission: Permission::ManageProject,
                ..
            })
        ));
    }
}
