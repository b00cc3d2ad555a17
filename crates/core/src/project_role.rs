//! Who may do what in a project: Atlas's project roles, and the one rule the server enforces (403) and
//! the console follows (hiding or disabling what a role may not do).

use std::fmt;

/// A project role, as Atlas names it in `roles[].roleName` of API keys and project users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProjectRole {
    /// `GROUP_OWNER`: everything, including accounts, API keys, clusters and alert settings.
    Owner,
    /// `GROUP_DATABASE_ACCESS_ADMIN`: database users, custom roles and the X.509 CAs; reads the rest.
    DatabaseAccessAdmin,
    /// `GROUP_READ_ONLY`: reads everything, changes nothing.
    ReadOnly,
}

/// What a request needs: every API route and console control maps to one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read anything in the project (never secrets).
    Read,
    /// Change database users, custom roles and the self-managed X.509 settings.
    ManageDatabaseAccess,
    /// Change the project itself: clusters, alert settings and alerts, accounts and API keys.
    ManageProject,
}

impl ProjectRole {
    /// Every role, most powerful first.
    pub const ALL: [ProjectRole; 3] = [
        ProjectRole::Owner,
        ProjectRole::DatabaseAccessAdmin,
        ProjectRole::ReadOnly,
    ];

    /// The Atlas name (`GROUP_OWNER`, ...).
    pub fn atlas_name(self) -> &'static str {
        match self {
            ProjectRole::Owner => "GROUP_OWNER",
            ProjectRole::DatabaseAccessAdmin => "GROUP_DATABASE_ACCESS_ADMIN",
            ProjectRole::ReadOnly => "GROUP_READ_ONLY",
        }
    }

    /// The role with this Atlas name, if it is one of ours.
    pub fn from_atlas_name(name: &str) -> Option<ProjectRole> {
        ProjectRole::ALL
            .into_iter()
            .find(|role| role.atlas_name() == name)
    }

    /// The name the console shows ("Project Owner", ...).
    pub fn label(self) -> &'static str {
        match self {
            ProjectRole::Owner => "Project Owner",
            ProjectRole::DatabaseAccessAdmin => "Project Database Access Admin",
            ProjectRole::ReadOnly => "Project Read Only",
        }
    }

    /// Whether this role grants `permission`.
    pub fn may(self, permission: Permission) -> bool {
        match (self, permission) {
            (ProjectRole::Owner, _) => true,
            (ProjectRole::DatabaseAccessAdmin, Permission::Read)
            | (ProjectRole::DatabaseAccessAdmin, Permission::ManageDatabaseAccess) => true,
            (ProjectRole::DatabaseAccessAdmin, Permission::ManageProject) => false,
            (ProjectRole::ReadOnly, Permission::Read) => true,
            (ProjectRole::ReadOnly, _) => false,
        }
    }
}

impl fmt::Display for ProjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.atlas_name())
    }
}

impl Permission {
    /// What the permission lets one do, for a 403's detail ("change database users, custom roles and
    /// X.509 settings").
    pub fn describe(self) -> &'static str {
        match self {
            Permission::Read => "read this project",
            Permission::ManageDatabaseAccess => {
                "change database users, custom roles or the X.509 settings"
            }
            Permission::ManageProject => {
                "change clusters, alerts, alert settings, accounts or API keys"
            }
        }
    }

    /// The roles that grant this permission, most powerful first.
    pub fn granted_by(self) -> impl Iterator<Item = ProjectRole> {
        ProjectRole::ALL
            .into_iter()
            .filter(move |role| role.may(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atlas_names_round_trip_and_unknown_names_are_refused() {
        for role in ProjectRole::ALL {
            assert_eq!(ProjectRole::from_atlas_name(role.atlas_name()), Some(role));
        }
        assert_eq!(ProjectRole::from_atlas_name("GROUP_CLUSTER_MANAGER"), None);
        assert_eq!(ProjectRole::from_atlas_name("group_owner"), None);
    }

    #[test]
    fn each_role_grants_what_atlas_grants() {
        use Permission::*;
        let grants = |role: ProjectRole| {
            [Read, ManageDatabaseAccess, ManageProject]
                .into_iter()
                .filter(|p| role.may(*p))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            grants(ProjectRole::Owner),
            [Read, ManageDatabaseAccess, ManageProject]
        );
        assert_eq!(
            grants(ProjectRole::DatabaseAccessAdmin),
            [Read, ManageDatabaseAccess]
        );
        assert_eq!(grants(ProjectRole::ReadOnly), [Read]);
        assert_eq!(
            ManageDatabaseAccess.granted_by().collect::<Vec<_>>(),
            [ProjectRole::Owner, ProjectRole::DatabaseAccessAdmin]
        );
    }
}
