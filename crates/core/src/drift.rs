//! Drift: what a self-managed deployment holds against what the project says it should hold.
//!
//! The deployment's state is what this one-liner prints ([`ONE_LINER`]): MongoDB's `usersInfo` and
//! `rolesInfo` documents (`{user, db, roles: [{role, db}]}`, `{role, db, privileges: [{resource, actions}],
//! roles}`; resources `{db, collection}`, `{cluster: true}`, `{anyResource: true}`; lower-case actions).
//! mongosh answers `getUsers()`/`getRoles()` with `{users: [...], ok: 1}`/`{roles: [...], ok: 1}`
//! documents, older shells with bare arrays: both are read. The project side is
//! [`crate::export::self_managed::target_state`], so a deployment set up by the exported script has no
//! drift. Reading never changes anything; a malformed paste is refused with what and where.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::catalog;
use crate::custom_role::{ActionResource, CustomDbRole, InheritedRole, RoleAction};
use crate::database_user::{DatabaseUser, UserRole, X509Type};
use crate::export::self_managed::{privileges_json, Privileges, Resource, RoleRef, TargetState};

/// The command that prints a deployment's state for the Drift page and `access-console drift`.
pub const ONE_LINER: &str = r#"mongosh "mongodb://HOST/?tls=true" --quiet --tls --tlsCertificateKeyFile admin.pem --tlsCAFile ca.pem --eval 'EJSON.stringify({users: db.getSiblingDB("$external").getUsers(), roles: db.getSiblingDB("admin").getRoles({showPrivileges: true, showBuiltinRoles: false})})' > deployment.json"#;

/// Most users and roles a state may hold (a paste is bounded work).
pub const MAX_ENTRIES: usize = 100_000;

/// A deployment's certificate user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployedUser {
    /// The username (an RFC 2253 distinguished name), as `usersInfo` gives it.
    pub name: String,
    /// The roles it holds, as `{role, db}`.
    pub roles: BTreeSet<RoleRef>,
}

/// A deployment's custom role in `admin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployedRole {
    /// The role's name.
    pub name: String,
    /// Its own privileges, one entry per resource.
    pub privileges: Privileges,
    /// The roles it inherits, as `{role, db}`.
    pub roles: BTreeSet<RoleRef>,
}

/// What a deployment holds, read from the one-liner's output by [`parse_state`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentState {
    /// Its certificate users (those in `$external`).
    pub users: Vec<DeployedUser>,
    /// Its custom roles in `admin`.
    pub roles: Vec<DeployedRole>,
}

/// Why a state cannot be read: `place` is a path into the document (`roles[2].privileges[0].resource`)
/// or `line L, column C` for text that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{place}: {what}")]
pub struct DriftParseError {
    /// Where: a path into the document (`roles[2].privileges[0].resource`), `line L, column C` for
    /// text that is not JSON, or `(document)`.
    pub place: String,
    /// What is wrong there.
    pub what: String,
}

fn err(place: impl Into<String>, what: impl Into<String>) -> DriftParseError {
    DriftParseError {
        place: place.into(),
        what: what.into(),
    }
}

/// Reads the one-liner's output.
pub fn parse_state(text: &str) -> Result<DeploymentState, DriftParseError> {
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| {
        err(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not JSON: {e}"),
        )
    })?;
    let Value::Object(root) = &value else {
        return Err(err(
            "(document)",
            "expected an object {users: ..., roles: ...}, as the one-liner prints",
        ));
    };
    let users = list(root.get("users"), "users")?;
    let roles = list(root.get("roles"), "roles")?;
    if users.len() + roles.len() > MAX_ENTRIES {
        return Err(err(
            "(document)",
            format!("more than {MAX_ENTRIES} users and roles"),
        ));
    }
    let mut state = DeploymentState::default();
    for (i, user) in users.iter().enumerate() {
        let at = format!("users[{i}]");
        let name = string(user.get("user"), &format!("{at}.user"))?;
        if let Some(db) = user.get("db") {
            if db.as_str() != Some("$external") {
                // Only certificate users are compared.
                continue;
            }
        }
        state.users.push(DeployedUser {
            name,
            roles: role_refs(user.get("roles"), &format!("{at}.roles"))?,
        });
    }
    for (i, role) in roles.iter().enumerate() {
        let at = format!("roles[{i}]");
        if role.get("isBuiltin").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let name = string(role.get("role"), &format!("{at}.role"))?;
        if let Some(db) = role.get("db") {
            if db.as_str() != Some("admin") {
                continue;
            }
        }
        let mut privileges = Privileges::new();
        let Some(list) = role.get("privileges") else {
            return Err(err(
                format!("{at}.privileges"),
                "missing: print the roles with getRoles({showPrivileges: true})",
            ));
        };
        let Value::Array(list) = list else {
            return Err(err(format!("{at}.privileges"), "expected an array"));
        };
        for (j, privilege) in list.iter().enumerate() {
            let p_at = format!("{at}.privileges[{j}]");
            let resource = resource(privilege.get("resource"), &format!("{p_at}.resource"))?;
            let Some(Value::Array(actions)) = privilege.get("actions") else {
                return Err(err(
                    format!("{p_at}.actions"),
                    "expected an array of action names",
                ));
            };
            let entry = privileges.entry(resource).or_default();
            for (k, action) in actions.iter().enumerate() {
                entry.insert(string(Some(action), &format!("{p_at}.actions[{k}]"))?);
            }
        }
        privileges.retain(|_, actions| !actions.is_empty());
        state.roles.push(DeployedRole {
            name,
            privileges,
            roles: role_refs(role.get("roles"), &format!("{at}.roles"))?,
        });
    }
    Ok(state)
}

