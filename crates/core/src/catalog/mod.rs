//! The role catalog: every MongoDB privilege action and every built-in role, as data.
//!
//! The tables live in [`actions`] and [`roles`]; this module holds their types and the look-ups that the
//! custom-role rules, the users' privilege rules, the server and the UI share. Everything here is `'static`
//! data with no allocation, so the catalog costs the Wasm bundle only its strings.
//!
//! Categories follow Atlas's custom role dialog: an action that MongoDB lets you grant on a collection is a
//! *Collection Action* (it needs a database and a collection), an action granted on a database only is a
//! *Database Action* (it needs a database), an action on the cluster resource is a *Global Action*
//! (`{"cluster": true}`). Roles defined on every database (read, readWrite, ...) are *Database Roles*; roles
//! defined on `admin` only (readAnyDatabase, clusterMonitor, backup, ...) are *Global Roles*.

mod actions;
mod roles;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::cluster::{clusters_by_version, Cluster, MongoVersion};

pub use actions::ACTIONS;
pub use roles::ROLES;

/// A group of Atlas's "Action or Role" picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Actions MongoDB lets you grant on a collection: each needs a database and a collection.
    CollectionActions,
    /// Actions granted on a database only, and the roles every database has (read, readWrite, ...):
    /// each needs a database.
    DatabaseActionsAndRoles,
    /// Actions on the cluster resource (`{"cluster": true}`), and the roles only `admin` has.
    GlobalActionsAndRoles,
    /// The project's custom roles (inherited on `admin`).
    CustomRoles,
}

impl Category {
    /// Every category, in the order of Atlas's picker.
    pub const ALL: [Category; 4] = [
        Self::CollectionActions,
        Self::DatabaseActionsAndRoles,
        Self::GlobalActionsAndRoles,
        Self::CustomRoles,
    ];

    /// The heading Atlas shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::CollectionActions => "Collection Actions",
            Self::DatabaseActionsAndRoles => "Database Actions and Roles",
            Self::GlobalActionsAndRoles => "Global Actions and Roles",
            Self::CustomRoles => "Custom Roles",
        }
    }

    /// A row of this category needs a database for each target.
    pub fn needs_database(self) -> bool {
        matches!(
            self,
            Self::CollectionActions | Self::DatabaseActionsAndRoles
        )
    }

    /// A row of this category needs a collection for each target.
    pub fn needs_collection(self) -> bool {
        matches!(self, Self::CollectionActions)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The kinds of resource MongoDB accepts for an action (manual: "Apply this action to ...").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applies(u8);

impl Applies {
    /// The bit for "collection resources".
    pub const COLLECTION: u8 = 1;
    /// The bit for "database resources".
    pub const DATABASE: u8 = 2;
    /// The bit for the `cluster` resource.
    pub const CLUSTER: u8 = 4;

    /// The resource kinds of `bits`, an OR of [`Self::COLLECTION`], [`Self::DATABASE`] and
    /// [`Self::CLUSTER`].
    pub const fn new(bits: u8) -> Self {
        Self(bits)
    }
    /// Whether the action may be granted on a collection.
    pub fn collection(self) -> bool {
        self.0 & Self::COLLECTION != 0
    }
    /// Whether the action may be granted on a database.
    pub fn database(self) -> bool {
        self.0 & Self::DATABASE != 0
    }
    /// Whether the action may be granted on the cluster.
    pub fn cluster(self) -> bool {
        self.0 & Self::CLUSTER != 0
    }
}

/// Where a catalog entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Origin {
    /// The MongoDB manual.
    Mongodb,
    /// Atlas only (Data Federation, Atlas SQL, zone sharding commands, Atlas's own roles).
    Atlas,
}

/// One privilege action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    /// Name in the Atlas Admin API, e.g. `FIND`, `RENAME_COLLECTION_SAME_DB`.
    pub api_name: &'static str,
    /// Name in MongoDB, e.g. `find`, `renameCollectionSameDB`.
    pub mongo_name: &'static str,
    /// The picker group, from the kinds of resource it applies to.
    pub category: Category,
    /// The kinds of resource MongoDB accepts for it.
    pub applies: Applies,
    /// First MongoDB version with the action; `None` for Atlas service actions that do not depend on the
    /// clusters' version.
    pub since: Option<MongoVersion>,
    /// Whether MongoDB's manual or Atlas defines it.
    pub origin: Origin,
    /// `false` for MongoDB's internal actions (`anyAction`, `internal`), which no custom role may grant.
    pub assignable: bool,
}

/// Where a built-in role's privilege applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantOn {
    /// The database the role is granted on (all its non-system collections).
    RoleDatabase,
    /// One collection of the database the role is granted on, e.g. `system.profile`.
    RoleDatabaseCollection(&'static str),
    /// Every database (all non-system collections).
    AnyDatabase,
    /// The named collection in every database, e.g. `system.profile`.
    AnyDatabaseCollection(&'static str),
    /// A named database, e.g. `config`.
    Database(&'static str),
    /// A named collection, e.g. `config.settings`.
    Namespace(&'static str, &'static str),
    /// The cluster resource (`{cluster: true}`).
    Cluster,
    /// MongoDB's `anyResource`.
    AnyResource,
}

/// Actions a built-in role grants on one kind of resource (MongoDB names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// The resource the actions are granted on.
    pub on: GrantOn,
    /// The actions, by MongoDB name (`find`).
    pub actions: &'static [&'static str],
}

