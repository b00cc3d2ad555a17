//! The route table: every guarded route and the permission a change on it needs.
//!
//! The guard ([`super::caller::guard`]) takes the permission a request needs from the route axum
//! matched ([`axum::extract::MatchedPath`]), looked up here, never from the words of the path (a
//! resource may be named `databaseUsers`). An Atlas route's path and methods are its handlers'
//! `#[utoipa::path]` (the router is built from them, [`super::resources`]): [`ATLAS_ROUTES`] adds only
//! the permission, and [`check_atlas_table`] refuses at start a documented route it lacks and an entry
//! no handler documents. The console's handlers carry no annotation: [`CONSOLE_ROUTES`] lists their
//! methods too, and their router is built through [`checked`]. The access-control tests try every
//! route ([`guarded`]) with every role.

use access_core::project_role::Permission;
use axum::http::Method;

/// One guarded route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The route as registered: under each of [`super::PREFIXES`] for the Atlas API
    /// ([`ATLAS_ROUTES`]), as is for the console's ([`CONSOLE_ROUTES`]).
    pub path: &'static str,
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

/// A guarded route of the console, with its methods (`HEAD` is answered wherever `GET` is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleRoute {
    pub route: Route,
    pub methods: &'static [&'static str],
}

const fn route(path: &'static str, change: Permission) -> Route {
    Route { path, change }
}

const fn console(
    path: &'static str,
    methods: &'static [&'static str],
    change: Permission,
) -> ConsoleRoute {
    ConsoleRoute {
        route: route(path, change),
        methods,
    }
}

use Permission::{ManageDatabaseAccess as DatabaseAccess, ManageProject as Project};

/// The Atlas API's guarded routes (under each version prefix).
pub const ATLAS_ROUTES: &[Route] = &[
    // Organizations: any role there reads, a change needs ORG_OWNER (the guard, by `{orgId}`).
    route("/orgs", Project),
    route("/orgs/{orgId}", Project),
    route("/orgs/{orgId}/groups", Project),
    route("/orgs/{orgId}/events", Project),
    route("/orgs/{orgId}/events/{eventId}", Project),
    route("/orgs/{orgId}/apiKeys", Project),
    route("/orgs/{orgId}/apiKeys/{apiUserId}", Project),
    route("/orgs/{orgId}/apiKeys/{apiUserId}/accessList", Project),
    route(
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}",
        Project,
    ),
    // Creating a project needs ORG_OWNER or ORG_GROUP_CREATOR in the body's organization (the
    // handler); the list holds only the projects the caller may see.
    route("/groups", Project),
    route("/groups/byName/{groupName}", Project),
    route("/groups/{groupId}", Project),
    route("/groups/{groupId}/clusters", Project),
    route("/groups/{groupId}/clusters/{clusterName}", Project),
    route("/groups/{groupId}/databaseUsers", DatabaseAccess),
    route(
        "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        DatabaseAccess,
    ),
    // Reads only (a POST for its body): every project role may check access.
    route("/groups/{groupId}/accessCheck", Permission::Read),
    // Reads for every project role; an import changes the whole project.
    route("/groups/{groupId}/export", Permission::Read),
    route("/groups/{groupId}/import", Project),
    // Reads the posted state; changes nothing.
    route("/groups/{groupId}/drift", Permission::Read),
    route("/groups/{groupId}/userSecurity", DatabaseAccess),
    route(
        "/groups/{groupId}/userSecurity/customerX509",
        DatabaseAccess,
    ),
    route("/groups/{groupId}/customDBRoles/roles", DatabaseAccess),
    route(
        "/groups/{groupId}/customDBRoles/roles/{roleName}",
        DatabaseAccess,
    ),
    route(
        "/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges",
        DatabaseAccess,
    ),
    route("/groups/{groupId}/events", Project),
    route("/groups/{groupId}/events/{eventId}", Project),
    route("/groups/{groupId}/alertConfigs", Project),
    route("/groups/{groupId}/alertConfigs/{alertConfigId}", Project),
    route(
        "/groups/{groupId}/alertConfigs/{alertConfigId}/test",
        Project,
    ),
    route("/groups/{groupId}/alerts", Project),
    route("/groups/{groupId}/alerts/{alertId}", Project),
    route("/groups/{groupId}/apiKeys", Project),
    route("/groups/{groupId}/apiKeys/{apiUserId}", Project),
    route("/groups/{groupId}/apiKeys/{apiUserId}/accessList", Project),
    route(
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}",
        Project,
    ),
];

