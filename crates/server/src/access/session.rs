//! Console sessions: random tokens (only their SHA-256 is stored), the session cookie, the CSRF token,
//! and the first owner's setup code.

use axum::http::{header, HeaderMap, HeaderValue};
use rand::Rng as _;
use sha2::{Digest as _, Sha256};

/// How long a sign-in lasts.
pub const SESSION_LIFETIME_SECS: i64 = 12 * 3600;
/// The session cookie's name.
pub const COOKIE_NAME: &str = "access_console_session";
/// The header the console sends the session's CSRF token in, with every change.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A new random secret: 32 bytes as 64 lowercase hex characters.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    hex(&bytes)
}

/// The SHA-256 of a token, as stored.
pub fn token_sha256(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// A setup code such as `K7QD-3MXP-WT9C`: 60 bits, no look-alike characters.
pub fn new_setup_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let mut code = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    code
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The session token of the request's cookie, if any.
pub fn token_from_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, for the whole origin, `Secure` under HTTPS.
pub fn cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Path=/; Max-Age={SESSION_LIFETIME_SECS}; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    HeaderValue::from_static(if secure {
        "access_console_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
    } else {
        "access_console_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_as_their_hash() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_sha256(&a).len(), 64);
        assert_ne!(token_sha256(&a), a);
    }

    #[test]
    fn setup_codes_have_three_groups_without_look_alikes() {
        let code = new_setup_code();
        assert_eq!(code.len(), 14, "{code}");
        assert!(code
            .chars()
            .all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01IO".contains(c))));
    }

    #[test]
    fn the_cookie_is_found_among_others_and_is_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; access_console_session=abc123 ; other=1"),
        );
        assert_eq!(token_from_cookie(&headers), Some("abc123"));
        let set = cookie("abc123", true);
        let set = set.to_str().unwrap();
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(set.contains(part), "{set}");
        }
        assert!(!cookie("x", false).to_str().unwrap().contains("Secure"));
        assert!(
            same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("ab", "abc")
        );
    }
}
