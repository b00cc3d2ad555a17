//! The rules on a custom role in the API shape, one function each, and [`validate_custom_role`].
//!
//! The element rules ([`check_action_name`], [`check_target`], [`check_resource`], [`check_action_version`],
//! [`resolve_role`], [`check_inherited_role`]) return error kinds with a field *suffix*; the callers here
//! (API shape) and in [`super::rows`] (dialog rows) attach them to their own field paths, so each rule is
//! written once.

use std::collections::HashSet;

use super::name::validate_role_name;
use super::{
    CustomDbRole, CustomRoleError, CustomRoleErrorKind as Kind, InheritedRole, RoleAction,
};
use crate::catalog::{
    self, action_availability, ActionInfo, Availability, Category, RoleInfo, RoleScope,
};
use crate::cluster::Cluster;
use crate::field_issue::indexed;
use crate::names::{validate_collection_name, validate_database_name, SystemCollections};
use crate::privileges::ADMIN_DATABASE;

/// What the rules need to know about the project.
#[derive(Debug, Clone, Copy)]
pub struct Project<'a> {
    /// The project's stored custom roles.
    pub roles: &'a [CustomDbRole],
    /// The project's clusters, whose MongoDB versions gate the actions (see
    /// [`check_action_version`]).
    pub clusters: &'a [Cluster],
}

/// Creating a role, or replacing a stored one (PATCH, or the Edit dialog).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new role: its name must not be taken.
    Create,
    /// The stored role is replaced: its own stored version neither takes the name nor counts for
    /// cycles.
    Update,
}

/// Field of a resource or target that an error concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceField {
    /// The resource's `db`.
    Db,
    /// The resource's `collection`.
    Collection,
    /// The resource's `cluster`.
    Cluster,
}

impl ResourceField {
    /// The field's name in the API's JSON (`db`, `collection`, `cluster`), the last step of an
    /// error's field path.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Db => "db",
            Self::Collection => "collection",
            Self::Cluster => "cluster",
        }
    }
}

/// Resolves an action's API name to the catalog. Unknown names get a suggestion (`find` → `FIND`).
pub fn check_action_name(name: &str) -> Result<&'static ActionInfo, Kind> {
    if name.is_empty() {
        return Err(Kind::ActionEmpty);
    }
    match catalog::action_by_api_name(name) {
        Some(a) if a.assignable => Ok(a),
        Some(a) => Err(Kind::ActionNotAssignable(a.api_name.to_owned())),
        None => Err(Kind::UnknownAction {
            name: name.to_owned(),
            suggestion: catalog::suggest_action(name).map(|a| a.api_name),
        }),
    }
}

/// The database/collection rules of a Collection or Database row or resource: the database is required for
/// both, the collection is required for Collection Actions and refused for Database Actions and Roles.
/// `what` names the action or role in messages. Global and Custom categories have no targets: nothing to
/// check here.
pub fn check_target(
    category: Category,
    what: &str,
    db: Option<&str>,
    collection: Option<&str>,
) -> Vec<(ResourceField, Kind)> {
    let mut errors = Vec::new();
    if !category.needs_database() {
        return errors;
    }
    let db_ok = match db {
        None => {
            errors.push((ResourceField::Db, Kind::DatabaseRequired(what.to_owned())));
            None
        }
        Some(db) => match validate_database_name(db) {
            Ok(()) => Some(db),
            Err(e) => {
                errors.push((ResourceField::Db, Kind::DatabaseName(e)));
                None
            }
        },
    };
    match (category.needs_collection(), collection) {
        (true, None) => errors.push((
            ResourceField::Collection,
            Kind::CollectionRequired(what.to_owned()),
        )),
        (true, Some(c)) => {
            // The namespace length is only meaningful once the database is valid.
            if let Err(e) =
                validate_collection_name(db_ok.unwrap_or(""), c, SystemCollections::Allowed)
            {
                errors.push((ResourceField::Collection, Kind::CollectionName(e)));
            }
        }
        (false, Some(_)) => errors.push((
            ResourceField::Collection,
            Kind::CollectionNotAllowed(what.to_owned()),
        )),
        (false, None) => {}
    }
    errors
}

