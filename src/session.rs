//! Who is signed in, and what their project role lets the console offer.
//!
//! The server enforces every rule (403); the console only hides what the role may not do: write controls
//! carry `data-needs="database-access"` or `data-needs="project"`, and the frame's classes
//! ([`frame_classes`]) hide them (see `style/console.css`).

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

/// The signed-in account, from sign-in or `GET /api/console/session`.
///
/// Read through [`SessionFields`] rather than with `#[serde(flatten)]`, which reads through serde's
/// buffering `Content` and so adds a second deserializer to the first load for one struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SessionFields", into = "SessionFields")]
pub struct Session {
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
    roles: Vec<RoleAssignment>,
    #[serde(default)]
    created: String,
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
            csrf_token: s.csrf_token,
            expires: s.expires,
            token: s.token,
        }
    }
}

/// The session, provided by the app to every page.
pub type CurrentSession = RwSignal<Option<Session>>;

/// Whether the signed-in account may do `permission` in `group_id` (false while no one is signed in).
pub fn may(group_id: String, permission: Permission) -> Signal<bool> {
    let session = use_context::<CurrentSession>();
    Signal::derive(move || {
        session.is_some_and(|session| {
            session.with(|s| {
                s.as_ref()
                    .and_then(|s| s.account.role_in(&group_id))
                    .is_some_and(|role| role.may(permission))
            })
        })
    })
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
