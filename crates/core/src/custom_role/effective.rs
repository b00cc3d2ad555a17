//! Effective privileges: what a custom role grants once its inheritance is flattened, with the chain of
//! roles each privilege comes from (a view Atlas does not offer).

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use super::{ActionResource, CustomDbRole};
use crate::catalog::{self, GrantOn};

/// A resource a privilege applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PrivilegeResource {
    /// `{cluster: true}`: the cluster, for cluster-wide actions.
    Cluster,
    /// All non-system collections of `db`.
    Database {
        /// The database name.
        db: String,
    },
    /// One collection of one database (a `system.*` one only when named).
    Collection {
        /// The database name.
        db: String,
        /// The collection name.
        collection: String,
    },
    /// All non-system collections of every database.
    AnyDatabase,
    /// The collection of that name in every database (`system.profile`).
    AnyDatabaseCollection {
        /// The collection name, in every database.
        collection: String,
    },
    /// MongoDB's `anyResource`.
    AnyResource,
}

impl fmt::Display for PrivilegeResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cluster => f.write_str("cluster"),
            Self::Database { db } => write!(f, "{db}.*"),
            Self::Collection { db, collection } => write!(f, "{db}.{collection}"),
            Self::AnyDatabase => f.write_str("*.*"),
            Self::AnyDatabaseCollection { collection } => write!(f, "*.{collection}"),
            Self::AnyResource => f.write_str("any resource"),
        }
    }
}

impl PrivilegeResource {
    pub(crate) fn from_api(r: &ActionResource) -> Self {
        if r.is_cluster() {
            return Self::Cluster;
        }
        match (r.db_name(), r.collection_name()) {
            (Some(db), Some(c)) => Self::Collection {
                db: db.to_owned(),
                collection: c.to_owned(),
            },
            (Some(db), None) => Self::Database { db: db.to_owned() },
            (None, Some(c)) => Self::AnyDatabaseCollection {
                collection: c.to_owned(),
            },
            (None, None) => Self::AnyDatabase,
        }
    }

    pub(crate) fn from_grant(on: GrantOn, role_db: &str) -> Self {
        match on {
            GrantOn::RoleDatabase => Self::Database {
                db: role_db.to_owned(),
            },
            GrantOn::RoleDatabaseCollection(c) => Self::Collection {
                db: role_db.to_owned(),
                collection: c.to_owned(),
            },
            GrantOn::AnyDatabase => Self::AnyDatabase,
            GrantOn::AnyDatabaseCollection(c) => Self::AnyDatabaseCollection {
                collection: c.to_owned(),
            },
            GrantOn::Database(db) => Self::Database { db: db.to_owned() },
            GrantOn::Namespace(db, c) => Self::Collection {
                db: db.to_owned(),
                collection: c.to_owned(),
            },
            GrantOn::Cluster => Self::Cluster,
            GrantOn::AnyResource => Self::AnyResource,
        }
    }
}

/// One action on one resource, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EffectivePrivilege {
    /// MongoDB name (`find`), or the name as stored when the catalog does not know it.
    pub action: String,
    /// Atlas API name (`FIND`) when the catalog knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_name: Option<&'static str>,
    /// The resource the action is granted on.
    pub resource: PrivilegeResource,
    /// The roles from the role itself to the one that grants the action: `["analyst", "reporting",
    /// "read@sales"]` (built-in roles with the database they are granted on).
    pub via: Vec<String>,
}

struct Flattener<'a> {
    project_roles: &'a [CustomDbRole],
    out: Vec<EffectivePrivilege>,
    seen: HashSet<(String, PrivilegeResource, Vec<String>)>,
}

impl Flattener<'_> {
    fn push(&mut self, action: &str, resource: PrivilegeResource, via: &[String]) {
        let key = (action.to_owned(), resource.clone(), via.to_vec());
        if !self.seen.insert(key) {
            return;
        }
        let (action, api_name) = match catalog::action_by_api_name(action)
            .or_else(|| catalog::action_by_mongo_name(action))
        {
            Some(info) => (info.mongo_name.to_owned(), Some(info.api_name)),
            None => (action.to_owned(), None),
        };
        self.out.push(EffectivePrivilege {
            action,
            api_name,
            resource,
            via: via.to_vec(),
        });
    }

    fn custom(&mut self, role: &CustomDbRole, via: &mut Vec<String>, visiting: &mut Vec<String>) {
        visiting.push(role.role_name.clone());
        for entry in &role.actions {
            for r in &entry.resources {
                self.push(&entry.action, PrivilegeResource::from_api(r), via);
            }
        }
        for inherited in &role.inherited_roles {
            if catalog::role(&inherited.role).is_some() {
                via.push(format!("{}@{}", inherited.role, inherited.db));
                self.builtin(&inherited.role, &inherited.db, via, 0);
                via.pop();
            } else if let Some(child) = self
                .project_roles
                .iter()
                .find(|r| r.role_name == inherited.role)
            {
                // A cycle (refused on save, but stored data is not trusted) is cut where it closes.
                if visiting.contains(&child.role_name) {
                    continue;
                }
                via.push(child.role_name.clone());
                self.custom(child, via, visiting);
                via.pop();
            }
        }
        visiting.pop();
    }

    fn builtin(&mut self, name: &str, db: &str, via: &mut Vec<String>, depth: usize) {
        let Some(role) = catalog::role(name) else {
            return;
        };
        // Built-in inheritance is at most three deep (root → clusterAdmin → clusterManager); the bound
        // only guards the catalog data.
        if depth > 8 {
            return;
        }
        for grant in role.grants {
            for action in grant.actions {
                self.push(action, PrivilegeResource::from_grant(grant.on, db), via);
            }
        }
        for parent in role.inherits {
            via.push(format!("{parent}@{db}"));
            self.builtin(parent, db, via, depth + 1);
            via.pop();
        }
    }
}

/// Everything `role` grants: its own actions, then, in order, what each inherited role grants (built-in
/// roles from the catalog, custom roles of `project_roles` recursively). Identical entries (same action,
/// resource and chain) are listed once; the same action reached by two chains is listed for each.
pub fn effective_privileges(
    role: &CustomDbRole,
    project_roles: &[CustomDbRole],
) -> Vec<EffectivePrivilege> {
    let mut f = Flattener {
        project_roles,
        out: Vec::new(),
        seen: HashSet::new(),
    };
    let mut via = vec![role.role_name.clone()];
    let mut visiting = Vec::new();
    f.custom(role, &mut via, &mut visiting);
    f.out
}

/// Everything the built-in role `name` grants when granted on `db`, inheritance flattened; each entry's
/// `via` starts with `name@db`. Empty for a name the catalog does not know.
pub fn built_in_role_privileges(name: &str, db: &str) -> Vec<EffectivePrivilege> {
    let mut f = Flattener {
        project_roles: &[],
        out: Vec::new(),
        seen: HashSet::new(),
    };
    let mut via = vec![format!("{name}@{db}")];
    f.builtin(name, db, &mut via, 0);
    f.out
}
