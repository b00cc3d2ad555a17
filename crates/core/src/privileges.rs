//! What a database user may do: the four ways of the Add User dialog, and the rules on a user's roles.
//!
//! Source: Atlas "Set up Self-Managed X.509 Authentication" → "Add a Database User" (the seed page): a user
//! gets roles in one of these ways:
//! 1. a built-in role: Atlas admin (`atlasAdmin@admin`), Read and write to any database
//!    (`readWriteAnyDatabase@admin`), Only read any database (`readAnyDatabase@admin`);
//! 2. specific privileges ("Add Default Privileges"), from the seed's table reproduced in
//!    [`SPECIFIC_PRIVILEGES`]: the database is fixed to `admin` or configured by the user (for some, any
//!    database except `local` and `config`); a collection may be given for `read` and `readWrite` only;
//! 3. a custom role of the project, which is then the user's only role (seed, custom roles page:
//!    "If a MongoDB user is assigned a custom role, they cannot be assigned any other roles").
//!
//! A built-in role may be combined with specific privileges (the API takes a list of roles). A user has at
//! least one role.

use serde::Serialize;
use thiserror::Error;

use crate::database_user::UserRole;
use crate::field_issue::{indexed, FieldError};
use crate::names::{
    is_internal_database, validate_collection_name, validate_database_name, CollectionNameError,
    DatabaseNameError, SystemCollections,
};

/// The database every admin-only role, and every custom role, is granted on.
pub const ADMIN_DATABASE: &str = "admin";

/// Which database a specific privilege is granted on (the "Database" column of the seed's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DatabaseRule {
    /// Always `admin`.
    Admin,
    /// Any database the user names.
    UserConfigured,
    /// Any database the user names except `local` and `config`.
    UserConfiguredExceptLocalAndConfig,
}

/// One row of the seed's table "Atlas Specific Privilege / Database / Privilege Actions".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpecificPrivilege {
    /// The MongoDB role it grants (`read`, `readWrite`, `dbAdmin`, `enableSharding`, ...).
    pub role: &'static str,
    /// Which database it may be granted on.
    pub database: DatabaseRule,
    /// A collection may be given (read and readWrite only).
    pub collection_allowed: bool,
    /// The MongoDB role the table names in the actions column, for the "any database" privileges.
    pub grants_role: Option<&'static str>,
    /// The privilege actions the table lists (MongoDB names).
    pub actions: &'static [&'static str],
}

