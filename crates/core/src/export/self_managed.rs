//! What a self-managed deployment must hold for a project: its custom roles in `admin` (in inheritance
//! order) and its certificate users in `$external`, in MongoDB's own names. The mongosh script renders it,
//! and drift compares a deployment with it.
//!
//! Atlas names become what a self-managed `mongod` knows:
//! - an action's API name becomes its MongoDB name (`FIND` → `find`, `IN_PROG` → `inprog`);
//! - Atlas's zone-sharding commands (`ADD_SHARD_TO_ZONE`, `REMOVE_SHARD_FROM_ZONE`,
//!   `UPDATE_ZONE_KEY_RANGE`) are commands, not actions, on a self-managed server: what they need there is
//!   `enableSharding` on the cluster;
//! - Atlas service actions (Data Federation, Atlas SQL: `SQL_GET_SCHEMA`, `OUT_TO_S3`, ...) mean nothing to
//!   `mongod`: they are left out, with a note;
//! - Atlas's own roles (`atlasAdmin`, `killOpSession`, ...) are not built into `mongod`: each becomes a
//!   custom role in `admin` with the privileges the catalog lists for it ([`GENERATED_ROLE`] names);
//! - a role granted on one collection (`read` on `sales.orders`, which Atlas allows and `mongod` does not)
//!   becomes a custom role holding that role's actions on that collection only.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::catalog::{self, GrantOn, Origin, RoleScope};
use crate::custom_role::{ActionResource, CustomDbRole};
use crate::database_user::{DatabaseUser, ScopeType, UserRole};
use crate::privileges::ADMIN_DATABASE;

use super::{ExportError, ProjectAccess};

/// How generated roles are named: `atlasAdmin` (an Atlas role on `admin`), `killOpSession@sales` (an
/// Atlas role on another database), `read@sales.orders` (a role on one collection). A custom role of a
/// project may hold only letters, digits, `_` and `-` and may not take a built-in role's name, so these
/// never collide with one.
pub const GENERATED_ROLE: &str = "ROLE@DB[.COLLECTION]";

/// A role as MongoDB names it: `{role, db}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleRef {
    /// The role's name.
    pub role: String,
    /// The database it is defined on (`admin` for custom roles).
    pub db: String,
}

impl RoleRef {
    /// The role `role` on database `db`.
    pub fn new(role: impl Into<String>, db: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            db: db.into(),
        }
    }
}

impl std::fmt::Display for RoleRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.role, self.db)
    }
}

/// A privilege's resource as MongoDB writes it: `{db, collection}` (`""` meaning any), `{cluster: true}`,
/// `{anyResource: true}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// `{db, collection}`: `db` and `collection` may be `""`, meaning any.
    Namespace {
        /// The database, `""` for every database.
        db: String,
        /// The collection, `""` for every non-system collection.
        collection: String,
    },
    /// `{cluster: true}`: the cluster, for cluster-wide actions.
    Cluster,
    /// `{anyResource: true}`: every resource, system collections included.
    AnyResource,
}

impl Resource {
    /// The resource `{db, collection}`.
    pub fn namespace(db: impl Into<String>, collection: impl Into<String>) -> Self {
        Self::Namespace {
            db: db.into(),
            collection: collection.into(),
        }
    }

    /// MongoDB's document for it.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Namespace { db, collection } => {
                serde_json::json!({"db": db, "collection": collection})
            }
            Self::Cluster => serde_json::json!({"cluster": true}),
            Self::AnyResource => serde_json::json!({"anyResource": true}),
        }
    }
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Namespace { db, collection } => {
                let db = if db.is_empty() { "any database" } else { db };
                if collection.is_empty() {
                    write!(f, "{db}")
                } else {
                    write!(f, "{db}.{collection}")
                }
            }
            Self::Cluster => f.write_str("cluster"),
            Self::AnyResource => f.write_str("anyResource"),
        }
    }
}

/// The privileges of a role, one entry per resource, actions sorted: two roles grant the same when these
/// are equal, however their privileges were spelled.
pub type Privileges = BTreeMap<Resource, BTreeSet<String>>;

