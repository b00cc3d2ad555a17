//! Cross-origin requests: only from the origins given with `--cors-origin`
//! ([`crate::ServeOptions::cors_origins`]); with none, no CORS header is ever sent.

use std::fmt;

use axum::http::{header, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Why a `--cors-origin` value is not an origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--cors-origin {given:?} is not an origin (scheme://host[:port], e.g. https://console.example.com): {problem}")]
pub struct InvalidCorsOrigin {
    pub given: String,
    pub problem: OriginProblem,
}

/// What is wrong with a `--cors-origin` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OriginProblem {
    #[error("the scheme must be http:// or https://")]
    Scheme,
    #[error("the host is missing")]
    NoHost,
    #[error("the host has a character a host name or IP address cannot have")]
    Host,
    #[error("the port must be a number from 1 to 65535")]
    Port,
    #[error("an origin has no path, query or fragment (not even a trailing /)")]
    Path,
    #[error("an origin has no user name or password")]
    UserInfo,
}

/// A checked origin, serialized as browsers send it in `Origin`: lower case, without the default port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

impl Origin {
    /// Parses `scheme://host[:port]` (http or https; a host name, IPv4 address or `[IPv6]`).
    pub fn parse(given: &str) -> Result<Self, InvalidCorsOrigin> {
        let fail = |problem| InvalidCorsOrigin {
            given: given.to_owned(),
            problem,
        };
        let lower = given.to_ascii_lowercase();
        let (scheme, rest) = lower.split_once("://").ok_or(fail(OriginProblem::Scheme))?;
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return Err(fail(OriginProblem::Scheme)),
        };
        if rest.contains(['/', '?', '#']) {
            return Err(fail(OriginProblem::Path));
        }
        if rest.contains('@') {
            return Err(fail(OriginProblem::UserInfo));
        }
        let (host, port) = split_host_port(rest).map_err(fail)?;
        if host.is_empty() {
            return Err(fail(OriginProblem::NoHost));
        }
        let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(ipv6) => ipv6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        };
        if !host_ok {
            return Err(fail(OriginProblem::Host));
        }
        Ok(match port {
            Some(port) if port != default_port => Self(format!("{scheme}://{host}:{port}")),
            _ => Self(format!("{scheme}://{host}")),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `host[:port]` with `host` possibly `[IPv6]`.
fn split_host_port(rest: &str) -> Result<(&str, Option<u16>), OriginProblem> {
    let colon = if rest.starts_with('[') {
        let close = rest.find(']').ok_or(OriginProblem::Host)?;
        match rest.get(close + 1..) {
            Some("") | None => None,
            Some(after) if after.starts_with(':') => Some(close + 1),
            Some(_) => return Err(OriginProblem::Host),
        }
    } else {
        rest.rfind(':')
    };
    let Some(colon) = colon else {
        return Ok((rest, None));
    };
    let (host, port) = (
        rest.get(..colon).unwrap_or(""),
        rest.get(colon + 1..).unwrap_or(""),
    );
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OriginProblem::Port);
    }
    match port.parse::<u16>() {
        Ok(0) | Err(_) => Err(OriginProblem::Port),
        Ok(port) => Ok((host, Some(port))),
    }
}

/// Checks every `--cors-origin` value.
pub fn parse_origins(given: &[String]) -> Result<Vec<Origin>, InvalidCorsOrigin> {
    given.iter().map(|o| Origin::parse(o)).collect()
}

/// The CORS layer for `origins`, or `None` (no CORS headers at all) when there are none.
///
/// Preflights get the API's methods and the request headers the UI sends; `ETag` and `Retry-After`
/// are readable by the other origin.
pub fn layer(origins: &[Origin]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allowed = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.as_str()).ok());
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
            ])
            .allow_headers([
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::IF_MATCH,
                header::AUTHORIZATION,
                HeaderName::from_static(crate::access::session::CSRF_HEADER),
            ])
            .expose_headers([header::ETAG, header::RETRY_AFTER]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized_like_the_origin_header() {
        let ok = |s: &str| Origin::parse(s).map(|o| o.to_string());
        assert_eq!(
            ok("https://Console.Example.com"),
            Ok("https://console.example.com".into())
        );
        assert_eq!(
            ok("https://console.example.com:443"),
            Ok("https://console.example.com".into())
        );
        assert_eq!(
            ok("http://127.0.0.1:8081"),
            Ok("http://127.0.0.1:8081".into())
        );
        assert_eq!(ok("http://[::1]:3000"), Ok("http://[::1]:3000".into()));
        assert_eq!(ok("http://[::1]"), Ok("http://[::1]".into()));
    }

    #[test]
    fn non_origins_are_refused_with_the_reason() {
        let problem = |s: &str| Origin::parse(s).map_err(|e| e.problem);
        assert_eq!(problem("console.example.com"), Err(OriginProblem::Scheme));
        assert_eq!(problem("ftp://example.com"), Err(OriginProblem::Scheme));
        assert_eq!(problem("https://example.com/"), Err(OriginProblem::Path));
        assert_eq!(problem("https://example.com/ui"), Err(OriginProblem::Path));
        assert_eq!(problem("https://"), Err(OriginProblem::NoHost));
        assert_eq!(
            problem("https://a@example.com"),
            Err(OriginProblem::UserInfo)
        );
        assert_eq!(problem("https://exa mple.com"), Err(OriginProblem::Host));
        assert_eq!(problem("https://example.com:0"), Err(OriginProblem::Port));
        assert_eq!(
            problem("https://example.com:99999"),
            Err(OriginProblem::Port)
        );
        assert_eq!(problem("https://example.com:"), Err(OriginProblem::Port));
        assert_eq!(problem("http://[::1"), Err(OriginProblem::Host));
        assert_eq!(problem("http://[zz]"), Err(OriginProblem::Host));
        assert_eq!(problem("*"), Err(OriginProblem::Scheme));
        let message = Origin::parse("https://example.com/")
            .unwrap_err()
            .to_string();
        assert!(message.contains("--cors-origin"), "{message}");
    }
}