/// The rules on one resource of `action` in the API shape.
pub fn check_resource(
    action: &ActionInfo,
    resource: &super::ActionResource,
) -> Vec<(ResourceField, Kind)> {
    let what = action.api_name;
    if action.category == Category::GlobalActionsAndRoles {
        let mut errors = Vec::new();
        if !resource.is_cluster() {
            errors.push((
                ResourceField::Cluster,
                Kind::ClusterResourceRequired(what.to_owned()),
            ));
        }
        if resource.db_name().is_some() {
            errors.push((
                ResourceField::Db,
                Kind::NamesNotAllowedWithCluster(what.to_owned()),
            ));
        }
        if resource.collection_name().is_some() {
            errors.push((
                ResourceField::Collection,
                Kind::NamesNotAllowedWithCluster(what.to_owned()),
            ));
        }
        return errors;
    }
    if resource.is_cluster() {
        return vec![(
            ResourceField::Cluster,
            Kind::ClusterResourceNotAllowed(what.to_owned()),
        )];
    }
    check_target(
        action.category,
        what,
        resource.db_name(),
        resource.collection_name(),
    )
}

/// Refuses an action that a cluster of the project is too old for, naming the action, the version that
/// brings it and the oldest such cluster (and the others).
pub fn check_action_version(action: &ActionInfo, clusters: &[Cluster]) -> Result<(), Kind> {
    match action_availability(action, clusters) {
        Availability::Available => Ok(()),
        Availability::NeedsNewerClusters { since, clusters } => {
            let mut outdated = clusters.into_iter();
            let (cluster, cluster_version) = match outdated.next() {
                Some(c) => (c.name, c.version),
                None => (String::new(), since),
            };
            Err(Kind::UnsupportedByClusters {
                action: action.api_name.to_owned(),
                mongo_name: action.mongo_name,
                since,
                cluster,
                cluster_version,
                other_clusters: outdated.map(|c| c.name).collect(),
            })
        }
    }
}

/// A role a custom role may inherit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolvedRole<'a> {
    /// A built-in role of the catalog (MongoDB's, or Atlas's from the seed).
    BuiltIn(&'static RoleInfo),
    /// A custom role of the project (or the role being edited itself, which the cycle rule then refuses).
    Custom(&'a str),
}

impl ResolvedRole<'_> {
    /// The dialog category of the role.
    pub fn category(&self) -> Category {
        match self {
            Self::BuiltIn(r) => r.category,
            Self::Custom(_) => Category::CustomRoles,
        }
    }
}

/// Resolves an inherited role name: a built-in role the dialog offers, or a custom role of the project.
/// `own_name` is the role being defined: naming it resolves (as a cycle, refused by
/// [`find_inheritance_cycle`]).
pub fn resolve_role<'a>(
    name: &'a str,
    own_name: &str,
    project_roles: &'a [CustomDbRole],
) -> Result<ResolvedRole<'a>, Kind> {
    if name.is_empty() {
        return Err(Kind::RoleEmpty);
    }
    if let Some(builtin) = catalog::role(name) {
        return if builtin.inheritable {
            Ok(ResolvedRole::BuiltIn(builtin))
        } else {
            Err(Kind::RoleNotInheritable(name.to_owned()))
        };
    }
    if name == own_name || project_roles.iter().any(|r| r.role_name == name) {
        return Ok(ResolvedRole::Custom(name));
    }
    let suggestion = catalog::suggest_role(name)
        .filter(|r| r.inheritable)
        .map(|r| r.name);
    Err(Kind::UnknownRole {
        name: name.to_owned(),
        suggestion,
    })
}

/// Field of an inherited role that an error concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InheritedField {
    /// The inherited role's `role`.
    Role,
    /// The inherited role's `db`.
    Db,
}

