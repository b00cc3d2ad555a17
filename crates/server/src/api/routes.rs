//! The route table: every guarded route, its methods, and the permission a change on it needs.
//!
//! The guard ([`super::caller::guard`]) takes the permission a request needs from the route axum
//! matched ([`axum::extract::MatchedPath`]), looked up here, never from the words of the path (a
//! resource may be named `databaseUsers`). The routers are built through [`checked`], which refuses (at
//! start) a guarded route this table does not list, and the access-control tests try every route of this
//! table with every role.

use access_core::project_role::Permission;
use axum::http::Method;

/// One guarded route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The route as registered: under each of [`super::PREFIXES`] for the Atlas API
    /// ([`ATLAS_ROUTES`]), as is for the console's ([`CONSOLE_ROUTES`]).
    pub path: &'static str,
    /// Its methods (`HEAD` is answered wherever `GET` is).
    pub methods: &'static [&'static str],
    /// What a change (any method but `GET`/`HEAD`) needs; reads need [`Permission::Read`]. Routes
    /// without `{groupId}` need no project role at all.
    pub change: Permission,
}

impl Route {
    /// Whether the route is in a project (`{groupId}`): the caller needs a role there.
    pub fn in_project(&self) -> bool {
        self.path.split('/').any(|s| s == "{groupId}")
    }

    /// Whether the route is in an organization (`{orgId}`): the caller needs a role there (any role
    /// reads; a change needs `ORG_OWNER`).
    pub fn in_org(&self) -> bool {
        self.path.split('/').any(|s| s == "{orgId}")
    }

    /// The permission `method` needs on this route: [`Permission::Read`] for reads, else
    /// [`Route::change`].
    pub fn permission(&self, method: &Method) -> Permission {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            Permission::Read
        } else {
            self.change
        }
    }
}

const fn route(path: &'static str, methods: &'static [&'static str], change: Permission) -> Route {
    Route {
        path,
        methods,
        change,
    }
}

use Permission::{ManageDatabaseAccess as DatabaseAccess, ManageProject as Project};

/// The Atlas API's guarded routes (under each version prefix).
pub const ATLAS_ROUTES: &[Route] = &[
    // Organizations: any role there reads, a change needs ORG_OWNER (the guard, by `{orgId}`).
    route("/orgs", &["GET"], Project),
    route("/orgs/{orgId}", &["GET"], Project),
    route("/orgs/{orgId}/groups", &["GET"], Project),
    route("/orgs/{orgId}/events", &["GET"], Project),
    route("/orgs/{orgId}/events/{eventId}", &["GET"], Project),
    route("/orgs/{orgId}/apiKeys", &["GET", "POST"], Project),
    route(
        "/orgs/{orgId}/apiKeys/{apiUserId}",
        &["GET", "PATCH", "DELETE"],
        Project,
    ),
    route(
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList",
        &["GET", "POST"],
        Project,
    ),
    route(
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}",
        &["DELETE"],
        Project,
    ),
    // Creating a project needs ORG_OWNER or ORG_GROUP_CREATOR in the body's organization (the
    // handler); the list holds only the projects the caller may see.
    route("/groups", &["GET", "POST"], Project),
    route("/groups/byName/{groupName}", &["GET"], Project),
    route("/groups/{groupId}", &["GET", "PATCH", "DELETE"], Project),
    route("/groups/{groupId}/clusters", &["GET", "POST"], Project),
    route(
        "/groups/{groupId}/clusters/{clusterName}",
        &["GET", "PATCH", "DELETE"],
        Project,
    ),
    route(
        "/groups/{groupId}/databaseUsers",
        &["GET", "POST"],
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        &["GET", "PATCH", "DELETE"],
        DatabaseAccess,
    ),
    // Reads only (a POST for its body): every project role may check access.
    route("/groups/{groupId}/accessCheck", &["POST"], Permission::Read),
    // Reads for every project role; an import changes the whole project.
    route("/groups/{groupId}/export", &["GET"], Permission::Read),
    route("/groups/{groupId}/import", &["POST"], Project),
    // Reads the posted state; changes nothing.
    route("/groups/{groupId}/drift", &["POST"], Permission::Read),
    route(
        "/groups/{groupId}/userSecurity",
        &["GET", "PATCH"],
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/userSecurity/customerX509",
        &["DELETE"],
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/customDBRoles/roles",
        &["GET", "POST"],
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/customDBRoles/roles/{roleName}",
        &["GET", "PATCH", "DELETE"],
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges",
        &["GET"],
        DatabaseAccess,
    ),
    route("/groups/{groupId}/events", &["GET"], Project),
    route("/groups/{groupId}/alertConfigs", &["GET", "POST"], Project),
    route(
        "/groups/{groupId}/alertConfigs/{alertConfigId}",
        &["GET", "PUT", "PATCH", "DELETE"],
        Project,
    ),
    route(
        "/groups/{groupId}/alertConfigs/{alertConfigId}/test",
        &["POST"],
        Project,
    ),
    route("/groups/{groupId}/alerts", &["GET"], Project),
    route(
        "/groups/{groupId}/alerts/{alertId}",
        &["GET", "PATCH"],
        Project,
    ),
    route("/groups/{groupId}/apiKeys", &["GET", "POST"], Project),
    route(
        "/groups/{groupId}/apiKeys/{apiUserId}",
        &["GET", "POST", "PATCH", "DELETE"],
        Project,
    ),
    route(
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList",
        &["GET", "POST"],
        Project,
    ),
    route(
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}",
        &["DELETE"],
        Project,
    ),
];