fn list<'a>(value: Option<&'a Value>, key: &str) -> Result<&'a [Value], DriftParseError> {
    match value {
        None => Err(err(key, "missing")),
        Some(Value::Array(items)) => Ok(items),
        Some(Value::Object(answer)) => match answer.get(key) {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(err(
                key,
                format!("expected an array, or mongosh's answer {{{key}: [...], ok: 1}}"),
            )),
        },
        Some(_) => Err(err(key, "expected an array")),
    }
}

fn string(value: Option<&Value>, at: &str) -> Result<String, DriftParseError> {
    match value {
        Some(Value::String(s)) => Ok(s.clone()),
        None => Err(err(at, "missing")),
        Some(_) => Err(err(at, "expected a string")),
    }
}

fn role_refs(value: Option<&Value>, at: &str) -> Result<BTreeSet<RoleRef>, DriftParseError> {
    let Some(value) = value else {
        return Ok(BTreeSet::new());
    };
    let Value::Array(items) = value else {
        return Err(err(at, "expected an array of {role, db}"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r_at = format!("{at}[{i}]");
            match r {
                // A bare name is a role of the same database: admin for roles, never for users here.
                Value::String(name) => Ok(RoleRef::new(name, "admin")),
                Value::Object(_) => Ok(RoleRef::new(
                    string(r.get("role"), &format!("{r_at}.role"))?,
                    string(r.get("db"), &format!("{r_at}.db"))?,
                )),
                _ => Err(err(r_at, "expected {role, db}")),
            }
        })
        .collect()
}

fn resource(value: Option<&Value>, at: &str) -> Result<Resource, DriftParseError> {
    let Some(Value::Object(r)) = value else {
        return Err(err(
            at,
            "expected {db, collection}, {cluster: true} or {anyResource: true}",
        ));
    };
    if r.get("cluster").and_then(Value::as_bool) == Some(true) {
        return Ok(Resource::Cluster);
    }
    if r.get("anyResource").and_then(Value::as_bool) == Some(true) {
        return Ok(Resource::AnyResource);
    }
    match (r.get("db"), r.get("collection")) {
        (Some(Value::String(db)), Some(Value::String(collection))) => {
            Ok(Resource::namespace(db, collection))
        }
        _ => Err(err(
            at,
            "expected {db, collection}, {cluster: true} or {anyResource: true}",
        )),
    }
}

/// Users or roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DriftKind))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    /// A certificate user in `$external`.
    User,
    /// A custom role in `admin`.
    Role,
}

/// Which side has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DriftSide))]
#[serde(rename_all = "camelCase")]
pub enum Side {
    /// The project has it; the deployment lacks it.
    OnlyInProject,
    /// The deployment has it; the project does not.
    OnlyInDeployment,
}

/// One way a user or role differs: an action on a resource, or an inherited/granted role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DriftDetail))]
#[serde(rename_all = "camelCase", tag = "what")]
pub enum Detail {
    /// `action` on `resource` (e.g. `sales.orders`, `cluster`).
    Action {
        /// Which side has it.
        side: Side,
        /// The action, by MongoDB name (`find`).
        action: String,
        /// The resource, as [`Resource`] prints it (`sales.orders`, `sales`, `cluster`).
        resource: String,
    },
    /// A role the role inherits, or the user holds: `role@db`.
    Role {
        /// Which side has it.
        side: Side,
        /// The role.
        role: String,
    },
}

/// A user or role only one side has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DriftEntry))]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// User or role.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// For what only the deployment has: the body of the console's create API (`databaseUsers` or
    /// `customDBRoles/roles`) that adopts it into the project; absent when it cannot be expressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopt: Option<Value>,
}

