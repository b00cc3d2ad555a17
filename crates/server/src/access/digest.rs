//! HTTP Digest authentication (RFC 7616) of programmatic API keys, server side, as Atlas does it: realm
//! `MMS Public API`, MD5, `qop=auth`.
//!
//! - The private key is never stored: a key keeps `HA1 = MD5(publicKey:realm:privateKey)` ([`ha1`]).
//! - A nonce is `hex(issued-at ms) hex(12 random bytes) hex(HMAC-SHA256(secret, both)[..16])`, so any server
//!   instance holding the secret (kept in the database) accepts the nonces of the others, with no nonce
//!   table. A nonce older than the lifetime gets a `stale=true` challenge.
//! - Each `nc` of a nonce is accepted once and only above the last one accepted ([`NonceCounts`], bounded
//!   and per instance: a nonce it had to forget is answered as stale, never accepted again).
//!
//! Verification is two steps around the key look-up: [`DigestVerifier::check_request`] (everything that
//! needs no key), then [`DigestVerifier::check_response`] with the key's HA1.

use std::collections::HashMap;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use md5::{Digest as _, Md5};
use sha2::Sha256;

/// Atlas's realm: clients compute HA1 with it.
pub const REALM: &str = "MMS Public API";
/// How long a nonce is accepted: 5 minutes.
pub const NONCE_LIFETIME_MS: u64 = 5 * 60 * 1000;
/// How many nonces [`NonceCounts`] remembers before forgetting the oldest.
pub const NONCE_COUNTS_CAPACITY: usize = 100_000;
/// The longest `Authorization` header value read.
pub const MAX_HEADER_LEN: usize = 4096;

/// `HA1 = MD5(publicKey:realm:privateKey)`, lowercase hex: what is stored instead of the private key.
pub fn ha1(public_key: &str, private_key: &str) -> String {
    md5_hex(&format!("{public_key}:{REALM}:{private_key}"))
}

/// The `response` a client must send for `qop=auth` (RFC 7616 §3.4.1, MD5).
pub fn expected_response(
    ha1: &str,
    nonce: &str,
    nc: &str,
    cnonce: &str,
    method: &str,
    uri: &str,
) -> String {
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
}

/// The `WWW-Authenticate` value of a 401, as Atlas sends it.
pub fn challenge(nonce: &str, stale: bool) -> String {
    format!(
        "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\", stale={stale}"
    )
}

/// The parameters of an `Authorization: Digest ...` header that verification uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DigestCredentials {
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub response: String,
    pub algorithm: Option<String>,
    pub qop: Option<String>,
    /// As sent (8 hex digits when valid).
    pub nc: Option<String>,
    pub cnonce: Option<String>,
    pub userhash: Option<String>,
}

/// Why an `Authorization` value cannot be read as Digest credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the Authorization header is not of the Digest scheme")]
    NotDigest,
    #[error("the Authorization header is longer than {MAX_HEADER_LEN} bytes")]
    TooLong,
    #[error("the Authorization header is not valid at character {position}: expected {expected}")]
    Syntax {
        position: usize,
        expected: &'static str,
    },
    #[error("the Authorization header gives the parameter {0} twice")]
    Duplicate(String),
    #[error("the Authorization header lacks the parameter {0}")]
    Missing(&'static str),
}