/// The seed's table, in its order. Two deliberate differences, both noted in the report: the seed writes
/// `createSearchIndex`, MongoDB's action is `createSearchIndexes`; the seed leaves `enableSharding`'s
/// database blank, and MongoDB defines that role on `admin` only.
pub static SPECIFIC_PRIVILEGES: &[SpecificPrivilege] = &[
    SpecificPrivilege {
        role: "backup",
        database: DatabaseRule::Admin,
        collection_allowed: false,
        grants_role: None,
        actions: &[
            "listDatabases",
            "listCollections",
            "listIndexes",
            "appendOplogNote",
            "getParameter",
            "serverStatus",
        ],
    },
    SpecificPrivilege {
        role: "clusterMonitor",
        database: DatabaseRule::Admin,
        collection_allowed: false,
        grants_role: None,
        actions: &[
            "connPoolStats",
            "getCmdLineOpts",
            "getDefaultRWConcern",
            "getLog",
            "getParameter",
            "getShardMap",
            "hostInfo",
            "inprog",
            "listDatabases",
            "listSessions",
            "listShards",
            "replSetGetConfig",
            "replSetGetStatus",
            "serverStatus",
            "shardingState",
            "top",
        ],
    },
    SpecificPrivilege {
        role: "dbAdmin",
        database: DatabaseRule::UserConfigured,
        collection_allowed: false,
        grants_role: None,
        actions: &[
            "bypassDocumentValidation",
            "changeStream",
            "collMod",
            "collStats",
            "compact",
            "convertToCapped",
            "createCollection",
            "createIndex",
            "createSearchIndexes",
            "dbHash",
            "dbStats",
            "dropCollection",
            "dropDatabase",
            "dropIndex",
            "dropSearchIndex",
            "enableProfiler",
            "find",
            "killCursors",
            "listCollections",
            "listIndexes",
            "listSearchIndexes",
            "planCacheIndexFilter",
            "planCacheRead",
            "planCacheWrite",
            "reIndex",
            "renameCollectionSameDB",
            "storageDetails",
            "updateSearchIndex",
            "validate",
        ],
    },
    SpecificPrivilege {
        role: "dbAdminAnyDatabase",
        database: DatabaseRule::UserConfiguredExceptLocalAndConfig,
        collection_allowed: false,
        grants_role: Some("dbAdminAnyDatabase"),
        actions: &[],
    },
    SpecificPrivilege {
        role: "enableSharding",
        database: DatabaseRule::Admin,
        collection_allowed: false,
        grants_role: None,
        actions: &["enableSharding"],
    },
    SpecificPrivilege {
        role: "read",
        database: DatabaseRule::UserConfigured,
        collection_allowed: true,
        grants_role: None,
        actions: &[
            "changeStream",
            "collStats",
            "dbHash",
            "dbStats",
            "find",
            "killCursors",
            "listIndexes",
            "listCollections",
            "listSearchIndexes",
        ],
    },
    SpecificPrivilege {
        role: "readWrite",
        database: DatabaseRule::UserConfigured,
        collection_allowed: true,
        grants_role: None,
        actions: &[
            "changeStream",
            "collStats",
            "convertToCapped",
            "createCollection",
            "createSearchIndexes",
            "dbHash",
            "dbStats",
            "dropCollection",
            "createIndex",
            "dropIndex",
            "dropSearchIndex",
            "find",
            "insert",
            "killCursors",
            "listIndexes",
            "listCollections",
            "listSearchIndexes",
            "remove",
            "renameCollectionSameDB",
            "update",
        ],
    },
    SpecificPrivilege {
        role: "killOpSession",
        database: DatabaseRule::UserConfigured,
        collection_allowed: false,
        grants_role: None,
        actions: &[
            "inprog",
            "killop",
            "killAnySession",
            "killCursors",
            "listSessions",
        ],
    },
    SpecificPrivilege {
        role: "readWriteAnyDatabase",
        database: DatabaseRule::UserConfiguredExceptLocalAndConfig,
        collection_allowed: false,
        grants_role: Some("readWriteAnyDatabase"),
        actions: &[
            "changeStream",
            "collStats",
            "convertToCapped",
            "createCollection",
            "createSearchIndexes",
            "dbHash",
            "dbStats",
            "dropCollection",
            "dropSearchIndex",
            "createIndex",
            "dropIndex",
            "find",
            "insert",
            "killCursors",
            "listIndexes",
            "listCollections",
            "listDatabases",
            "listSearchIndexes",
            "remove",
            "renameCollectionSameDB",
            "update",
        ],
    },
    SpecificPrivilege {
        role: "readAnyDatabase",
        database: DatabaseRule::UserConfiguredExceptLocalAndConfig,
        collection_allowed: false,
        grants_role: Some("readAnyDatabase"),
        actions: &[
            "changeStream",
            "collStats",
            "dbHash",
            "dbStats",
            "find",
            "killCursors",
            "listIndexes",
            "listCollections",
            "listDatabases",
            "listSearchIndexes",
        ],
    },
];

/// One of the seed's three built-in roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuiltInPrivilege {
    /// The role, always granted on `admin`.
    pub role: &'static str,
    /// What the dialog calls it.
    pub label: &'static str,
}