/// The rules on one inherited role of the API shape: known, inheritable, on the right database (`admin`
/// for global and custom roles, a valid database for database roles).
pub fn check_inherited_role(
    inherited: &InheritedRole,
    own_name: &str,
    project_roles: &[CustomDbRole],
) -> Vec<(InheritedField, Kind)> {
    let resolved = match resolve_role(&inherited.role, own_name, project_roles) {
        Ok(r) => r,
        Err(kind) => return vec![(InheritedField::Role, kind)],
    };
    let admin_only = match resolved {
        ResolvedRole::BuiltIn(r) => r.scope == RoleScope::AdminOnly,
        ResolvedRole::Custom(_) => true,
    };
    if admin_only {
        if inherited.db != ADMIN_DATABASE {
            return vec![(
                InheritedField::Db,
                Kind::RoleRequiresAdminDatabase {
                    role: inherited.role.clone(),
                    db: inherited.db.clone(),
                },
            )];
        }
        return Vec::new();
    }
    let db = Some(inherited.db.as_str()).filter(|d| !d.is_empty());
    check_target(Category::DatabaseActionsAndRoles, &inherited.role, db, None)
        .into_iter()
        .map(|(_, kind)| (InheritedField::Db, kind))
        .collect()
}

/// The custom roles `role` inherits, as the cycle search sees them.
fn inherited_custom_names<'a>(
    roles: impl Iterator<Item = &'a InheritedRole>,
) -> impl Iterator<Item = &'a str> {
    roles
        .filter(|r| catalog::role(&r.role).is_none())
        .map(|r| r.role.as_str())
}

/// Looks for a chain of inheritance from `role_name` back to itself when it inherits the custom roles
/// `inherits` and the project's other roles are as stored in `project_roles` (the stored version of
/// `role_name`, if any, is ignored). Returns the cycle, e.g. `["a", "b", "c", "a"]`, or `["a", "a"]` for a
/// role inheriting itself.
pub fn find_inheritance_cycle<'a, I>(
    role_name: &str,
    inherits: I,
    project_roles: &[CustomDbRole],
) -> Option<Vec<String>>
where
    I: IntoIterator<Item = &'a str>,
{
    let children_of = |name: &str| -> Vec<&str> {
        project_roles
            .iter()
            .find(|r| r.role_name == name)
            .map(|r| inherited_custom_names(r.inherited_roles.iter()).collect())
            .unwrap_or_default()
    };
    // Depth-first search with an explicit stack of paths; `seen` bounds it even if the stored roles hold a
    // cycle of their own.
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack: Vec<Vec<String>> = inherits
        .into_iter()
        .map(|n| vec![role_name.to_owned(), n.to_owned()])
        .collect::<Vec<_>>();
    stack.reverse();
    while let Some(path) = stack.pop() {
        let Some(last) = path.last() else { continue };
        if last == role_name {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        let mut next: Vec<Vec<String>> = children_of(last)
            .into_iter()
            .map(|child| {
                let mut p = path.clone();
                p.push(child.to_owned());
                p
            })
            .collect();
        next.reverse();
        stack.extend(next);
    }
    None
}

/// One custom role the picker may offer while editing `editing`, and the cycle choosing it would create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRoleChoice<'a> {
    /// The custom role's name.
    pub name: &'a str,
    /// `Some(cycle)`: the picker disables it and shows why.
    pub cycle: Option<Vec<String>>,
}

/// The project's custom roles for the "Custom Roles" group of the picker, except `editing` itself.
pub fn custom_roles_for_picker<'a>(
    editing: &str,
    project_roles: &'a [CustomDbRole],
) -> Vec<CustomRoleChoice<'a>> {
    project_roles
        .iter()
        .filter(|r| r.role_name != editing)
        .map(|r| CustomRoleChoice {
            name: &r.role_name,
            cycle: find_inheritance_cycle(editing, [r.role_name.as_str()], project_roles),
        })
        .collect()
}

fn path(prefix: &str, i: usize, rest: &str) -> String {
    format!("{}.{rest}", indexed(prefix, i))
}

