//! Path parameters that are not UTF-8 once percent-decoded (`/clusters/%FF`).
//!
//! axum's `Path` extractor refuses them with a `text/plain` 400, and fails for every parameter of the
//! route at once (so `GroupId` took a valid group ID for an invalid one). This layer answers first, in
//! the Atlas envelope: `INVALID_GROUP_ID` for the group ID, else the resource's own "not found" (no
//! resource has such a name).

use access_core::custom_role::{CustomRoleError, CustomRoleErrorKind};
use axum::extract::{MatchedPath, OriginalUri, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// Route-layer middleware: refuses a request whose path parameters are not UTF-8.
pub async fn check_utf8(
    matched: Option<MatchedPath>,
    OriginalUri(uri): OriginalUri,
    request: Request,
    next: Next,
) -> Response {
    if let Some(matched) = matched {
        if let Some(error) = refusal(matched.as_str(), uri.path()) {
            return error.into_response();
        }
    }
    next.run(request).await
}

/// The refusal for the first parameter of `template` (`/groups/{groupId}/...`) that is not UTF-8 in
/// `path`. Segments are paired from the end, so a version prefix on either side does not matter.
fn refusal(template: &str, path: &str) -> Option<ApiError> {
    for (segment, raw) in template.rsplit('/').zip(path.rsplit('/')) {
        let Some(name) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            continue;
        };
        let decoded = percent_decode(raw);
        if std::str::from_utf8(&decoded).is_ok() {
            continue;
        }
        let shown = String::from_utf8_lossy(&decoded).into_owned();
        return Some(match name {
            "groupId" => ApiError::InvalidGroupId {
                value: raw.to_owned(),
            },
            "clusterName" => ApiError::ClusterNotFound { name: shown },
            "databaseName" | "username" => {
                let (username, database) = if name == "username" {
                    (shown, String::new())
                } else {
                    (String::new(), shown)
                };
                ApiError::UsernameNotFound {
                    username,
                    database,
                    hint: format!(" (the {name} in the path is not UTF-8 once percent-decoded)"),
                }
            }
            "roleName" => ApiError::CustomRole {
                first: Box::new(CustomRoleError::new(
                    "roleName",
                    CustomRoleErrorKind::NotFound(shown),
                )),
                more: Vec::new(),
            },
            "alertConfigId" => ApiError::AlertConfigNotFound { id: shown },
            "alertId" => ApiError::AlertNotFound { id: shown },
            _ => ApiError::ResourceNotFound {
                path: path.to_owned(),
            },
        });
    }
    None
}

/// `%XX` decoded to its byte; anything else (a lone `%` included) kept as it is (the `percent-encoding`
/// crate).
fn percent_decode(raw: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(raw).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(template: &str, path: &str) -> Option<&'static str> {
        refusal(template, path).map(|e| e.code())
    }

    #[test]
    fn names_the_parameter_that_is_not_utf8() {
        let cluster = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}";
        let group = "5f1a2b3c4d5e6f7a8b9c0d1e";
        assert_eq!(
            code(
                cluster,
                &format!("/api/atlas/v2/groups/{group}/clusters/Cluster0")
            ),
            None
        );
        assert_eq!(
            code(
                cluster,
                &format!("/api/atlas/v2/groups/{group}/clusters/caf%C3%A9")
            ),
            None
        );
        assert_eq!(
            code(
                cluster,
                &format!("/api/atlas/v2/groups/{group}/clusters/%FF")
            ),
            Some("CLUSTER_NOT_FOUND")
        );
        assert_eq!(
            code(cluster, "/api/atlas/v2/groups/%FF/clusters/x"),
            Some("INVALID_GROUP_ID")
        );
        // A template without the prefix (inside the nested router) pairs the same segments.
        assert_eq!(
            code(
                "/groups/{groupId}/customDBRoles/roles/{roleName}",
                &format!("/api/atlas/v1.0/groups/{group}/customDBRoles/roles/%C3%28")
            ),
            Some("ATLAS_CUSTOM_ROLE_NOT_FOUND")
        );
    }

    #[test]
    fn decodes_percent_escapes_only() {
        assert_eq!(percent_decode("a%20b%zz%4"), b"a b%zz%4".to_vec());
        assert_eq!(percent_decode("%e2%82%AC"), "€".as_bytes().to_vec());
    }
}
