//! What an operation acts on, and MongoDB's rules for which granted resource covers it.
//!
//! Source: MongoDB Manual, "Resource Document on Self-Managed Deployments" (reference/resource-document):
//! `{db: "x", collection: ""}` is every collection of `x` except the system collections;
//! `{db: "", collection: ""}` every non-system collection of every database; `{db: "", collection: "c"}`
//! the collection `c` of every database; a system collection (`system.*`) only when a privilege names it;
//! `{cluster: true}` the cluster (cluster-wide actions only); `anyResource` every resource. "Built-In Roles":
//! the "any database" roles (readAnyDatabase, readWriteAnyDatabase, dbAdminAnyDatabase,
//! userAdminAnyDatabase) apply to every database except `local` and `config`.

use std::fmt;

use serde::Serialize;

use crate::custom_role::PrivilegeResource;
use crate::names::is_internal_database;

/// The resource one action of the checked operation acts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Target {
    /// `{cluster: true}`: a cluster-wide action (`shutdown`, `listDatabases`, ...).
    Cluster,
    /// A whole database (the request gave no collection, or the action acts on databases only).
    Database {
        /// The database name.
        db: String,
    },
    /// One collection of a database.
    Collection {
        /// The database name.
        db: String,
        /// The collection name (a `system.*` collection is covered only by a privilege that names
        /// it).
        collection: String,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cluster => f.write_str("cluster"),
            Self::Database { db } => write!(f, "database {db}"),
            Self::Collection { db, collection } => write!(f, "{db}.{collection}"),
        }
    }
}

/// Whether a privilege comes from a built-in role (whose "any database" grants exclude `local` and
/// `config`) or from a custom role's own resource documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantSource {
    /// A built-in role: its "any database" grants do not reach `local` and `config`.
    BuiltInRole,
    /// A custom role's own resource documents: `{db: ""}` reaches every database, `local` and
    /// `config` included.
    CustomRole,
}

/// `system.profile`, `system.js`, ...: covered only by a privilege that names them.
pub fn is_system_collection(collection: &str) -> bool {
    collection.starts_with("system.")
}

/// Whether a privilege on `granted` applies to `target`.
pub fn covers(granted: &PrivilegeResource, source: GrantSource, target: &Target) -> bool {
    use PrivilegeResource as R;
    let any_db_allows =
        |db: &str| !(source == GrantSource::BuiltInRole && is_internal_database(db));
    match (granted, target) {
        (R::AnyResource, _) => true,
        (R::Cluster, Target::Cluster) => true,
        (R::Cluster, _) | (_, Target::Cluster) => false,
        (R::Database { db }, Target::Database { db: wanted }) => db == wanted,
        (
            R::Database { db },
            Target::Collection {
                db: wanted,
                collection,
            },
        ) => db == wanted && !is_system_collection(collection),
        (
            R::Collection { db, collection },
            Target::Collection {
                db: d,
                collection: c,
            },
        ) => db == d && collection == c,
        (R::Collection { .. }, Target::Database { .. }) => false,
        (R::AnyDatabase, Target::Database { db }) => any_db_allows(db),
        (R::AnyDatabase, Target::Collection { db, collection }) => {
            !is_system_collection(collection) && any_db_allows(db)
        }
        (R::AnyDatabaseCollection { collection }, Target::Collection { db, collection: c }) => {
            collection == c && any_db_allows(db)
        }
        (R::AnyDatabaseCollection { .. }, Target::Database { .. }) => false,
    }
}