/// Reads an `Authorization` header value of the Digest scheme: parameters in any order, names in any
/// case, values as tokens or quoted strings with `\` escapes, empty list elements, unknown parameters
/// ignored. `username`, `realm`, `nonce`, `uri` and `response` are required.
pub fn parse_authorization(value: &str) -> Result<DigestCredentials, ParseError> {
    if value.len() > MAX_HEADER_LEN {
        return Err(ParseError::TooLong);
    }
    let bytes = value.as_bytes();
    let mut at = skip_whitespace(bytes, 0);
    let scheme_end = scan_token(bytes, at);
    if !value
        .get(at..scheme_end)
        .is_some_and(|s| s.eq_ignore_ascii_case("digest"))
    {
        return Err(ParseError::NotDigest);
    }
    at = scheme_end;
    if at < bytes.len() && !is_whitespace(bytes[at]) {
        return Err(ParseError::NotDigest);
    }
    let mut credentials = DigestCredentials::default();
    let mut seen: Vec<String> = Vec::new();
    loop {
        at = skip_whitespace(bytes, at);
        // Empty list elements (",,") are allowed.
        while at < bytes.len() && bytes[at] == b',' {
            at = skip_whitespace(bytes, at + 1);
        }
        if at >= bytes.len() {
            break;
        }
        let name_end = scan_token(bytes, at);
        if name_end == at {
            return Err(ParseError::Syntax {
                position: at + 1,
                expected: "a parameter name",
            });
        }
        let name = value.get(at..name_end).unwrap_or("").to_ascii_lowercase();
        at = skip_whitespace(bytes, name_end);
        if bytes.get(at) != Some(&b'=') {
            return Err(ParseError::Syntax {
                position: at + 1,
                expected: "= after the parameter name",
            });
        }
        at = skip_whitespace(bytes, at + 1);
        let (parameter_value, next) = if bytes.get(at) == Some(&b'"') {
            read_quoted(value, at)?
        } else {
            let end = scan_token(bytes, at);
            if end == at {
                return Err(ParseError::Syntax {
                    position: at + 1,
                    expected: "a value (a token or a quoted string)",
                });
            }
            (value.get(at..end).unwrap_or("").to_owned(), end)
        };
        at = skip_whitespace(bytes, next);
        if at < bytes.len() && bytes[at] != b',' {
            return Err(ParseError::Syntax {
                position: at + 1,
                expected: ", between parameters",
            });
        }
        let slot: Option<&mut String> = match name.as_str() {
            "username" => Some(&mut credentials.username),
            "realm" => Some(&mut credentials.realm),
            "nonce" => Some(&mut credentials.nonce),
            "uri" => Some(&mut credentials.uri),
            "response" => Some(&mut credentials.response),
            _ => None,
        };
        let optional: Option<&mut Option<String>> = match name.as_str() {
            "algorithm" => Some(&mut credentials.algorithm),
            "qop" => Some(&mut credentials.qop),
            "nc" => Some(&mut credentials.nc),
            "cnonce" => Some(&mut credentials.cnonce),
            "userhash" => Some(&mut credentials.userhash),
            _ => None,
        };
        if slot.is_some() || optional.is_some() {
            if seen.contains(&name) {
                return Err(ParseError::Duplicate(name));
            }
            seen.push(name);
        }
        if let Some(slot) = slot {
            *slot = parameter_value;
        } else if let Some(optional) = optional {
            *optional = Some(parameter_value);
        }
    }
    for required in ["username", "realm", "nonce", "uri", "response"] {
        if !seen.iter().any(|s| s == required) {
            return Err(ParseError::Missing(required));
        }
    }
    Ok(credentials)
}

fn is_whitespace(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && is_whitespace(bytes[at]) {
        at += 1;
    }
    at
}

/// The end of the RFC 7230 token starting at `at`.
fn scan_token(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len()
        && (bytes[at].is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&bytes[at]))
    {
        at += 1;
    }
    at
}

/// The quoted string opening at `at` (unescaped) and the index after its closing quote.
fn read_quoted(value: &str, at: usize) -> Result<(String, usize), ParseError> {
    let mut out = String::new();
    let mut chars = value
        .get(at + 1..)
        .unwrap_or("")
        .char_indices()
        .map(|(i, c)| (i + at + 1, c));
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, i + 1)),
            '\\' => match chars.next() {
                Some((_, escaped)) => out.push(escaped),
                None => break,
            },
            c if c.is_control() && c != '\t' => {
                return Err(ParseError::Syntax {
                    position: i + 1,
                    expected: "a printable character in the quoted string",
                })
            }
            c => out.push(c),
        }
    }
    Err(ParseError::Syntax {
        position: value.len() + 1,
        expected: "the closing \" of a quoted string",
    })
}

/// The secret that signs nonces (kept in the database, shared by every server instance).
#[derive(Clone)]
pub struct NonceSecret([u8; 32]);

impl std::fmt::Debug for NonceSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NonceSecret(..)")
    }
}

impl NonceSecret {
    pub fn new(bytes: [u8; 32]) -> NonceSecret {
        NonceSecret(bytes)
    }

    /// A new random secret.
    pub fn generate() -> NonceSecret {
        use rand::Rng as _;
        NonceSecret(rand::thread_rng().gen())
    }

    /// The secret from its stored bytes; `None` unless exactly 32.
    pub fn from_slice(bytes: &[u8]) -> Option<NonceSecret> {
        <[u8; 32]>::try_from(bytes).ok().map(NonceSecret)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn sign(&self, message: &[u8]) -> [u8; 16] {
        let mut signed = [0u8; 16];
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) {
            mac.update(message);
            let tag = mac.finalize().into_bytes();
            signed.copy_from_slice(&tag[..16]);
        }
        signed
    }
}

