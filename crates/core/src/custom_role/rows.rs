//! The custom role dialog's rows.
//!
//! Each row of Atlas's dialog has an "Action or Role" choice (several actions/roles of one category; Global
//! Actions and Roles may also carry Custom Roles) and, for Collection Actions and Database Actions and
//! Roles, a list of databases (and collections) added with "Add a database or collection". [`RoleRow`] is
//! that row; [`validate_rows`] applies the rules as the user types (errors on `rows[i].items[j]`,
//! `rows[i].targets[k].db`, ...); [`rows_to_role`] and [`role_to_rows`] convert to and from the API shape.

use serde::{Deserialize, Serialize};

use super::name::validate_role_name;
use super::rules::{
    check_action_name, check_action_version, check_target, find_inheritance_cycle, resolve_role,
    Mode, Project, ResolvedRole,
};
use super::{
    ActionResource, CustomDbRole, CustomRoleError, CustomRoleErrorKind as Kind, InheritedRole,
    RoleAction,
};
use crate::catalog::{self, Category};
use crate::field_issue::indexed;
use crate::privileges::ADMIN_DATABASE;

/// One chosen action or role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum RowItem {
    /// A privilege action, by API name (`FIND`).
    Action(String),
    /// A built-in or custom role, by name.
    Role(String),
}

impl RowItem {
    /// An item for the privilege action of that API name (`FIND`).
    pub fn action(name: impl Into<String>) -> Self {
        Self::Action(name.into())
    }

    /// An item for the role of that name (built-in or custom).
    pub fn role(name: impl Into<String>) -> Self {
        Self::Role(name.into())
    }

    /// The action's API name or the role's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Action(n) | Self::Role(n) => n,
        }
    }
}

/// One database (and collection) of a row. For Database Actions and Roles the collection stays empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct RowTarget {
    /// The database; empty while the user has not chosen one.
    #[serde(default)]
    pub db: String,
    /// The collection; empty for a whole database (Database Actions and Roles).
    #[serde(default)]
    pub collection: String,
}

impl RowTarget {
    /// The target `db.collection`.
    pub fn new(db: impl Into<String>, collection: impl Into<String>) -> Self {
        Self {
            db: db.into(),
            collection: collection.into(),
        }
    }

    /// The target of a whole database (the collection empty).
    pub fn database(db: impl Into<String>) -> Self {
        Self {
            db: db.into(),
            collection: String::new(),
        }
    }

    fn is_blank(&self) -> bool {
        self.db.is_empty() && self.collection.is_empty()
    }
}

/// One row of the dialog.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoleRow {
    /// The row's actions and roles, all of one category (Collection Actions, Database Actions and
    /// Roles, or Global Actions and Roles).
    #[serde(default)]
    pub items: Vec<RowItem>,
    /// The databases (and collections) the row's items apply to; empty for a Global row.
    #[serde(default)]
    pub targets: Vec<RowTarget>,
}

/// What an item of a row is.
#[derive(Debug, Clone, Copy)]
enum Resolved<'a> {
    Action(&'static catalog::ActionInfo),
    Role(ResolvedRole<'a>),
}

impl Resolved<'_> {
    fn category(&self) -> Category {
        match self {
            Self::Action(a) => a.category,
            Self::Role(r) => r.category(),
        }
    }
}

fn resolve_item<'a>(
    item: &'a RowItem,
    own_name: &str,
    project_roles: &'a [CustomDbRole],
) -> Result<Resolved<'a>, Kind> {
    match item {
        RowItem::Action(name) => check_action_name(name).map(Resolved::Action),
        RowItem::Role(name) => resolve_role(name, own_name, project_roles).map(Resolved::Role),
    }
}

/// Whether two categories may share a row: the same, or Global Actions and Roles with Custom Roles.
pub fn categories_compatible(a: Category, b: Category) -> bool {
    use Category::{CustomRoles, GlobalActionsAndRoles};
    a == b
        || matches!(
            (a, b),
            (GlobalActionsAndRoles, CustomRoles) | (CustomRoles, GlobalActionsAndRoles)
        )
}