/// Privileges as MongoDB's `privileges` array.
pub fn privileges_json(privileges: &Privileges) -> serde_json::Value {
    serde_json::Value::Array(
        privileges
            .iter()
            .map(|(resource, actions)| {
                serde_json::json!({"resource": resource.to_json(), "actions": actions})
            })
            .collect(),
    )
}

/// Where a role of the deployment comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleSource {
    /// A custom role of the project.
    Custom,
    /// Made for an Atlas name `mongod` lacks (an Atlas role, or a role on one collection).
    Generated {
        /// What it stands for, in words (`Atlas's killOpSession on sales`, `read on the collection
        /// sales.orders`).
        stands_for: String,
    },
}

/// A custom role the deployment must hold in `admin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRole {
    /// The role's name: a custom role's own, or a [`GENERATED_ROLE`] name.
    pub name: String,
    /// Its own privileges, in MongoDB's names.
    pub privileges: Privileges,
    /// The roles it inherits.
    pub roles: BTreeSet<RoleRef>,
    /// Where it comes from.
    pub source: RoleSource,
    /// Why something of the project's role is not in it (an Atlas service action, ...).
    pub notes: Vec<String>,
}

/// A certificate user the deployment must hold in `$external`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUser {
    /// The username (RFC 2253).
    pub name: String,
    /// The roles it holds, in MongoDB's names (generated roles in `admin` for Atlas's).
    pub roles: BTreeSet<RoleRef>,
    /// Clusters it may use (empty: all of them).
    pub clusters: Vec<String>,
    /// RFC 3339: when Access Console removes it (a self-managed server has no expiry).
    pub delete_after: Option<String>,
}

/// Everything a self-managed deployment must hold for the project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetState {
    /// Inheritance order: a role comes after every custom role it inherits.
    pub roles: Vec<TargetRole>,
    /// In the project's order.
    pub users: Vec<TargetUser>,
}

impl TargetState {
    /// The role of that name, if the deployment must hold one.
    pub fn role(&self, name: &str) -> Option<&TargetRole> {
        self.roles.iter().find(|r| r.name == name)
    }
    /// The user of that name, if the deployment must hold one.
    pub fn user(&self, name: &str) -> Option<&TargetUser> {
        self.users.iter().find(|u| u.name == name)
    }
}

/// Translates the project (or the users of one cluster, `cluster`) into the deployment's terms.
pub fn target_state(
    project: &ProjectAccess<'_>,
    cluster: Option<&str>,
) -> Result<TargetState, ExportError> {
    if let Some(name) = cluster {
        if !project.clusters.iter().any(|c| c.name == name) {
            return Err(ExportError::UnknownCluster {
                name: name.to_owned(),
                known: project.clusters.iter().map(|c| c.name.clone()).collect(),
            });
        }
    }
    let custom_names: BTreeSet<&str> = project
        .custom_roles
        .iter()
        .map(|r| r.role_name.as_str())
        .collect();
    let mut generated: BTreeMap<String, TargetRole> = BTreeMap::new();
    let mut roles: Vec<TargetRole> = project
        .custom_roles
        .iter()
        .map(|r| custom_role(r, &custom_names, &mut generated))
        .collect();
    let users = project
        .users
        .iter()
        .filter(|u| user_may_use(u, cluster))
        .map(|u| TargetUser {
            name: u.username.clone(),
            roles: u
                .roles
                .iter()
                .map(|r| user_role(r, &custom_names, &mut generated))
                .collect(),
            clusters: u
                .scopes
                .iter()
                .filter(|s| s.scope_type == ScopeType::Cluster)
                .map(|s| s.name.clone())
                .collect(),
            delete_after: u.delete_after_date.clone(),
        })
        .collect();
    roles.extend(generated.into_values());
    Ok(TargetState {
        roles: inheritance_order(roles),
        users,
    })
}

/// Whether `user` may connect to `cluster` (no scopes: every cluster).
pub fn user_may_use(user: &DatabaseUser, cluster: Option<&str>) -> bool {
    let Some(cluster) = cluster else { return true };
    let clusters: Vec<&str> = user
        .scopes
        .iter()
        .filter(|s| s.scope_type == ScopeType::Cluster)
        .map(|s| s.name.as_str())
        .collect();
    clusters.is_empty() || clusters.contains(&cluster)
}

