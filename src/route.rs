//! Which page is shown: hash routes such as `#/projects/{groupId}/advanced` (a project's pages) and
//! `#/orgs/{orgId}` (an organization's).
//!
//! Why the fragment and not the path: `dist/` must work, reloads and deep links included, both behind our
//! server (which falls back to `index.html`) and from any sub-path of a plain static host (e.g.
//! `python3 -m http.server` serving it under `/console/`), which has no such fallback. With path routes a
//! reload of `/console/projects/…/advanced` asks that host for a file that does not exist, and gets 404.
//! leptos_router 0.8's `<Router>` only reads `location.pathname` (its `BrowserUrl` location is fixed;
//! there is no hash or memory location to plug in) and its `base` is a fixed prefix, known only at run
//! time here. So the path after `#` is the route: the browser never sends it to the host, any sub-path
//! works, and the page's own URL stays that of `index.html`, against which `config.json` and the
//! hashed assets (`public_url = "./"`) resolve. The patterns themselves are still leptos_router's
//! (`path!` and its matcher), applied to the fragment; links are ordinary `<a href="#/…">`, and
//! `hashchange` moves the [`current`] signal.

use leptos::prelude::*;
use leptos_router::{path, PossibleRouteMatch};

/// A page of a project. The sidebar lists all but [`Page::CustomRoles`] and [`Page::AccessCheck`], tabs of
/// Database Access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Database Access → Database Users.
    DatabaseAccess,
    /// Database Access → Custom Roles (the MongoDB Roles tab).
    CustomRoles,
    /// Database Access → Access Check.
    AccessCheck,
    Advanced,
    Clusters,
    ActivityFeed,
    Alerts,
    AlertSettings,
    ProjectAccess,
    ApiKeys,
    /// Security → Drift: a deployment against the project.
    Drift,
    /// Project → Project Settings: rename, delete.
    Settings,
}

/// A page of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgPage {
    /// The organization's projects (`#/orgs/{orgId}`).
    Projects,
    /// Organization Access: the accounts and their organization roles.
    Access,
    /// The organization's programmatic API keys, with their project assignments.
    ApiKeys,
}

impl OrgPage {
    pub fn title(self) -> &'static str {
        match self {
            OrgPage::Projects => "Projects",
            OrgPage::Access => "Organization Access",
            OrgPage::ApiKeys => "API Keys",
        }
    }

    fn segment(self) -> &'static str {
        match self {
            OrgPage::Projects => "",
            OrgPage::Access => "/access",
            OrgPage::ApiKeys => "/api-keys",
        }
    }
}

