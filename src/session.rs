//! Who is signed in, and what their roles let the console offer.
//!
//! The server enforces every rule (403); the console only hides what the role may not do: write controls
//! carry `data-needs="database-access"` or `data-needs="project"`, and the frame's classes
//! ([`frame_classes`]) hide them (see `style/console.css`). The role in a project is core's
//! [`effective_project_role`]: the account's own role there, or what its role in the project's
//! organization gives in every project (an Organization Owner is Project Owner everywhere), the more
//! powerful of the two.

use access_core::api::OrgRoleAssignment;
use access_core::org_role::{effective_project_role, OrgRole};
use access_core::project_role::{Permission, ProjectRole};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `GET /api/console/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleStatus {
    pub setup_required: bool,
}

/// A role in a project, as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub group_id: String,
    pub role_name: String,
}

/// A console account (`/api/console/groups/{groupId}/accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub username: String,
    #[serde(default)]
    pub roles: Vec<RoleAssignment>,
    #[serde(default)]
    pub created: String,
}

impl Account {
    pub fn role_in(&self, group_id: &str) -> Option<ProjectRole> {
        self.roles
            .iter()
            .find(|r| r.group_id == group_id)
            .and_then(|r| ProjectRole::from_atlas_name(&r.role_name))
    }
}

/// An account of an organization, with its role there (`/api/console/orgs/{orgId}/accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgAccount {
    pub username: String,
    /// `ORG_OWNER`, ... ([`OrgRole`]).
    pub org_role: String,
    #[serde(default)]
    pub created: String,
}

/// The signed-in account, from sign-in or `GET /api/console/session`.
///
/// Read through [`SessionFields`] rather than with `#[serde(flatten)]`, which reads through serde's
/// buffering `Content` and so adds a second deserializer to the first load for one struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SessionFields", into = "SessionFields")]
pub struct Session {
    pub account: Account,
    /// The account's role in each organization it belongs to.
    pub org_roles: Vec<OrgRoleAssignment>,
    pub csrf_token: String,
    pub expires: String,
    /// Only for a bearer session (API on another origin).
    pub token: Option<String>,
}

/// The session's fields as the server sends them: the account's beside the session's own.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionFields {
    username: String,
    #[serde(default)]
    roles: Vec<RoleAssignment>,
    #[serde(default)]
    created: String,
    #[serde(default)]
    org_roles: Vec<OrgRoleAssignment>,
    csrf_token: String,
    expires: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl From<SessionFields> for Session {
    fn from(f: SessionFields) -> Self {
        Session {
            account: Account {
                username: f.username,
                roles: f.roles,
                created: f.created,
            },
            org_roles: f.org_roles,
            csrf_token: f.csrf_token,
            expires: f.expires,
            token: f.token,
        }
    }
}

impl From<Session> for SessionFields {
    fn from(s: Session) -> Self {
        SessionFields {
            username: s.account.username,
            roles: s.account.roles,
            created: s.account.created,
            org_roles: s.org_roles,
            csrf_token: s.csrf_token,
            expires: s.expires,
            token: s.token,
        }
    }
}

impl Session {
    /// The account's role in the organization `org_id`, if it belongs to it.
    pub fn org_role(&self, org_id: &str) -> Option<OrgRole> {
        self.org_roles
            .iter()
            .find(|r| r.org_id == org_id)
            .and_then(|r| OrgRole::from_atlas_name(&r.role_name))
    }

    /// The account's role in the project `group_id` of the organization `org_id` (unknown while the
    /// projects are loading): its own, or its organization role's, the more powerful.
    pub fn project_role(&self, group_id: &str, org_id: Option<&str>) -> Option<ProjectRole> {
        effective_project_role(
            self.account.role_in(group_id),
            org_id.and_then(|id| self.org_role(id)),
        )
    }
}

/// The session, provided by the app to every page.
pub type CurrentSession = RwSignal<Option<Session>>;

/// The organization of each project the console knows of (project id, organization id), from the
/// projects the console loads (`GET /groups`); in the pages module, the project of the page's route.
#[derive(Debug, Clone, Copy)]
pub struct ProjectOrgs(pub Signal<Vec<(String, String)>>);

impl ProjectOrgs {
    /// The organization of `group_id`, when known (tracked).
    pub fn org_of(&self, group_id: &str) -> Option<String> {
        self.0.with(|all| {
            all.iter()
                .find(|(id, _)| id == group_id)
                .map(|(_, org)| org.clone())
        })
    }
}

/// The signed-in account's role in the project `group_id` names (none: no project): its own, or
/// what its organization role gives there (the project's organization from [`ProjectOrgs`]).
pub fn role_in_project(
    group_id: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<ProjectRole>> {
    let session = use_context::<CurrentSession>();
    let orgs = use_context::<ProjectOrgs>();
    Signal::derive(move || {
        let group_id = group_id()?;
        let org_id = orgs.and_then(|orgs| orgs.org_of(&group_id));
        session?.with(|s| s.as_ref()?.project_role(&group_id, org_id.as_deref()))
    })
}

/// The signed-in account's role in the organization `org_id` (tracked).
pub fn role_in_org(
    org_id: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<OrgRole>> {
    let session = use_context::<CurrentSession>();
    Signal::derive(move || {
        let org_id = org_id()?;
        session?.with(|s| s.as_ref()?.org_role(&org_id))
    })
}

/// Whether the signed-in account may do `permission` in `group_id` (false while no one is signed in).
pub fn may(group_id: String, permission: Permission) -> Signal<bool> {
    let role = role_in_project(move || Some(group_id.clone()));
    Signal::derive(move || role.get().is_some_and(|role| role.may(permission)))
}

/// The frame's classes that hide what `role` may not do.
pub fn frame_classes(role: Option<ProjectRole>) -> String {
    let mut classes = vec!["console"];
    let grants = |p| role.is_some_and(|r: ProjectRole| r.may(p));
    if !grants(Permission::ManageDatabaseAccess) {
        classes.push("may-not-manage-database-access");
    }
    if !grants(Permission::ManageProject) {
        classes.push("may-not-manage-project");
    }
    classes.join(" ")
}
