//! The console's own endpoints (not Atlas's), under `/api/console`:
//!
//! | method      | path                                   | who                         |
//! |-------------|----------------------------------------|-----------------------------|
//! | GET         | `/status` (`{"setupRequired"}`)        | anyone                      |
//! | POST        | `/setup` (the first owner)             | anyone with the setup code, while no account exists |
//! | POST        | `/signIn`                              | anyone                      |
//! | GET         | `/session`                             | signed in                   |
//! | POST        | `/signOut`, `/password`                | signed in                   |
//! | GET, POST   | `/groups/{groupId}/accounts`           | GET: any role; POST: Project Owner |
//! | PATCH, DELETE | `/groups/{groupId}/accounts/{username}` | Project Owner             |
//!
//! A sign-in answers the session as JSON and, by default, sets the session cookie (HttpOnly,
//! SameSite=Strict). With `"session": "bearer"` (a console served from another origin) it sets no cookie
//! and answers the token instead, for `Authorization: Bearer`.

use std::net::SocketAddr;

use access_core::account;
use access_core::org_role::OrgRole;
use access_core::project_role::ProjectRole;
use access_core::time::format_rfc3339;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::caller::{Actor, Principal, PrincipalKind};
use super::clusters::rules;
use super::{groups, ApiError, AppState, GroupId, JsonBody};
use crate::access::password;
use crate::access::session::{self, SESSION_LIFETIME_SECS};
use crate::storage::accounts::{self as store, Account};
use crate::storage::{begin_write, now_unix};

/// Failed sign-ins as one name from one address that lock it out for [`THROTTLE_WINDOW_SECS`].
pub const THROTTLE_FAILURES: usize = 5;
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// No account exists yet: the console asks for the first owner (with the setup code).
    setup_required: bool,
}

/// Whether setup is needed (`no-store`: a cached answer would show setup after it was done).
pub async fn status(State(state): State<AppState>) -> Result<Response, ApiError> {
    let status = Status {
        setup_required: !store::any(&state.pool).await?,
    };
    Ok(no_store(Json(status)))
}