/// Why a request's Digest credentials are refused (each answered 401 with a new challenge).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Malformed(ParseError),
    #[error("the Digest algorithm {0:?} is not supported: use MD5")]
    UnsupportedAlgorithm(String),
    #[error("Digest authentication needs qop=auth (with nc and cnonce)")]
    QopRequired,
    #[error("the Digest qop {0:?} is not supported: use auth")]
    UnsupportedQop(String),
    #[error("userhash is not supported: send the public key as the username")]
    UserhashNotSupported,
    #[error("the Digest realm {0:?} is not this server's: use \"{REALM}\"")]
    WrongRealm(String),
    #[error("the Digest uri {uri:?} is not the request's target {target:?}")]
    WrongUri { uri: String, target: String },
    #[error("the Digest nc {0:?} is not 8 hexadecimal digits above zero")]
    BadNonceCount(String),
    #[error("the Digest cnonce is missing or empty")]
    MissingCnonce,
    #[error("the Digest nonce was not issued by this server")]
    UnknownNonce,
    #[error("no API key has the public key {0:?}")]
    UnknownKey(String),
    #[error("the Digest response does not match: wrong private key, or a request signed for another method or path")]
    WrongResponse,
    #[error("the Digest nonce has expired")]
    StaleNonce,
    #[error("the Digest nonce count {nc} was used already for this nonce (last accepted: {last})")]
    ReplayedNonceCount { nc: u32, last: u32 },
}

impl Refusal {
    /// Whether the 401's challenge says `stale=true`: the credentials were right but the nonce is too old
    /// (or forgotten), so the client may retry with the new nonce without asking for the key again.
    pub fn stale(&self) -> bool {
        matches!(self, Refusal::StaleNonce)
    }
}

/// Credentials that passed [`DigestVerifier::check_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRequest {
    pub credentials: DigestCredentials,
    issued_at_ms: u64,
    nc: u32,
}

impl CheckedRequest {
    /// The public key the client names.
    pub fn public_key(&self) -> &str {
        &self.credentials.username
    }
}

/// Issues and verifies nonces; remembers the nonce counts used.
#[derive(Debug)]
pub struct DigestVerifier {
    secret: NonceSecret,
    lifetime_ms: u64,
    counts: Mutex<NonceCounts>,
}

impl DigestVerifier {
    pub fn new(secret: NonceSecret) -> DigestVerifier {
        DigestVerifier::with_limits(secret, NONCE_LIFETIME_MS, NONCE_COUNTS_CAPACITY)
    }

    pub fn with_limits(secret: NonceSecret, lifetime_ms: u64, capacity: usize) -> DigestVerifier {
        DigestVerifier {
            secret,
            lifetime_ms,
            counts: Mutex::new(NonceCounts::new(capacity)),
        }
    }

    /// A new nonce issued at `now_ms` (Unix milliseconds).
    pub fn issue_nonce(&self, now_ms: u64) -> String {
        use rand::Rng as _;
        let random: [u8; 12] = rand::thread_rng().gen();
        self.nonce_with(now_ms, random)
    }

    fn nonce_with(&self, issued_at_ms: u64, random: [u8; 12]) -> String {
        let mut message = [0u8; 20];
        message[..8].copy_from_slice(&issued_at_ms.to_be_bytes());
        message[8..].copy_from_slice(&random);
        let tag = self.secret.sign(&message);
        let mut nonce = hex(&message);
        nonce.push_str(&hex(&tag));
        nonce
    }

    /// When a nonce of ours was issued; `None` for anything else.
    fn nonce_issued_at(&self, nonce: &str) -> Option<u64> {
        let bytes = unhex(nonce)?;
        let (message, tag) = bytes.split_at_checked(20)?;
        if !constant_time_eq(&self.secret.sign(message), tag) {
            return None;
        }
        let mut issued = [0u8; 8];
        issued.copy_from_slice(message.get(..8)?);
        Some(u64::from_be_bytes(issued))
    }

