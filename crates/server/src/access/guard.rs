//! The middleware in front of every protected route: authenticate, then authorize by project role.

use access_core::project_role::Permission;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::{self, CSRF_HEADER};
use super::{Principal, PrincipalKind};
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
            parts.extensions.insert(principal);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => {
            let digest_challenge = match &error {
                _ if from_a_page_script(&parts) => None,
                ApiError::NotAuthenticated => Some(false),
                ApiError::ApiKeyUnauthorized { stale, .. } => Some(*stale),
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
                    Err(error) => return ApiError::Database(error).into_response(),
                }
            }
            response
        }
    }
}

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
    let principal = authenticate(state, request).await?;
    match authorize(&principal, &request.method, request.uri.path()) {
        Ok(()) => Ok(principal),
        // A project that does not exist (or an id that cannot be one) is said so, as to anyone.
        Err(ApiError::NotInGroup { group_id }) => {
            let group_id = crate::api::GroupId::parse(&group_id)?;
            match storage::projects::find(&state.pool, &group_id.0).await? {
                Some(_) => Err(ApiError::NotInGroup {
                    group_id: group_id.0,
                }),
                None => Err(ApiError::GroupNotFound {
                    group_id: group_id.0,
                }),
            }
        }
        Err(error) => Err(error),
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
        let Some(granted) =
            access_core::project_role::ProjectRole::from_atlas_name(&role.role_name)
        else {
            continue;
        };
        // ProjectRole orders the most powerful first.
        let entry = roles.entry(role.group_id.clone()).or_insert(granted);
        *entry = (*entry).min(granted);
    }
    Ok(Principal {
        name: key.public_key,
        kind: PrincipalKind::ApiKey { id: key.id },
        roles,
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

/// Whether `principal` may make this request: its role in the project of the path must grant what the
/// request needs. Paths without a project (`/groups`, the caller's own session) need no role.
pub fn authorize(principal: &Principal, method: &Method, path: &str) -> Result<(), ApiError> {
    let Some(group_id) = group_in_path(path) else {
        return Ok(());
    };
    let role = principal
        .roles
        .get(group_id)
        .copied()
        .ok_or_else(|| ApiError::NotInGroup {
            group_id: group_id.to_owned(),
        })?;
    let permission = required_permission(method, path);
    if role.may(permission) {
        Ok(())
    } else {
        Err(ApiError::InsufficientProjectRole { role, permission })
    }
}

/// The `{groupId}` of `/.../groups/{groupId}/...`.
fn group_in_path(path: &str) -> Option<&str> {
    let mut segments = path.split('/');
    segments.find(|segment| *segment == "groups")?;
    segments.next().filter(|id| !id.is_empty())
}

/// What a request needs: reads need [`Permission::Read`]; changes to database users, custom roles and
/// the X.509 settings need [`Permission::ManageDatabaseAccess`]; every other change (clusters, alert
/// settings, alerts, accounts, API keys) needs [`Permission::ManageProject`].
pub fn required_permission(method: &Method, path: &str) -> Permission {
    if is_safe(method) {
        return Permission::Read;
    }
    let database_access = path
        .split('/')
        .any(|segment| matches!(segment, "databaseUsers" | "customDBRoles" | "userSecurity"));
    if database_access {
        Permission::ManageDatabaseAccess
    } else {
        Permission::ManageProject
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use access_core::project_role::ProjectRole;

    #[test]
    fn each_route_needs_what_its_role_grants() {
        let cases = [
            (Method::GET, "/groups/abc/databaseUsers", Permission::Read),
            (
                Method::POST,
                "/groups/abc/databaseUsers",
                Permission::ManageDatabaseAccess,
            ),
            (
                Method::DELETE,
                "/groups/abc/customDBRoles/roles/x",
                Permission::ManageDatabaseAccess,
            ),
            (
                Method::PATCH,
                "/groups/abc/userSecurity",
                Permission::ManageDatabaseAccess,
            ),
            (
                Method::POST,
                "/groups/abc/clusters",
                Permission::ManageProject,
            ),
            (
                Method::PATCH,
                "/groups/abc/alerts/1",
                Permission::ManageProject,
            ),
            (
                Method::POST,
                "/api/console/groups/abc/accounts",
                Permission::ManageProject,
            ),
        ];
        for (method, path, permission) in cases {
            assert_eq!(
                required_permission(&method, path),
                permission,
                "{method} {path}"
            );
        }
        assert_eq!(group_in_path("/groups/abc/clusters"), Some("abc"));
        assert_eq!(
            group_in_path("/api/console/groups/abc/accounts"),
            Some("abc")
        );
        assert_eq!(group_in_path("/groups"), None);
        assert_eq!(group_in_path("/groups/"), None);
    }

    #[test]
    fn a_principal_without_a_role_in_the_project_is_refused() {
        let principal = Principal {
            name: "jane".into(),
            kind: PrincipalKind::Session {
                account_id: String::new(),
                token_sha256: String::new(),
                csrf_token: String::new(),
                expires_at: String::new(),
            },
            roles: [("abc".to_owned(), ProjectRole::ReadOnly)].into(),
        };
        assert!(authorize(&principal, &Method::GET, "/groups/abc/clusters").is_ok());
        assert!(matches!(
            authorize(&principal, &Method::POST, "/groups/abc/clusters"),
            Err(ApiError::InsufficientProjectRole {
                role: ProjectRole::ReadOnly,
                permission: Permission::ManageProject
            })
        ));
        assert!(matches!(
            authorize(&principal, &Method::GET, "/groups/def/clusters"),
            Err(ApiError::NotInGroup { .. })
        ));
        assert!(authorize(&principal, &Method::GET, "/groups").is_ok());
    }
}