/// The seed's three built-in roles, in the dialog's order: `atlasAdmin`, `readWriteAnyDatabase`,
/// `readAnyDatabase` (all on `admin`).
pub static BUILT_IN_PRIVILEGES: &[BuiltInPrivilege] = &[
    BuiltInPrivilege {
        role: "atlasAdmin",
        label: "Atlas admin",
    },
    BuiltInPrivilege {
        role: "readWriteAnyDatabase",
        label: "Read and write to any database",
    },
    BuiltInPrivilege {
        role: "readAnyDatabase",
        label: "Only read any database",
    },
];

/// The row of [`SPECIFIC_PRIVILEGES`] for that role name, if it is one.
pub fn specific_privilege(role: &str) -> Option<&'static SpecificPrivilege> {
    SPECIFIC_PRIVILEGES.iter().find(|p| p.role == role)
}

/// The entry of [`BUILT_IN_PRIVILEGES`] for that role name, if it is one.
pub fn built_in_privilege(role: &str) -> Option<&'static BuiltInPrivilege> {
    BUILT_IN_PRIVILEGES.iter().find(|p| p.role == role)
}

/// Which of the dialog's ways a list of roles corresponds to (to open the Edit dialog on the right one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivilegeWay {
    /// No role at all (a new user).
    NoRole,
    /// Exactly one of the seed's built-in roles, on `admin`.
    BuiltIn(&'static BuiltInPrivilege),
    /// Specific privileges, possibly with a built-in role.
    SpecificPrivileges,
    /// A custom role (the first one found, should the roles break the rules).
    CustomRole(String),
}

/// Which way of the dialog a user's roles are: a custom role wins, then a lone built-in role on
/// `admin`, else specific privileges.
pub fn classify_roles<S: AsRef<str>>(roles: &[UserRole], custom_role_names: &[S]) -> PrivilegeWay {
    let is_custom = |name: &str| custom_role_names.iter().any(|c| c.as_ref() == name);
    if let Some(custom) = roles.iter().find(|r| is_custom(&r.role_name)) {
        return PrivilegeWay::CustomRole(custom.role_name.clone());
    }
    match roles {
        [] => PrivilegeWay::NoRole,
        [only] if only.database_name == ADMIN_DATABASE && only.collection().is_none() => {
            built_in_privilege(&only.role_name)
                .map_or(PrivilegeWay::SpecificPrivileges, PrivilegeWay::BuiltIn)
        }
        _ => PrivilegeWay::SpecificPrivileges,
    }
}

/// A problem with a user's roles, at `field` (`roles`, `roles[1].roleName`, `roles[1].databaseName`,
/// `roles[1].collectionName`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct RoleError {
    /// Where: `roles`, or `roles[i].roleName` / `.databaseName` / `.collectionName`.
    pub field: String,
    /// Which rule broke.
    pub kind: RoleErrorKind,
}