/// The rules on the actions of the API shape: known and assignable actions, listed once, each with
/// resources of the kind its category needs, with valid names, none listed twice, and supported by every
/// cluster of the project.
pub fn check_actions(actions: &[RoleAction], clusters: &[Cluster]) -> Vec<CustomRoleError> {
    let mut errors = Vec::new();
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    for (i, entry) in actions.iter().enumerate() {
        let info = match check_action_name(&entry.action) {
            Ok(info) => info,
            Err(kind) => {
                errors.push(CustomRoleError::new(path("actions", i, "action"), kind));
                continue;
            }
        };
        if let Some((_, first)) = seen.iter().find(|(api, _)| *api == info.api_name) {
            errors.push(CustomRoleError::new(
                path("actions", i, "action"),
                Kind::DuplicateAction {
                    action: info.api_name.to_owned(),
                    first: *first,
                },
            ));
        } else {
            seen.push((info.api_name, i));
        }
        if let Err(kind) = check_action_version(info, clusters) {
            errors.push(CustomRoleError::new(path("actions", i, "action"), kind));
        }
        if entry.resources.is_empty() {
            errors.push(CustomRoleError::new(
                path("actions", i, "resources"),
                Kind::ResourcesRequired(info.api_name.to_owned()),
            ));
        }
        for (j, resource) in entry.resources.iter().enumerate() {
            let base = format!("{}.{}", indexed("actions", i), indexed("resources", j));
            for (field, kind) in check_resource(info, resource) {
                errors.push(CustomRoleError::new(
                    format!("{base}.{}", field.as_str()),
                    kind,
                ));
            }
            if let Some(first) = entry
                .resources
                .iter()
                .take(j)
                .position(|r| r.normalized() == resource.normalized())
            {
                errors.push(CustomRoleError::new(
                    base,
                    Kind::DuplicateResource { first },
                ));
            }
        }
    }
    errors
}

/// The rules on the inherited roles of the API shape: each known, inheritable, on the right database,
/// listed once, and no inheritance cycle.
pub fn check_inherited_roles(
    role_name: &str,
    inherited: &[InheritedRole],
    project_roles: &[CustomDbRole],
) -> Vec<CustomRoleError> {
    let mut errors = Vec::new();
    for (i, r) in inherited.iter().enumerate() {
        let mut ok = true;
        for (field, kind) in check_inherited_role(r, role_name, project_roles) {
            ok = false;
            let suffix = match field {
                InheritedField::Role => "role",
                InheritedField::Db => "db",
            };
            errors.push(CustomRoleError::new(
                path("inheritedRoles", i, suffix),
                kind,
            ));
        }
        if let Some(first) = inherited.iter().take(i).position(|o| o == r) {
            errors.push(CustomRoleError::new(
                indexed("inheritedRoles", i),
                Kind::DuplicateInheritedRole { first },
            ));
            continue;
        }
        if ok && catalog::role(&r.role).is_none() {
            if let Some(cycle) = find_inheritance_cycle(role_name, [r.role.as_str()], project_roles)
            {
                errors.push(CustomRoleError::new(
                    path("inheritedRoles", i, "role"),
                    Kind::Cycle(cycle),
                ));
            }
        }
    }
    errors
}

/// Every rule on a custom role in the API shape: the name (on create), at least one action or inherited
/// role, the actions, the inherited roles. On update the role must exist. Returns all problems.
pub fn validate_custom_role(
    role: &CustomDbRole,
    project: &Project<'_>,
    mode: Mode,
) -> Result<(), Vec<CustomRoleError>> {
    let mut errors = Vec::new();
    match mode {
        Mode::Create => {
            let existing: Vec<&str> = project.roles.iter().map(|r| r.role_name.as_str()).collect();
            if let Err(kind) = validate_role_name(&role.role_name, &existing) {
                errors.push(CustomRoleError::new("roleName", kind));
            }
        }
        Mode::Update => {
            if !project.roles.iter().any(|r| r.role_name == role.role_name) {
                return Err(vec![CustomRoleError::new(
                    "roleName",
                    Kind::NotFound(role.role_name.clone()),
                )]);
            }
        }
    }
    if role.actions.is_empty() && role.inherited_roles.is_empty() {
        errors.push(CustomRoleError::new("actions", Kind::Empty));
    }
    errors.extend(check_actions(&role.actions, project.clusters));
    errors.extend(check_inherited_roles(
        &role.role_name,
        &role.inherited_roles,
        project.roles,
    ));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
