//! The JSON request body extractor: every way a body can be wrong becomes an [`ApiError`] that says what
//! and where (line, column, field path), in the Atlas envelope.
//!
//! Messages never repeat string values from the body: a PEM private key pasted into the wrong field must
//! not come back in a response or reach a log.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::objects_only::ObjectsOnly;
use super::{ApiError, BODY_LIMIT_BYTES};

/// The body limit of a route with its own `DefaultBodyLimit` (import, drift), so that a refusal names
/// the limit in effect; routes without it have [`BODY_LIMIT_BYTES`].
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if let Some(content_type) = request.headers().get(header::CONTENT_TYPE) {
            let shown = String::from_utf8_lossy(content_type.as_bytes()).into_owned();
            if !is_json(&shown) {
                return Err(ApiError::UnsupportedMediaType {
                    content_type: shown,
                });
            }
        }
        let limit = request
            .extensions()
            .get::<BodyLimit>()
            .map_or(BODY_LIMIT_BYTES, |l| l.0);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::InvalidJson {
                        detail: format!(
                            "The request body could not be read: {}.",
                            rejection.body_text()
                        ),
                        line: 0,
                        column: 0,
                    }
                }
            })?;
        parse(&bytes).map(JsonBody)
    }
}

/// `application/json`, `application/*+json` (e.g. `application/vnd.atlas.2023-01-01+json`), any parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses `bytes` as a `T`, with errors that name the line, column and field path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::InvalidJson {
            detail: "The request body is empty: send a JSON object, e.g. {\"customerX509\": {\"cas\": \"<PEM>\"}}."
                .to_owned(),
            line: 1,
            column: 1,
        });
    }
    // Syntax first, over the whole body, so that broken JSON is reported as such wherever it is.
    if let Err(error) = serde_json::from_slice::<serde_json::Value>(bytes) {
        return Err(refusal(String::new(), &error));
    }
    // serde's derive reads a struct from an array too (`["Cluster0", "7.0"]` as `name`, `version`):
    // an array body is refused here unless the resource takes a list (the API key access list: an empty
    // array reads as one), and an array where a nested object is wanted by [`ObjectsOnly`].
    if let Some(at) = bytes.iter().position(|b| !b.is_ascii_whitespace()) {
        let takes_a_list =
            T::deserialize(ObjectsOnly(&mut serde_json::Deserializer::from_str("[]"))).is_ok();
        if bytes.get(at) == Some(&b'[') && !takes_a_list {
            let before = bytes.get(..at).unwrap_or_default();
            let line = 1 + before.iter().filter(|b| **b == b'\n').count();
            let column = 1 + before.iter().rev().take_while(|b| **b != b'\n').count();
            return Err(ApiError::InvalidAttribute {
                path: String::new(),
                detail: format!(
                    "The request body (line {line}, column {column}) is a JSON array; this resource \
                     takes a JSON object ({{...}})."
                ),
            });
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T =
        serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer)).map_err(|error| {
            let path: String = error
                .path()
                .to_string()
                .chars()
                .take(MAX_MESSAGE_CHARS)
                .collect();
            refusal(path, &error.into_inner())
        })?;
    // Trailing data after the value is a syntax error too.
    deserializer
        .end()
        .map_err(|error| refusal(String::new(), &error))?;
    Ok(value)
}

/// The error for `inner`, met at the field `path` ("." or "" for the whole body).
fn refusal(path: String, inner: &serde_json::Error) -> ApiError {
    let (line, column) = (inner.line(), inner.column());
    let what = describe(inner);
    match inner.classify() {
        serde_json::error::Category::Data => {
            let path = if path == "." { String::new() } else { path };
            if let Some((name, expected)) = unknown_field(&what) {
                // serde's derive has the name in the path already; a hand-written visitor does not.
                let path = if path.is_empty() {
                    name.to_owned()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path
                } else {
                    format!("{path}.{name}")
                };
                return ApiError::InvalidAttribute {
                    detail: format!("Unknown attribute {path} (line {line}, column {column}); {expected}."),
                    path,
                };
            }
            if path.is_empty() {
                ApiError::InvalidAttribute {
                    path: String::new(),
                    detail: format!(
                        "The request body (line {line}, column {column}) is not what this resource takes: {what}."
                    ),
                }
            } else {
                ApiError::InvalidAttribute {
                    detail: format!("Invalid attribute {path} (line {line}, column {column}): {what}."),
                    path,
                }
            }
        }
        serde_json::error::Category::Eof => ApiError::InvalidJson {
            detail: format!(
                "The request body is not valid JSON: it ends too early, at line {line}, column {column} \
                 (an unclosed string, object or array?)."
            ),
            line,
            column,
        },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => ApiError::InvalidJson {
            detail: format!("The request body is not valid JSON: {what} at line {line}, column {column}."),
            line,
            column,
        },
    }
}

/// The name and the "expected ..." part of serde's "unknown field `name`, expected ..." message.
fn unknown_field(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, expected) = rest.split_once("`, ")?;
    Some((name, expected))
}

