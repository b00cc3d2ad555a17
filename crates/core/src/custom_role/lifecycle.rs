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
    let mut errors = Vec::new();
    let children: Vec<String> = project_roles
        .iter()
        .filter(|r| r.role_name != role_name)
        .filter(|r| r.inherited_roles.iter().any(|i| i.role == role_name))
        .filter(|r| r.actions.is_empty() && r.inherited_roles.iter().all(|i| i.role == role_name))
        .map(|r| r.role_name.clone())
        .collect();
    if !children.is_empty() {
        errors.push(CustomRoleError::new(
            "roleName",
            Kind::DeleteWouldEmptyRoles {
                role: role_name.to_owned(),
                children,
            },
        ));
    }
    let stranded: Vec<String> = users
        .iter()
        .filter(|u| u.roles.iter().any(|r| r.role_name == role_name))
        .filter(|u| u.roles.iter().all(|r| r.role_name == role_name))
        .map(|u| u.username.clone())
        .collect();
    if !stranded.is_empty() {
        errors.push(CustomRoleError::new(
            "roleName",
            Kind::DeleteWouldLeaveUsersWithoutRoles {
                role: role_name.to_owned(),
                users: stranded,
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
