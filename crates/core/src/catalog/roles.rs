//! Every built-in role, with the privileges it grants.
//!
//! Source: MongoDB Manual, "Built-In Roles" (reference/built-in-roles), current manual covering MongoDB 8.0
//! through 8.3 (mongodb/docs, content/manual/manual/source/reference/built-in-roles.txt, commit 38a0200d),
//! self-managed section for MongoDB's roles and Atlas section for `atlasAdmin`, `killOpSession`,
//! `autoCompact`, `manageShardBalancer`. Action names are MongoDB's (see `actions.rs`).
//!
//! Categories as in Atlas's custom role dialog: roles every database has are "Database Actions and Roles";
//! roles only `admin` has are "Global Actions and Roles". `inheritable` marks the roles the dialog offers:
//! Atlas never grants `root`, `clusterAdmin` (it holds `shutdown`), `__system`, `directShardOperations`,
//! `searchCoordinator`, nor its own `atlasAdmin`; their names stay reserved.

use super::{Category, Grant, GrantOn, Origin, RoleInfo, RoleScope};

use Category::{DatabaseActionsAndRoles as DB, GlobalActionsAndRoles as GLOBAL};
use GrantOn::{
    AnyDatabase, AnyDatabaseCollection, AnyResource, Cluster, Database, Namespace, RoleDatabase,
    RoleDatabaseCollection,
};

const READ: &[&str] = &[
    "changeStream",
    "collStats",
    "dbHash",
    "dbStats",
    "find",
    "killCursors",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
];

const READ_WRITE: &[&str] = &[
    "changeStream",
    "collStats",
    "convertToCapped",
    "createCollection",
    "createIndex",
    "createSearchIndexes",
    "dbHash",
    "dbStats",
    "dropCollection",
    "dropIndex",
    "dropSearchIndex",
    "find",
    "insert",
    "killCursors",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
    "remove",
    "renameCollectionSameDB",
    "update",
    "updateSearchIndex",
];

/// dbAdmin on `system.profile`.
const DB_ADMIN_PROFILE: &[&str] = &[
    "changeStream",
    "collStats",
    "convertToCapped",
    "createCollection",
    "dbHash",
    "dbStats",
    "dropCollection",
    "find",
    "killCursors",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
    "planCacheRead",
];

/// dbAdmin on all non-system collections.
const DB_ADMIN: &[&str] = &[
    "bypassDocumentValidation",
    "collMod",
    "collStats",
    "compact",
    "convertToCapped",
    "createCollection",
    "createIndex",
    "createSearchIndexes",
    "dbStats",
    "dropCollection",
    "dropDatabase",
    "dropIndex",
    "dropSearchIndex",
    "enableProfiler",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
    "planCacheIndexFilter",
    "planCacheRead",
    "planCacheWrite",
    "reIndex",
    "renameCollectionSameDB",
    "updateSearchIndex",
    "validate",
];

const USER_ADMIN: &[&str] = &[
    "changeCustomData",
    "changePassword",
    "createRole",
    "createUser",
    "dropRole",
    "dropUser",
    "grantRole",
    "revokeRole",
    "setAuthenticationRestriction",
    "viewRole",
    "viewUser",
];

const CLUSTER_MONITOR_CLUSTER: &[&str] = &[
    "connPoolStats",
    "getCmdLineOpts",
    "getDefaultRWConcern",
    "getLog",
    "getParameter",
    "getShardMap",
    "hostInfo",
    "inprog",
    "listClusterCatalog",
    "listDatabases",
    "listSessions",
    "listShards",
    "replSetGetConfig",
    "replSetGetStatus",
    "serverStatus",
    "shardingState",
    "top",
];

/// clusterMonitor on the non-system collections of `config` and `local`.
const CLUSTER_MONITOR_INTERNAL_DB: &[&str] = &[
    "collStats",
    "dbHash",
    "dbStats",
    "find",
    "indexStats",
    "killCursors",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
    "planCacheRead",
];