/// A user or role both sides have, with its differences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DriftDifference))]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// User or role.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// How the two differ.
    pub details: Vec<Detail>,
}

/// The drift report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    /// What the deployment lacks: users and roles to create.
    pub only_in_project: Vec<Entry>,
    /// What the project lacks: users and roles to remove, or to adopt into the project.
    pub only_in_deployment: Vec<Entry>,
    /// What both have, but with other privileges or roles.
    pub different: Vec<Difference>,
    /// mongosh lines that bring the deployment back to the project (removals as comments).
    pub fix: String,
}

impl Drift {
    /// Whether the deployment matches the project (no entry in any list).
    pub fn is_empty(&self) -> bool {
        self.only_in_project.is_empty()
            && self.only_in_deployment.is_empty()
            && self.different.is_empty()
    }
}

fn role_details(project: &BTreeSet<RoleRef>, deployment: &BTreeSet<RoleRef>) -> Vec<Detail> {
    let mut out: Vec<Detail> = project
        .difference(deployment)
        .map(|r| Detail::Role {
            side: Side::OnlyInProject,
            role: r.to_string(),
        })
        .collect();
    out.extend(deployment.difference(project).map(|r| Detail::Role {
        side: Side::OnlyInDeployment,
        role: r.to_string(),
    }));
    out
}