    /// Everything that needs no key: algorithm, qop, realm, the uri against the request's target
    /// (`path?query` as received), nc and cnonce, and that the nonce is one of ours.
    pub fn check_request(
        &self,
        credentials: DigestCredentials,
        target: &str,
    ) -> Result<CheckedRequest, Refusal> {
        if let Some(algorithm) = &credentials.algorithm {
            if !algorithm.eq_ignore_ascii_case("MD5") {
                return Err(Refusal::UnsupportedAlgorithm(algorithm.clone()));
            }
        }
        match credentials.qop.as_deref() {
            None => return Err(Refusal::QopRequired),
            Some(qop) if !qop.eq_ignore_ascii_case("auth") => {
                return Err(Refusal::UnsupportedQop(qop.to_owned()))
            }
            Some(_) => {}
        }
        if credentials
            .userhash
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case("true"))
        {
            return Err(Refusal::UserhashNotSupported);
        }
        if credentials.realm != REALM {
            return Err(Refusal::WrongRealm(credentials.realm.clone()));
        }
        if !same_target(&credentials.uri, target) {
            return Err(Refusal::WrongUri {
                uri: credentials.uri.clone(),
                target: target.to_owned(),
            });
        }
        let nc_text = credentials.nc.clone().unwrap_or_default();
        let nc = Some(&nc_text)
            .filter(|t| t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|t| u32::from_str_radix(t, 16).ok())
            .filter(|n| *n > 0)
            .ok_or(Refusal::BadNonceCount(nc_text))?;
        if credentials.cnonce.as_deref().is_none_or(str::is_empty) {
            return Err(Refusal::MissingCnonce);
        }
        let issued_at_ms = self
            .nonce_issued_at(&credentials.nonce)
            .ok_or(Refusal::UnknownNonce)?;
        Ok(CheckedRequest {
            credentials,
            issued_at_ms,
            nc,
        })
    }

    /// The key's part: the response against `ha1` for `method`, then the nonce's age, then its count
    /// (recorded only when everything else passed).
    pub fn check_response(
        &self,
        request: &CheckedRequest,
        method: &str,
        ha1: &str,
        now_ms: u64,
    ) -> Result<(), Refusal> {
        let credentials = &request.credentials;
        let expected = expected_response(
            ha1,
            &credentials.nonce,
            credentials.nc.as_deref().unwrap_or(""),
            credentials.cnonce.as_deref().unwrap_or(""),
            method,
            &credentials.uri,
        );
        if !constant_time_eq(
            expected.as_bytes(),
            credentials.response.to_ascii_lowercase().as_bytes(),
        ) {
            return Err(Refusal::WrongResponse);
        }
        if now_ms.saturating_sub(request.issued_at_ms) > self.lifetime_ms
            || request.issued_at_ms > now_ms.saturating_add(self.lifetime_ms)
        {
            return Err(Refusal::StaleNonce);
        }
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.accept(
            &credentials.nonce,
            request.issued_at_ms,
            request.nc,
            now_ms.saturating_sub(self.lifetime_ms),
        )
    }

    /// Both steps, with the HA1 of the named key from `lookup` (tests and synchronous callers).
    pub fn verify(
        &self,
        authorization: &str,
        method: &str,
        target: &str,
        now_ms: u64,
        lookup: impl FnOnce(&str) -> Option<String>,
    ) -> Result<CheckedRequest, Refusal> {
        let credentials = parse_authorization(authorization).map_err(Refusal::Malformed)?;
        let request = self.check_request(credentials, target)?;
        let ha1 = lookup(request.public_key())
            .ok_or_else(|| Refusal::UnknownKey(request.public_key().to_owned()))?;
        self.check_response(&request, method, &ha1, now_ms)?;
        Ok(request)
    }

    /// How many nonces are remembered now.
    pub fn remembered_nonces(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .last
            .len()
    }
}

/// The last `nc` accepted for each nonce, at most `capacity` nonces. When full, expired nonces are
/// dropped; if none is, the oldest are forgotten and every nonce issued up to then is refused as stale.
#[derive(Debug)]
pub struct NonceCounts {
    last: HashMap<String, (u64, u32)>,
    capacity: usize,
    forgotten_up_to_ms: Option<u64>,
}

impl NonceCounts {
    fn new(capacity: usize) -> NonceCounts {
        NonceCounts {
            last: HashMap::new(),
            capacity: capacity.max(1),
            forgotten_up_to_ms: None,
        }
    }

