//! Content negotiation: the API answers JSON with the media type the client asked for.
//!
//! `Accept: application/vnd.atlas.2023-01-01+json` (any `application/vnd.atlas.YYYY-MM-DD+json`) is
//! echoed in `Content-Type`; `application/json`, `*/*`, anything else, or no `Accept` gets
//! `application/json`. An Atlas media type of another form (`application/vnd.atlas.latest+json`,
//! `...+csv`) is answered 406 `INVALID_ACCEPT_HEADER`.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

const ATLAS_PREFIX: &str = "application/vnd.atlas.";

/// Middleware: checks `Accept` before the handler, and sets the answer's JSON content type after it.
pub async fn negotiate(request: Request, next: Next) -> Response {
    let wanted = match requested(request.headers().get(header::ACCEPT)) {
        Ok(wanted) => wanted,
        Err(error) => return error.into_response(),
    };
    let mut response = next.run(request).await;
    if let Some(wanted) = wanted {
        let is_json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"application/json"));
        if is_json {
            response.headers_mut().insert(header::CONTENT_TYPE, wanted);
        }
    }
    response
}

/// The versioned Atlas media type asked for, if any.
pub fn requested(accept: Option<&HeaderValue>) -> Result<Option<HeaderValue>, ApiError> {
    let Some(accept) = accept else {
        return Ok(None);
    };
    let Ok(accept) = accept.to_str() else {
        return Ok(None);
    };
    for item in accept.split(',') {
        let media_type = item
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media_type.starts_with(ATLAS_PREFIX) {
            return if is_versioned_json(&media_type) {
                Ok(HeaderValue::from_str(&media_type).ok())
            } else {
                Err(ApiError::NotAcceptable { media_type })
            };
        }
    }
    Ok(None)
}

/// `application/vnd.atlas.YYYY-MM-DD+json` with a plausible date.
fn is_versioned_json(media_type: &str) -> bool {
    let Some(date) = media_type
        .strip_prefix(ATLAS_PREFIX)
        .and_then(|rest| rest.strip_suffix("+json"))
    else {
        return false;
    };
    let bytes = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .filter(|part| part.iter().all(u8::is_ascii_digit))
            .map(|part| {
                part.iter()
                    .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
            })
    };
    bytes.len() == 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|month| (1..=12).contains(&month))
        && digits(8..10).is_some_and(|day| (1..=31).contains(&day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(accept: &str) -> Result<Option<String>, &'static str> {
        requested(Some(
            &HeaderValue::from_str(accept).unwrap_or(HeaderValue::from_static("")),
        ))
        .map(|wanted| wanted.map(|v| v.to_str().unwrap_or("").to_owned()))
        .map_err(|e| e.code())
    }

    #[test]
    fn echoes_versioned_atlas_json() {
        assert_eq!(
            ask("application/vnd.atlas.2023-01-01+json"),
            Ok(Some("application/vnd.atlas.2023-01-01+json".into()))
        );
        assert_eq!(
            ask("text/plain;q=0.5, Application/Vnd.Atlas.2024-08-05+JSON; charset=utf-8"),
            Ok(Some("application/vnd.atlas.2024-08-05+json".into()))
        );
    }

    #[test]
    fn plain_json_and_browsers_get_application_json() {
        assert_eq!(ask("application/json"), Ok(None));
        assert_eq!(ask("text/html,application/xhtml+xml,*/*;q=0.8"), Ok(None));
        assert_eq!(requested(None).map_err(|e| e.code()), Ok(None));
    }

    #[test]
    fn refuses_other_atlas_media_types() {
        assert_eq!(
            ask("application/vnd.atlas.latest+json"),
            Err("INVALID_ACCEPT_HEADER")
        );
        assert_eq!(
            ask("application/vnd.atlas.2023-01-01+csv"),
            Err("INVALID_ACCEPT_HEADER")
        );
        assert_eq!(
            ask("application/vnd.atlas.2023-13-01+json"),
            Err("INVALID_ACCEPT_HEADER")
        );
        assert_eq!(
            ask("application/vnd.atlas.2023-1-01+json"),
            Err("INVALID_ACCEPT_HEADER")
        );
    }
}
