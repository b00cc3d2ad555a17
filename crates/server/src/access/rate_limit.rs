//! A request limit per API key: a token bucket in memory, per server instance. A key may send
//! `per_minute` requests at once, then one every `60 / per_minute` seconds; a request over the limit is
//! answered 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The default of `--api-key-rate-limit`: requests per minute and key.
pub const DEFAULT_PER_MINUTE: u32 = 300;
/// The default of `--sign-in-rate-limit`: sign-in attempts per minute and source address (a person
/// signs in a few times a day; a browser test suite from one address, a few times a minute).
pub const DEFAULT_SIGN_INS_PER_MINUTE: u32 = 120;
/// How many keys' buckets are kept before full buckets (keys idle long enough) are dropped.
const MAX_BUCKETS: usize = 10_000;

/// Over the limit: when the next request would be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the API key sent more than {per_minute} requests in a minute; retry in {retry_after_secs} s"
)]
pub struct RateLimited {
    pub per_minute: u32,
    /// Whole seconds, at least 1 (the `Retry-After` header).
    pub retry_after_secs: u64,
}

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// `per_minute` requests per minute and key (0 is taken as 1).
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Takes one request of `key`'s allowance at `now`, or says when to retry.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), RateLimited> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            buckets.retain(|_, bucket| {
                bucket.tokens + elapsed_secs(bucket.at, now) * per_second < capacity
            });
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens = (bucket.tokens + elapsed_secs(bucket.at, now) * per_second).min(capacity);
        bucket.at = now.max(bucket.at);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / per_second;
        Err(RateLimited {
            per_minute: self.per_minute,
            retry_after_secs: (wait.ceil() as u64).max(1),
        })
    }

    /// Forgets a key's bucket (e.g. when the key is deleted).
    pub fn forget(&self, key: &str) {
        self.buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }
}

fn elapsed_secs(since: Instant, now: Instant) -> f64 {
    now.checked_duration_since(since)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_one_request_per_interval() {
        let limiter = RateLimiter::new(60);
        let start = Instant::now();
        for _ in 0..60 {
            assert_eq!(limiter.check("a", start), Ok(()));
        }
        assert_eq!(
            limiter.check("a", start),
            Err(RateLimited {
                per_minute: 60,
                retry_after_secs: 1
            })
        );
        // Another key has its own bucket.
        assert_eq!(limiter.check("b", start), Ok(()));
        // One second later, one more request.
        let later = start + Duration::from_secs(1);
        assert_eq!(limiter.check("a", later), Ok(()));
        assert!(limiter.check("a", later).is_err());
        // A clock that goes back never adds tokens nor panics.
        assert!(limiter.check("a", start).is_err());
        limiter.forget("a");
        assert_eq!(limiter.check("a", later), Ok(()));
    }

    #[test]
    fn retry_after_is_whole_seconds_until_the_next_token() {
        let limiter = RateLimiter::new(2);
        let start = Instant::now();
        assert!(limiter.check("k", start).is_ok());
        assert!(limiter.check("k", start).is_ok());
        assert_eq!(
            limiter.check("k", start).map_err(|e| e.retry_after_secs),
            Err(30)
        );
        assert_eq!(
            limiter
                .check("k", start + Duration::from_millis(20_500))
                .map_err(|e| e.retry_after_secs),
            Err(10)
        );
        assert!(limiter.check("k", start + Duration::from_secs(31)).is_ok());
        assert_eq!(RateLimiter::new(0).per_minute(), 1);
    }
}
