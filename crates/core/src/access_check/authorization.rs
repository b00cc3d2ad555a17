//! May the user run the operation? Every grant that allows it as a path, and when denied what the user
//! does hold on that resource and which of the project's roles would grant the action.

use serde::{Deserialize, Serialize};

use crate::catalog::{self, ActionInfo};
use crate::cluster::{Cluster, MongoVersion};
use crate::custom_role::CustomDbRole;
use crate::privileges::{built_in_privilege, specific_privilege, ADMIN_DATABASE};

use super::grants::{self, HeldPrivilege};
use super::resource::{covers, Target};

/// One action of the operation on its resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The catalog's action (API and MongoDB names, category, the version that introduced it).
    pub action: &'static ActionInfo,
    /// The resource it acts on, from the request's database and collection.
    pub target: Target,
}

/// A grant that allows an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GrantPath {
    /// The action, by its Atlas API name (`FIND`).
    pub action: String,
    /// The resource the privilege names (`sales.*`, `sales.orders`, `*.*`, `cluster`).
    pub resource: String,
    /// The grant's path: `[username, "role@db", "inherited@db", ...]`, the user's role first.
    pub path: Vec<String>,
}

/// Why an action is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DenialCode {
    /// No privilege the user holds grants the action on that resource.
    NotGranted,
    /// The chosen cluster's MongoDB version is older than the version that introduced the action.
    NeedsNewerVersion,
}

/// An action the user may not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Missing {
    /// The action, by its Atlas API name (`FIND`).
    pub action: String,
    /// The resource it was asked on, as [`Target`] prints it (`cluster`, `database sales`,
    /// `sales.orders`).
    pub resource: String,
    /// Why it is denied.
    pub code: DenialCode,
    /// The reason in a sentence (e.g. "No role of the user grants FIND (find) on sales.orders.").
    pub detail: String,
    /// The actions the user does hold on that resource.
    pub held: Vec<String>,
}

/// A role of the project that would grant a missing action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The missing action, by its Atlas API name.
    pub action: String,
    /// The role's name (`readWrite`, or a custom role's `roleName`).
    pub role: String,
    /// The database to grant it on: the request's database, or `admin` for cluster-wide actions,
    /// admin-only built-in roles and custom roles (Atlas creates those on `admin`).
    pub db: String,
    /// `true` for a MongoDB/Atlas built-in role, `false` for one of the project's custom roles.
    pub built_in: bool,
}

/// The authorization step's answer: each requested action allowed (with every grant that allows it)
/// or denied (with what is missing and which roles would grant it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// Every requested action is allowed.
    pub allowed: bool,
    /// For each allowed action, every privilege that allows it.
    pub grants: Vec<GrantPath>,
    /// Each denied action, with why.
    pub missing: Vec<Missing>,
    /// Roles that would grant the denied actions, at most [`MAX_SUGGESTIONS`] built-in and as many
    /// custom ones per action.
    pub suggestions: Vec<Suggestion>,
}

/// Most roles suggested per missing action, built-in and custom each.
pub const MAX_SUGGESTIONS: usize = 10;

fn grants_action(p: &HeldPrivilege, action: &ActionInfo) -> bool {
    p.action == action.mongo_name || p.action == "anyAction"
}

fn allows(p: &HeldPrivilege, op: &Operation) -> bool {
    grants_action(p, op.action) && covers(&p.resource, p.source, &op.target)
}

/// The built-in roles a user may be given (Atlas's dialog: the seed's built-in roles and specific
/// privileges) and those a custom role may inherit.
fn grantable_built_in_roles() -> impl Iterator<Item = &'static catalog::RoleInfo> {
    catalog::roles().iter().filter(|r| {
        r.inheritable
            || built_in_privilege(r.name).is_some()
            || specific_privilege(r.name).is_some()
    })
}

fn suggestions_for(op: &Operation, custom_roles: &[CustomDbRole], out: &mut Vec<Suggestion>) {
    let db = match &op.target {
        Target::Database { db } | Target::Collection { db, .. } => db.as_str(),
        Target::Cluster => ADMIN_DATABASE,
    };
    let mut built_in = 0;
    for role in grantable_built_in_roles() {
        if built_in == MAX_SUGGESTIONS {
            break;
        }
        let on = match role.scope {
            catalog::RoleScope::EveryDatabase => db,
            catalog::RoleScope::AdminOnly => ADMIN_DATABASE,
        };
        if grants::built_in_role(role.name, on)
            .iter()
            .any(|p| allows(p, op))
        {
            built_in += 1;
            out.push(Suggestion {
                action: op.action.api_name.to_owned(),
                role: role.name.to_owned(),
                db: on.to_owned(),
                built_in: true,
            });
        }
    }
    let mut custom = 0;
    for role in custom_roles {
        if custom == MAX_SUGGESTIONS {
            break;
        }
        if grants::custom_role(role, custom_roles)
            .iter()
            .any(|p| allows(p, op))
        {
            custom += 1;
            out.push(Suggestion {
                action: op.action.api_name.to_owned(),
                role: role.role_name.clone(),
                db: ADMIN_DATABASE.to_owned(),
                built_in: false,
            });
        }
    }
}

/// Decides each action of `operations` for a user holding `held`, on `cluster` when one is chosen
/// (an action newer than its MongoDB version is denied).
pub fn authorize(
    operations: &[Operation],
    held: &[HeldPrivilege],
    cluster: Option<(&Cluster, MongoVersion)>,
    custom_roles: &[CustomDbRole],
) -> Authorization {
    let mut grants_out = Vec::new();
    let mut missing = Vec::new();
    let mut suggestions = Vec::new();
    for op in operations {
        let api = op.action.api_name.to_owned();
        if let (Some(since), Some((cluster, version))) = (op.action.since, cluster) {
            if version < since {
                missing.push(Missing {
                    action: api,
                    resource: op.target.to_string(),
                    code: DenialCode::NeedsNewerVersion,
                    detail: format!(
                        "{} ({}) needs MongoDB {since} or later; cluster {} runs MongoDB {version}.",
                        op.action.api_name, op.action.mongo_name, cluster.name
                    ),
                    held: Vec::new(),
                });
                continue;
            }
        }
        let found: Vec<GrantPath> = held
            .iter()
            .filter(|p| allows(p, op))
            .map(|p| GrantPath {
                action: api.clone(),
                resource: p.resource.to_string(),
                path: p.path.clone(),
            })
            .collect();
        if found.is_empty() {
            let mut on_resource: Vec<String> = held
                .iter()
                .filter(|p| covers(&p.resource, p.source, &op.target))
                .map(|p| p.display_action().to_owned())
                .collect();
            on_resource.sort();
            on_resource.dedup();
            missing.push(Missing {
                action: api,
                resource: op.target.to_string(),
                code: DenialCode::NotGranted,
                detail: format!(
                    "No role of the user grants {} ({}) on {}.",
                    op.action.api_name, op.action.mongo_name, op.target
                ),
                held: on_resource,
            });
            suggestions_for(op, custom_roles, &mut suggestions);
        } else {
            grants_out.extend(found);
        }
    }
    Authorization {
        allowed: missing.is_empty(),
        grants: grants_out,
        missing,
        suggestions,
    }
}