const CLUSTER_MANAGER_CLUSTER: &[&str] = &[
    "addShard",
    "appendOplogNote",
    "applicationMessage",
    "checkMetadataConsistency",
    "cleanupOrphaned",
    "flushRouterConfig",
    "getClusterParameter",
    "getDefaultRWConcern",
    "listSessions",
    "listShards",
    "moveCollection",
    "removeShard",
    "replSetConfigure",
    "replSetGetConfig",
    "replSetGetStatus",
    "replSetStateChange",
    "resync",
    "setClusterParameter",
    "setDefaultRWConcern",
    "setFeatureCompatibilityVersion",
    "transitionFromDedicatedConfigServer",
    "transitionToDedicatedConfigServer",
    "unshardCollection",
];

const CLUSTER_MANAGER_ANY_DB: &[&str] = &[
    "analyzeShardKey",
    "clearJumboFlag",
    "configureQueryAnalyzer",
    "enableSharding",
    "moveChunk",
    "refineCollectionShardKey",
    "reshardCollection",
];

const CLUSTER_MANAGER_CONFIG: &[&str] = &[
    "collStats",
    "dbHash",
    "dbStats",
    "enableSharding",
    "find",
    "insert",
    "killCursors",
    "listCollections",
    "listIndexes",
    "listSearchIndexes",
    "moveChunk",
    "planCacheRead",
    "remove",
    "update",
];

const HOST_MANAGER_CLUSTER: &[&str] = &[
    "applicationMessage",
    "closeAllDatabases",
    "compact",
    "connPoolSync",
    "flushRouterConfig",
    "fsync",
    "invalidateUserCache",
    "killAnyCursor",
    "killAnySession",
    "killop",
    "logRotate",
    "oidReset",
    "resync",
    "rotateCertificates",
    "setParameter",
    "shutdown",
    "touch",
    "unlock",
];

const RESTORE_ANY_DB: &[&str] = &[
    "bypassDocumentValidation",
    "changeCustomData",
    "changePassword",
    "collMod",
    "convertToCapped",
    "createCollection",
    "createIndex",
    "createRole",
    "createSearchIndexes",
    "createUser",
    "dropCollection",
    "dropRole",
    "dropUser",
    "grantRole",
    "insert",
    "revokeRole",
    "updateSearchIndex",
    "viewRole",
    "viewUser",
];

const RESTORE_SYSTEM: &[&str] = &[
    "bypassDocumentValidation",
    "collMod",
    "createCollection",
    "createIndex",
    "dropCollection",
    "insert",
    "updateSearchIndex",
];

const ENABLE_SHARDING: &[&str] = &[
    "analyzeShardKey",
    "enableSharding",
    "moveCollection",
    "refineCollectionShardKey",
    "reshardCollection",
    "unshardCollection",
];

const fn g(on: GrantOn, actions: &'static [&'static str]) -> Grant {
    Grant { on, actions }
}

const fn database_role(
    name: &'static str,
    inherits: &'static [&'static str],
    grants: &'static [Grant],
) -> RoleInfo {
    RoleInfo {
        name,
        category: DB,
        scope: RoleScope::EveryDatabase,
        origin: Origin::Mongodb,
        inheritable: true,
        inherits,
        grants,
    }
}

const fn global_role(
    name: &'static str,
    inherits: &'static [&'static str],
    grants: &'static [Grant],
) -> RoleInfo {
    RoleInfo {
        name,
        category: GLOBAL,
        scope: RoleScope::AdminOnly,
        origin: Origin::Mongodb,
        inheritable: true,
        inherits,
        grants,
    }
}

/// A role whose name is reserved but that no custom role may inherit.
const fn reserved(
    name: &'static str,
    category: Category,
    scope: RoleScope,
    origin: Origin,
    inherits: &'static [&'static str],
    grants: &'static [Grant],
) -> RoleInfo {
    RoleInfo {
        name,
        category,
        scope,
        origin,
        inheritable: false,
        inherits,
        grants,
    }
}

