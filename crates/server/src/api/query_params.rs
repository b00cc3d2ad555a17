//! `ApiQuery<T>`: axum's `Query` with its rejection as an Atlas error body (`INVALID_QUERY_PARAMETER`),
//! so that a repeated or malformed parameter (`?format=a&format=b`) gets a 400 the client can read, not
//! axum's plain-text answer.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;

/// The query string read into `T`.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| ApiError::InvalidQueryParameter {
                name: "(query string)".to_owned(),
                detail: format!(
                    "{}.",
                    rejection
                        .body_text()
                        .trim_start_matches("Failed to deserialize query string: ")
                ),
            })
    }
}
