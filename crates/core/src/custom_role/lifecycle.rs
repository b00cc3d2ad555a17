//! Modify and delete (seed: "Modify Custom MongoDB Roles", "Delete Custom MongoDB Roles").
//!
//! A role's actions, inherited roles and their databases/collections can change; its name cannot. Deleting
//! a role is refused when it would leave a child role (one that inherits it) with no parent roles or
//! actions, or a database user with no roles; the error names them.

use super::{CustomDbRole, CustomDbRoleUpdate, CustomRoleError, CustomRoleErrorKind as Kind};
use crate::database_user::DatabaseUser;

/// Refuses a PATCH body whose `roleName` differs from the role in the path.
pub fn check_rename(
    path_role_name: &str,
    body_role_name: Option<&str>,
) -> Result<(), CustomRoleError> {
    match body_role_name {
        Some(to) if to != path_role_name => Err(CustomRoleError::new(
            "roleName",
            Kind::RenameNotAllowed {
                from: path_role_name.to_owned(),
                to: to.to_owned(),
            },
        )),
        _ => Ok(()),
    }
}

/// The role after a PATCH: what the body gives replaces what was stored, the rest stays. Validate the
/// result with [`super::validate_custom_role`] in [`super::Mode::Update`].
pub fn apply_update(
    existing: &CustomDbRole,
    update: &CustomDbRoleUpdate,
) -> Result<CustomDbRole, CustomRoleError> {
    check_rename(&existing.role_name, update.role_name.as_deref())?;
    Ok(CustomDbRole {
        role_name: existing.role_name.clone(),
        actions: update
            .actions
            .clone()
            .unwrap_or_else(|| existing.actions.clone()),
        inherited_roles: update
            .inherited_roles
            .clone()
            .unwrap_or_else(|| existing.inherited_roles.clone()),
    })
}

/// What deleting a role does to the project: the roles that inherit it and the users that hold it, split
/// into those that only lose it and those the delete would leave empty (which refuse it). The console
/// shows this before the delete is confirmed; [`check_delete`] refuses with the same lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteConsequences {
    /// Roles that inherit it and keep other actions or parents: they lose it.
    pub roles_losing_it: Vec<String>,
    /// Roles that inherit only it and have no actions: the delete is refused while they do.
    pub roles_left_empty: Vec<String>,
    /// Users that hold it and other roles: they lose it.
    pub users_losing_it: Vec<String>,
    /// Users whose only role it is: the delete is refused while they are.
    pub users_left_without_roles: Vec<String>,
}

impl DeleteConsequences {
    /// Whether the delete is allowed (nothing would be left empty).
    pub fn allowed(&self) -> bool {
        self.roles_left_empty.is_empty() && self.users_left_without_roles.is_empty()
    }
}

/// What deleting `role_name` does, given the project's roles and database users.
pub fn delete_consequences(
    role_name: &str,
    project_roles: &[CustomDbRole],
    users: &[DatabaseUser],
) -> DeleteConsequences {
    let mut found = DeleteConsequences::default();
    for role in project_roles
        .iter()
        .filter(|r| r.role_name != role_name)
        .filter(|r| r.inherited_roles.iter().any(|i| i.role == role_name))
    {
        let empty =
            role.actions.is_empty() && role.inherited_roles.iter().all(|i| i.role == role_name);
        let list = if empty {
            &mut found.roles_left_empty
        } else {
            &mut found.roles_losing_it
        };
        list.push(role.role_name.clone());
    }
    for user in users
        .iter()
        .filter(|u| u.roles.iter().any(|r| r.role_name == role_name))
    {
        let stranded = user.roles.iter().all(|r| r.role_name == role_name);
        let list = if stranded {
            &mut found.users_left_without_roles
        } else {
            &mut found.users_losing_it
        };
        list.push(user.username.clone());
    }
    found
}

/// Whether deleting `role_name` is allowed, given the project's roles and database users. Returns every
/// reason it is not: the child roles left empty, the users left without roles.
pub fn check_delete(
    role_name: &str,
    project_roles: &[CustomDbRole],
    users: &[DatabaseUser],
) -> Result<(), Vec<CustomRoleError>> {
    if !project_roles.iter().any(|r| r.role_name == role_name) {
        return Err(vec![CustomRoleError::new(
            "roleName",
            Kind::NotFound(role_name.to_owned()),
        )]);
    }
    let found = delete_consequences(role_name, project_roles, users);
    let mut errors = Vec::new();
    if !found.roles_left_empty.is_empty() {
        errors.push(CustomRoleError::new(
            "roleName",
            Kind::DeleteWouldEmptyRoles {
                role: role_name.to_owned(),
                children: found.roles_left_empty,
            },
        ));
    }
    if !found.users_left_without_roles.is_empty() {
        errors.push(CustomRoleError::new(
            "roleName",
            Kind::DeleteWouldLeaveUsersWithoutRoles {
                role: role_name.to_owned(),
                users: found.users_left_without_roles,
            },
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// After an allowed delete: the roles and users that referred to `role_name`, with the reference removed
/// (for the server to save with the deletion). Roles and users that did not refer to it are not returned.
pub fn detach_deleted_role(
    role_name: &str,
    project_roles: &[CustomDbRole],
    users: &[DatabaseUser],
) -> (Vec<CustomDbRole>, Vec<DatabaseUser>) {
    let roles = project_roles
        .iter()
        .filter(|r| {
            r.role_name != role_name && r.inherited_roles.iter().any(|i| i.role == role_name)
        })
        .map(|r| {
            let mut r = r.clone();
            r.inherited_roles.retain(|i| i.role != role_name);
            r
        })
        .collect();
    let users = users
        .iter()
        .filter(|u| u.roles.iter().any(|r| r.role_name == role_name))
        .map(|u| {
            let mut u = u.clone();
            u.roles.retain(|r| r.role_name != role_name);
            u
        })
        .collect();
    (roles, users)
}