/// Every built-in role, grouped as the manual's "Built-In Roles" page groups them (see the module
/// comment for sources).
pub static ROLES: &[RoleInfo] = &[
    // Database User Roles
    database_role(
        "read",
        &[],
        &[
            g(RoleDatabase, READ),
            g(RoleDatabaseCollection("system.js"), READ),
        ],
    ),
    database_role(
        "readWrite",
        &[],
        &[
            g(RoleDatabase, READ_WRITE),
            g(RoleDatabaseCollection("system.js"), READ_WRITE),
        ],
    ),
    // Database Administration Roles
    database_role(
        "dbAdmin",
        &[],
        &[
            g(RoleDatabaseCollection("system.profile"), DB_ADMIN_PROFILE),
            g(RoleDatabase, DB_ADMIN),
        ],
    ),
    database_role("dbOwner", &["readWrite", "dbAdmin", "userAdmin"], &[]),
    database_role("userAdmin", &[], &[g(RoleDatabase, USER_ADMIN)]),
    // Cluster Administration Roles
    reserved(
        "clusterAdmin",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Mongodb,
        &["clusterManager", "clusterMonitor", "hostManager"],
        &[g(AnyDatabase, &["dropDatabase"])],
    ),
    global_role(
        "clusterManager",
        &[],
        &[
            g(Cluster, CLUSTER_MANAGER_CLUSTER),
            g(AnyDatabase, CLUSTER_MANAGER_ANY_DB),
            g(Database("config"), CLUSTER_MANAGER_CONFIG),
            g(
                Database("local"),
                &["enableSharding", "insert", "moveChunk", "remove", "update"],
            ),
        ],
    ),
    global_role(
        "clusterMonitor",
        &[],
        &[
            g(Cluster, CLUSTER_MONITOR_CLUSTER),
            g(
                AnyDatabase,
                &["collStats", "dbStats", "indexStats", "useUUID"],
            ),
            g(AnyDatabaseCollection("system.profile"), &["find"]),
            g(Database("config"), CLUSTER_MONITOR_INTERNAL_DB),
            g(Database("local"), CLUSTER_MONITOR_INTERNAL_DB),
            g(Namespace("local", "system.replset"), &["find"]),
        ],
    ),
    global_role("enableSharding", &[], &[g(AnyDatabase, ENABLE_SHARDING)]),
    global_role(
        "hostManager",
        &[],
        &[
            g(Cluster, HOST_MANAGER_CLUSTER),
            g(AnyDatabase, &["killCursors"]),
        ],
    ),
    // Backup and Restoration Roles
    global_role(
        "backup",
        &[],
        &[
            g(
                Cluster,
                &[
                    "appendOplogNote",
                    "getParameter",
                    "listDatabases",
                    "serverStatus",
                    "setUserWriteBlockMode",
                ],
            ),
            g(
                AnyResource,
                &[
                    "listCollections",
                    "listDatabases",
                    "listIndexes",
                    "listSearchIndexes",
                ],
            ),
            g(AnyDatabase, &["find"]),
            g(AnyDatabaseCollection("system.js"), &["find"]),
            g(AnyDatabaseCollection("system.profile"), &["find"]),
            g(Namespace("admin", "system.users"), &["find"]),
            g(Namespace("admin", "system.roles"), &["find"]),
            g(
                Namespace("config", "settings"),
                &["find", "insert", "update"],
            ),
        ],
    ),
    global_role(
        "restore",
        &[],
        &[
            g(
                Cluster,
                &[
                    "bypassWriteBlockingMode",
                    "getParameter",
                    "setUserWriteBlockMode",
                ],
            ),
            g(AnyDatabase, RESTORE_ANY_DB),
            g(AnyDatabaseCollection("system.js"), RESTORE_SYSTEM),
            g(AnyDatabaseCollection("system.views"), &["dropCollection"]),
            g(AnyResource, &["listCollections"]),
            g(Database("config"), RESTORE_SYSTEM),
            g(Database("local"), RESTORE_SYSTEM),
            g(Namespace("admin", "system.roles"), &["createIndex"]),
            g(
                Namespace("admin", "system.users"),
                &[
                    "bypassDocumentValidation",
                    "collMod",
                    "createCollection",
                    "createIndex",
                    "dropCollection",
                    "find",
                    "insert",
                    "remove",
                    "update",
                    "updateSearchIndex",
                ],
            ),
        ],
    ),
    // All-Database Roles (every database except local and config)
    global_role(
        "readAnyDatabase",
        &[],
        &[
            g(AnyDatabase, READ),
            g(AnyDatabaseCollection("system.js"), READ),
            g(Cluster, &["listDatabases"]),
        ],
    ),
    global_role(
        "readWriteAnyDatabase",
        &[],
        &[
            g(AnyDatabase, READ_WRITE),
            g(AnyDatabaseCollection("system.js"), READ_WRITE),
            g(Cluster, &["listDatabases"]),
        ],
    ),
    global_role(
        "userAdminAnyDatabase",
        &[],
        &[
            g(AnyDatabase, USER_ADMIN),
            g(
                Cluster,
                &["authSchemaUpgrade", "invalidateUserCache", "listDatabases"],
            ),
            g(
                Namespace("admin", "system.users"),
                &[
                    "collStats",
                    "createIndex",
                    "createSearchIndexes",
                    "dbHash",
                    "dbStats",
                    "dropIndex",
                    "dropSearchIndex",
                    "find",
                    "killCursors",
                    "planCacheRead",
                ],
            ),
            g(
                Namespace("admin", "system.roles"),
                &[
                    "collStats",
                    "createIndex",
                    "createSearchIndexes",
                    "dbHash",
                    "dbStats",
                    "dropIndex",
                    "dropSearchIndex",
                    "find",
                    "killCursors",
                    "planCacheRead",
                ],
            ),
        ],
    ),
    global_role(
        "dbAdminAnyDatabase",
        &[],
        &[
            g(AnyDatabase, DB_ADMIN),
            g(AnyDatabaseCollection("system.profile"), DB_ADMIN_PROFILE),
            g(Cluster, &["applyOps", "listDatabases"]),
        ],
    ),
    // Superuser and internal roles
    reserved(
        "root",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Mongodb,
        &[
            "readWriteAnyDatabase",
            "dbAdminAnyDatabase",
            "userAdminAnyDatabase",
            "clusterAdmin",
            "restore",
            "backup",
        ],
        &[g(AnyResource, &["validate"])],
    ),
    reserved(
        "__system",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Mongodb,
        &[],
        &[g(AnyResource, &["anyAction"])],
    ),
    reserved(
        "directShardOperations",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Mongodb,
        &[],
        &[g(Cluster, &["issueDirectShardOperations"])],
    ),
    reserved(
        "searchCoordinator",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Mongodb,
        &["readAnyDatabase"],
        &[g(Cluster, &["bypassDefaultMaxTimeMS"])],
    ),
    // Atlas roles
    reserved(
        "atlasAdmin",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Atlas,
        &[
            "readWriteAnyDatabase",
            "dbAdminAnyDatabase",
            "clusterMonitor",
            "backup",
            "enableSharding",
        ],
        &[
            g(
                Cluster,
                &[
                    "checkMetadataConsistency",
                    "cleanupOrphaned",
                    "compact",
                    "flushRouterConfig",
                    "querySettings",
                    "shardedDataDistribution",
                ],
            ),
            g(
                AnyDatabase,
                &[
                    "analyzeShardKey",
                    "clearJumboFlag",
                    "killAnyCursor",
                    "moveChunk",
                    "refineCollectionShardKey",
                    "reshardCollection",
                    "splitChunk",
                    "viewRole",
                ],
            ),
            g(Namespace("config", "settings"), &["update"]),
        ],
    ),
    RoleInfo {
        name: "killOpSession",
        category: DB,
        scope: RoleScope::EveryDatabase,
        origin: Origin::Atlas,
        inheritable: true,
        inherits: &[],
        grants: &[
            g(
                Cluster,
                &["inprog", "killop", "killAnySession", "listSessions"],
            ),
            g(RoleDatabase, &["killCursors"]),
        ],
    },
    reserved(
        "autoCompact",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Atlas,
        &[],
        &[g(Cluster, &["compact"])],
    ),
    reserved(
        "manageShardBalancer",
        GLOBAL,
        RoleScope::AdminOnly,
        Origin::Atlas,
        &[],
        &[g(
            Namespace("config", "settings"),
            &["find", "insert", "update"],
        )],
    ),
];
