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
    /// The role's name, unique in the project; Atlas creates every custom role on `admin`. Letters,
    /// digits, `_` and `-`, not a built-in role's name, not `atlasAdmin`, not starting with
    /// `xgen-`.
    pub role_name: String,
    /// The privileges the role grants directly, each an action with its resources (absent on the
    /// wire: none).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub actions: Vec<RoleAction>,
    /// The roles whose privileges it inherits, built-in or custom (absent on the wire: none).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub inherited_roles: Vec<InheritedRole>,
}

/// One privilege action and the resources it is granted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleAction {
    /// API name, e.g. `FIND`.
    pub action: String,
    /// Where the action is granted; a cluster-wide action has exactly `{"cluster": true}`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, default = json!([])))]
    pub resources: Vec<ActionResource>,
}

/// `{"db", "collection"}` for a collection, `{"db", "collection": ""}` for a database, `{"cluster": true}`
/// for the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionResource {
    /// The database, for a database or collection action; absent on the cluster resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    /// The collection within `db`, for a collection action; `""` (or absent) for the whole database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// `true` for the cluster resource of a cluster-wide action; absent otherwise (`false` reads as
    /// absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<bool>,
}

impl ActionResource {
    /// The resource `{"db", "collection"}`: one collection of one database.
    pub fn collection(db: impl Into<String>, collection: impl Into<String>) -> Self {
        Self {
            db: Some(db.into()),
            collection: Some(collection.into()),
            cluster: None,
        }
    }

    /// The resource `{"db", "collection": ""}`: a whole database.
    pub fn database(db: impl Into<String>) -> Self {
        Self {
            db: Some(db.into()),
            collection: Some(String::new()),
            cluster: None,
        }
    }

    /// The resource `{"cluster": true}`, for cluster-wide actions.
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

    /// Whether this is the cluster resource (`"cluster": true`).
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
    /// The role's name (`read`, or a custom role's `roleName`).
    pub role: String,
    /// The database it is inherited on; custom roles, and built-in roles that exist only there, are
    /// on `admin`.
    pub db: String,
}

impl InheritedRole {
    /// An inherited role `role` on database `db`.
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
    /// When present, replaces the role's actions (the rules of a created role apply to the result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<RoleAction>>,
    /// When present, replaces the role's inherited roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherited_roles: Option<Vec<InheritedRole>>,
}

/// A rule that a custom role breaks, at `field` (`roleName`, `actions[2].resources[0].collection`,
/// `inheritedRoles[1].role`, `rows[0].targets[1].db`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct CustomRoleError {
    /// Where the rule broke: the JSON path in the API body or the dialog's rows (see above); `""`
    /// for the role as a whole.
    pub field: String,
    /// Which rule broke; it decides the `errorCode` and the message.
    pub kind: CustomRoleErrorKind,
}

impl CustomRoleError {
    /// The rule `kind` broken at `field`.
    pub fn new(field: impl Into<String>, kind: CustomRoleErrorKind) -> Self {
        Self {
            field: field.into(),
            kind,
        }
    }

    /// The stable `errorCode` of the broken rule (see [`CustomRoleErrorKind::error_code`]).
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

/// Every rule a custom role can break, for the dialog (as the user types) and the API (on save);
/// the message is the user's, the code ([`Self::error_code`]) the API's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CustomRoleErrorKind {
    // The role name.
    /// `roleName` is empty (`ROLE_NAME_REQUIRED`).
    #[error("enter a name for the role")]
    NameEmpty,
    /// `roleName` has a character other than letters, digits, `_` and `-` (`INVALID_ROLE_NAME`).
    #[error("a role name can only contain letters, digits, underscores and dashes; {ch:?} at character {position} is not allowed")]
    NameInvalidCharacter {
        /// The first character that is not allowed.
        ch: char,
        /// Its 1-based position in the name, in characters.
        position: usize,
    },
    /// `roleName` is the name of a MongoDB built-in role such as `read` or `dbAdmin`
    /// (`ROLE_NAME_IS_BUILT_IN_ROLE`).
    #[error("\"{0}\" is the name of a built-in role; choose another name")]
    NameIsBuiltIn(String),
    /// `roleName` is `atlasAdmin`, Atlas's administrator role (`ROLE_NAME_IS_ATLAS_ADMIN`).
    #[error("atlasAdmin is reserved for Atlas's administrator role; choose another name")]
    NameIsAtlasAdmin,
    /// `roleName` starts with `xgen-`, the prefix Atlas keeps for its own roles
    /// (`ROLE_NAME_RESERVED_PREFIX`).
    #[error("role names starting with \"xgen-\" are reserved for Atlas; choose another name")]
    NameReservedPrefix,
    /// The project has a custom role of that name already (409 `DUPLICATE_ATLAS_CUSTOM_ROLE_NAME`).
    #[error("a custom role named \"{0}\" already exists in this project")]
    NameTaken(String),