/// `response` with `Cache-Control: no-store`: it carries a secret (a token, a CSRF token, a private
/// key) or setup state.
fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// How the caller wants its session: the cookie (default) or a bearer token in the body.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    #[default]
    Cookie,
    Bearer,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetupIn {
    setup_code: String,
    username: String,
    password: String,
    #[serde(default)]
    session: SessionKind,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInIn {
    username: String,
    password: String,
    #[serde(default)]
    session: SessionKind,
}

/// The signed-in account as the console needs it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOut {
    #[serde(flatten)]
    account: Account,
    /// Send it back in `X-CSRF-Token` with every change made with the cookie.
    csrf_token: String,
    /// When the session ends (RFC 3339).
    expires: String,
    /// Only for `"session": "bearer"`: the token for `Authorization: Bearer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

/// Creates the first owner (Project Owner of every project) and signs them in.
pub async fn setup(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<SetupIn>,
) -> Result<Response, ApiError> {
    if store::any(&state.pool).await? {
        return Err(ApiError::SetupAlreadyDone);
    }
    if !state.access.setup_code_matches(&body.setup_code) {
        return Err(ApiError::InvalidSetupCode);
    }
    check_new_account(
        &body.username,
        &body.password,
        ProjectRole::Owner.atlas_name(),
    )?;
    let hash = password::hash(&state.access.password_slots, body.password)
        .await
        .map_err(internal)?;
    let now = now_unix();
    let mut tx = begin_write(&state.pool).await?;
    // Checked again under the write lock: two setups at once make one owner.
    if store::any(&mut *tx).await? {
        return Err(ApiError::SetupAlreadyDone);
    }
    let projects = store::project_ids(&mut tx).await?;
    let account = store::insert(
        &mut tx,
        &body.username,
        &hash,
        ProjectRole::Owner,
        OrgRole::Owner,
        &projects,
        &body.username,
        now,
    )
    .await?;
    let (session, cookie) = open_session(&mut tx, &state, account, body.session, now).await?;
    tx.commit().await?;
    tracing::info!(username = %session.account.username, "created the first owner");
    Ok(session_response(StatusCode::CREATED, session, cookie))
}

/// Signs in with a name and password. In order, before any argon2 work: the source address's
/// attempts per minute (429), the name and password's shape (400: no database work for a name no account
/// could have), the throttle per name and address (429, counted, no event), a free hashing slot (429
/// `SIGN_IN_BUSY`, `Retry-After: 1`).
pub async fn sign_in(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    JsonBody(body): JsonBody<SignInIn>,
) -> Result<Response, ApiError> {
    let remote = connection.map_or_else(|| "unknown".to_owned(), |c| c.0 .0.ip().to_string());
    if let Err(limited) = state
        .access
        .sign_ins_per_address
        .check(&remote, std::time::Instant::now())
    {
        return Err(ApiError::TooManySignInsFromAddress {
            address: remote,
            retry_after_secs: limited.retry_after_secs,
        });
    }
    account::check_sign_in(&body.username, &body.password).map_err(|errors| rules(&errors))?;
    let now = now_unix();
    let mut conn = state.pool.acquire().await?;
    let failures = store::recent_failures(
        &mut conn,
        &body.username,
        &remote,
        now - THROTTLE_WINDOW_SECS,
    )
    .await?;
    if failures.len() >= THROTTLE_FAILURES {
        // The lock lifts when the oldest failure that keeps the count at the limit leaves the window.
        let unlocks = failures
            .get(failures.len() - THROTTLE_FAILURES)
            .and_then(|at| access_core::time::parse_rfc3339(at))
            .map_or(now + THROTTLE_WINDOW_SECS, |at| at + THROTTLE_WINDOW_SECS);
        drop(conn);
        let mut tx = begin_write(&state.pool).await?;
        store::count_throttled(&mut tx, &body.username, &remote, now).await?;
        tx.commit().await?;
        tracing::warn!(username = %body.username, %remote, "refused a sign-in: too many failed sign-ins");
        return Err(ApiError::TooManySignInAttempts {
            username: body.username,
            retry_after_secs: u64::try_from(unlocks - now).unwrap_or(1).max(1),
        });
    }
    let found = store::find_for_sign_in(&mut conn, &body.username).await?;
    drop(conn);
    let slot = state
        .access
        .password_slots
        .try_take()
        .map_err(|_| ApiError::SignInBusy {
            retry_after_secs: 1,
        })?;
    let (account, stored_hash) = match found {
        Some((account, hash)) => (Some(account), hash),
        None => (None, password::DECOY_HASH.to_owned()),
    };
    let matches = password::verify(slot, body.password, stored_hash)
        .await
        .map_err(internal)?;
    let account = match account {
        Some(account) if matches => account,
        account => {
            record_failure(
                &state,
                &body.username,
                account.as_ref().map(|a| a.username.as_str()),
                &remote,
                "wrong username or password",
            )
            .await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let mut tx = begin_write(&state.pool).await?;
    store::clear_failures(&mut tx, &account.username).await?;
    let (session, cookie) = open_session(&mut tx, &state, account, body.session, now).await?;
    tx.commit().await?;
    tracing::info!(username = %session.account.username, %remote, "signed in");
    Ok(session_response(StatusCode::OK, session, cookie))
}

async fn record_failure(
    state: &AppState,
    username: &str,
    account: Option<&str>,
    remote: &str,
    reason: &str,
) -> Result<(), ApiError> {
    let now = now_unix();
    let mut tx = begin_write(&state.pool).await?;
    store::record_failure(
        &mut tx,
        username,
        account,
        remote,
        reason,
        now,
        now - THROTTLE_WINDOW_SECS,
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(username, remote, reason, "refused a sign-in");
    Ok(())
}

/// Stores a new session for `account`: the answer, and the cookie to set (none for a bearer session).
async fn open_session(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    account: Account,
    kind: SessionKind,
    now: i64,
) -> Result<(SessionOut, Option<axum::http::HeaderValue>), ApiError> {
    let token = session::new_token();
    let csrf_token = session::new_token();
    let expires = now + SESSION_LIFETIME_SECS;
    store::insert_session(
        conn,
        &session::token_sha256(&token),
        &account.id,
        &csrf_token,
        now,
        expires,
    )
    .await?;
    let cookie =
        (kind == SessionKind::Cookie).then(|| session::cookie(&token, state.access.secure_cookies));
    Ok((
        SessionOut {
            account,
            csrf_token,
            expires: format_rfc3339(expires),
            token: (kind == SessionKind::Bearer).then_some(token),
        },
        cookie,
    ))
}

fn session_response(
    status: StatusCode,
    session: SessionOut,
    cookie: Option<axum::http::HeaderValue>,
) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    if let Some(cookie) = cookie {
        headers.insert(header::SET_COOKIE, cookie);
    }
    (status, headers, Json(session)).into_response()
}

/// The caller's session.
pub async fn current_session(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Response, ApiError> {
    let PrincipalKind::Session {
        csrf_token,
        expires_at,
        ..
    } = principal.kind
    else {
        return Err(ApiError::ConsoleSessionRequired);
    };
    let mut conn = state.pool.acquire().await?;
    let account = store::find(&mut conn, &principal.name)
        .await?
        .ok_or(ApiError::SessionExpired)?;
    // It carries the CSRF token.
    Ok(no_store(Json(SessionOut {
        account,
        csrf_token,
        expires: expires_at,
        token: None,
    })))
}

pub async fn sign_out(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Response, ApiError> {
    let PrincipalKind::Session { token_sha256, .. } = &principal.kind else {
        return Err(ApiError::ConsoleSessionRequired);
    };
    store::delete_session(&state.pool, token_sha256).await?;
    tracing::info!(username = %principal.name, "signed out");
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session::cleared_cookie(state.access.secure_cookies),
        )],
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordIn {
    current_password: String,
    new_password: String,
}

/// Changes the caller's own password: every session of the account ends, and a new one begins for
/// this browser.
pub async fn change_password(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(body): JsonBody<PasswordIn>,
) -> Result<Response, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let (account, stored) = store::find_for_sign_in(&mut conn, &principal.name)
        .await?
        .ok_or(ApiError::SessionExpired)?;
    drop(conn);
    // No account's password is longer: no hashing for it.
    if body.current_password.len() > account::MAX_PASSWORD_BYTES {
        return Err(ApiError::InvalidCredentials);
    }
    let slot = state.access.password_slots.take().await;
    if !password::verify(slot, body.current_password, stored)
        .await
        .map_err(internal)?
    {
        return Err(ApiError::InvalidCredentials);
    }
    account::validate_password(&body.new_password).map_err(|e| rules(&[e]))?;
    let hash = password::hash(&state.access.password_slots, body.new_password)
        .await
        .map_err(internal)?;
    let now = now_unix();
    let mut tx = begin_write(&state.pool).await?;
    store::set_password(&mut tx, &account, &hash, &principal.name, now).await?;
    let (session, cookie) =
        open_session(&mut tx, &state, account, SessionKind::Cookie, now).await?;
    tx.commit().await?;
    Ok(session_response(StatusCode::OK, session, cookie))
}

// Accounts of a project.

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountsOut {
    results: Vec<Account>,
    total_count: usize,
}

pub async fn list_accounts(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Json<AccountsOut>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let results = store::list_in_project(&mut conn, &project.id).await?;
    Ok(Json(AccountsOut {
        total_count: results.len(),
        results,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountIn {
    username: String,
    password: String,
    role_name: String,
}

fn check_new_account(username: &str, password: &str, role: &str) -> Result<ProjectRole, ApiError> {
    account::validate_new_account(username, password, role).map_err(|errors| rules(&errors))
}

/// Creates an account with a role in this project.
pub async fn create_account(
    State(state): State<AppState>,
    group_id: GroupId,
    actor: Actor,
    JsonBody(body): JsonBody<AccountIn>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let role = check_new_account(&body.username, &body.password, &body.role_name)?;
    let hash = password::hash(&state.access.password_slots, body.password)
        .await
        .map_err(internal)?;
    let mut tx = begin_write(&state.pool).await?;
    if let Some(existing) = store::find(&mut tx, &body.username).await? {
        return Err(ApiError::DuplicateAccountName {
            existing: existing.username,
        });
    }
    let account = store::insert(
        &mut tx,
        &body.username,
        &hash,
        role,
        OrgRole::Member,
        std::slice::from_ref(&project.id),
        actor.name(),
        now_unix(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountPatch {
    role_name: String,
}

/// Changes an account's role in this project.
pub async fn patch_account(
    State(state): State<AppState>,
    Path((_, username)): Path<(String, String)>,
    group_id: GroupId,
    actor: Actor,
    JsonBody(body): JsonBody<AccountPatch>,
) -> Result<Json<Account>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let role = account::parse_role(&body.role_name).map_err(|e| rules(&[e]))?;
    let mut tx = begin_write(&state.pool).await?;
    let account = in_project(&mut tx, &username, &project.id).await?;
    if account.roles.get(&project.id) == Some(&ProjectRole::Owner) && role != ProjectRole::Owner {
        refuse_last_owner(&mut tx, &account, &project.id).await?;
    }
    let account = store::set_role(
        &mut tx,
        &account,
        &project.id,
        role,
        actor.name(),
        now_unix(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(account))
}

/// Takes an account out of this project; an account left with no role anywhere is deleted.
pub async fn delete_account(
    State(state): State<AppState>,
    Path((_, username)): Path<(String, String)>,
    group_id: GroupId,
    actor: Actor,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut tx = begin_write(&state.pool).await?;
    let account = in_project(&mut tx, &username, &project.id).await?;
    if account.roles.get(&project.id) == Some(&ProjectRole::Owner) {
        refuse_last_owner(&mut tx, &account, &project.id).await?;
    }
    let mut rest = account.clone();
    rest.roles.remove(&project.id);
    if rest.has_any_role() {
        // A role elsewhere: only this project's is taken away.
        store::remove_from_project(&mut tx, &account, &project.id, actor.name(), now_unix())
            .await?;
    } else {
        store::delete(&mut tx, &account, actor.name(), now_unix()).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn in_project(
    conn: &mut sqlx::AnyConnection,
    username: &str,
    project_id: &str,
) -> Result<Account, ApiError> {
    store::find(conn, username)
        .await?
        .filter(|account| account.roles.contains_key(project_id))
        .ok_or_else(|| ApiError::AccountNotFound {
            username: username.to_owned(),
        })
}

async fn refuse_last_owner(
    conn: &mut sqlx::AnyConnection,
    account: &Account,
    project_id: &str,
) -> Result<(), ApiError> {
    if store::owner_count(conn, project_id).await? <= 1 {
        return Err(ApiError::LastProjectOwner {
            username: account.username.clone(),
        });
    }
    Ok(())
}

fn internal(error: password::PasswordError) -> ApiError {
    ApiError::Internal {
        what: error.to_string(),
    }
}
