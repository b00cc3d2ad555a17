//! `ETag` on the answers for one user, one custom role and `userSecurity`, and the `If-Match`
//! precondition of their PATCH and DELETE (the tags are [`access_core::etag`]'s).
//!
//! A handler compares the precondition inside its write transaction, after reading the current state and
//! before any other check of the request, so nothing can change between the comparison and the write.
//! Without `If-Match` a request is not conditional (Atlas clients send none).

use access_core::etag::{EntityTag, IfMatch};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::ApiError;

/// The request's `If-Match` (every `If-Match` line, joined), or none.
#[derive(Debug, Clone, Default)]
pub struct Precondition(pub Option<IfMatch>);

impl<S: Send + Sync> FromRequestParts<S> for Precondition {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut lines = Vec::new();
        for value in parts.headers.get_all(header::IF_MATCH) {
            match value.to_str() {
                Ok(text) => lines.push(text),
                Err(_) => {
                    return Err(ApiError::InvalidIfMatch {
                        detail: "it holds a character that is not visible ASCII".to_owned(),
                    })
                }
            }
        }
        if lines.is_empty() {
            return Ok(Self(None));
        }
        IfMatch::parse(&lines.join(", "))
            .map(|condition| Self(Some(condition)))
            .map_err(|error| ApiError::InvalidIfMatch {
                detail: error.to_string(),
            })
    }
}

impl Precondition {
    /// `Ok` when there is no `If-Match` or `current` meets it; else 412 `RESOURCE_CHANGED`, naming the
    /// resource (`resource()`, e.g. `database user CN=Jane,O=Acme`).
    pub fn check(
        &self,
        current: &EntityTag,
        resource: impl FnOnce() -> String,
    ) -> Result<(), ApiError> {
        match &self.0 {
            Some(condition) if !condition.matches(current) => Err(ApiError::ResourceChanged {
                resource: resource(),
            }),
            _ => Ok(()),
        }
    }
}

/// A JSON answer with its `ETag`.
#[derive(Debug)]
pub struct Tagged<T>(pub EntityTag, pub T);

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let Tagged(tag, body) = self;
        let mut response = Json(body).into_response();
        if let Ok(value) = HeaderValue::from_str(&tag.header_value()) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    }
}