fn privilege_details(project: &Privileges, deployment: &Privileges) -> Vec<Detail> {
    let empty = BTreeSet::new();
    let mut out = Vec::new();
    let resources: BTreeSet<&Resource> = project.keys().chain(deployment.keys()).collect();
    for resource in resources {
        let p = project.get(resource).unwrap_or(&empty);
        let d = deployment.get(resource).unwrap_or(&empty);
        for (side, actions) in [
            (Side::OnlyInProject, p.difference(d)),
            (Side::OnlyInDeployment, d.difference(p)),
        ] {
            out.extend(actions.map(|a| Detail::Action {
                side,
                action: a.clone(),
                resource: resource.to_string(),
            }));
        }
    }
    out
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn roles_js(roles: &BTreeSet<RoleRef>) -> String {
    serde_json::to_string(roles).unwrap_or_default()
}

/// Compares a deployment with the project's target state.
pub fn diff(target: &TargetState, deployment: &DeploymentState) -> Drift {
    let mut drift = Drift {
        only_in_project: Vec::new(),
        only_in_deployment: Vec::new(),
        different: Vec::new(),
        fix: String::new(),
    };
    let mut fix = Vec::new();
    let deployed_roles: std::collections::HashMap<&str, &DeployedRole> = deployment
        .roles
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let deployed_users: std::collections::HashMap<&str, &DeployedUser> = deployment
        .users
        .iter()
        .map(|u| (u.name.as_str(), u))
        .collect();
    let target_roles: BTreeSet<&str> = target.roles.iter().map(|r| r.name.as_str()).collect();
    let target_users: BTreeSet<&str> = target.users.iter().map(|u| u.name.as_str()).collect();
    // Roles in inheritance order, so the fix creates a parent before its children.
    for role in &target.roles {
        match deployed_roles.get(role.name.as_str()) {
            None => {
                drift.only_in_project.push(Entry {
                    kind: Kind::Role,
                    name: role.name.clone(),
                    adopt: None,
                });
                fix.push(format!(
                    "db.getSiblingDB(\"admin\").createRole({{role: {}, privileges: {}, roles: {}}});",
                    js(&role.name),
                    privileges_json(&role.privileges),
                    roles_js(&role.roles)
                ));
            }
            Some(have) => {
                let mut details = privilege_details(&role.privileges, &have.privileges);
                details.extend(role_details(&role.roles, &have.roles));
                if !details.is_empty() {
                    drift.different.push(Difference {
                        kind: Kind::Role,
                        name: role.name.clone(),
                        details,
                    });
                    fix.push(format!(
                        "db.getSiblingDB(\"admin\").updateRole({}, {{privileges: {}, roles: {}}});",
                        js(&role.name),
                        privileges_json(&role.privileges),
                        roles_js(&role.roles)
                    ));
                }
            }
        }
    }
    for user in &target.users {
        match deployed_users.get(user.name.as_str()) {
            None => {
                drift.only_in_project.push(Entry {
                    kind: Kind::User,
                    name: user.name.clone(),
                    adopt: None,
                });
                fix.push(format!(
                    "db.getSiblingDB(\"$external\").createUser({{user: {}, roles: {}}});",
                    js(&user.name),
                    roles_js(&user.roles)
                ));
            }
            Some(have) => {
                let details = role_details(&user.roles, &have.roles);
                if !details.is_empty() {
                    drift.different.push(Difference {
                        kind: Kind::User,
                        name: user.name.clone(),
                        details,
                    });
                    fix.push(format!(
                        "db.getSiblingDB(\"$external\").updateUser({}, {{roles: {}}});",
                        js(&user.name),
                        roles_js(&user.roles)
                    ));
                }
            }
        }
    }
    for user in &deployment.users {
        if !target_users.contains(user.name.as_str()) {
            drift.only_in_deployment.push(Entry {
                kind: Kind::User,
                name: user.name.clone(),
                adopt: serde_json::to_value(adopt_user(user)).ok(),
            });
            fix.push(format!(
                "// not in the project: db.getSiblingDB(\"$external\").dropUser({});",
                js(&user.name)
            ));
        }
    }
    for role in &deployment.roles {
        if !target_roles.contains(role.name.as_str()) {
            drift.only_in_deployment.push(Entry {
                kind: Kind::Role,
                name: role.name.clone(),
                adopt: adopt_role(role).and_then(|r| serde_json::to_value(r).ok()),
            });
            fix.push(format!(
                "// not in the project: db.getSiblingDB(\"admin\").dropRole({});",
                js(&role.name)
            ));
        }
    }
    if !fix.is_empty() {
        fix.push(String::new());
    }
    drift.fix = fix.join("\n");
    drift
}

/// The project's user for a deployment-only user: its roles as they are (`role@db`).
pub fn adopt_user(user: &DeployedUser) -> DatabaseUser {
    DatabaseUser {
        group_id: None,
        database_name: "$external".to_owned(),
        username: user.name.clone(),
        x509_type: X509Type::Customer,
        aws_iam_type: Default::default(),
        ldap_auth_type: Default::default(),
        oidc_auth_type: Default::default(),
        roles: user
            .roles
            .iter()
            .map(|r| UserRole::new(&r.role, &r.db))
            .collect(),
        scopes: Vec::new(),
        labels: Vec::new(),
        description: None,
        delete_after_date: None,
        password: None,
    }
}

/// The project's custom role for a deployment-only role (MongoDB action names → Atlas's); `None` when a
/// privilege has no Atlas form (`anyResource`, an action Atlas does not know).
pub fn adopt_role(role: &DeployedRole) -> Option<CustomDbRole> {
    let mut actions: Vec<RoleAction> = Vec::new();
    for (resource, names) in &role.privileges {
        let resource = match resource {
            Resource::Cluster => ActionResource::cluster(),
            Resource::Namespace { db, collection } => ActionResource {
                db: Some(db.clone()),
                collection: Some(collection.clone()),
                cluster: None,
            },
            Resource::AnyResource => return None,
        };
        for name in names {
            let api = catalog::action_by_mongo_name(name)?.api_name;
            match actions.iter_mut().find(|a| a.action == api) {
                Some(a) => a.resources.push(resource.clone()),
                None => actions.push(RoleAction {
                    action: api.to_owned(),
                    resources: vec![resource.clone()],
                }),
            }
        }
    }
    Some(CustomDbRole {
        role_name: role.name.clone(),
        actions,
        inherited_roles: role
            .roles
            .iter()
            .map(|r| InheritedRole::new(&r.role, &r.db))
            .collect(),
    })
}

/// The deployment state the exported script leaves behind (drift against it is empty; for tests and
/// for measuring).
pub fn state_of(target: &TargetState) -> DeploymentState {
    DeploymentState {
        users: target
            .users
            .iter()
            .map(|u| DeployedUser {
                name: u.name.clone(),
                roles: u.roles.clone(),
            })
            .collect(),
        roles: target
            .roles
            .iter()
            .map(|r| DeployedRole {
                name: r.name.clone(),
                privileges: r.privileges.clone(),
                roles: r.roles.clone(),
            })
            .collect(),
    }
}

/// The state as the one-liner prints it (mongosh's answer documents).
pub fn state_json(state: &DeploymentState) -> Value {
    serde_json::json!({
        "users": {"users": state.users.iter().map(|u| serde_json::json!({
            "_id": format!("$external.{}", u.name), "user": u.name, "db": "$external",
            "roles": u.roles, "mechanisms": ["external"],
        })).collect::<Vec<_>>(), "ok": 1},
        "roles": {"roles": state.roles.iter().map(|r| serde_json::json!({
            "role": r.name, "db": "admin", "isBuiltin": false,
            "privileges": privileges_json(&r.privileges), "roles": r.roles,
            "inheritedRoles": r.roles,
        })).collect::<Vec<_>>(), "ok": 1},
    })
}