/// The rules on a database user's roles (each answered with 400 and its code).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoleErrorKind {
    /// The user has no role (`NO_ROLES`).
    #[error("a database user needs at least one role: choose a built-in role, specific privileges or a custom role")]
    NoRoles,
    /// A role's `roleName` is empty (`ROLE_NAME_REQUIRED`).
    #[error("choose a role")]
    RoleNameEmpty,
    /// A role is neither an Atlas built-in role or specific privilege nor a custom role of the
    /// project (`UNKNOWN_ROLE`).
    #[error("\"{name}\" is neither an Atlas privilege nor a custom role of this project{}", suggestion.map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default())]
    UnknownRole {
        /// The role as sent.
        name: String,
        /// The known role whose name is closest, offered as "did you mean".
        suggestion: Option<&'static str>,
    },
    /// A role that exists on `admin` only (the built-in roles, the admin-only specific privileges,
    /// custom roles) granted on another database (`ROLE_REQUIRES_ADMIN_DATABASE`).
    #[error("{role} is granted on the admin database only, not on \"{database}\"")]
    DatabaseMustBeAdmin {
        /// The role's name.
        role: String,
        /// The database it was granted on.
        database: String,
    },
    /// A role whose rule excludes `local` and `config` granted on one of them
    /// (`DATABASE_NOT_ALLOWED_FOR_ROLE`).
    #[error(
        "{role} cannot be granted on \"{database}\": the local and config databases are excluded"
    )]
    InternalDatabase {
        /// The role's name.
        role: String,
        /// The database it was granted on.
        database: String,
    },
    /// `databaseName` breaks MongoDB's database-name rules (the code of [`DatabaseNameError`]).
    #[error("{0}")]
    DatabaseName(DatabaseNameError),
    /// A collection given for a role other than `read` and `readWrite`
    /// (`COLLECTION_NOT_ALLOWED_FOR_ROLE`).
    #[error(
        "{role} applies to whole databases: a collection can be given for read and readWrite only"
    )]
    CollectionNotAllowed {
        /// The role's name.
        role: String,
    },
    /// `collectionName` breaks MongoDB's collection-name rules (the code of
    /// [`CollectionNameError`]).
    #[error("{0}")]
    CollectionName(CollectionNameError),
    /// A custom role with other roles: Atlas makes a custom role a user's only role
    /// (`CUSTOM_ROLE_MUST_BE_ONLY_ROLE`).
    #[error("a user with the custom role \"{role}\" can have no other role; remove the other {others} role(s) or choose another way")]
    CustomRoleNotAlone {
        /// The custom role.
        role: String,
        /// How many other roles the user has.
        others: usize,
    },
    /// The same role on the same database (and collection) is granted twice (`DUPLICATE_ROLE`).
    #[error("the same role is already granted in roles[{first}]")]
    Duplicate {
        /// The 0-based index of its first entry in `roles`.
        first: usize,
    },
}

impl RoleErrorKind {
    /// The stable `errorCode` of the rule.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::NoRoles => "NO_ROLES",
            Self::RoleNameEmpty => "ROLE_NAME_REQUIRED",
            Self::UnknownRole { .. } => "UNKNOWN_ROLE",
            Self::DatabaseMustBeAdmin { .. } => "ROLE_REQUIRES_ADMIN_DATABASE",
            Self::InternalDatabase { .. } => "DATABASE_NOT_ALLOWED_FOR_ROLE",
            Self::DatabaseName(e) => e.error_code(),
            Self::CollectionNotAllowed { .. } => "COLLECTION_NOT_ALLOWED_FOR_ROLE",
            Self::CollectionName(e) => e.error_code(),
            Self::CustomRoleNotAlone { .. } => "CUSTOM_ROLE_MUST_BE_ONLY_ROLE",
            Self::Duplicate { .. } => "DUPLICATE_ROLE",
        }
    }
}

impl RoleError {
    /// The stable `errorCode` of the broken rule.
    pub fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

impl FieldError for RoleError {
    fn field(&self) -> &str {
        &self.field
    }
    fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }
}

