//! The `{groupId}` and `{orgId}` path parameters: 24 lowercase hexadecimal characters (Atlas's
//! ObjectIds).

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::ApiError;

/// A well-formed group ID from the path (not yet known to exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupId(pub String);

/// Whether `value` is 24 lowercase hexadecimal characters.
pub fn is_object_id(value: &str) -> bool {
    value.len() == 24
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A well-formed organization ID from the path (not yet known to exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgId(pub String);

impl OrgId {
    pub fn parse(value: &str) -> Result<Self, ApiError> {
        if is_object_id(value) {
            Ok(Self(value.to_owned()))
        } else {
            Err(ApiError::InvalidOrgId {
                value: value.to_owned(),
            })
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for OrgId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        #[derive(serde::Deserialize)]
        struct Params {
            #[serde(rename = "orgId")]
            org_id: String,
        }
        match Path::<Params>::from_request_parts(parts, state).await {
            Ok(Path(params)) => Self::parse(&params.org_id),
            Err(_) => Err(ApiError::InvalidOrgId {
                value: String::new(),
            }),
        }
    }
}

/// The `{groupId}` path parameter, for the OpenAPI document (`params(GroupPath)` in `#[utoipa::path]`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct GroupPath {
    /// The project: 24 lowercase hexadecimal characters.
    #[param(
        rename = "groupId",
        pattern = "^[0-9a-f]{24}$",
        example = "5f1a2b3c4d5e6f7a8b9c0d1e"
    )]
    group_id: String,
}

/// The `{orgId}` path parameter, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct OrgPath {
    /// The organization: 24 lowercase hexadecimal characters.
    #[param(
        rename = "orgId",
        pattern = "^[0-9a-f]{24}$",
        example = "5f1a2b3c4d5e6f7a8b9c0d1f"
    )]
    org_id: String,
}

impl GroupId {
    pub fn parse(value: &str) -> Result<Self, ApiError> {
        if is_object_id(value) {
            Ok(Self(value.to_owned()))
        } else {
            Err(ApiError::InvalidGroupId {
                value: value.to_owned(),
            })
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for GroupId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        #[derive(serde::Deserialize)]
        struct Params {
            #[serde(rename = "groupId")]
            group_id: String,
        }
        match Path::<Params>::from_request_parts(parts, state).await {
            Ok(Path(params)) => Self::parse(&params.group_id),
            // The only failure for a string parameter: percent-encoding that is not UTF-8. Show the
            // segment as sent.
            Err(_) => {
                let raw = parts
                    .uri
                    .path()
                    .split('/')
                    .skip_while(|s| *s != "groups")
                    .nth(1)
                    .unwrap_or("");
                Err(ApiError::InvalidGroupId {
                    value: raw.to_owned(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_24_lowercase_hex() {
        assert!(GroupId::parse("5f1a2b3c4d5e6f7a8b9c0d1e").is_ok());
        for bad in [
            "",
            "5f1a2b3c4d5e6f7a8b9c0d1",
            "5F1A2B3C4D5E6F7A8B9C0D1E",
            "5f1a2b3c4d5e6f7a8b9c0d1g",
            "5f1a2b3c4d5e6f7a8b9c0d1e0",
        ] {
            assert_eq!(
                GroupId::parse(bad).map_err(|e| e.code()),
                Err("INVALID_GROUP_ID"),
                "{bad}"
            );
        }
    }
}
