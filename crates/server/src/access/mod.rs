//! Access control: who is calling (a console session or a programmatic API key) and whether their
//! project role allows the request.
//!
//! Every route of the API but `GET /api/console/status`, `POST /api/console/setup` and
//! `POST /api/console/signIn` goes through [`guard::guard`]: it authenticates the caller, finds the
//! [`Permission`](access_core::project_role::Permission) the request needs from its method and the route
//! axum matched, in the route table ([`crate::api::routes`]; never from the words of the path), checks
//! the caller's role in the project of the path's `{groupId}`, and hands the [`Principal`] to the handler (whose
//! [`Actor`] names it in the activity feed).

pub mod api_key;
pub mod digest;
pub mod guard;
pub mod password;
pub mod rate_limit;
pub mod session;

use std::collections::BTreeMap;
use std::sync::Mutex;

use access_core::project_role::ProjectRole;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::ApiError;

/// The `WWW-Authenticate` challenge of a 401 for console clients.
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"Access Console\"";

/// Who is calling, and their role in each project.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The name the activity feed shows: the account's username or the API key's public key.
    pub name: String,
    pub kind: PrincipalKind,
    /// Project id → role.
    pub roles: BTreeMap<String, ProjectRole>,
}

#[derive(Debug, Clone)]
pub enum PrincipalKind {
    /// A console account signed in; `token_sha256` names its session.
    Session {
        account_id: String,
        token_sha256: String,
        csrf_token: String,
        expires_at: String,
    },
    /// A programmatic API key verified with HTTP Digest; `name` is its public key.
    ApiKey { id: String },
}

/// Per-instance state of access control.
#[derive(Debug)]
pub struct AccessState {
    /// While no account exists: the code the first owner must type (printed in the server's log).
    setup_code: Mutex<Option<String>>,
    /// Whether session cookies are marked `Secure` (the server speaks HTTPS).
    pub secure_cookies: bool,
    /// Digest verification and rate limits of programmatic API keys.
    pub api_keys: api_key::ApiKeyAuth,
    /// The bound on concurrent argon2 work (`--max-concurrent-sign-ins`).
    pub password_slots: password::Slots,
    /// Sign-in attempts per minute and source address (`--sign-in-rate-limit`).
    pub sign_ins_per_address: rate_limit::RateLimiter,
}

impl AccessState {
    pub fn new(secure_cookies: bool) -> Self {
        AccessState {
            setup_code: Mutex::new(None),
            secure_cookies,
            api_keys: api_key::ApiKeyAuth::default(),
            password_slots: password::Slots::default(),
            sign_ins_per_address: rate_limit::RateLimiter::new(
                rate_limit::DEFAULT_SIGN_INS_PER_MINUTE,
            ),
        }
    }

    /// At most `concurrent` password hashes at once (0: one per core), and `per_minute` sign-in
    /// attempts per minute from one address.
    pub fn with_sign_in_limits(mut self, concurrent: usize, per_minute: u32) -> Self {
        self.password_slots = if concurrent == 0 {
            password::Slots::default()
        } else {
            password::Slots::new(concurrent)
        };
        self.sign_ins_per_address = rate_limit::RateLimiter::new(per_minute);
        self
    }

    /// Each API key may send `per_minute` requests per minute (`--api-key-rate-limit`).
    pub fn with_api_key_rate_limit(mut self, per_minute: u32) -> Self {
        self.api_keys = api_key::ApiKeyAuth::new(per_minute);
        self
    }

    /// Makes (once) and returns the setup code for the first owner.
    pub fn setup_code(&self) -> String {
        let mut code = self
            .setup_code
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        code.get_or_insert_with(session::new_setup_code).clone()
    }

    /// Whether `typed` is the setup code (compared in constant time).
    pub fn setup_code_matches(&self, typed: &str) -> bool {
        let code = self
            .setup_code
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        code.as_deref()
            .is_some_and(|code| session::same_secret(code, &typed.trim().to_uppercase()))
    }
}

/// The name the activity feed records for a change: the principal the guard let through.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .map(|principal| Actor(principal.name.clone()))
            .ok_or(ApiError::NotAuthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(ApiError::NotAuthenticated)
    }
}

/// Why [`create_account`] refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("{}", .0.iter().map(|e| format!("{}: {e}", access_core::field_issue::FieldError::field(e))).collect::<Vec<_>>().join("; "))]
    Rules(Vec<access_core::account::AccountRuleError>),
    #[error("a console account named {0:?} already exists")]
    Duplicate(String),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Creates a console account with `role` in every project (the CLI's `accounts create`, and tests).
pub async fn create_account(
    pool: &sqlx::AnyPool,
    username: &str,
    password: &str,
    role: ProjectRole,
    actor: &str,
) -> Result<crate::storage::accounts::Account, CreateAccountError> {
    use crate::storage::accounts as store;
    access_core::account::validate_new_account(username, password, role.atlas_name())
        .map_err(CreateAccountError::Rules)?;
    let hash = password::hash(password::shared_slots(), password.to_owned()).await?;
    let mut tx = crate::storage::begin_write(pool).await?;
    if let Some(existing) = store::find(&mut tx, username).await? {
        return Err(CreateAccountError::Duplicate(existing.username));
    }
    let projects = store::project_ids(&mut tx).await?;
    let account = store::insert(
        &mut tx,
        username,
        &hash,
        role,
        &projects,
        actor,
        crate::storage::now_unix(),
    )
    .await?;
    tx.commit().await?;
    Ok(account)
}

/// Signs `account` in without a password (the CLI and tests): a bearer token for its new session.
pub async fn open_bearer_session(
    pool: &sqlx::AnyPool,
    account_id: &str,
) -> Result<String, sqlx::Error> {
    let token = session::new_token();
    let now = crate::storage::now_unix();
    let mut tx = crate::storage::begin_write(pool).await?;
    crate::storage::accounts::insert_session(
        &mut tx,
        &session::token_sha256(&token),
        account_id,
        &session::new_token(),
        now,
        now + session::SESSION_LIFETIME_SECS,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}