/// Which databases a built-in role exists on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleScope {
    /// Every database has it (read, readWrite, ...): granted on a database the user chooses.
    EveryDatabase,
    /// Only `admin` has it (readAnyDatabase, clusterMonitor, ...).
    AdminOnly,
}

/// One built-in role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleInfo {
    /// The role's name (`read`, `clusterMonitor`, `atlasAdmin`).
    pub name: &'static str,
    /// Its picker group: Database Actions and Roles (every database has it) or Global Actions and
    /// Roles (only `admin`).
    pub category: Category,
    /// Which databases have the role.
    pub scope: RoleScope,
    /// Whether MongoDB's manual or Atlas defines it.
    pub origin: Origin,
    /// Offered in the custom role dialog (a custom role may inherit it).
    pub inheritable: bool,
    /// Built-in roles whose privileges this one includes (granted on the same database).
    pub inherits: &'static [&'static str],
    /// The privileges it grants itself, besides those of `inherits`.
    pub grants: &'static [Grant],
}

/// Every action, in the manual's order.
pub fn actions() -> &'static [ActionInfo] {
    ACTIONS
}

/// Every built-in role.
pub fn roles() -> &'static [RoleInfo] {
    ROLES
}

/// Spellings some API clients send for an action, and the name they mean.
pub const API_NAME_ALIASES: &[(&str, &str)] = &[
    ("REPLSET_GET_CONFIG", "REPL_SET_GET_CONFIG"),
    ("REPLSET_GET_STATUS", "REPL_SET_GET_STATUS"),
    ("INPROG", "IN_PROG"),
    ("KILLOP", "KILL_OP"),
    ("NETSTAT", "NET_STAT"),
];

/// Looks an action up by its Atlas API name (exact spelling, or one of [`API_NAME_ALIASES`]).
pub fn action_by_api_name(name: &str) -> Option<&'static ActionInfo> {
    let canonical = API_NAME_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, c)| *c);
    ACTIONS.iter().find(|a| a.api_name == canonical)
}

/// Looks an action up by its MongoDB name (exact spelling).
pub fn action_by_mongo_name(name: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.mongo_name == name)
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// For an unknown action name, the action the user probably meant (`find` → `FIND`, `ListDatabases` →
/// `LIST_DATABASES`), ignoring case, underscores and hyphens.
pub fn suggest_action(name: &str) -> Option<&'static ActionInfo> {
    let wanted = squash(name);
    if wanted.is_empty() {
        return None;
    }
    ACTIONS
        .iter()
        .find(|a| squash(a.api_name) == wanted || squash(a.mongo_name) == wanted)
}

/// Looks a built-in role up by name (exact spelling: MongoDB role names are case-sensitive).
pub fn role(name: &str) -> Option<&'static RoleInfo> {
    ROLES.iter().find(|r| r.name == name)
}

/// For an unknown role name, the built-in role the user probably meant (ignoring case).
pub fn suggest_role(name: &str) -> Option<&'static RoleInfo> {
    ROLES.iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// Whether an action can be used on every cluster of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Availability {
    /// Every cluster of the project runs a version that has the action.
    Available,
    /// Some clusters run a MongoDB version older than the one that brings the action.
    NeedsNewerClusters {
        /// The first MongoDB version with the action.
        since: MongoVersion,
        /// The clusters that lack it, oldest first.
        clusters: Vec<OutdatedCluster>,
    },
}

/// A cluster too old for an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutdatedCluster {
    /// The cluster's name.
    pub name: String,
    /// The MongoDB version it runs.
    pub version: MongoVersion,
}

impl Availability {
    /// Whether every cluster has the action.
    pub fn is_available(&self) -> bool {
        matches!(self, Self::Available)
    }
}

/// Whether `action` works on every cluster of the project. The UI disables unavailable actions in the
/// picker and marks them with `since`; the server refuses them.
pub fn action_availability(action: &ActionInfo, clusters: &[Cluster]) -> Availability {
    let Some(since) = action.since else {
        return Availability::Available;
    };
    let lacking: Vec<OutdatedCluster> = clusters_by_version(clusters)
        .into_iter()
        .filter(|(_, v)| *v < since)
        .map(|(name, version)| OutdatedCluster {
            name: name.to_owned(),
            version,
        })
        .collect();
    if lacking.is_empty() {
        Availability::Available
    } else {
        Availability::NeedsNewerClusters {
            since,
            clusters: lacking,
        }
    }
}

/// One entry of the custom role dialog's action picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerAction {
    /// The action.
    pub action: &'static ActionInfo,
    /// Whether every cluster of the project has it (the picker marks those that some lack).
    pub availability: Availability,
}

/// The assignable actions of `category`, in catalog order, each with its availability on `clusters`.
pub fn picker_actions(category: Category, clusters: &[Cluster]) -> Vec<PickerAction> {
    ACTIONS
        .iter()
        .filter(|a| a.assignable && a.category == category)
        .map(|a| PickerAction {
            action: a,
            availability: action_availability(a, clusters),
        })
        .collect()
}

/// The built-in roles a custom role may inherit in `category`, in catalog order.
pub fn picker_roles(category: Category) -> impl Iterator<Item = &'static RoleInfo> {
    ROLES
        .iter()
        .filter(move |r| r.inheritable && r.category == category)
}
