//! Who is signed in, and what their roles let the console offer.
//!
//! The server enforces every rule (403); the console only hides what the role may not do: write controls
//! carry `data-needs="database-access"` or `data-needs="project"`, and the frame's classes
//! ([`frame_classes`]) hide them (see `style/console.css`). The role in a project is core's
//! [`effective_project_role`]: the account's own role there, or what its role in the project's
//! organization gives in every project (an Organization Owner is Project Owner everywhere), the more
//! powerful of the two.

use access_core::api::{Account, OrgRoleAssignment, ProjectRoleAssignment};
use access_core::org_role::{effective_project_role, OrgRole};
use access_core::project_role::{Permission, ProjectRole};
use leptos::prelude::*;

use crate::app::Projects;
use serde::{Deserialize, Serialize};

/// `GET /api/console/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleStatus {
    pub setup_required: bool,
}

/// A role in a project, as the server lists it.
/// The signed-in account, from sign-in or `GET /api/console/session`.
///
/// Read through [`SessionFields`] rather than with `#[serde(flatten)]`, which reads through serde's
/// buffering `Content` and so adds a second deserializer to the first load for one struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SessionFields", into = "SessionFields")]
pub struct Session {
    /// The account (its `org_roles` read by hand: see [`SessionFields`]).
    pub account: Account,
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
    roles: Vec<ProjectRoleAssignment>,
    #[serde(default)]
    created: String,
    /// Read as a JSON value and taken apart by hand ([`org_roles_of`]): a derived reader of one more
    /// list type would weigh on the first load.
    #[serde(default)]
    org_roles: serde_json::Value,
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
                org_roles: org_roles_of(&f.org_roles),
                created: f.created,
            },
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
            org_roles: s
                .account
                .org_roles
                .into_iter()
                .map(|r| serde_json::json!({ "orgId": r.org_id, "roleName": r.role_name }))
                .collect(),
            csrf_token: s.csrf_token,
            expires: s.expires,
            token: s.token,
        }
    }
}

/// `orgRoles` as the server sends it: `[{"orgId", "roleName"}]` (anything else is no role).
fn org_roles_of(value: &serde_json::Value) -> Vec<OrgRoleAssignment> {
    let text = |v: &serde_json::Value, key: &str| v.get(key)?.as_str().map(str::to_owned);
    value
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|r| {
                    Some(OrgRoleAssignment {
                        org_id: text(r, "orgId")?,
                        role_name: text(r, "roleName")?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Session {
    /// The account's role in the organization `org_id`, if it belongs to it.
    pub fn org_role(&self, org_id: &str) -> Option<OrgRole> {
        self.account
            .org_roles
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

/// In the pages module: the organization of the project of the page's route (project id,
/// organization id), as the console knew it when it mounted the page. (In the console, the projects it
/// loads say it: [`Projects`].)
#[derive(Debug, Clone)]
pub struct PageProjectOrg(pub String, pub String);

/// The organization of the project `group_id`, when known (tracked in the console).
pub fn org_of_project(group_id: &str) -> Option<String> {
    if let Some(PageProjectOrg(id, org_id)) = use_context::<PageProjectOrg>() {
        return (id == group_id).then_some(org_id);
    }
    org_in_projects(use_context::<Projects>()?, group_id)
}

fn org_in_projects(projects: Projects, group_id: &str) -> Option<String> {
    projects
        .get()?
        .ok()?
        .into_iter()
        .find(|g| g.id == group_id)
        .map(|g| g.org_id)
}

/// The signed-in account's role in the project `group_id` names (none: no project), tracked where it
/// is called: its own, or what its organization role gives there (the project's organization from
/// [`org_of_project`]). A plain function, not a signal: the first load carries no extra signal type.
pub fn role_in_project(
    group_id: impl Fn() -> Option<String> + Clone + Send + Sync + 'static,
) -> impl Fn() -> Option<ProjectRole> + Clone + Send + Sync + 'static {
    let session = use_context::<CurrentSession>();
    let page_org = use_context::<PageProjectOrg>();
    let projects = use_context::<Projects>();
    move || {
        let group_id = group_id()?;
        let org_id = match (&page_org, projects) {
            (Some(PageProjectOrg(id, org_id)), _) => (*id == group_id).then(|| org_id.clone()),
            (None, Some(projects)) => org_in_projects(projects, &group_id),
            (None, None) => None,
        };
        session?.with(|s| s.as_ref()?.project_role(&group_id, org_id.as_deref()))
    }
}

/// The signed-in account's role in the organization `org_id` names, tracked where it is called.
pub fn role_in_org(
    org_id: impl Fn() -> Option<String> + Clone + Send + Sync + 'static,
) -> impl Fn() -> Option<OrgRole> + Clone + Send + Sync + 'static {
    let session = use_context::<CurrentSession>();
    move || {
        let org_id = org_id()?;
        session?.with(|s| s.as_ref()?.org_role(&org_id))
    }
}

/// Whether the signed-in account may do `permission` in `group_id` (false while no one is signed in).
pub fn may(group_id: String, permission: Permission) -> Signal<bool> {
    let role = role_in_project(move || Some(group_id.clone()));
    Signal::derive(move || role().is_some_and(|role| role.may(permission)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        serde_json::from_value(serde_json::json!({
            "username": "olivia", "created": "2026-12-01T10:00:00Z",
            "roles": [{"groupId": "p1", "roleName": "GROUP_READ_ONLY"}],
            "orgRoles": [{"orgId": "o1", "roleName": "ORG_OWNER"}, {"orgId": "o2"}, 7],
            "csrfToken": "c", "expires": "2026-12-02T10:00:00Z"
        }))
        .expect("the server's session answer")
    }

    #[test]
    fn the_session_answer_is_read_whole_and_survives_the_trip_to_the_pages_module() {
        let s = session();
        assert_eq!(s.account.username, "olivia");
        assert_eq!(s.account.role_in("p1"), Some(ProjectRole::ReadOnly));
        // A malformed organization role is no role, not a failed sign-in.
        assert_eq!(
            s.account.org_roles,
            [OrgRoleAssignment {
                org_id: "o1".into(),
                role_name: "ORG_OWNER".into()
            }]
        );
        let again: Session =
            serde_json::from_str(&serde_json::to_string(&s).expect("JSON")).expect("read back");
        assert_eq!(again, s);
    }

    #[test]
    fn an_organization_role_reaches_its_projects_but_not_others() {
        let s = session();
        assert_eq!(s.org_role("o1"), Some(OrgRole::Owner));
        assert_eq!(s.org_role("o2"), None);
        assert_eq!(s.project_role("p9", Some("o1")), Some(ProjectRole::Owner));
        assert_eq!(s.project_role("p1", None), Some(ProjectRole::ReadOnly));
        assert_eq!(s.project_role("p9", Some("o2")), None);
    }

    #[test]
    fn the_frame_says_what_a_read_only_caller_cannot_do() {
        let read_only = "console may-not-manage-database-access may-not-manage-project";
        assert_eq!(frame_classes(Some(ProjectRole::ReadOnly)), read_only);
        assert_eq!(
            frame_classes(None),
            read_only,
            "no role yet: nothing offered"
        );
        assert_eq!(frame_classes(Some(ProjectRole::Owner)), "console");
    }
}
