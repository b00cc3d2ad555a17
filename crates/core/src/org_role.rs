//! Who may do what in an organization: Atlas's organization roles, and how one reaches into the
//! organization's projects. The server enforces it (404 for a project the caller may not see, 403 for a
//! change its role does not grant); the console follows it (the organization page, "New Project").

use std::fmt;

use crate::project_role::ProjectRole;

/// An organization role, as Atlas names it in `roles[].roleName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgRole {
    /// `ORG_OWNER`: everything, in every project of the organization.
    Owner,
    /// `ORG_GROUP_CREATOR`: may create projects, and becomes Project Owner of those it creates.
    GroupCreator,
    /// `ORG_READ_ONLY`: reads every project of the organization, changes nothing.
    ReadOnly,
    /// `ORG_MEMBER`: sees only the projects where it has a project role.
    Member,
}

impl OrgRole {
    /// Every role, most powerful first.
    pub const ALL: [OrgRole; 4] = [
        OrgRole::Owner,
        OrgRole::GroupCreator,
        OrgRole::ReadOnly,
        OrgRole::Member,
    ];

    /// The Atlas name (`ORG_OWNER`, ...).
    pub fn atlas_name(self) -> &'static str {
        match self {
            OrgRole::Owner => "ORG_OWNER",
            OrgRole::GroupCreator => "ORG_GROUP_CREATOR",
            OrgRole::ReadOnly => "ORG_READ_ONLY",
            OrgRole::Member => "ORG_MEMBER",
        }
    }

    /// The role with this Atlas name, if it is one of ours.
    pub fn from_atlas_name(name: &str) -> Option<OrgRole> {
        OrgRole::ALL
            .into_iter()
            .find(|role| role.atlas_name() == name)
    }

    /// The name the console shows ("Organization Owner", ...).
    pub fn label(self) -> &'static str {
        match self {
            OrgRole::Owner => "Organization Owner",
            OrgRole::GroupCreator => "Organization Project Creator",
            OrgRole::ReadOnly => "Organization Read Only",
            OrgRole::Member => "Organization Member",
        }
    }

    /// The role this organization role gives in every project of the organization, whatever the
    /// project's own roles: Owner for `ORG_OWNER`, Read Only for `ORG_READ_ONLY`, none otherwise.
    pub fn in_every_project(self) -> Option<ProjectRole> {
        match self {
            OrgRole::Owner => Some(ProjectRole::Owner),
            OrgRole::ReadOnly => Some(ProjectRole::ReadOnly),
            OrgRole::GroupCreator | OrgRole::Member => None,
        }
    }

    /// Whether the role may create projects in the organization.
    pub fn may_create_projects(self) -> bool {
        matches!(self, OrgRole::Owner | OrgRole::GroupCreator)
    }

    /// Whether the role may change the organization: its members' roles, its API keys.
    pub fn may_manage_organization(self) -> bool {
        self == OrgRole::Owner
    }

    /// Whether an API key with this organization role stays its organization's once it has a role in
    /// no project: it can still reach something (every project, or new projects) unless it is
    /// `ORG_MEMBER`, which the server deletes when it is taken out of its last project.
    pub fn keeps_a_key_without_projects(self) -> bool {
        self != OrgRole::Member
    }
}

/// The role a caller has in a project: the more powerful of its own role there and what its
/// organization role gives in every project ([`OrgRole::in_every_project`]). `None`: the caller may
/// not see the project at all (the server answers 404, as for a project that does not exist).
pub fn effective_project_role(
    project_role: Option<ProjectRole>,
    org_role: Option<OrgRole>,
) -> Option<ProjectRole> {
    // ProjectRole orders the most powerful first.
    match (project_role, org_role.and_then(OrgRole::in_every_project)) {
        (Some(own), Some(implied)) => Some(own.min(implied)),
        (own, implied) => own.or(implied),
    }
}

impl fmt::Display for OrgRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.atlas_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_organization_member_key_goes_with_its_last_project() {
        assert!(!OrgRole::Member.keeps_a_key_without_projects());
        for role in [OrgRole::Owner, OrgRole::GroupCreator, OrgRole::ReadOnly] {
            assert!(role.keeps_a_key_without_projects(), "{role}");
        }
    }

    #[test]
    fn atlas_names_round_trip_and_unknown_names_are_refused() {
        for role in OrgRole::ALL {
            assert_eq!(OrgRole::from_atlas_name(role.atlas_name()), Some(role));
        }
        assert_eq!(OrgRole::from_atlas_name("ORG_BILLING_ADMIN"), None);
        assert_eq!(OrgRole::from_atlas_name("org_owner"), None);
    }

    #[test]
    fn an_organization_role_reaches_into_projects_as_atlas_does() {
        use ProjectRole::*;
        let role = effective_project_role;
        assert_eq!(role(None, Some(OrgRole::Owner)), Some(Owner));
        assert_eq!(role(Some(ReadOnly), Some(OrgRole::Owner)), Some(Owner));
        assert_eq!(role(None, Some(OrgRole::ReadOnly)), Some(ReadOnly));
        assert_eq!(
            role(Some(DatabaseAccessAdmin), Some(OrgRole::ReadOnly)),
            Some(DatabaseAccessAdmin)
        );
        assert_eq!(role(None, Some(OrgRole::Member)), None);
        assert_eq!(role(None, Some(OrgRole::GroupCreator)), None);
        assert_eq!(role(Some(ReadOnly), Some(OrgRole::Member)), Some(ReadOnly));
        assert_eq!(role(None, None), None);
        assert!(OrgRole::GroupCreator.may_create_projects());
        assert!(!OrgRole::ReadOnly.may_create_projects());
        assert!(!OrgRole::GroupCreator.may_manage_organization());
    }
}