/// What kind of role a name is.
enum Known {
    BuiltIn,
    Specific(&'static SpecificPrivilege),
    Custom,
}

/// Checks a user's roles against every rule above. `custom_role_names` are the project's custom roles.
/// Returns all problems, each on its field; the UI calls it as the user edits, the server on save.
pub fn validate_user_roles<S: AsRef<str>>(
    roles: &[UserRole],
    custom_role_names: &[S],
) -> Result<(), Vec<RoleError>> {
    let mut errors = Vec::new();
    if roles.is_empty() {
        errors.push(RoleError {
            field: "roles".into(),
            kind: RoleErrorKind::NoRoles,
        });
        return Err(errors);
    }
    let is_custom = |name: &str| custom_role_names.iter().any(|c| c.as_ref() == name);
    for (i, role) in roles.iter().enumerate() {
        let base = indexed("roles", i);
        let mut push = |suffix: &str, kind| {
            errors.push(RoleError {
                field: format!("{base}.{suffix}"),
                kind,
            })
        };
        let name = role.role_name.as_str();
        let known = if name.is_empty() {
            push("roleName", RoleErrorKind::RoleNameEmpty);
            None
        } else if let Some(p) = specific_privilege(name) {
            Some(Known::Specific(p))
        } else if built_in_privilege(name).is_some() {
            Some(Known::BuiltIn)
        } else if is_custom(name) {
            Some(Known::Custom)
        } else {
            let suggestion = SPECIFIC_PRIVILEGES
                .iter()
                .map(|p| p.role)
                .chain(BUILT_IN_PRIVILEGES.iter().map(|p| p.role))
                .find(|r| r.eq_ignore_ascii_case(name));
            push(
                "roleName",
                RoleErrorKind::UnknownRole {
                    name: name.to_owned(),
                    suggestion,
                },
            );
            None
        };
        let db = role.database_name.as_str();
        let rule = match known {
            Some(Known::Specific(p)) => Some(p.database),
            Some(Known::BuiltIn | Known::Custom) => Some(DatabaseRule::Admin),
            None => None,
        };
        match rule {
            Some(DatabaseRule::Admin) if db != ADMIN_DATABASE => push(
                "databaseName",
                RoleErrorKind::DatabaseMustBeAdmin {
                    role: name.to_owned(),
                    database: db.to_owned(),
                },
            ),
            Some(DatabaseRule::Admin) => {}
            Some(DatabaseRule::UserConfiguredExceptLocalAndConfig) if is_internal_database(db) => {
                push(
                    "databaseName",
                    RoleErrorKind::InternalDatabase {
                        role: name.to_owned(),
                        database: db.to_owned(),
                    },
                )
            }
            Some(_) | None => {
                if let Err(e) = validate_database_name(db) {
                    push("databaseName", RoleErrorKind::DatabaseName(e));
                }
            }
        }
        if let Some(collection) = role.collection() {
            let allowed = matches!(known, Some(Known::Specific(p)) if p.collection_allowed);
            if known.is_some() && !allowed {
                push(
                    "collectionName",
                    RoleErrorKind::CollectionNotAllowed {
                        role: name.to_owned(),
                    },
                );
            } else if let Err(e) =
                validate_collection_name(db, collection, SystemCollections::Refused)
            {
                push("collectionName", RoleErrorKind::CollectionName(e));
            }
        }
        if let Some(first) = roles.iter().take(i).position(|r| same_grant(r, role)) {
            errors.push(RoleError {
                field: base.clone(),
                kind: RoleErrorKind::Duplicate { first },
            });
        }
        if matches!(known, Some(Known::Custom)) && roles.len() > 1 {
            errors.push(RoleError {
                field: format!("{base}.roleName"),
                kind: RoleErrorKind::CustomRoleNotAlone {
                    role: name.to_owned(),
                    others: roles.len() - 1,
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn same_grant(a: &UserRole, b: &UserRole) -> bool {
    a.role_name == b.role_name
        && a.database_name == b.database_name
        && a.collection() == b.collection()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    const NONE: &[&str] = &[];

    fn codes(roles: &[UserRole], custom: &[&str]) -> Vec<(String, &'static str)> {
        match validate_user_roles(roles, custom) {
            Ok(()) => Vec::new(),
            Err(errs) => errs
                .iter()
                .map(|e| (e.field.clone(), e.error_code()))
                .collect(),
        }
    }

    fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
        vec![(field.to_owned(), code)]
    }

    #[test]
    fn the_three_built_in_roles_on_admin() {
        for role in ["atlasAdmin", "readWriteAnyDatabase", "readAnyDatabase"] {
            assert_eq!(
                validate_user_roles(&[UserRole::new(role, "admin")], NONE),
                Ok(()),
                "{role}"
            );
        }
        assert_eq!(
            codes(&[UserRole::new("atlasAdmin", "sales")], &[]),
            one("roles[0].databaseName", "ROLE_REQUIRES_ADMIN_DATABASE")
        );
        assert_eq!(
            codes(&[UserRole::on_collection("atlasAdmin", "admin", "x")], &[]),
            one("roles[0].collectionName", "COLLECTION_NOT_ALLOWED_FOR_ROLE")
        );
    }

    #[test]
    fn a_user_needs_a_role() {
        let errs = validate_user_roles(&[], NONE).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "roles");
        assert_eq!(errs[0].error_code(), "NO_ROLES");
    }

    #[test]
    fn admin_only_specific_privileges() {
        for role in ["backup", "clusterMonitor", "enableSharding"] {
            assert_eq!(
                validate_user_roles(&[UserRole::new(role, "admin")], NONE),
                Ok(()),
                "{role}"
            );
            assert_eq!(
                codes(&[UserRole::new(role, "sales")], &[]),
                one("roles[0].databaseName", "ROLE_REQUIRES_ADMIN_DATABASE"),
                "{role}"
            );
        }
        let err = &validate_user_roles(&[UserRole::new("backup", "sales")], NONE).unwrap_err()[0];
        assert_eq!(
            err.to_string(),
            "backup is granted on the admin database only, not on \"sales\""
        );
    }

    #[test]
    fn any_database_privileges_exclude_local_and_config() {
        for role in [
            "dbAdminAnyDatabase",
            "readWriteAnyDatabase",
            "readAnyDatabase",
        ] {
            assert_eq!(
                validate_user_roles(&[UserRole::new(role, "sales")], NONE),
                Ok(()),
                "{role}"
            );
            for db in ["local", "config"] {
                assert_eq!(
                    codes(&[UserRole::new(role, db)], &[]),
                    one("roles[0].databaseName", "DATABASE_NOT_ALLOWED_FOR_ROLE")
                );
            }
        }
        // The rule is about these roles only: read on local is allowed.
        assert_eq!(
            validate_user_roles(&[UserRole::new("read", "local")], NONE),
            Ok(())
        );
        let err = &validate_user_roles(&[UserRole::new("readAnyDatabase", "config")], NONE)
            .unwrap_err()[0];
        assert!(
            err.to_string()
                .contains("local and config databases are excluded"),
            "{err}"
        );
    }

    #[test]
    fn user_configured_databases_are_validated_as_mongodb_does() {
        assert_eq!(
            codes(&[UserRole::new("read", "")], &[]),
            one("roles[0].databaseName", "DATABASE_NAME_EMPTY")
        );
        assert_eq!(
            codes(&[UserRole::new("readWrite", "my.db")], &[]),
            one("roles[0].databaseName", "DATABASE_NAME_INVALID_CHARACTER")
        );
        assert_eq!(
            codes(&[UserRole::new("dbAdmin", "d".repeat(64))], &[]),
            one("roles[0].databaseName", "DATABASE_NAME_TOO_LONG")
        );
        assert_eq!(
            codes(&[UserRole::new("killOpSession", "$external")], &[]),
            one("roles[0].databaseName", "DATABASE_NAME_INVALID_CHARACTER")
        );
        assert_eq!(
            codes(&[UserRole::new("readAnyDatabase", "a b")], &[]),
            one("roles[0].databaseName", "DATABASE_NAME_INVALID_CHARACTER")
        );
    }

    #[test]
    fn collections_for_read_and_read_write_only() {
        assert_eq!(
            validate_user_roles(&[UserRole::on_collection("read", "sales", "orders")], NONE),
            Ok(())
        );
        assert_eq!(
            validate_user_roles(
                &[UserRole::on_collection("readWrite", "sales", "orders")],
                NONE
            ),
            Ok(())
        );
        for role in [
            "dbAdmin",
            "killOpSession",
            "readAnyDatabase",
            "dbAdminAnyDatabase",
            "readWriteAnyDatabase",
        ] {
            assert_eq!(
                codes(&[UserRole::on_collection(role, "sales", "orders")], &[]),
                one("roles[0].collectionName", "COLLECTION_NOT_ALLOWED_FOR_ROLE"),
                "{role}"
            );
        }
        assert_eq!(
            codes(&[UserRole::on_collection("read", "sales", "a$b")], &[]),
            one(
                "roles[0].collectionName",
                "COLLECTION_NAME_INVALID_CHARACTER"
            )
        );
        assert_eq!(
            codes(
                &[UserRole::on_collection("read", "sales", "system.users")],
                &[]
            ),
            one("roles[0].collectionName", "COLLECTION_NAME_RESERVED")
        );
        assert_eq!(
            codes(
                &[UserRole::on_collection("read", "sales", "c".repeat(250))],
                &[]
            ),
            one("roles[0].collectionName", "NAMESPACE_TOO_LONG")
        );
        // An empty collection name means "the whole database".
        assert_eq!(
            validate_user_roles(&[UserRole::on_collection("dbAdmin", "sales", "")], NONE),
            Ok(())
        );
    }

    #[test]
    fn unknown_roles_are_refused_with_a_suggestion() {
        let errs = validate_user_roles(&[UserRole::new("readwrite", "sales")], NONE).unwrap_err();
        assert_eq!(
            errs.len(),
            1,
            "no database error for an unknown role with a valid database"
        );
        assert_eq!(errs[0].field, "roles[0].roleName");
        assert_eq!(errs[0].error_code(), "UNKNOWN_ROLE");
        assert_eq!(
            errs[0].to_string(),
            "\"readwrite\" is neither an Atlas privilege nor a custom role of this project (did you mean \"readWrite\"?)"
        );
        // MongoDB roles that the dialog does not offer are unknown here.
        assert_eq!(
            codes(&[UserRole::new("root", "admin")], &[]),
            one("roles[0].roleName", "UNKNOWN_ROLE")
        );
        assert_eq!(
            codes(&[UserRole::new("", "admin")], &[]),
            one("roles[0].roleName", "ROLE_NAME_REQUIRED")
        );
    }

    #[test]
    fn a_custom_role_is_the_only_role() {
        let custom = ["analyst"];
        assert_eq!(
            validate_user_roles(&[UserRole::new("analyst", "admin")], &custom),
            Ok(())
        );
        assert_eq!(
            codes(
                &[
                    UserRole::new("read", "sales"),
                    UserRole::new("analyst", "admin")
                ],
                &custom
            ),
            one("roles[1].roleName", "CUSTOM_ROLE_MUST_BE_ONLY_ROLE")
        );
        let two = codes(
            &[
                UserRole::new("analyst", "admin"),
                UserRole::new("auditor", "admin"),
            ],
            &["analyst", "auditor"],
        );
        assert_eq!(
            two,
            vec![
                (
                    "roles[0].roleName".to_owned(),
                    "CUSTOM_ROLE_MUST_BE_ONLY_ROLE"
                ),
                (
                    "roles[1].roleName".to_owned(),
                    "CUSTOM_ROLE_MUST_BE_ONLY_ROLE"
                )
            ]
        );
        // Custom roles live on admin.
        assert_eq!(
            codes(&[UserRole::new("analyst", "sales")], &custom),
            one("roles[0].databaseName", "ROLE_REQUIRES_ADMIN_DATABASE")
        );
        let err = &validate_user_roles(
            &[
                UserRole::new("analyst", "admin"),
                UserRole::new("read", "a"),
            ],
            &custom,
        )
        .unwrap_err()[0];
        assert_eq!(err.to_string(), "a user with the custom role \"analyst\" can have no other role; remove the other 1 role(s) or choose another way");
    }

    #[test]
    fn built_in_and_specific_privileges_combine_but_not_twice() {
        let roles = [
            UserRole::new("readAnyDatabase", "admin"),
            UserRole::new("readWrite", "sales"),
            UserRole::on_collection("read", "sales", "orders"),
        ];
        assert_eq!(validate_user_roles(&roles, NONE), Ok(()));
        let dup = [
            UserRole::new("read", "sales"),
            UserRole::on_collection("read", "sales", "orders"),
            UserRole::new("read", "sales"),
        ];
        assert_eq!(codes(&dup, &[]), one("roles[2]", "DUPLICATE_ROLE"));
    }

    #[test]
    fn reports_every_error_at_once() {
        let roles = [
            UserRole::new("backup", "x"),
            UserRole::on_collection("dbAdmin", "a/b", "c"),
            UserRole::new("nope", "admin"),
        ];
        let got = codes(&roles, &[]);
        assert_eq!(
            got,
            vec![
                (
                    "roles[0].databaseName".to_owned(),
                    "ROLE_REQUIRES_ADMIN_DATABASE"
                ),
                (
                    "roles[1].databaseName".to_owned(),
                    "DATABASE_NAME_INVALID_CHARACTER"
                ),
                (
                    "roles[1].collectionName".to_owned(),
                    "COLLECTION_NOT_ALLOWED_FOR_ROLE"
                ),
                ("roles[2].roleName".to_owned(), "UNKNOWN_ROLE"),
            ]
        );
    }

    #[test]
    fn classifies_the_four_ways() {
        let custom = ["analyst"];
        assert_eq!(classify_roles(&[], &custom), PrivilegeWay::NoRole);
        assert_eq!(
            classify_roles(&[UserRole::new("atlasAdmin", "admin")], &custom),
            PrivilegeWay::BuiltIn(&BUILT_IN_PRIVILEGES[0])
        );
        assert_eq!(
            classify_roles(&[UserRole::new("readAnyDatabase", "sales")], &custom),
            PrivilegeWay::SpecificPrivileges
        );
        assert_eq!(
            classify_roles(
                &[
                    UserRole::new("readAnyDatabase", "admin"),
                    UserRole::new("read", "x")
                ],
                &custom
            ),
            PrivilegeWay::SpecificPrivileges
        );
        assert_eq!(
            classify_roles(&[UserRole::new("analyst", "admin")], &custom),
            PrivilegeWay::CustomRole("analyst".into())
        );
    }

    #[test]
    fn seed_table_is_consistent_with_the_catalog() {
        let roles: Vec<_> = SPECIFIC_PRIVILEGES.iter().map(|p| p.role).collect();
        assert_eq!(
            roles,
            [
                "backup",
                "clusterMonitor",
                "dbAdmin",
                "dbAdminAnyDatabase",
                "enableSharding",
                "read",
                "readWrite",
                "killOpSession",
                "readWriteAnyDatabase",
                "readAnyDatabase"
            ]
        );
        for p in SPECIFIC_PRIVILEGES {
            assert!(catalog::role(p.role).is_some(), "{}", p.role);
            for a in p.actions {
                assert!(
                    catalog::action_by_mongo_name(a).is_some(),
                    "{}: {a}",
                    p.role
                );
            }
            assert!(
                !p.actions.is_empty() || p.grants_role.is_some(),
                "{}",
                p.role
            );
            assert_eq!(p.collection_allowed, matches!(p.role, "read" | "readWrite"));
        }
        for b in BUILT_IN_PRIVILEGES {
            assert!(catalog::role(b.role).is_some(), "{}", b.role);
        }
    }

    #[test]
    fn field_issues_serialize_for_the_envelope() {
        let err = &validate_user_roles(&[UserRole::new("read", "")], NONE).unwrap_err()[0];
        let issue = serde_json::to_value(err.to_issue()).unwrap();
        assert_eq!(
            issue,
            serde_json::json!({"field": "roles[0].databaseName", "errorCode": "DATABASE_NAME_EMPTY", "detail": "the database name is empty"})
        );
    }
}
