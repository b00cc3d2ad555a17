//! Authenticating a request made with a programmatic API key: `Authorization: Digest ...` verified
//! ([`super::digest`]), the key's access list checked against the peer address, and the key's rate
//! limit ([`super::rate_limit`]) applied.
//!
//! A 401 carries a Digest challenge (`WWW-Authenticate`) with a fresh nonce: Digest clients (urllib,
//! httpx, requests) send a request without credentials first and answer the challenge of its 401.

use std::net::IpAddr;
use std::time::Instant;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use sqlx::SqlitePool;

use super::digest::{self, DigestVerifier, Refusal};
use super::rate_limit::RateLimiter;
use crate::api::ApiError;
use crate::storage::api_keys::{self, ApiKey};

/// Digest verification and rate limiting for API keys, shared by every request of a server.
#[derive(Debug)]
pub struct ApiKeyAuth {
    verifier: DigestVerifier,
    limiter: RateLimiter,
}

/// Why a request with Digest credentials is not let through.
#[derive(Debug)]
pub enum ApiKeyRefusal {
    /// 401 with a new challenge (`stale=true` when only the nonce had expired).
    Unauthorized(Refusal),
    /// 403: the key may not be used from the peer's address.
    NotOnAccessList { public_key: String, address: String },
    /// 429 with `Retry-After`.
    RateLimited {
        public_key: String,
        per_minute: u32,
        retry_after_secs: u64,
    },
    /// The database failed (500).
    Database(sqlx::Error),
}

impl ApiKeyAuth {
    /// Reads (or makes) the nonce secret shared through the database.
    pub async fn load(pool: &SqlitePool, per_minute: u32) -> Result<ApiKeyAuth, sqlx::Error> {
        let secret = api_keys::nonce_secret(pool).await?;
        Ok(ApiKeyAuth {
            verifier: DigestVerifier::new(secret),
            limiter: RateLimiter::new(per_minute),
        })
    }

    pub fn verifier(&self) -> &DigestVerifier {
        &self.verifier
    }

    /// The `WWW-Authenticate` value of a 401: a Digest challenge with a fresh nonce.
    pub fn challenge(&self, stale: bool) -> HeaderValue {
        let nonce = self.verifier.issue_nonce(now_ms());
        HeaderValue::from_str(&digest::challenge(&nonce, stale))
            .unwrap_or_else(|_| HeaderValue::from_static("Digest realm=\"MMS Public API\""))
    }

    /// Verifies `authorization` (an `Authorization` value of the Digest scheme) for `method` and
    /// `target` (the request's `path?query`) from `peer`, then applies the key's rate limit. The key
    /// (with its roles in every project) when all passes.
    pub async fn authenticate(
        &self,
        pool: &SqlitePool,
        authorization: &str,
        method: &str,
        target: &str,
        peer: Option<IpAddr>,
    ) -> Result<ApiKey, ApiKeyRefusal> {
        let credentials = digest::parse_authorization(authorization)
            .map_err(|e| ApiKeyRefusal::Unauthorized(Refusal::Malformed(e)))?;
        let request = self
            .verifier
            .check_request(credentials, target)
            .map_err(ApiKeyRefusal::Unauthorized)?;
        let found = api_keys::credentials(pool, request.public_key())
            .await
            .map_err(ApiKeyRefusal::Database)?
            .ok_or_else(|| {
                ApiKeyRefusal::Unauthorized(Refusal::UnknownKey(request.public_key().to_owned()))
            })?;
        self.verifier
            .check_response(&request, method, &found.ha1, now_ms())
            .map_err(ApiKeyRefusal::Unauthorized)?;
        let key = found.key;
        let entries = key.access_entries();
        let allowed = match peer {
            Some(address) => access_core::access_list::allows(&entries, address),
            None => entries.is_empty(),
        };
        if !allowed {
            return Err(ApiKeyRefusal::NotOnAccessList {
                public_key: key.public_key.clone(),
                address: peer.map_or_else(
                    || "an unknown address".to_owned(),
                    |a| a.to_canonical().to_string(),
                ),
            });
        }
        self.limiter
            .check(&key.public_key, Instant::now())
            .map_err(|limited| ApiKeyRefusal::RateLimited {
                public_key: key.public_key.clone(),
                per_minute: limited.per_minute,
                retry_after_secs: limited.retry_after_secs,
            })?;
        Ok(key)
    }

    /// The answer to a refusal: 401 with a challenge, 403, 429 with `Retry-After`, or 500.
    pub fn refuse(&self, refusal: ApiKeyRefusal) -> Response {
        match refusal {
            ApiKeyRefusal::Unauthorized(refusal) => {
                tracing::info!(reason = %refusal, "API key refused");
                let stale = refusal.stale();
                let mut response = ApiError::ApiKeyUnauthorized {
                    reason: refusal.to_string(),
                }
                .into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, self.challenge(stale));
                response
            }
            ApiKeyRefusal::NotOnAccessList {
                public_key,
                address,
            } => ApiError::IpAddressNotOnAccessList {
                public_key,
                address,
            }
            .into_response(),
            ApiKeyRefusal::RateLimited {
                public_key,
                per_minute,
                retry_after_secs,
            } => ApiError::RateLimited {
                public_key,
                per_minute,
                retry_after_secs,
            }
            .into_response(),
            ApiKeyRefusal::Database(error) => ApiError::Database(error).into_response(),
        }
    }

    /// Forgets a deleted key's rate-limit bucket.
    pub fn forget(&self, public_key: &str) {
        self.limiter.forget(public_key);
    }
}

/// Unix milliseconds, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// The state the Digest gate needs.
#[derive(Debug, Clone)]
pub struct GateState {
    pub pool: SqlitePool,
    pub auth: std::sync::Arc<ApiKeyAuth>,
    /// Whether a request without credentials is answered 401 with a Digest challenge (else it goes on
    /// unauthenticated).
    pub required: bool,
}

/// Middleware: a request with `Authorization: Digest ...` is verified and goes on with its [`ApiKey`]
/// in the request's extensions; a refused one is answered 401 (with a new challenge), 403 or 429.
pub async fn gate(
    axum::extract::State(state): axum::extract::State<GateState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let Some(authorization) = authorization.filter(|a| is_digest(a)) else {
        if state.required && request.headers().get(header::AUTHORIZATION).is_none() {
            return state
                .auth
                .refuse(ApiKeyRefusal::Unauthorized(Refusal::NoCredentials));
        }
        return next.run(request).await;
    };
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let target = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |pq| pq.as_str().to_owned(),
    );
    let method = request.method().as_str().to_owned();
    match state
        .auth
        .authenticate(&state.pool, &authorization, &method, &target, peer)
        .await
    {
        Ok(key) => {
            request.extensions_mut().insert(key);
            next.run(request).await
        }
        Err(refusal) => state.auth.refuse(refusal),
    }
}

/// Whether an `Authorization` value is of the Digest scheme.
pub fn is_digest(authorization: &str) -> bool {
    authorization
        .trim_start()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("digest "))
}
