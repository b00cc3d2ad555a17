//! The state every handler shares ([`AppState`]), and its access-control part ([`AccessState`]).

use std::sync::{Arc, Mutex};

use sqlx::AnyPool;

use super::caller::api_key;
use crate::access::{password, rate_limit, session};

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: AnyPool,
    pub access: Arc<AccessState>,
    /// Recent inspections of the CA bundles, reused by reads (see `api::user_security::Inspections`).
    pub inspections: Arc<super::user_security::Inspections>,
    /// The webhook sender of `POST .../alertConfigs/{id}/test` (refusing private addresses unless the
    /// server was started with `--allow-private-webhooks`).
    pub webhooks: crate::alerts::Webhooks,
    /// List pages kept as answered until their project changes (see `api::page_cache`).
    pub pages: Arc<super::page_cache::PageCache>,
}

impl AppState {
    pub fn new(pool: AnyPool, access: AccessState) -> Self {
        AppState {
            pool,
            access: Arc::new(access),
            inspections: Arc::default(),
            webhooks: crate::alerts::Webhooks::new(false),
            pages: Arc::default(),
        }
    }

    /// The same state, sending test webhooks with `webhooks`.
    pub fn with_webhooks(self, webhooks: crate::alerts::Webhooks) -> Self {
        AppState { webhooks, ..self }
    }
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