fn custom_role(
    role: &CustomDbRole,
    custom_names: &BTreeSet<&str>,
    generated: &mut BTreeMap<String, TargetRole>,
) -> TargetRole {
    let mut privileges = Privileges::new();
    let mut notes = Vec::new();
    for action in &role.actions {
        let Some(info) = catalog::action_by_api_name(&action.action) else {
            notes.push(format!(
                "{} is not an action this catalog knows; left out",
                action.action
            ));
            continue;
        };
        let mongo_name = match (info.origin, info.category) {
            (Origin::Mongodb, _) => info.mongo_name,
            (Origin::Atlas, _) if is_zone_command(info.api_name) => {
                notes.push(format!(
                    "{} is an Atlas command; on a self-managed server it needs enableSharding on the cluster",
                    info.api_name
                ));
                for _ in &action.resources {
                    privileges
                        .entry(Resource::Cluster)
                        .or_default()
                        .insert("enableSharding".to_owned());
                }
                continue;
            }
            (Origin::Atlas, _) => {
                notes.push(format!(
                    "{} is an Atlas service action (Data Federation, Atlas SQL); mongod has none: left out",
                    info.api_name
                ));
                continue;
            }
        };
        for resource in &action.resources {
            privileges
                .entry(resource_of(resource))
                .or_default()
                .insert(mongo_name.to_owned());
        }
    }
    let roles = role
        .inherited_roles
        .iter()
        .map(|r| {
            if custom_names.contains(r.role.as_str()) {
                RoleRef::new(&r.role, ADMIN_DATABASE)
            } else {
                builtin_role(&r.role, &r.db, generated)
            }
        })
        .collect();
    TargetRole {
        name: role.role_name.clone(),
        privileges,
        roles,
        source: RoleSource::Custom,
        notes,
    }
}

fn is_zone_command(api_name: &str) -> bool {
    matches!(
        api_name,
        "ADD_SHARD_TO_ZONE" | "REMOVE_SHARD_FROM_ZONE" | "UPDATE_ZONE_KEY_RANGE"
    )
}

fn resource_of(resource: &ActionResource) -> Resource {
    if resource.is_cluster() {
        Resource::Cluster
    } else {
        Resource::namespace(
            resource.db_name().unwrap_or(""),
            resource.collection_name().unwrap_or(""),
        )
    }
}

fn user_role(
    role: &UserRole,
    custom_names: &BTreeSet<&str>,
    generated: &mut BTreeMap<String, TargetRole>,
) -> RoleRef {
    if custom_names.contains(role.role_name.as_str()) {
        return RoleRef::new(&role.role_name, ADMIN_DATABASE);
    }
    match role.collection() {
        Some(collection) => {
            collection_role(&role.role_name, &role.database_name, collection, generated)
        }
        None => builtin_role(&role.role_name, &role.database_name, generated),
    }
}

/// A built-in role on `db`: itself when `mongod` has it, else the generated role that stands for it.
fn builtin_role(name: &str, db: &str, generated: &mut BTreeMap<String, TargetRole>) -> RoleRef {
    let Some(info) = catalog::role(name) else {
        return RoleRef::new(name, db);
    };
    if info.origin == Origin::Mongodb {
        return RoleRef::new(name, db);
    }
    let generated_name = if db == ADMIN_DATABASE || info.scope == RoleScope::AdminOnly {
        name.to_owned()
    } else {
        format!("{name}@{db}")
    };
    if !generated.contains_key(&generated_name) {
        let mut privileges = Privileges::new();
        for grant in info.grants {
            let resource = grant_resource(grant.on, db);
            privileges
                .entry(resource)
                .or_default()
                .extend(grant.actions.iter().map(|a| (*a).to_owned()));
        }
        let mut role = TargetRole {
            name: generated_name.clone(),
            privileges,
            roles: BTreeSet::new(),
            source: RoleSource::Generated {
                stands_for: format!("Atlas's {name} on {db}"),
            },
            notes: Vec::new(),
        };
        // Reserve the name before resolving what it inherits (the catalog has no cycle, but stay safe).
        generated.insert(generated_name.clone(), role.clone());
        role.roles = info
            .inherits
            .iter()
            .map(|inherited| builtin_role(inherited, db, generated))
            .collect();
        generated.insert(generated_name.clone(), role);
    }
    RoleRef::new(generated_name, ADMIN_DATABASE)
}

