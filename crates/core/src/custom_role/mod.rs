//! Custom database roles: the Atlas JSON shape, the dialog's rows, and every rule of Atlas's "Configure
//! Custom MongoDB Roles" page, written once for the UI (as the user types) and the server (on save).
//!
//! - [`name`]: the role name rules;
//! - [`rules`]: the rules on the API shape (actions, resources, inherited roles, versions, cycles), and
//!   [`validate_custom_role`] that applies them all;
//! - [`rows`]: the dialog's rows ("Action or Role" + databases/collections), their rules and their
//!   conversion to and from the API shape;
//! - [`effective`]: the privileges a role grants once inheritance is flattened;
//! - [`lifecycle`]: modify (no renaming) and the delete guards.
//!
//! How the dialog maps onto the API: a Collection Actions row gives each of its actions the resources
//! `{"db", "collection"}` of its targets; a Database Actions and Roles row gives its actions `{"db",
//! "collection": ""}` and its roles `inheritedRoles` `{"role", "db"}` on each target database; a Global
//! Actions and Roles row gives its actions `{"cluster": true}` and its roles, like the Custom Roles it may
//! carry, `inheritedRoles` on `admin`.

pub mod effective;
pub mod lifecycle;
pub mod name;
pub mod rows;
pub mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Category;
use crate::cluster::MongoVersion;
use crate::field_issue::FieldError;
use crate::names::{CollectionNameError, DatabaseNameError};

pub use effective::{
    built_in_role_privileges, effective_privileges, EffectivePrivilege, PrivilegeResource,
};
pub use lifecycle::{
    apply_update, check_delete, check_rename, delete_consequences, detach_deleted_role,
    DeleteConsequences,
};
pub use name::validate_role_name;
pub use rows::{
    enabled_categories, role_to_rows, rows_to_role, validate_rows, RoleRow, RowItem, RowTarget,
};
pub use rules::{
    custom_roles_for_picker, find_inheritance_cycle, validate_custom_role, Mode, Project,
};

/// A custom role, as the Atlas Admin API reads and writes it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomDbRole {
    pub role_name: String,
    #[serde(default)]
    pub actions: Vec<RoleAction>,
    #[serde(default)]
    pub inherited_roles: Vec<InheritedRole>,
}

/// One privilege action and the resources it is granted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleAction {
    /// API name, e.g. `FIND`.
    pub action: String,
    #[serde(default)]
    pub resources: Vec<ActionResource>,
}

/// `{"db", "collection"}` for a collection, `{"db", "collection": ""}` for a database, `{"cluster": true}`
/// for the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionResource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<bool>,
}

impl ActionResource {
    pub fn collection(db: impl Into<String>, collection: impl Into<String>) -> Self {
        Self {
            db: Some(db.into()),
            collection: Some(collection.into()),
            cluster: None,
        }
    }

    pub fn database(db: impl Into<String>) -> Self {
        Self {
            db: Some(db.into()),
            collection: Some(String::new()),
            cluster: None,
        }
    }

    pub fn cluster() -> Self {
        Self {
            db: None,
            collection: None,
            cluster: Some(true),
        }
    }

    /// The database, `None` when absent or empty.
    pub fn db_name(&self) -> Option<&str> {
        self.db.as_deref().filter(|s| !s.is_empty())
    }

    /// The collection, `None` when absent or empty.
    pub fn collection_name(&self) -> Option<&str> {
        self.collection.as_deref().filter(|s| !s.is_empty())
    }

    pub fn is_cluster(&self) -> bool {
        self.cluster == Some(true)
    }

    /// The same resource whatever spelling (`"cluster": false` vs absent, `""` vs absent).
    pub(crate) fn normalized(&self) -> (bool, Option<&str>, Option<&str>) {
        (self.is_cluster(), self.db_name(), self.collection_name())
    }
}

/// A role the custom role inherits: built-in (`{"role": "read", "db": "sales"}`) or custom (on `admin`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InheritedRole {
    pub role: String,
    pub db: String,
}

impl InheritedRole {
    pub fn new(role: impl Into<String>, db: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            db: db.into(),
        }
    }
}

/// Body of `PATCH .../customDBRoles/roles/{roleName}`: what is absent stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomDbRoleUpdate {
    /// Atlas does not rename roles: when present it must equal the role's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<RoleAction>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherited_roles: Option<Vec<InheritedRole>>,
}

/// A rule that a custom role breaks, at `field` (`roleName`, `actions[2].resources[0].collection`,
/// `inheritedRoles[1].role`, `rows[0].targets[1].db`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct CustomRoleError {
    pub field: String,
    pub kind: CustomRoleErrorKind,
}

impl CustomRoleError {
    pub fn new(field: impl Into<String>, kind: CustomRoleErrorKind) -> Self {
        Self {
            field: field.into(),
            kind,
        }
    }