    fn accept(
        &mut self,
        nonce: &str,
        issued_at_ms: u64,
        nc: u32,
        expired_before_ms: u64,
    ) -> Result<(), Refusal> {
        if self
            .forgotten_up_to_ms
            .is_some_and(|up_to| issued_at_ms <= up_to)
        {
            return Err(Refusal::StaleNonce);
        }
        if let Some((_, last)) = self.last.get(nonce) {
            if nc <= *last {
                return Err(Refusal::ReplayedNonceCount { nc, last: *last });
            }
        } else if self.last.len() >= self.capacity {
            self.last
                .retain(|_, (issued, _)| *issued >= expired_before_ms);
            if self.last.len() >= self.capacity {
                let oldest = self.last.values().map(|(issued, _)| *issued).min();
                if let Some(oldest) = oldest {
                    self.forgotten_up_to_ms =
                        Some(oldest.max(self.forgotten_up_to_ms.unwrap_or(0)));
                    self.last.retain(|_, (issued, _)| *issued > oldest);
                }
                if self
                    .forgotten_up_to_ms
                    .is_some_and(|up_to| issued_at_ms <= up_to)
                {
                    return Err(Refusal::StaleNonce);
                }
            }
        }
        self.last.insert(nonce.to_owned(), (issued_at_ms, nc));
        Ok(())
    }
}

/// Whether the Digest `uri` names the request's target: the same `path?query`, or the same once
/// percent-decoded (a client may encode differently from what it sent), or an absolute URI with that
/// path.
fn same_target(uri: &str, target: &str) -> bool {
    if uri == target {
        return true;
    }
    let uri = match uri.find("://") {
        Some(scheme_end) => uri
            .get(scheme_end + 3..)
            .and_then(|rest| rest.find('/').and_then(|slash| rest.get(slash..)))
            .unwrap_or("/"),
        None => uri,
    };
    uri == target || percent_decode(uri) == percent_decode(target)
}

/// `%XX` decoded to its byte (the `percent-encoding` crate); anything else kept as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