/// The category a row's targets follow, given the categories of its items: Collection or Database when
/// chosen, otherwise Global (its actions go to the cluster, its roles to `admin`), or Custom Roles alone.
fn row_category(categories: impl Iterator<Item = Category>) -> Option<Category> {
    categories.fold(None, |acc, c| match (acc, c) {
        (None, c) => Some(c),
        (Some(Category::CustomRoles), Category::GlobalActionsAndRoles) => {
            Some(Category::GlobalActionsAndRoles)
        }
        (Some(a), _) => Some(a),
    })
}

/// The categories the picker still offers for a row that holds `items`: all of them when it is empty
/// (Custom Roles only if the project has some), the chosen one once an item is chosen, and Global together
/// with Custom Roles once either is chosen. Unknown items are ignored.
pub fn enabled_categories(
    items: &[RowItem],
    own_name: &str,
    project_roles: &[CustomDbRole],
) -> Vec<Category> {
    let has_custom = project_roles.iter().any(|r| r.role_name != own_name);
    let first = items.iter().find_map(|item| {
        resolve_item(item, own_name, project_roles)
            .ok()
            .map(|r| r.category())
    });
    match first {
        None => Category::ALL
            .into_iter()
            .filter(|c| *c != Category::CustomRoles || has_custom)
            .collect(),
        Some(c) => Category::ALL
            .into_iter()
            .filter(|other| categories_compatible(c, *other))
            .filter(|other| *other != Category::CustomRoles || has_custom)
            .collect(),
    }
}

/// Which rules a row check applies.
#[derive(Clone, Copy)]
struct Checks {
    versions: bool,
    cycles: bool,
}

/// The structural row rules (items known and of one category, targets as the category needs), plus the
/// version and cycle rules when asked. Returns the errors and, per row, its category.
fn check_rows(
    own_name: &str,
    rows: &[RoleRow],
    project: &Project<'_>,
    checks: Checks,
) -> (Vec<CustomRoleError>, Vec<Option<Category>>) {
    let mut errors = Vec::new();
    let mut categories = Vec::with_capacity(rows.len());
    if rows.iter().all(|r| r.items.is_empty()) {
        errors.push(CustomRoleError::new("rows", Kind::Empty));
    }
    for (i, row) in rows.iter().enumerate() {
        let base = indexed("rows", i);
        let item_path = |j: usize| format!("{base}.{}", indexed("items", j));
        if row.items.is_empty() {
            errors.push(CustomRoleError::new(
                format!("{base}.items"),
                Kind::RowEmpty,
            ));
        }
        let mut resolved: Vec<(usize, Resolved<'_>)> = Vec::new();
        for (j, item) in row.items.iter().enumerate() {
            if let Some(first) = row.items.iter().take(j).position(|o| o == item) {
                errors.push(CustomRoleError::new(
                    item_path(j),
                    Kind::DuplicateRowItem {
                        item: item.name().to_owned(),
                        first,
                    },
                ));
                continue;
            }
            match resolve_item(item, own_name, project.roles) {
                Ok(r) => resolved.push((j, r)),
                Err(kind) => errors.push(CustomRoleError::new(item_path(j), kind)),
            }
        }
        // Category: fixed by the first known item; later items must be compatible with it.
        let mut row_items: Vec<Category> = Vec::new();
        for (j, r) in &resolved {
            let c = r.category();
            match row_items.first() {
                Some(first) if !categories_compatible(*first, c) => {
                    errors.push(CustomRoleError::new(
                        item_path(*j),
                        Kind::RowMixesCategories {
                            item: row
                                .items
                                .get(*j)
                                .map(|it| it.name().to_owned())
                                .unwrap_or_default(),
                            item_category: c,
                            row_category: *first,
                        },
                    ))
                }
                _ => row_items.push(c),
            }
        }
        let category = row_category(row_items.iter().copied());
        categories.push(category);
        for (j, r) in &resolved {
            match r {
                Resolved::Action(info) if checks.versions => {
                    if let Err(kind) = check_action_version(info, project.clusters) {
                        errors.push(CustomRoleError::new(item_path(*j), kind));
                    }
                }
                Resolved::Role(ResolvedRole::Custom(name)) if checks.cycles => {
                    if let Some(cycle) = find_inheritance_cycle(own_name, [*name], project.roles) {
                        errors.push(CustomRoleError::new(item_path(*j), Kind::Cycle(cycle)));
                    }
                }
                _ => {}
            }
        }
        // Targets.
        let Some(category) = category else { continue };
        let targets: Vec<(usize, &RowTarget)> = row
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_blank() || category.needs_database())
            .collect();
        if category.needs_database() {
            if targets.is_empty() {
                errors.push(CustomRoleError::new(
                    format!("{base}.targets"),
                    Kind::RowTargetsRequired(category),
                ));
            }
            let what = match row.items.as_slice() {
                [only] => only.name(),
                _ => category.label(),
            };
            for (k, t) in &targets {
                let tbase = format!("{base}.{}", indexed("targets", *k));
                let db = Some(t.db.as_str()).filter(|s| !s.is_empty());
                let coll = Some(t.collection.as_str()).filter(|s| !s.is_empty());
                for (field, kind) in check_target(category, what, db, coll) {
                    errors.push(CustomRoleError::new(
                        format!("{tbase}.{}", field.as_str()),
                        kind,
                    ));
                }
                if let Some(first) = row.targets.iter().take(*k).position(|o| o == *t) {
                    errors.push(CustomRoleError::new(tbase, Kind::DuplicateTarget { first }));
                }
            }
        } else if !targets.is_empty() {
            errors.push(CustomRoleError::new(
                format!("{base}.targets"),
                Kind::RowTargetsNotAllowed(category),
            ));
        }
    }
    (errors, categories)
}