/// The console's guarded routes.
pub const CONSOLE_ROUTES: &[Route] = &[
    route("/api/console/session", &["GET"], Project),
    route("/api/console/signOut", &["POST"], Project),
    route("/api/console/password", &["POST"], Project),
    route("/api/console/orgs/{orgId}/projects", &["GET"], Project),
    route("/api/console/orgs/{orgId}/accounts", &["GET"], Project),
    route(
        "/api/console/orgs/{orgId}/accounts/{username}",
        &["PATCH"],
        Project,
    ),
    // Last: the access-control sweep deletes an account here.
    route(
        "/api/console/groups/{groupId}/accounts",
        &["GET", "POST"],
        Project,
    ),
    route(
        "/api/console/groups/{groupId}/accounts/{username}",
        &["PATCH", "DELETE"],
        Project,
    ),
];

/// The route of a matched path ([`axum::extract::MatchedPath`]): an Atlas route under a version prefix,
/// or a console route.
pub fn find(matched: &str) -> Option<&'static Route> {
    if let Some(rest) = super::PREFIXES
        .iter()
        .find_map(|prefix| matched.strip_prefix(prefix))
    {
        return ATLAS_ROUTES.iter().find(|route| route.path == rest);
    }
    CONSOLE_ROUTES.iter().find(|route| route.path == matched)
}

/// The `{groupId}` of `path` (the request's path, with its prefix), at the place of `{groupId}` in
/// `matched` (the route axum matched, with the same prefix). Not percent-decoded: a group ID is hex.
pub fn group_id<'a>(matched: &str, path: &'a str) -> Option<&'a str> {
    let index = matched.split('/').position(|s| s == "{groupId}")?;
    path.split('/').nth(index).filter(|id| !id.is_empty())
}

/// The `{orgId}` of `path`, as [`group_id`] finds the `{groupId}`.
pub fn org_id<'a>(matched: &str, path: &'a str) -> Option<&'a str> {
    let index = matched.split('/').position(|s| s == "{orgId}")?;
    path.split('/').nth(index).filter(|id| !id.is_empty())
}

/// `router.route(path, handlers)`, after checking that `table` lists `path` (a guarded route missing
/// from the table would be refused to everyone by the guard: this makes it a failure at start instead).
pub fn checked<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    table: &[Route],
    path: &'static str,
    handlers: axum::routing::MethodRouter<S>,
) -> axum::Router<S> {
    assert!(
        table.iter().any(|route| route.path == path),
        "the guarded route {path} is missing from the route table (api/routes.rs)"
    );
    router.route(path, handlers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matched_paths_find_their_route_and_nothing_else() {
        let route = find("/api/atlas/v1.0/groups/{groupId}/clusters/{clusterName}").expect("found");
        assert_eq!(route.permission(&Method::DELETE), Permission::ManageProject);
        assert_eq!(route.permission(&Method::GET), Permission::Read);
        assert_eq!(
            group_id(
                "/api/atlas/v1.0/groups/{groupId}/clusters/{clusterName}",
                "/api/atlas/v1.0/groups/abc/clusters/groups"
            ),
            Some("abc")
        );
        let accounts = find("/api/console/groups/{groupId}/accounts/{username}").expect("found");
        assert_eq!(
            accounts.permission(&Method::PATCH),
            Permission::ManageProject
        );
        assert!(accounts.in_project());
        assert!(find("/groups/{groupId}/clusters").is_none(), "no prefix");
        assert!(find("/api/atlas/v2/groups/abc/clusters").is_none());
        assert!(!find("/api/console/session").expect("found").in_project());
    }
}