fn md5_hex(text: &str) -> String {
    hex(&Md5::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}

/// Equal in time independent of where they differ (the `subtle` crate); a length mismatch returns at once
/// (lengths are not secret here).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;

    fn verifier() -> DigestVerifier {
        DigestVerifier::new(NonceSecret::new([7; 32]))
    }

    /// An `Authorization` value as urllib (npm) and httpx (PyPI) build it.
    fn authorization(
        public_key: &str,
        private_key: &str,
        nonce: &str,
        nc: &str,
        method: &str,
        uri: &str,
    ) -> String {
        let cnonce = "0a4f113b";
        let response = expected_response(
            &ha1(public_key, private_key),
            nonce,
            nc,
            cnonce,
            method,
            uri,
        );
        format!(
            "Digest username=\"{public_key}\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"{uri}\", \
             response=\"{response}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\", algorithm=MD5"
        )
    }

    fn lookup(key: &'static str, private: &'static str) -> impl Fn(&str) -> Option<String> {
        move |name| (name == key).then(|| ha1(key, private))
    }

    #[test]
    fn rfc_2617_and_7616_md5_vectors() {
        // RFC 2617 §3.5 (and RFC 7616 §3.9.1, MD5): Mufasa / "Circle Of Life".
        let ha1 = md5_hex("Mufasa:testrealm@host.com:Circle Of Life");
        assert_eq!(ha1, "939e7578ed9e3c518a452acee763bce9");
        assert_eq!(
            expected_response(
                &ha1,
                "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "00000001",
                "0a4f113b",
                "GET",
                "/dir/index.html"
            ),
            "6629fae49393a05397450978507c4ef1"
        );
        // RFC 7616 §3.9.1, MD5.
        let ha1 = md5_hex("Mufasa:http-auth@example.org:Circle of Life");
        assert_eq!(
            expected_response(
                &ha1,
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                "00000001",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                "GET",
                "/dir/index.html"
            ),
            "8ca523f5e9506fed4657c9700eebdbec"
        );
    }

    #[test]
    fn parses_the_rfc_example_in_any_order_case_and_quoting() {
        let header = "Digest username=\"Mufasa\",\r\n realm=\"http-auth@example.org\"";
        // CR LF is not allowed inside a header value once received; the parser refuses it.
        assert!(parse_authorization(header).is_err());
        let parsed = parse_authorization(
            "digest  NC=00000001 ,, qop=\"auth\",uri=\"/dir/index.html\" , realm=\"http-auth@example.org\", \
             CNonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", \
             response=\"8ca523f5e9506fed4657c9700eebdbec\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
             username=\"Mu\\\"fa\\sa\", algorithm=MD5, future-param=tok, ",
        )
        .expect("parses");
        assert_eq!(parsed.username, "Mu\"fasa");
        assert_eq!(parsed.realm, "http-auth@example.org");
        assert_eq!(parsed.uri, "/dir/index.html");
        assert_eq!(parsed.qop.as_deref(), Some("auth"));
        assert_eq!(parsed.nc.as_deref(), Some("00000001"));
        assert_eq!(parsed.algorithm.as_deref(), Some("MD5"));
        assert_eq!(
            parsed.cnonce.as_deref(),
            Some("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        );
        // A comma inside a quoted string does not end the parameter.
        let quoted = parse_authorization(
            "Digest username=\"a,b\", realm=\"r\", nonce=\"n\", uri=\"/x?a=1,2\", response=\"r\"",
        )
        .expect("parses");
        assert_eq!(
            (quoted.username.as_str(), quoted.uri.as_str()),
            ("a,b", "/x?a=1,2")
        );
    }

    #[test]
    fn refuses_malformed_headers_with_the_place() {
        assert_eq!(
            parse_authorization("Basic dXNlcjpwYXNz"),
            Err(ParseError::NotDigest)
        );
        assert_eq!(
            parse_authorization("Digestive x=1"),
            Err(ParseError::NotDigest)
        );
        assert_eq!(
            parse_authorization(&format!("Digest username=\"{}\"", "a".repeat(5000))),
            Err(ParseError::TooLong)
        );
        assert_eq!(
            parse_authorization("Digest username=\"abc"),
            Err(ParseError::Syntax {
                position: 21,
                expected: "the closing \" of a quoted string"
            })
        );
        assert_eq!(
            parse_authorization("Digest username"),
            Err(ParseError::Syntax {
                position: 16,
                expected: "= after the parameter name"
            })
        );
        assert_eq!(
            parse_authorization("Digest username=,"),
            Err(ParseError::Syntax {
                position: 17,
                expected: "a value (a token or a quoted string)"
            })
        );
        assert_eq!(
            parse_authorization("Digest username=a b"),
            Err(ParseError::Syntax {
                position: 19,
                expected: ", between parameters"
            })
        );
        assert_eq!(
            parse_authorization("Digest =x"),
            Err(ParseError::Syntax {
                position: 8,
                expected: "a parameter name"
            })
        );
        assert_eq!(
            parse_authorization("Digest username=a, USERNAME=b"),
            Err(ParseError::Duplicate("username".into()))
        );
        assert_eq!(
            parse_authorization("Digest username=a, realm=b, nonce=c, uri=\"/\""),
            Err(ParseError::Missing("response"))
        );
        // Never panics on arbitrary bytes, multi-byte characters or cut escapes.
        for text in [
            "Digest username=\"é\\",
            "Digest é=1",
            "Digest username=\"\u{7f}\"",
            "Digest ,,,,",
            "",
            "Digest",
        ] {
            let _ = parse_authorization(text);
        }
    }

    #[test]
    fn accepts_a_client_request_and_each_next_nonce_count() {
        let verifier = verifier();
        let nonce = verifier.issue_nonce(NOW);
        let uri = "/api/atlas/v2/groups/5f1a2b3c4d5e6f7a8b9c0d1e/databaseUsers?pageNum=1";
        let header = authorization("abcdefgh", "priv-key", &nonce, "00000001", "GET", uri);
        let accepted = verifier
            .verify(
                &header,
                "GET",
                uri,
                NOW + 1000,
                lookup("abcdefgh", "priv-key"),
            )
            .expect("accepted");
        assert_eq!(accepted.public_key(), "abcdefgh");
        // urllib counts nc across nonces: the first nc seen for a nonce may be above 1.
        let header = authorization("abcdefgh", "priv-key", &nonce, "00000007", "POST", uri);
        verifier
            .verify(
                &header,
                "POST",
                uri,
                NOW + 2000,
                lookup("abcdefgh", "priv-key"),
            )
            .expect("a higher nc of the same nonce is accepted");
        // The uri may be percent-encoded differently from the request line, or absolute.
        let encoded = "/api/atlas/v2/groups/g/databaseUsers/%24external/CN%3Dalice";
        let header = authorization("abcdefgh", "priv-key", &nonce, "00000008", "GET", encoded);
        verifier
            .verify(
                &header,
                "GET",
                "/api/atlas/v2/groups/g/databaseUsers/$external/CN=alice",
                NOW + 3000,
                lookup("abcdefgh", "priv-key"),
            )
            .expect("same target once decoded");
        let absolute = "http://127.0.0.1:8080/api/atlas/v2/groups";
        let header = authorization("abcdefgh", "priv-key", &nonce, "00000009", "GET", absolute);
        verifier
            .verify(
                &header,
                "GET",
                "/api/atlas/v2/groups",
                NOW,
                lookup("abcdefgh", "priv-key"),
            )
            .expect("absolute-form uri");
    }

    #[test]
    fn a_nonce_of_another_instance_with_the_same_secret_is_accepted() {
        let one = verifier();
        let other = verifier();
        let nonce = one.issue_nonce(NOW);
        let header = authorization("abcdefgh", "k", &nonce, "00000001", "GET", "/api");
        other
            .verify(&header, "GET", "/api", NOW, lookup("abcdefgh", "k"))
            .expect("shared secret");
        let stranger = DigestVerifier::new(NonceSecret::new([8; 32]));
        assert_eq!(
            stranger
                .verify(&header, "GET", "/api", NOW, lookup("abcdefgh", "k"))
                .map(|_| ()),
            Err(Refusal::UnknownNonce)
        );
    }

    #[test]
    fn refuses_each_wrong_credential() {
        let verifier = verifier();
        let nonce = verifier.issue_nonce(NOW);
        let good = authorization("abcdefgh", "k", &nonce, "00000001", "GET", "/api/x");
        let check = |header: &str, method: &str, target: &str| {
            verifier
                .verify(header, method, target, NOW, lookup("abcdefgh", "k"))
                .map(|_| ())
        };
        assert_eq!(
            check("Basic Zm9vOmJhcg==", "GET", "/api/x"),
            Err(Refusal::Malformed(ParseError::NotDigest))
        );
        assert_eq!(
            check(
                &good.replace("algorithm=MD5", "algorithm=SHA-256"),
                "GET",
                "/api/x"
            ),
            Err(Refusal::UnsupportedAlgorithm("SHA-256".into()))
        );
        assert_eq!(
            check(&good.replace("qop=auth", "qop=auth-int"), "GET", "/api/x"),
            Err(Refusal::UnsupportedQop("auth-int".into()))
        );
        assert_eq!(
            check(&good.replace("qop=auth, ", ""), "GET", "/api/x"),
            Err(Refusal::QopRequired)
        );
        assert_eq!(
            check(&format!("{good}, userhash=true"), "GET", "/api/x"),
            Err(Refusal::UserhashNotSupported)
        );
        assert_eq!(
            check(&good.replace(REALM, "other"), "GET", "/api/x"),
            Err(Refusal::WrongRealm("other".into()))
        );
        assert_eq!(
            check(&good, "GET", "/api/y"),
            Err(Refusal::WrongUri {
                uri: "/api/x".into(),
                target: "/api/y".into()
            })
        );
        for nc in ["00000000", "0000001", "0000000g", "+0000001"] {
            assert_eq!(
                check(
                    &good.replace("nc=00000001", &format!("nc={nc}")),
                    "GET",
                    "/api/x"
                ),
                Err(Refusal::BadNonceCount(nc.into())),
                "{nc}"
            );
        }
        assert_eq!(
            check(
                &good.replace("cnonce=\"0a4f113b\"", "cnonce=\"\""),
                "GET",
                "/api/x"
            ),
            Err(Refusal::MissingCnonce)
        );
        assert_eq!(
            check(&good.replace(&nonce, "0123abcd"), "GET", "/api/x"),
            Err(Refusal::UnknownNonce)
        );
        // A nonce whose timestamp was changed no longer matches its signature.
        let forged = format!("{:016x}{}", NOW + 1, nonce.get(16..).unwrap_or(""));
        assert_eq!(
            check(&good.replace(&nonce, &forged), "GET", "/api/x"),
            Err(Refusal::UnknownNonce)
        );
        assert_eq!(
            check(&good.replace("abcdefgh", "zzzzzzzz"), "GET", "/api/x"),
            Err(Refusal::UnknownKey("zzzzzzzz".into()))
        );
        let wrong_key = authorization("abcdefgh", "not-k", &nonce, "00000001", "GET", "/api/x");
        assert_eq!(
            check(&wrong_key, "GET", "/api/x"),
            Err(Refusal::WrongResponse)
        );
        // Signed for GET, sent as DELETE.
        assert_eq!(
            check(&good, "DELETE", "/api/x"),
            Err(Refusal::WrongResponse)
        );
        assert_eq!(
            verifier.remembered_nonces(),
            0,
            "refused requests use up no nonce count"
        );
        assert_eq!(check(&good, "GET", "/api/x"), Ok(()));
    }

    #[test]
    fn refuses_replayed_and_lower_nonce_counts() {
        let verifier = verifier();
        let nonce = verifier.issue_nonce(NOW);
        let send = |nc: &str| {
            let header = authorization("abcdefgh", "k", &nonce, nc, "GET", "/api");
            verifier
                .verify(&header, "GET", "/api", NOW, lookup("abcdefgh", "k"))
                .map(|_| ())
        };
        assert_eq!(send("00000002"), Ok(()));
        assert_eq!(
            send("00000002"),
            Err(Refusal::ReplayedNonceCount { nc: 2, last: 2 })
        );
        assert_eq!(
            send("00000001"),
            Err(Refusal::ReplayedNonceCount { nc: 1, last: 2 })
        );
        assert_eq!(send("0000000A"), Ok(()), "hex digits in either case");
        assert!(!Refusal::ReplayedNonceCount { nc: 1, last: 2 }.stale());
    }

    #[test]
    fn an_expired_nonce_is_stale_only_when_the_response_is_right() {
        let verifier = verifier();
        let nonce = verifier.issue_nonce(NOW);
        let header = authorization("abcdefgh", "k", &nonce, "00000001", "GET", "/api");
        let later = NOW + NONCE_LIFETIME_MS + 1;
        let refusal = verifier
            .verify(&header, "GET", "/api", later, lookup("abcdefgh", "k"))
            .map(|_| ());
        assert_eq!(refusal, Err(Refusal::StaleNonce));
        assert!(Refusal::StaleNonce.stale());
        let wrong = authorization("abcdefgh", "bad", &nonce, "00000001", "GET", "/api");
        assert_eq!(
            verifier
                .verify(&wrong, "GET", "/api", later, lookup("abcdefgh", "k"))
                .map(|_| ()),
            Err(Refusal::WrongResponse)
        );
        // Exactly at the lifetime it is still accepted; a nonce from the future is not.
        assert!(verifier
            .verify(
                &header,
                "GET",
                "/api",
                NOW + NONCE_LIFETIME_MS,
                lookup("abcdefgh", "k")
            )
            .is_ok());
        let future = verifier.issue_nonce(NOW + 2 * NONCE_LIFETIME_MS);
        let header = authorization("abcdefgh", "k", &future, "00000001", "GET", "/api");
        assert_eq!(
            verifier
                .verify(&header, "GET", "/api", NOW, lookup("abcdefgh", "k"))
                .map(|_| ()),
            Err(Refusal::StaleNonce)
        );
    }

    #[test]
    fn the_nonce_count_memory_is_bounded_and_never_reaccepts_a_forgotten_nonce() {
        let verifier = DigestVerifier::with_limits(NonceSecret::new([1; 32]), NONCE_LIFETIME_MS, 3);
        let send = |nonce: &str, nc: &str, now: u64| {
            let header = authorization("abcdefgh", "k", nonce, nc, "GET", "/api");
            verifier
                .verify(&header, "GET", "/api", now, lookup("abcdefgh", "k"))
                .map(|_| ())
        };
        let nonces: Vec<String> = (0..3).map(|i| verifier.issue_nonce(NOW + i)).collect();
        for nonce in &nonces {
            assert_eq!(send(nonce, "00000001", NOW + 10), Ok(()));
        }
        assert_eq!(verifier.remembered_nonces(), 3);
        // A fourth, with none expired: the oldest is forgotten, and answered as stale from then on.
        let fourth = verifier.issue_nonce(NOW + 5);
        assert_eq!(send(&fourth, "00000001", NOW + 10), Ok(()));
        assert_eq!(verifier.remembered_nonces(), 3);
        assert_eq!(
            send(&nonces[0], "00000002", NOW + 10),
            Err(Refusal::StaleNonce)
        );
        assert_eq!(send(&nonces[1], "00000002", NOW + 10), Ok(()));
        // Later, expired nonces make room first.
        let much_later = NOW + NONCE_LIFETIME_MS + 100;
        let fresh = verifier.issue_nonce(much_later);
        assert_eq!(send(&fresh, "00000001", much_later), Ok(()));
        assert_eq!(verifier.remembered_nonces(), 1);
    }

    #[test]
    fn the_challenge_is_atlas_s_and_nonces_are_readable_by_simple_clients() {
        let verifier = verifier();
        let nonce = verifier.issue_nonce(NOW);
        assert!(nonce.bytes().all(|b| b.is_ascii_hexdigit()), "{nonce}");
        assert_eq!(nonce.len(), 72);
        assert_ne!(nonce, verifier.issue_nonce(NOW), "random part");
        assert_eq!(
            challenge("abc", false),
            "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"abc\", algorithm=MD5, qop=\"auth\", stale=false"
        );
        assert!(challenge("abc", true).ends_with("stale=true"));
        assert_eq!(ha1("abcdefgh", "x"), md5_hex("abcdefgh:MMS Public API:x"));
    }
}
