//! Fixtures shared by the server's API and CLI tests (`crates/server/tests/`) and the browser tests
//! (`tests/`), written once: [`pki`], certificates made by the real openssl CLI. Not published.

pub mod pki;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The current time in Unix seconds (the clock the server and core's rules read too).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