/// The console's guarded routes.
pub const CONSOLE_ROUTES: &[ConsoleRoute] = &[
    console("/api/console/session", &["GET"], Project),
    console("/api/console/signOut", &["POST"], Project),
    console("/api/console/password", &["POST"], Project),
    console("/api/console/orgs/{orgId}/projects", &["GET"], Project),
    console("/api/console/orgs/{orgId}/accounts", &["GET"], Project),
    console(
        "/api/console/orgs/{orgId}/accounts/{username}",
        &["PATCH"],
        Project,
    ),
    // Last: the access-control sweep deletes an account here.
    console(
        "/api/console/groups/{groupId}/accounts",
        &["GET", "POST"],
        Project,
    ),
    console(
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
    CONSOLE_ROUTES
        .iter()
        .map(|console| &console.route)
        .find(|route| route.path == matched)
}

/// Every guarded route as registered (an Atlas route under each of [`super::PREFIXES`]) with its
/// methods: an Atlas route's from the document ([`super::openapi::methods`]), a console route's from
/// [`CONSOLE_ROUTES`]. For the tests that try them all.
pub fn guarded() -> Vec<(String, &'static Route, Vec<&'static str>)> {
    let mut out = Vec::new();
    for prefix in super::PREFIXES {
        for route in ATLAS_ROUTES {
            let methods = super::openapi::methods(route.path);
            out.push((format!("{prefix}{}", route.path), route, methods));
        }
    }
    for console in CONSOLE_ROUTES {
        let path = console.route.path.to_owned();
        out.push((path, &console.route, console.methods.to_vec()));
    }
    out
}

/// Refuses (panics, at start) a documented Atlas route [`ATLAS_ROUTES`] lacks (the guard would refuse
/// it to everyone) and an entry of the table no handler documents (a permission for nothing, or a
/// path written differently from its handler's).
pub fn check_atlas_table<'a>(documented: impl Iterator<Item = &'a str>) {
    let documented: std::collections::BTreeSet<&str> = documented.collect();
    for path in &documented {
        assert!(
            ATLAS_ROUTES.iter().any(|route| route.path == *path),
            "the guarded route {path} is missing from the route table (api/routes.rs)"
        );
    }
    for route in ATLAS_ROUTES {
        assert!(
            documented.contains(route.path),
            "the route table (api/routes.rs) lists {}, which no handler's #[utoipa::path] documents",
            route.path
        );
    }
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

/// `router.route(path, handlers)`, after checking that [`CONSOLE_ROUTES`] lists `path` (a guarded
/// route missing from the table would be refused to everyone by the guard: this makes it a failure at
/// start instead).
pub fn checked<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    path: &'static str,
    handlers: axum::routing::MethodRouter<S>,
) -> axum::Router<S> {
    assert!(
        CONSOLE_ROUTES
            .iter()
            .any(|console| console.route.path == path),
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

    #[test]
    #[should_panic(expected = "missing from the route table")]
    fn a_documented_route_the_table_lacks_stops_the_start() {
        let documented = ATLAS_ROUTES.iter().map(|route| route.path);
        check_atlas_table(documented.chain(["/groups/{groupId}/unlisted"]));
    }

    #[test]
    #[should_panic(expected = "which no handler's #[utoipa::path] documents")]
    fn a_table_entry_no_handler_documents_stops_the_start() {
        check_atlas_table(ATLAS_ROUTES.iter().skip(1).map(|route| route.path));
    }

    #[test]
    fn the_table_is_the_documented_routes() {
        let (_, document) = super::super::resources().split_for_parts();
        check_atlas_table(document.paths.paths.keys().map(String::as_str));
    }
}