impl Page {
    pub fn title(self) -> &'static str {
        match self {
            Page::DatabaseAccess | Page::CustomRoles | Page::AccessCheck => "Database Access",
            Page::Advanced => "Advanced",
            Page::Clusters => "Clusters",
            Page::ActivityFeed => "Activity Feed",
            Page::Alerts => "Alerts",
            Page::AlertSettings => "Alert Settings",
            Page::ProjectAccess => "Project Access",
            Page::ApiKeys => "API Keys",
            Page::Drift => "Drift",
            Page::Settings => "Project Settings",
        }
    }

    /// The sidebar entry that is current on this page.
    pub fn sidebar_page(self) -> Page {
        match self {
            Page::CustomRoles | Page::AccessCheck => Page::DatabaseAccess,
            other => other,
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Page::DatabaseAccess => "database-access",
            Page::CustomRoles => "database-access/roles",
            Page::AccessCheck => "database-access/check",
            Page::Advanced => "advanced",
            Page::Clusters => "clusters",
            Page::ActivityFeed => "activity",
            Page::Alerts => "alerts",
            Page::AlertSettings => "alert-settings",
            Page::ProjectAccess => "access",
            Page::ApiKeys => "api-keys",
            Page::Drift => "drift",
            Page::Settings => "settings",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// No route yet (`#` empty or `#/`): the app opens the first project's Database Access page.
    Start,
    Project {
        group_id: String,
        page: Page,
    },
    Org {
        org_id: String,
        page: OrgPage,
    },
    /// A fragment that names no page.
    Unknown(String),
}

impl Route {
    pub fn project(group_id: impl Into<String>, page: Page) -> Self {
        Route::Project {
            group_id: group_id.into(),
            page,
        }
    }

    pub fn org(org_id: impl Into<String>, page: OrgPage) -> Self {
        Route::Org {
            org_id: org_id.into(),
            page,
        }
    }

    /// Reads `location.hash` (with or without its leading `#`).
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        // A page's own state (the Activity Feed's filters) follows a `?`; it names no other page.
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        if path.is_empty() || path == "/" {
            return Route::Start;
        }
        let matched = group_id(path!("/projects/:group_id/advanced"), path)
            .map(|id| Route::project(id, Page::Advanced))
            .or_else(|| {
                group_id(path!("/projects/:group_id/database-access"), path)
                    .map(|id| Route::project(id, Page::DatabaseAccess))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/database-access/roles"), path)
                    .map(|id| Route::project(id, Page::CustomRoles))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/database-access/check"), path)
                    .map(|id| Route::project(id, Page::AccessCheck))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/clusters"), path)
                    .map(|id| Route::project(id, Page::Clusters))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/activity"), path)
                    .map(|id| Route::project(id, Page::ActivityFeed))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/alerts"), path)
                    .map(|id| Route::project(id, Page::Alerts))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/alert-settings"), path)
                    .map(|id| Route::project(id, Page::AlertSettings))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/access"), path)
                    .map(|id| Route::project(id, Page::ProjectAccess))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/api-keys"), path)
                    .map(|id| Route::project(id, Page::ApiKeys))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/drift"), path)
                    .map(|id| Route::project(id, Page::Drift))
            })
            .or_else(|| {
                group_id(path!("/projects/:group_id/settings"), path)
                    .map(|id| Route::project(id, Page::Settings))
            })
            .or_else(|| org_route(path))
            .or_else(|| {
                // A project without a page: its first page.
                group_id(path!("/projects/:group_id"), path)
                    .map(|id| Route::project(id, Page::DatabaseAccess))
            });
        matched.unwrap_or_else(|| Route::Unknown(path.to_owned()))
    }

    /// The `href` of a link to this route (a fragment, relative to the current page).
    pub fn href(&self) -> String {
        match self {
            Route::Start => "#/".to_owned(),
            Route::Project { group_id, page } => {
                format!("#/projects/{}/{}", encode(group_id), page.segment())
            }
            Route::Org { org_id, page } => format!("#/orgs/{}{}", encode(org_id), page.segment()),
            Route::Unknown(path) => format!("#{path}"),
        }
    }

    pub fn org_id(&self) -> Option<&str> {
        match self {
            Route::Org { org_id, .. } => Some(org_id),
            _ => None,
        }
    }

    pub fn org_page(&self) -> Option<OrgPage> {
        match self {
            Route::Org { page, .. } => Some(*page),
            _ => None,
        }
    }

    pub fn group_id(&self) -> Option<&str> {
        match self {
            Route::Project { group_id, .. } => Some(group_id),
            _ => None,
        }
    }

    pub fn page(&self) -> Option<Page> {
        match self {
            Route::Project { page, .. } => Some(*page),
            _ => None,
        }
    }
}

/// `/orgs/{orgId}`, `/orgs/{orgId}/access` and `/orgs/{orgId}/api-keys` (read by hand: each `path!` pattern is its own copy of
/// the matcher in the first load).
fn org_route(path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/orgs/")?;
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let page = match tail {
        "" => OrgPage::Projects,
        "access" => OrgPage::Access,
        "api-keys" => OrgPage::ApiKeys,
        _ => return None,
    };
    Some(Route::org(decode(id), page)).filter(|_| !id.is_empty())
}

/// The `group_id` parameter of `pattern` when it matches all of `path`.
fn group_id(pattern: impl PossibleRouteMatch, path: &str) -> Option<String> {
    let matched = pattern.test(path)?;
    if !matched.is_complete() {
        return None;
    }
    matched
        .params()
        .into_iter()
        .find(|(name, _)| name == "group_id")
        .map(|(_, value)| decode(&value))
        .filter(|id| !id.is_empty())
}

