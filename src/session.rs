//! Who is signed in, and what their project role lets the console offer.
//!
//! The server enforces every rule (403); the console only hides what the role may not do: write controls
//! carry `data-needs="database-access"` or `data-needs="project"`, and the frame's classes
//! ([`frame_classes`]) hide them (see `style/console.css`).

use access_core::project_role::{Permission, ProjectRole};
use leptos::prelude::*;
use serde::Deserialize;

/// `GET /api/console/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleStatus {
    pub setup_required: bool,
}

/// A role in a project, as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub group_id: String,
    pub role_name: String,
}

/// A console account (`/api/console/groups/{groupId}/accounts`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(flatten)]
    pub account: Account,
    pub csrf_token: String,
    pub expires: String,
    /// Only for a bearer session (API on another origin).
    #[serde(default)]
    pub token: Option<String>,
}

/// The session, provided by the app to every page.
pub type CurrentSession = RwSignal<Option<Session>>;

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
