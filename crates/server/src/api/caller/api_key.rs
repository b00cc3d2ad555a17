//! Authenticating a request made with a programmatic API key: `Authorization: Digest ...` verified
//! ([`crate::access::digest`]), the key's access list checked against the peer address, and the key's rate
//! limit ([`crate::access::rate_limit`]) applied.
//!
//! A 401 carries a Digest challenge (`WWW-Authenticate`, added by the guard) with a fresh nonce: Digest
//! clients (urllib, httpx, requests) send a request without credentials first and answer the challenge
//! of its 401.

use std::net::IpAddr;
use std::time::Instant;

use axum::http::HeaderValue;
use sqlx::AnyPool;

use crate::access::digest::{self, DigestVerifier, Refusal};
use crate::access::rate_limit::{self, RateLimiter};
use crate::api::ApiError;
use crate::storage::api_keys::{self, ApiKey};

/// Digest verification and rate limiting for API keys, shared by every request of a server. The nonce
/// secret is read from the database on first use.
#[derive(Debug)]
pub struct ApiKeyAuth {
    verifier: tokio::sync::OnceCell<DigestVerifier>,
    limiter: RateLimiter,
}

impl Default for ApiKeyAuth {
    fn default() -> Self {
        ApiKeyAuth::new(rate_limit::DEFAULT_PER_MINUTE)
    }
}

/// Why a request with Digest credentials is not let through.
#[derive(Debug, thiserror::Error)]
pub enum ApiKeyRefusal {
    /// 401 with a new challenge (`stale=true` when only the nonce had expired).
    #[error(transparent)]
    Unauthorized(Refusal),
    /// 403: the key may not be used from the peer's address.
    #[error("API key {public_key} may not be used from {address}")]
    NotOnAccessList { public_key: String, address: String },
    /// 429 with `Retry-After`.
    #[error("API key {public_key} is over its {per_minute} requests per minute")]
    RateLimited {
        public_key: String,
        per_minute: u32,
        retry_after_secs: u64,
    },
    /// The database failed (500).
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl ApiKeyAuth {
    /// `per_minute` requests per minute and key.
    pub fn new(per_minute: u32) -> ApiKeyAuth {
        ApiKeyAuth {
            verifier: tokio::sync::OnceCell::new(),
            limiter: RateLimiter::new(per_minute),
        }
    }

    /// The verifier, with the nonce secret shared through the database (made on first use).
    pub async fn verifier(&self, pool: &AnyPool) -> Result<&DigestVerifier, sqlx::Error> {
        self.verifier
            .get_or_try_init(|| async {
                Ok(DigestVerifier::new(api_keys::nonce_secret(pool).await?))
            })
            .await
    }

    /// The `WWW-Authenticate` value of a 401: a Digest challenge with a fresh nonce.
    pub async fn challenge(&self, pool: &AnyPool, stale: bool) -> Result<HeaderValue, sqlx::Error> {
        let nonce = self.verifier(pool).await?.issue_nonce(now_ms());
        Ok(HeaderValue::from_str(&digest::challenge(&nonce, stale))
            .unwrap_or_else(|_| HeaderValue::from_static("Digest realm=\"MMS Public API\"")))
    }

    /// Verifies `authorization` (an `Authorization` value of the Digest scheme) for `method` and
    /// `target` (the request's `path?query`) from `peer`, then applies the key's rate limit. The key
    /// (with its roles in every project) when all passes.
    pub async fn authenticate(
        &self,
        pool: &AnyPool,
        authorization: &str,
        method: &str,
        target: &str,
        peer: Option<IpAddr>,
    ) -> Result<ApiKey, ApiKeyRefusal> {
        let credentials = digest::parse_authorization(authorization)
            .map_err(|e| ApiKeyRefusal::Unauthorized(Refusal::Malformed(e)))?;
        let verifier = self.verifier(pool).await.map_err(ApiKeyRefusal::Database)?;
        let request = verifier
            .check_request(credentials, target)
            .map_err(ApiKeyRefusal::Unauthorized)?;
        let found = api_keys::credentials(pool, request.public_key())
            .await
            .map_err(ApiKeyRefusal::Database)?
            .ok_or_else(|| {
                ApiKeyRefusal::Unauthorized(Refusal::UnknownKey(request.public_key().to_owned()))
            })?;
        verifier
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

    /// Forgets a deleted key's rate-limit bucket.
    pub fn forget(&self, public_key: &str) {
        self.limiter.forget(public_key);
    }
}

impl From<ApiKeyRefusal> for ApiError {
    /// 401 (the guard adds the Digest challenge, `stale=true` when only the nonce had expired), 403,
    /// 429 with `Retry-After`, or 500.
    fn from(refusal: ApiKeyRefusal) -> ApiError {
        match refusal {
            ApiKeyRefusal::Unauthorized(refusal) => {
                // The reason goes to the log only: the answer is the same for every refusal.
                tracing::info!(reason = %refusal, "API key refused");
                ApiError::ApiKeyUnauthorized {
                    stale: refusal.stale(),
                }
            }
            ApiKeyRefusal::NotOnAccessList {
                public_key,
                address,
            } => ApiError::IpAddressNotOnAccessList {
                public_key,
                address,
            },
            ApiKeyRefusal::RateLimited {
                public_key,
                per_minute,
                retry_after_secs,
            } => ApiError::RateLimited {
                public_key,
                per_minute,
                retry_after_secs,
            },
            ApiKeyRefusal::Database(error) => ApiError::from(error),
        }
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