/// Every rule, on the dialog's rows: the name (on create), at least one action or role, each row's items
/// from one category (Global may carry Custom Roles), databases and collections as the category needs,
/// actions supported by every cluster, no inheritance cycle. Errors carry row paths.
pub fn validate_rows(
    role_name: &str,
    rows: &[RoleRow],
    project: &Project<'_>,
    mode: Mode,
) -> Result<(), Vec<CustomRoleError>> {
    let mut errors = Vec::new();
    match mode {
        Mode::Create => {
            let existing: Vec<&str> = project.roles.iter().map(|r| r.role_name.as_str()).collect();
            if let Err(kind) = validate_role_name(role_name, &existing) {
                errors.push(CustomRoleError::new("roleName", kind));
            }
        }
        Mode::Update => {
            if !project.roles.iter().any(|r| r.role_name == role_name) {
                errors.push(CustomRoleError::new(
                    "roleName",
                    Kind::NotFound(role_name.to_owned()),
                ));
            }
        }
    }
    errors.extend(
        check_rows(
            role_name,
            rows,
            project,
            Checks {
                versions: true,
                cycles: true,
            },
        )
        .0,
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Builds the API shape from rows. Refuses rows that cannot be converted (unknown items, mixed
/// categories, missing or invalid databases/collections); version, name and cycle rules are
/// [`validate_rows`]'s. The same action in several rows becomes one action with all the resources.
pub fn rows_to_role(
    role_name: &str,
    rows: &[RoleRow],
    project_roles: &[CustomDbRole],
) -> Result<CustomDbRole, Vec<CustomRoleError>> {
    let project = Project {
        roles: project_roles,
        clusters: &[],
    };
    let (errors, categories) = check_rows(
        role_name,
        rows,
        &project,
        Checks {
            versions: false,
            cycles: false,
        },
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut role = CustomDbRole {
        role_name: role_name.to_owned(),
        actions: Vec::new(),
        inherited_roles: Vec::new(),
    };
    for (row, category) in rows.iter().zip(categories) {
        let Some(category) = category else { continue };
        let resources: Vec<ActionResource> = match category {
            Category::CollectionActions => row
                .targets
                .iter()
                .map(|t| ActionResource::collection(&t.db, &t.collection))
                .collect(),
            Category::DatabaseActionsAndRoles => row
                .targets
                .iter()
                .map(|t| ActionResource::database(&t.db))
                .collect(),
            Category::GlobalActionsAndRoles | Category::CustomRoles => {
                vec![ActionResource::cluster()]
            }
        };
        for item in &row.items {
            match item {
                RowItem::Action(name) => {
                    let api =
                        catalog::action_by_api_name(name).map_or(name.as_str(), |a| a.api_name);
                    let entry = match role.actions.iter().position(|a| a.action == api) {
                        Some(i) => role.actions.get_mut(i),
                        None => {
                            role.actions.push(RoleAction {
                                action: api.to_owned(),
                                resources: Vec::new(),
                            });
                            role.actions.last_mut()
                        }
                    };
                    if let Some(entry) = entry {
                        for r in &resources {
                            push_unique(&mut entry.resources, r.clone());
                        }
                    }
                }
                RowItem::Role(name) => {
                    let database_role = category == Category::DatabaseActionsAndRoles
                        && catalog::role(name).is_some();
                    if database_role {
                        for t in &row.targets {
                            push_unique(&mut role.inherited_roles, InheritedRole::new(name, &t.db));
                        }
                    } else {
                        push_unique(
                            &mut role.inherited_roles,
                            InheritedRole::new(name, ADMIN_DATABASE),
                        );
                    }
                }
            }
        }
    }
    Ok(role)
}

/// Rows for the Edit dialog from a stored role: actions with the same category and the same resources
/// share a row, database roles on the same databases share a row, global and custom roles and global
/// actions share one row. Unknown actions or roles keep a row of their own (with the databases and
/// collections of their resources) so that [`validate_rows`] can point at them.
pub fn role_to_rows(role: &CustomDbRole) -> Vec<RoleRow> {
    // Row key: category (None for unknown items) and sorted targets.
    type RowKey = (Option<Category>, Vec<RowTarget>);
    let mut keyed: Vec<(RowKey, RoleRow)> = Vec::new();
    let mut add = |category: Option<Category>, mut targets: Vec<RowTarget>, item: RowItem| {
        targets.sort();
        targets.dedup();
        let key = (category, targets);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, row)) => push_unique(&mut row.items, item),
            None => {
                let row = RoleRow {
                    items: vec![item],
                    targets: key.1.clone(),
                };
                keyed.push((key, row));
            }
        }
    };
    for entry in &role.actions {
        let info = catalog::action_by_api_name(&entry.action);
        let category = info.map(|a| a.category);
        let targets: Vec<RowTarget> = match category {
            Some(Category::GlobalActionsAndRoles) => Vec::new(),
            _ => entry
                .resources
                .iter()
                .filter(|r| !r.is_cluster())
                .map(|r| {
                    RowTarget::new(r.db_name().unwrap_or(""), r.collection_name().unwrap_or(""))
                })
                .collect(),
        };
        let name = info.map_or(entry.action.as_str(), |a| a.api_name);
        add(category, targets, RowItem::action(name));
    }
    // Database roles: gather each role's databases first, so `read` on two databases is one row item.
    let mut database_roles: Vec<(&str, Vec<RowTarget>)> = Vec::new();
    for inherited in &role.inherited_roles {
        match catalog::role(&inherited.role) {
            Some(r) if r.category == Category::DatabaseActionsAndRoles => {
                let target = RowTarget::database(&inherited.db);
                match database_roles
                    .iter_mut()
                    .find(|(n, _)| *n == inherited.role)
                {
                    Some((_, targets)) => targets.push(target),
                    None => database_roles.push((&inherited.role, vec![target])),
                }
            }
            _ => add(
                Some(Category::GlobalActionsAndRoles),
                Vec::new(),
                RowItem::role(&inherited.role),
            ),
        }
    }
    for (name, targets) in database_roles {
        add(
            Some(Category::DatabaseActionsAndRoles),
            targets,
            RowItem::role(name),
        );
    }
    keyed.into_iter().map(|(_, row)| row).collect()
}