/// `encodeURIComponent`, in Rust: every byte of the UTF-8 but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX`.
/// (Not `js_sys::encode_uri_component`: the routes are then plain functions, tested natively.)
fn encode(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// `decodeURIComponent`, in Rust; a segment that does not decode (a stray `%`, not UTF-8) is kept as is.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => out.push(byte),
                None => return segment.to_owned(),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_owned())
}

/// The route of the page, following `hashchange` (links, back/forward, edits of the address bar).
pub fn current() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_hash(&location_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&location_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

/// Goes to `route` without adding a history entry (e.g. from `#/` to the first project).
pub fn replace(route: &Route) {
    // Replacing only the fragment never reloads the page; `hashchange` follows.
    if let Err(error) = window().location().replace(&route.href()) {
        leptos::logging::warn!("cannot open {}: {error:?}", route.href());
    }
}

/// Goes to `route`, adding a history entry (as a link would).
pub fn navigate(route: &Route) {
    if let Err(error) = window().location().set_hash(&route.href()) {
        leptos::logging::warn!("cannot open {}: {error:?}", route.href());
    }
}

/// The query of the current route (after the `?` of the fragment, without it; empty when none): the
/// state of the page shown, e.g. the Activity Feed's filters.
pub fn query() -> String {
    location_hash()
        .split_once('?')
        .map(|(_, query)| query.to_owned())
        .unwrap_or_default()
}

/// Replaces the query of the current route (no history entry; the page stays mounted, since its route
/// is the same).
pub fn replace_query(query: &str) {
    let hash = location_hash();
    let path = hash.split_once('?').map_or(hash.as_str(), |(path, _)| path);
    let href = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    if href != hash {
        if let Err(error) = window().location().replace(&href) {
            leptos::logging::warn!("cannot open {href}: {error:?}");
        }
    }
}

fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_of_a_project_reads_back_from_its_href() {
        for page in [
            Page::DatabaseAccess,
            Page::CustomRoles,
            Page::AccessCheck,
            Page::Advanced,
            Page::Clusters,
            Page::ActivityFeed,
            Page::Alerts,
            Page::AlertSettings,
            Page::ProjectAccess,
            Page::ApiKeys,
            Page::Drift,
            Page::Settings,
        ] {
            let route = Route::project("5ad7af581bf7c47583b218fa", page);
            assert_eq!(Route::from_hash(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn every_page_of_an_organization_reads_back_from_its_href() {
        for page in [OrgPage::Projects, OrgPage::Access, OrgPage::ApiKeys] {
            let route = Route::org("64f0c0ffee0123456789abcd", page);
            assert_eq!(Route::from_hash(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn ids_are_encoded_as_encode_uri_component_does() {
        // The outputs of JavaScript's encodeURIComponent for the same strings.
        for (text, encoded) in [
            ("abc-_.!~*'()", "abc-_.!~*'()"),
            ("a b/c?d#e", "a%20b%2Fc%3Fd%23e"),
            (
                "CN=Ünïcødé,O=Acme",
                "CN%3D%C3%9Cn%C3%AFc%C3%B8d%C3%A9%2CO%3DAcme",
            ),
            ("%", "%25"),
        ] {
            assert_eq!(encode(text), encoded);
            assert_eq!(decode(encoded), text);
        }
        let odd = Route::project("a b/c", Page::Alerts);
        assert_eq!(odd.href(), "#/projects/a%20b%2Fc/alerts");
        assert_eq!(Route::from_hash(&odd.href()), odd);
    }

    #[test]
    fn a_segment_that_does_not_decode_is_kept() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%C3"), "%C3", "not UTF-8");
    }

    #[test]
    fn other_fragments_are_the_start_or_unknown() {
        assert_eq!(Route::from_hash(""), Route::Start);
        assert_eq!(Route::from_hash("#/"), Route::Start);
        assert_eq!(
            Route::from_hash("#/projects/p1"),
            Route::project("p1", Page::DatabaseAccess),
            "a project without a page opens its first page"
        );
        assert_eq!(
            Route::from_hash("#/projects/p1/activity?eventType=X"),
            Route::project("p1", Page::ActivityFeed),
            "a page's own state follows ?"
        );
        assert_eq!(
            Route::from_hash("#/nowhere"),
            Route::Unknown("/nowhere".to_owned())
        );
    }
}