/// `role` granted on one collection: a generated role with that role's collection actions there.
fn collection_role(
    name: &str,
    db: &str,
    collection: &str,
    generated: &mut BTreeMap<String, TargetRole>,
) -> RoleRef {
    let generated_name = format!("{name}@{db}.{collection}");
    if !generated.contains_key(&generated_name) {
        let mut privileges = Privileges::new();
        let mut pending = vec![name];
        let mut seen = BTreeSet::new();
        while let Some(current) = pending.pop() {
            if !seen.insert(current) {
                continue;
            }
            let Some(info) = catalog::role(current) else {
                continue;
            };
            pending.extend(info.inherits.iter().copied());
            for grant in info.grants {
                if !matches!(grant.on, GrantOn::RoleDatabase) {
                    continue;
                }
                let actions = grant.actions.iter().filter(|a| {
                    catalog::action_by_mongo_name(a).is_none_or(|i| i.applies.collection())
                });
                privileges
                    .entry(Resource::namespace(db, collection))
                    .or_default()
                    .extend(actions.map(|a| (*a).to_owned()));
            }
        }
        generated.insert(
            generated_name.clone(),
            TargetRole {
                name: generated_name.clone(),
                privileges,
                roles: BTreeSet::new(),
                source: RoleSource::Generated {
                    stands_for: format!("{name} on the collection {db}.{collection}"),
                },
                notes: Vec::new(),
            },
        );
    }
    RoleRef::new(generated_name, ADMIN_DATABASE)
}

fn grant_resource(on: GrantOn, db: &str) -> Resource {
    match on {
        GrantOn::RoleDatabase => Resource::namespace(db, ""),
        GrantOn::RoleDatabaseCollection(c) => Resource::namespace(db, c),
        GrantOn::AnyDatabase => Resource::namespace("", ""),
        GrantOn::AnyDatabaseCollection(c) => Resource::namespace("", c),
        GrantOn::Database(d) => Resource::namespace(d, ""),
        GrantOn::Namespace(d, c) => Resource::namespace(d, c),
        GrantOn::Cluster => Resource::Cluster,
        GrantOn::AnyResource => Resource::AnyResource,
    }
}

/// Orders roles so that each comes after the roles (of this list, on `admin`) it inherits; a cycle (which
/// the project's rules refuse) keeps the remaining roles in their order at the end.
pub fn inheritance_order(roles: Vec<TargetRole>) -> Vec<TargetRole> {
    let index: HashMap<String, usize> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    let mut state = vec![0u8; roles.len()]; // 0 new, 1 visiting, 2 done
    let mut order = Vec::with_capacity(roles.len());
    for start in 0..roles.len() {
        if state[start] != 0 {
            continue;
        }
        // Iterative depth-first post-order.
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, parents(&roles[start], &index))];
        state[start] = 1;
        while let Some((node, pending)) = stack.last_mut() {
            if let Some(next) = pending.pop() {
                if state[next] == 0 {
                    state[next] = 1;
                    let p = parents(&roles[next], &index);
                    stack.push((next, p));
                }
            } else {
                let node = *node;
                state[node] = 2;
                order.push(node);
                stack.pop();
            }
        }
    }
    let mut slots: Vec<Option<TargetRole>> = roles.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn parents(role: &TargetRole, index: &HashMap<String, usize>) -> Vec<usize> {
    let mut p: Vec<usize> = role
        .roles
        .iter()
        .filter(|r| r.db == ADMIN_DATABASE)
        .filter_map(|r| index.get(&r.role).copied())
        .collect();
    p.reverse();
    p
}
