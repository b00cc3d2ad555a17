//! Authentication, and nothing else: HTTP Digest for programmatic API keys ([`digest`]), password
//! hashing ([`password`]), token-bucket rate limits ([`rate_limit`]) and console session secrets
//! ([`session`]). No I/O but the hashing thread pool, no database, no HTTP handlers: each function
//! returns its own typed error. The API layer (`api::caller`: the request guard, the `Principal` and
//! `Actor` extractors) turns them into answers, and `storage` keeps what they produce (password hashes,
//! session token digests, the Digest nonce secret). Nothing here depends on either.

pub mod digest;
pub mod password;
pub mod rate_limit;
pub mod session;

/// The `WWW-Authenticate` challenge of a 401 for console clients.
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"Access Console\"";
