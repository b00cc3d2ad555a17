//! What a database user holds: every privilege of every role, inheritance flattened, each with the path
//! that grants it (user → role → inherited role → ...).
//!
//! The flattening itself is the custom roles' ([`crate::custom_role::effective_privileges`]) and the
//! catalog's ([`crate::custom_role::built_in_role_privileges`]): a user's built-in role grants what the
//! catalog's table (MongoDB Manual "Built-In Roles"; Atlas roles from the seed) lists for it on the
//! database it is granted on, narrowed to the collection when the user's role names one.

use crate::custom_role::{
    built_in_role_privileges, effective_privileges, CustomDbRole, EffectivePrivilege,
    PrivilegeResource,
};
use crate::database_user::DatabaseUser;

use super::resource::GrantSource;

/// One privilege the user holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPrivilege {
    /// MongoDB's name (`find`), or the name as stored when the catalog does not know it.
    pub action: String,
    /// The Atlas API name (`FIND`) when the catalog knows the action.
    pub api_name: Option<&'static str>,
    /// The resource the privilege applies to (for a built-in role: the database the user's role is
    /// granted on, narrowed to its collection when it names one).
    pub resource: PrivilegeResource,
    /// Built-in or custom: decides whether "any database" grants reach `local` and `config`.
    pub source: GrantSource,
    /// `[username, "role@db", "inherited@db", ...]`.
    pub path: Vec<String>,
}

impl HeldPrivilege {
    /// The name to show: the API name when known.
    pub fn display_action(&self) -> &str {
        self.api_name.unwrap_or(&self.action)
    }

    fn from_effective(p: EffectivePrivilege, prefix: &[String], source: GrantSource) -> Self {
        let mut path = prefix.to_vec();
        path.extend(p.via.into_iter().skip(1));
        HeldPrivilege {
            action: p.action,
            api_name: p.api_name,
            resource: p.resource,
            source,
            path,
        }
    }
}

/// A privilege reached through a custom role's chain comes from a built-in role when the last link is one
/// (`read@sales`): custom role names cannot hold `@`.
fn source_of(p: &EffectivePrivilege) -> GrantSource {
    match p.via.last() {
        Some(last) if p.via.len() > 1 && last.contains('@') => GrantSource::BuiltInRole,
        _ => GrantSource::CustomRole,
    }
}

/// Every privilege of `user`'s roles, in the order of its roles. Roles neither built in nor custom
/// (stored data is not trusted) grant nothing.
pub fn user_privileges(user: &DatabaseUser, custom_roles: &[CustomDbRole]) -> Vec<HeldPrivilege> {
    let mut out = Vec::new();
    for role in &user.roles {
        let link = match role.collection() {
            Some(c) => format!("{}@{}.{}", role.role_name, role.database_name, c),
            None => format!("{}@{}", role.role_name, role.database_name),
        };
        let prefix = [user.username.clone(), link];
        if let Some(custom) = custom_roles.iter().find(|r| r.role_name == role.role_name) {
            for p in effective_privileges(custom, custom_roles) {
                let source = source_of(&p);
                out.push(HeldPrivilege::from_effective(p, &prefix, source));
            }
        } else {
            for mut p in built_in_role_privileges(&role.role_name, &role.database_name) {
                if let (Some(c), PrivilegeResource::Database { db }) =
                    (role.collection(), &p.resource)
                {
                    if *db == role.database_name {
                        p.resource = PrivilegeResource::Collection {
                            db: db.clone(),
                            collection: c.to_owned(),
                        };
                    }
                }
                out.push(HeldPrivilege::from_effective(
                    p,
                    &prefix,
                    GrantSource::BuiltInRole,
                ));
            }
        }
    }
    out
}

/// What a built-in role granted on `db` would give, as held privileges (for suggestions).
pub fn built_in_role(name: &str, db: &str) -> Vec<HeldPrivilege> {
    let prefix = [format!("{name}@{db}")];
    built_in_role_privileges(name, db)
        .into_iter()
        .map(|p| HeldPrivilege::from_effective(p, &prefix, GrantSource::BuiltInRole))
        .collect()
}

/// What a custom role would give (for suggestions).
pub fn custom_role(role: &CustomDbRole, custom_roles: &[CustomDbRole]) -> Vec<HeldPrivilege> {
    let prefix = [format!("{}@admin", role.role_name)];
    effective_privileges(role, custom_roles)
        .into_iter()
        .map(|p| {
            let source = source_of(&p);
            HeldPrivilege::from_effective(p, &prefix, source)
        })
        .collect()
}