    pub fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

impl FieldError for CustomRoleError {
    fn field(&self) -> &str {
        &self.field
    }
    fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

fn did_you_mean(s: &Option<&'static str>) -> String {
    s.map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

fn outdated_others(others: &[String]) -> String {
    match others {
        [] => String::new(),
        [one] => format!(" (cluster \"{one}\" too)"),
        more => format!(" (and {} more clusters: {})", more.len(), more.join(", ")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CustomRoleErrorKind {
    // The role name.
    #[error("enter a name for the role")]
    NameEmpty,
    #[error("a role name can only contain letters, digits, underscores and dashes; {ch:?} at character {position} is not allowed")]
    NameInvalidCharacter { ch: char, position: usize },
    #[error("\"{0}\" is the name of a built-in role; choose another name")]
    NameIsBuiltIn(String),
    #[error("atlasAdmin is reserved for Atlas's administrator role; choose another name")]
    NameIsAtlasAdmin,
    #[error("role names starting with \"xgen-\" are reserved for Atlas; choose another name")]
    NameReservedPrefix,
    #[error("a custom role named \"{0}\" already exists in this project")]
    NameTaken(String),

    // The role as a whole.
    #[error("a custom role needs at least one action or inherited role")]
    Empty,
    #[error("this project has no custom role named \"{0}\"")]
    NotFound(String),
    #[error("custom roles cannot be renamed: the body names \"{to}\" but the role is \"{from}\"; create a new role instead")]
    RenameNotAllowed { from: String, to: String },

    // Actions and their resources.
    #[error("choose an action")]
    ActionEmpty,
    #[error("\"{name}\" is not a privilege action{}", did_you_mean(.suggestion))]
    UnknownAction {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error("{0} is internal to MongoDB and cannot be granted by a custom role")]
    ActionNotAssignable(String),
    #[error("{action} is already listed in actions[{first}]; list its resources there")]
    DuplicateAction { action: String, first: usize },
    #[error("{0} needs at least one resource")]
    ResourcesRequired(String),
    #[error("{0}: a database is required")]
    DatabaseRequired(String),
    #[error(
        "{0}: a collection is required (Collection Actions apply to a database and a collection)"
    )]
    CollectionRequired(String),
    #[error("{0}: no collection here (Database Actions and Roles apply to a whole database)")]
    CollectionNotAllowed(String),
    #[error("{0} is a cluster-wide action: its resource is {{\"cluster\": true}}")]
    ClusterResourceRequired(String),
    #[error("{0} applies to databases or collections, not to the cluster")]
    ClusterResourceNotAllowed(String),
    #[error("{0} is a cluster-wide action: its resource names no database or collection")]
    NamesNotAllowedWithCluster(String),
    #[error("{0}")]
    DatabaseName(DatabaseNameError),
    #[error("{0}")]
    CollectionName(CollectionNameError),
    #[error("this resource is already listed in resources[{first}]")]
    DuplicateResource { first: usize },
    #[error("{action} ({mongo_name}) needs MongoDB {since} or later, and cluster \"{cluster}\" runs MongoDB {cluster_version}{}", outdated_others(.other_clusters))]
    UnsupportedByClusters {
        action: String,
        mongo_name: &'static str,
        since: MongoVersion,
        cluster: String,
        cluster_version: MongoVersion,
        other_clusters: Vec<String>,
    },

    // Inherited roles.
    #[error("choose a role")]
    RoleEmpty,
    #[error("\"{name}\" is neither a built-in role nor a custom role of this project{}", did_you_mean(.suggestion))]
    UnknownRole {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error("{0} cannot be inherited by a custom role in Atlas")]
    RoleNotInheritable(String),
    #[error(
        "{role} exists on the admin database only: inherit it with db \"admin\", not \"{db}\""
    )]
    RoleRequiresAdminDatabase { role: String, db: String },
    #[error("this role is already inherited in inheritedRoles[{first}]")]
    DuplicateInheritedRole { first: usize },
    #[error("inheriting this role creates a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),

    // Dialog rows.
    #[error("choose at least one action or role for this row")]
    RowEmpty,
    #[error("{item} belongs to {item_category}, but this row holds {row_category}: add another row for it")]
    RowMixesCategories {
        item: String,
        item_category: Category,
        row_category: Category,
    },
    #[error("{0} need a database for each entry: add a database")]
    RowTargetsRequired(Category),
    #[error("{0} apply to the whole cluster: remove the databases and collections of this row")]
    RowTargetsNotAllowed(Category),
    #[error("{item} is already chosen in items[{first}] of this row")]
    DuplicateRowItem { item: String, first: usize },
    #[error("this database and collection are already listed in targets[{first}] of this row")]
    DuplicateTarget { first: usize },

    // Delete guards.
    #[error("deleting {role} would leave {} {} with no parent roles or actions: give {} an action or another inherited role, or delete {} first", if .children.len() == 1 { "the role" } else { "the roles" }, .children.join(", "), one_or_many(.children.len()), one_or_many(.children.len()))]
    DeleteWouldEmptyRoles { role: String, children: Vec<String> },
    #[error("deleting {role} would leave {} {} with no roles: give {} another role, or delete {} first", if .users.len() == 1 { "the database user" } else { "the database users" }, .users.join("; "), one_or_many(.users.len()), one_or_many(.users.len()))]
    DeleteWouldLeaveUsersWithoutRoles { role: String, users: Vec<String> },
}

impl CustomRoleErrorKind {
    /// Stable UPPER_SNAKE code for the Atlas error envelope.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::NameEmpty => "ROLE_NAME_REQUIRED",
            Self::NameInvalidCharacter { .. } => "INVALID_ROLE_NAME",
            Self::NameIsBuiltIn(_) => "ROLE_NAME_IS_BUILT_IN_ROLE",
            Self::NameIsAtlasAdmin => "ROLE_NAME_IS_ATLAS_ADMIN",
            Self::NameReservedPrefix => "ROLE_NAME_RESERVED_PREFIX",
            Self::NameTaken(_) => "DUPLICATE_ATLAS_CUSTOM_ROLE_NAME",
            Self::Empty => "CUSTOM_ROLE_EMPTY",
            Self::NotFound(_) => "ATLAS_CUSTOM_ROLE_NOT_FOUND",
            Self::RenameNotAllowed { .. } => "CUSTOM_ROLE_RENAME_NOT_ALLOWED",
            Self::ActionEmpty => "ACTION_REQUIRED",
            Self::UnknownAction { .. } => "UNKNOWN_ACTION",
            Self::ActionNotAssignable(_) => "ACTION_NOT_ASSIGNABLE",
            Self::DuplicateAction { .. } => "DUPLICATE_ACTION",
            Self::ResourcesRequired(_) => "ACTION_RESOURCES_REQUIRED",
            Self::DatabaseRequired(_) => "DATABASE_REQUIRED",
            Self::CollectionRequired(_) => "COLLECTION_REQUIRED",
            Self::CollectionNotAllowed(_) => "COLLECTION_NOT_ALLOWED",
            Self::ClusterResourceRequired(_) => "CLUSTER_RESOURCE_REQUIRED",
            Self::ClusterResourceNotAllowed(_) => "CLUSTER_RESOURCE_NOT_ALLOWED",
            Self::NamesNotAllowedWithCluster(_) => "CLUSTER_RESOURCE_WITH_NAMES",
            Self::DatabaseName(e) => e.error_code(),
            Self::CollectionName(e) => e.error_code(),
            Self::DuplicateResource { .. } => "DUPLICATE_RESOURCE",
            Self::UnsupportedByClusters { .. } => "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION",
            Self::RoleEmpty => "ROLE_NAME_REQUIRED",
            Self::UnknownRole { .. } => "UNKNOWN_INHERITED_ROLE",
            Self::RoleNotInheritable(_) => "ROLE_NOT_INHERITABLE",
            Self::RoleRequiresAdminDatabase { .. } => "ROLE_REQUIRES_ADMIN_DATABASE",
            Self::DuplicateInheritedRole { .. } => "DUPLICATE_INHERITED_ROLE",
            Self::Cycle(_) => "INHERITED_ROLE_CYCLE",
            Self::RowEmpty => "ROW_EMPTY",
            Self::RowMixesCategories { .. } => "ROW_MIXES_CATEGORIES",
            Self::RowTargetsRequired(_) => "ROW_TARGETS_REQUIRED",
            Self::RowTargetsNotAllowed(_) => "ROW_TARGETS_NOT_ALLOWED",
            Self::DuplicateRowItem { .. } => "DUPLICATE_ROW_ITEM",
            Self::DuplicateTarget { .. } => "DUPLICATE_TARGET",
            Self::DeleteWouldEmptyRoles { .. } => "CUSTOM_ROLE_IN_USE_BY_ROLES",
            Self::DeleteWouldLeaveUsersWithoutRoles { .. } => "CUSTOM_ROLE_IN_USE_BY_USERS",
        }
    }

    /// HTTP status the server answers with: 404 for a missing role, 409 for a name already taken or a
    /// delete that is refused, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::NameTaken(_)
            | Self::DeleteWouldEmptyRoles { .. }
            | Self::DeleteWouldLeaveUsersWithoutRoles { .. } => 409,
            _ => 400,
        }
    }
}

/// "it" or "them", for the delete guards' advice.
fn one_or_many(count: usize) -> &'static str {
    if count == 1 {
        "it"
    } else {
        "them"
    }
}