    // The role as a whole.
    /// The role has neither actions nor inherited roles, which Atlas refuses (`CUSTOM_ROLE_EMPTY`).
    #[error("a custom role needs at least one action or inherited role")]
    Empty,
    /// No custom role of that name in the project (404 `ATLAS_CUSTOM_ROLE_NOT_FOUND`).
    #[error("this project has no custom role named \"{0}\"")]
    NotFound(String),
    /// A PATCH body's `roleName` differs from the role in the path: Atlas does not rename roles
    /// (`CUSTOM_ROLE_RENAME_NOT_ALLOWED`).
    #[error("custom roles cannot be renamed: the body names \"{to}\" but the role is \"{from}\"; create a new role instead")]
    RenameNotAllowed {
        /// The role's name, from the path.
        from: String,
        /// The name the body asks for.
        to: String,
    },

    // Actions and their resources.
    /// An action's name is empty (`ACTION_REQUIRED`).
    #[error("choose an action")]
    ActionEmpty,
    /// An action is not a privilege action of the catalog (`UNKNOWN_ACTION`).
    #[error("\"{name}\" is not a privilege action{}", did_you_mean(.suggestion))]
    UnknownAction {
        /// The action as sent.
        name: String,
        /// The catalog action whose name is closest, offered as "did you mean".
        suggestion: Option<&'static str>,
    },
    /// The action exists in MongoDB but is internal and Atlas does not let a custom role grant it
    /// (`ACTION_NOT_ASSIGNABLE`).
    #[error("{0} is internal to MongoDB and cannot be granted by a custom role")]
    ActionNotAssignable(String),
    /// The action is listed twice; one entry must carry all its resources (`DUPLICATE_ACTION`).
    #[error("{action} is already listed in actions[{first}]; list its resources there")]
    DuplicateAction {
        /// The action's API name.
        action: String,
        /// The 0-based index of its first entry in `actions`.
        first: usize,
    },
    /// The action has no resource (`ACTION_RESOURCES_REQUIRED`); holds the action name.
    #[error("{0} needs at least one resource")]
    ResourcesRequired(String),
    /// A database or collection action's resource has no `db` (`DATABASE_REQUIRED`); holds the
    /// action name.
    #[error("{0}: a database is required")]
    DatabaseRequired(String),
    /// A collection action's resource has no collection (`COLLECTION_REQUIRED`); holds the action
    /// name.
    #[error(
        "{0}: a collection is required (Collection Actions apply to a database and a collection)"
    )]
    CollectionRequired(String),
    /// A database action's resource names a collection (`COLLECTION_NOT_ALLOWED`); holds the action
    /// name.
    #[error("{0}: no collection here (Database Actions and Roles apply to a whole database)")]
    CollectionNotAllowed(String),
    /// A cluster-wide action's resource is not `{"cluster": true}` (`CLUSTER_RESOURCE_REQUIRED`);
    /// holds the action name.
    #[error("{0} is a cluster-wide action: its resource is {{\"cluster\": true}}")]
    ClusterResourceRequired(String),
    /// A database or collection action was given the cluster resource
    /// (`CLUSTER_RESOURCE_NOT_ALLOWED`); holds the action name.
    #[error("{0} applies to databases or collections, not to the cluster")]
    ClusterResourceNotAllowed(String),
    /// A cluster resource also names a database or collection (`CLUSTER_RESOURCE_WITH_NAMES`);
    /// holds the action name.
    #[error("{0} is a cluster-wide action: its resource names no database or collection")]
    NamesNotAllowedWithCluster(String),
    /// A resource's `db` breaks MongoDB's database-name rules (the code of [`DatabaseNameError`]).
    #[error("{0}")]
    DatabaseName(DatabaseNameError),
    /// A resource's `collection` breaks MongoDB's collection-name rules (the code of
    /// [`CollectionNameError`]).
    #[error("{0}")]
    CollectionName(CollectionNameError),
    /// The same resource is listed twice for one action (`DUPLICATE_RESOURCE`).
    #[error("this resource is already listed in resources[{first}]")]
    DuplicateResource {
        /// The 0-based index of its first entry in `resources`.
        first: usize,
    },
    /// A cluster of the project runs a MongoDB version older than the one that introduced the
    /// action (`ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION`): MongoDB would refuse the role there.
    #[error("{action} ({mongo_name}) needs MongoDB {since} or later, and cluster \"{cluster}\" runs MongoDB {cluster_version}{}", outdated_others(.other_clusters))]
    UnsupportedByClusters {
        /// The action's API name.
        action: String,
        /// The action's MongoDB name (`bypassDefaultMaxTimeMS`).
        mongo_name: &'static str,
        /// The first MongoDB version that has the action.
        since: MongoVersion,
        /// The oldest cluster of the project that runs a version without the action.
        cluster: String,
        /// That cluster's MongoDB version.
        cluster_version: MongoVersion,
        /// The other clusters that run an older version, named in the message.
        other_clusters: Vec<String>,
    },

    // Inherited roles.
    /// An inherited role's name is empty (`ROLE_NAME_REQUIRED`).
    #[error("choose a role")]
    RoleEmpty,
    /// An inherited role is neither a built-in role nor a custom role of the project
    /// (`UNKNOWN_INHERITED_ROLE`).
    #[error("\"{name}\" is neither a built-in role nor a custom role of this project{}", did_you_mean(.suggestion))]
    UnknownRole {
        /// The role as sent.
        name: String,
        /// The built-in role whose name is closest, offered as "did you mean".
        suggestion: Option<&'static str>,
    },
    /// A built-in role Atlas does not let a custom role inherit (`ROLE_NOT_INHERITABLE`); holds the
    /// role name.
    #[error("{0} cannot be inherited by a custom role in Atlas")]
    RoleNotInheritable(String),
    /// A role that exists on `admin` only (a cluster-wide built-in role, or a custom role)
    /// inherited on another database (`ROLE_REQUIRES_ADMIN_DATABASE`).
    #[error(
        "{role} exists on the admin database only: inherit it with db \"admin\", not \"{db}\""
    )]
    RoleRequiresAdminDatabase {
        /// The role's name.
        role: String,
        /// The database it was inherited on.
        db: String,
    },
    /// The same role on the same database is inherited twice (`DUPLICATE_INHERITED_ROLE`).
    #[error("this role is already inherited in inheritedRoles[{first}]")]
    DuplicateInheritedRole {
        /// The 0-based index of its first entry in `inheritedRoles`.
        first: usize,
    },
    /// Inheriting would make a role inherit itself (`INHERITED_ROLE_CYCLE`); holds the cycle, from
    /// the role back to itself (`["a", "b", "a"]`).
    #[error("inheriting this role creates a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),

    // Dialog rows.
    /// A dialog row has neither action nor role (`ROW_EMPTY`).
    #[error("choose at least one action or role for this row")]
    RowEmpty,
    /// A dialog row holds items of two categories; each row is one of Collection Actions, Database
    /// Actions and Roles, Global Actions and Roles (`ROW_MIXES_CATEGORIES`).
    #[error("{item} belongs to {item_category}, but this row holds {row_category}: add another row for it")]
    RowMixesCategories {
        /// The item (action or role) of the other category.
        item: String,
        /// Its category.
        item_category: Category,
        /// The row's category, set by its first item.
        row_category: Category,
    },
    /// A Collection or Database row without a database (`ROW_TARGETS_REQUIRED`); holds the row's
    /// category.
    #[error("{0} need a database for each entry: add a database")]
    RowTargetsRequired(Category),
    /// A Global row with databases or collections: its items apply to the whole cluster
    /// (`ROW_TARGETS_NOT_ALLOWED`).
    #[error("{0} apply to the whole cluster: remove the databases and collections of this row")]
    RowTargetsNotAllowed(Category),
    /// The same action or role is chosen twice in one row (`DUPLICATE_ROW_ITEM`).
    #[error("{item} is already chosen in items[{first}] of this row")]
    DuplicateRowItem {
        /// The action or role.
        item: String,
        /// The 0-based index of its first entry in the row's `items`.
        first: usize,
    },
    /// The same database and collection are listed twice in one row (`DUPLICATE_TARGET`).
    #[error("this database and collection are already listed in targets[{first}] of this row")]
    DuplicateTarget {
        /// The 0-based index of its first entry in the row's `targets`.
        first: usize,
    },

    // Delete guards.
    /// Deleting the role would leave roles that inherit it with no action and no inherited role,
    /// which Atlas refuses (409 `CUSTOM_ROLE_IN_USE_BY_ROLES`).
    #[error("deleting {role} would leave {} {} with no parent roles or actions: give {} an action or another inherited role, or delete {} first", if .children.len() == 1 { "the role" } else { "the roles" }, .children.join(", "), one_or_many(.children.len()), one_or_many(.children.len()))]
    DeleteWouldEmptyRoles {
        /// The role being deleted.
        role: String,
        /// The custom roles that would be left empty.
        children: Vec<String>,
    },
    /// Deleting the role would leave database users with no role (409
    /// `CUSTOM_ROLE_IN_USE_BY_USERS`).
    #[error("deleting {role} would leave {} {} with no roles: give {} another role, or delete {} first", if .users.len() == 1 { "the database user" } else { "the database users" }, .users.join("; "), one_or_many(.users.len()), one_or_many(.users.len()))]
    DeleteWouldLeaveUsersWithoutRoles {
        /// The role being deleted.
        role: String,
        /// The database users that would be left without a role (their usernames).
        users: Vec<String>,
    },
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
