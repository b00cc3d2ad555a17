//! Security headers on every response (API, UI files, errors, 404s): a Content-Security-Policy that lets
//! the Trunk-built Wasm UI start and nothing else run, `X-Content-Type-Options: nosniff`,
//! `Referrer-Policy: no-referrer` and `X-Frame-Options: DENY`.
//!
//! Trunk's `index.html` starts the app with an inline module script; the policy allows exactly that
//! script by its SHA-256, computed at start from the served `index.html` (a new build needs a restart).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::cors::Origin;

/// The headers added to every response.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// `Strict-Transport-Security`, when the server speaks HTTPS itself.
    hsts: Option<HeaderValue>,
}

/// Used when the policy built from the configuration is not a valid header value (cannot happen with
/// checked origins and base64 hashes): the same policy without hashes and extra origins.
const FALLBACK_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

impl SecurityHeaders {
    /// The policy for a UI whose `index.html` is `index_html` (`None`: API only), which may fetch from
    /// its own origin and from `connect_to` (the API on another origin, the CORS origins).
    pub fn new(index_html: Option<&str>, connect_to: &[Origin]) -> Self {
        let policy = content_security_policy(index_html, connect_to);
        let csp = HeaderValue::try_from(policy).unwrap_or_else(|error| {
            tracing::warn!(%error, "the Content-Security-Policy is not a header value; using a stricter one");
            HeaderValue::from_static(FALLBACK_POLICY)
        });
        Self { csp, hsts: None }
    }

    /// Adds `Strict-Transport-Security: max-age=31536000` (one year; not `includeSubDomains`: other
    /// hosts of the domain are not ours to decide), for a server that speaks HTTPS.
    pub fn with_hsts(mut self) -> Self {
        self.hsts = Some(HeaderValue::from_static("max-age=31536000"));
        self
    }
}

/// The policy text; see the module documentation.
pub fn content_security_policy(index_html: Option<&str>, connect_to: &[Origin]) -> String {
    let mut script_src = "'self' 'wasm-unsafe-eval'".to_owned();
    for hash in index_html.map(inline_script_hashes).unwrap_or_default() {
        script_src.push_str(&format!(" '{hash}'"));
    }
    let mut connect_src = "'self'".to_owned();
    for origin in connect_to {
        if !connect_src.split(' ').any(|o| o == origin.as_str()) {
            connect_src.push(' ');
            connect_src.push_str(origin.as_str());
        }
    }
    format!(
        "default-src 'self'; script-src {script_src}; worker-src 'self'; connect-src {connect_src}; \
         style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'self'"
    )
}

/// `sha256-<base64>` of each inline `<script>` (one without `src`) in `html`, as a browser hashes it:
/// the text between the tags, line breaks normalized to `\n` as the HTML parser does.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` apply to `html`.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(open) = lower.get(from..).and_then(|rest| rest.find("<script")) {
        let open = from + open;
        let Some(tag_end) = lower.get(open..).and_then(|rest| rest.find('>')) else {
            break;
        };
        let body_start = open + tag_end + 1;
        let Some(close) = lower
            .get(body_start..)
            .and_then(|rest| rest.find("</script"))
        else {
            break;
        };
        let body_end = body_start + close;
        let tag = lower
            .get(open + "<script".len()..open + tag_end)
            .unwrap_or("");
        let has_src = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attribute| attribute == "src" || attribute.starts_with("src="));
        if !has_src {
            let body = html.get(body_start..body_end).unwrap_or("");
            let normalized = body.replace("\r\n", "\n").replace('\r', "\n");
            let digest = Sha256::digest(normalized.as_bytes());
            hashes.push(format!("sha256-{}", base64(&digest)));
        }
        from = body_end;
    }
    hashes
}

/// Standard base64 with padding (RFC 4648 §4), as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The origin of `apiBase` in the UI's `config.json`, when it names another server
/// (`{"apiBase": "https://api.example.com"}`); `None` for same origin, a relative path, or no file.
pub fn api_base_origin(config_json: &str) -> Option<Origin> {
    let config: serde_json::Value = serde_json::from_str(config_json).ok()?;
    let base = config.get("apiBase")?.as_str()?;
    let (scheme, rest) = base.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match Origin::parse(&format!("{scheme}://{authority}")) {
        Ok(origin) => Some(origin),
        Err(error) => {
            tracing::warn!(%error, "config.json: apiBase is not a URL; not allowed in connect-src");
            None
        }
    }
}

/// Adds the security headers to `response` (axum `map_response_with_state`).
pub async fn add(State(headers): State<Arc<SecurityHeaders>>, mut response: Response) -> Response {
    let map = response.headers_mut();
    map.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    map.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    map.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    map.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(hsts) = &headers.hsts {
        map.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256(text: &str) -> String {
        format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<head><SCRIPT type=\"module\">\r\nimport init from './a.js';\r\n</SCRIPT>\
                    <script src=\"./b.js\"></script><script>x()</script></head>";
        assert_eq!(
            inline_script_hashes(html),
            vec![sha256("\nimport init from './a.js';\n"), sha256("x()")]
        );
        assert!(inline_script_hashes("<script>never closed").is_empty());
        assert!(inline_script_hashes("<p>no script</p>").is_empty());
    }

    #[test]
    fn policy_names_the_hashes_and_origins() {
        let api = Origin::parse("https://api.example.com").expect("origin");
        let policy =
            content_security_policy(Some("<script>x()</script>"), &[api.clone(), api.clone()]);
        assert!(
            policy.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' '{}';",
                sha256("x()")
            )),
            "{policy}"
        );
        assert!(
            policy.contains("connect-src 'self' https://api.example.com;"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let header = SecurityHeaders::new(None, &[]);
        assert_eq!(
            header.csp.to_str().ok(),
            Some(FALLBACK_POLICY),
            "API only: no hash, own origin only"
        );
    }

    #[test]
    fn api_base_from_config_json() {
        let origin = |json: &str| api_base_origin(json).map(|o| o.to_string());
        assert_eq!(
            origin(r#"{"apiBase": "https://API.example.com:8443/v/"}"#),
            Some("https://api.example.com:8443".into())
        );
        assert_eq!(origin(r#"{"apiBase": ""}"#), None);
        assert_eq!(origin(r#"{"apiBase": "/api"}"#), None);
        assert_eq!(origin("not json"), None);
    }
}