/// serde_json's message without its " at line L column C" tail and without any string value it quotes.
fn describe(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let tail = format!(" at line {} column {}", error.line(), error.column());
    let message = redact_strings(message.strip_suffix(&tail).unwrap_or(&message));
    // An unknown attribute is quoted in full: keep the message short whatever the client sent.
    if message.chars().count() > MAX_MESSAGE_CHARS {
        message
            .chars()
            .take(MAX_MESSAGE_CHARS)
            .chain("…".chars())
            .collect()
    } else {
        message
    }
}

const MAX_MESSAGE_CHARS: usize = 300;

/// Replaces every `string "..."` (serde's way of showing an unexpected string value) by `a string`.
fn redact_strings(message: &str) -> String {
    const MARK: &str = "string \"";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((before, quoted)) = rest.split_once(MARK) {
        out.push_str(before);
        out.push_str("a string");
        // The value is shown with Rust's Debug escaping: skip to the first unescaped quote.
        let mut end = quoted.len();
        let mut escaped = false;
        for (index, c) in quoted.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = index + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = quoted.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(
        deny_unknown_fields,
        rename_all = "camelCase",
        expecting = "an object like {\"cas\": \"<PEM>\"}"
    )]
    struct Inner {
        #[allow(dead_code)]
        cas: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Outer {
        #[allow(dead_code)]
        customer_x509: Option<Inner>,
    }

    fn error_of(body: &str) -> (String, String) {
        match parse::<Outer>(body.as_bytes()) {
            Ok(value) => panic!("{body} parsed as {value:?}"),
            Err(error) => (error.code().to_owned(), error.to_string()),
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        let (code, detail) = error_of("{\"customerX509\": {\"cas\": \"x\",}}");
        assert_eq!(code, "INVALID_JSON");
        assert!(
            detail.contains("trailing comma at line 1, column 30"),
            "{detail}"
        );
        let (code, detail) = error_of("{\"customerX509\": ");
        assert_eq!(code, "INVALID_JSON");
        assert!(detail.contains("ends too early"), "{detail}");
        let (code, detail) = error_of("{} {}");
        assert_eq!(code, "INVALID_JSON");
        assert!(detail.contains("trailing characters"), "{detail}");
        assert_eq!(error_of("  \n").0, "INVALID_JSON");
    }

    #[test]
    fn type_errors_name_the_field() {
        let (code, detail) = error_of("{\"customerX509\": {\"cas\": 5}}");
        assert_eq!(code, "INVALID_ATTRIBUTE");
        assert!(
            detail.starts_with("Invalid attribute customerX509.cas (line 1, column 26)"),
            "{detail}"
        );
        assert!(
            detail.contains("integer `5`, expected a string"),
            "{detail}"
        );
        let (_, detail) = error_of("{\"customerX509\": {\"ca\": \"x\"}}");
        assert_eq!(
            detail,
            "Unknown attribute customerX509.ca (line 1, column 22); expected `cas`."
        );
        let (_, detail) = error_of("{\"customerx509\": {}}");
        assert_eq!(
            detail,
            "Unknown attribute customerx509 (line 1, column 15); expected `customerX509`."
        );
    }

    #[test]
    fn string_values_are_never_repeated() {
        let secret = "-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEG\\\"quoted\\\"\\n-----END PRIVATE KEY-----";
        for body in [
            format!("{{\"customerX509\": \"{secret}\"}}"),
            format!("\"{secret}\""),
        ] {
            let (code, detail) = error_of(&body);
            assert_eq!(code, "INVALID_ATTRIBUTE");
            assert!(
                !detail.contains("MIGH") && !detail.contains("PRIVATE"),
                "{detail}"
            );
            assert!(detail.contains("a string"), "{detail}");
        }
        assert_eq!(
            redact_strings(r#"invalid type: string "a\"b", expected x"#),
            "invalid type: a string, expected x"
        );
    }

    #[test]
    fn arrays_are_not_read_as_objects() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Pair {
            name: String,
            version: String,
        }
        match parse::<Pair>(b"\n  [\"Cluster0\", \"7.0\"]") {
            Ok(pair) => panic!("an array was read as {pair:?}"),
            Err(error) => {
                assert_eq!(error.code(), "INVALID_ATTRIBUTE");
                assert_eq!(
                    error.to_string(),
                    "The request body (line 2, column 3) is a JSON array; this resource takes a JSON \
                     object ({...})."
                );
            }
        }
        assert_eq!(
            error_of("[,]").0,
            "INVALID_JSON",
            "a broken array is a syntax error"
        );
        // Nested: an array where an object is wanted (this parsed as {"cas": "x"} before).
        let (code, detail) = error_of("{\"customerX509\": [\"x\"]}");
        assert_eq!(code, "INVALID_ATTRIBUTE");
        assert!(
            detail.starts_with("Invalid attribute customerX509 (line 1, column 17)")
                && detail.contains("invalid type: sequence, expected"),
            "{detail}"
        );
    }

    #[test]
    fn content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/vnd.atlas.2023-01-01+json"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("text/plain"));
    }
}
