//! Every MongoDB privilege action.
//!
//! Source: MongoDB Manual, "Privilege Actions" (reference/privilege-actions), current manual covering
//! MongoDB 8.0 through 8.3 (mongodb/docs, content/manual/manual/source/reference/privilege-actions.txt,
//! commit 451c838a), for the names, resource kinds and `versionadded` notes; the MongoDB 4.4 manual's page
//! (mongodb/docs source/reference/privilege-actions.txt, commit 243ae041) for the version notes the current
//! page has dropped (3.2, 3.6, 4.0, 4.4) and for `getShardVersion`, `netstat`, `splitVector`,
//! `storageDetails`; "Built-In Roles" of the same manual for the actions only roles mention
//! (`setClusterParameter`, `configureQueryAnalyzer`, `cleanupStructuredEncryptionData`,
//! `issueDirectShardOperations`); Atlas "Custom Role Actions" (mongodb/docs source/reference/
//! custom-role-actions.txt) for the API names (UPPER_SNAKE of the MongoDB name except `IN_PROG`, `KILL_OP`,
//! `NET_STAT`, `SET_USER_WRITE_BLOCK`, `BYPASS_USER_WRITE_BLOCK`) and the Atlas-only actions.
//!
//! `since`: the version that introduced the action. Actions without a version note date from MongoDB 2.6,
//! which introduced role-based access control, except `listCollections`/`listIndexes`/`replSetGetConfig`
//! (their commands arrived in 3.0). A version introduced in a patch release of an older line counts for that
//! line, since Atlas keeps clusters on the line's latest patch: `clearJumboFlag` (4.0.15), `killAnyCursor`
//! (3.6.3), `shardedDataDistribution` (6.0.3), the search index actions and `queryStats*` (6.0.7),
//! `listClusterCatalog` (8.0.10).
//!
//! Resource kinds: where the manual says "database or collection resources" the action is a Collection
//! Action; "database resources" only, a Database Action; the `cluster` resource, a Global Action.
//! `splitChunk` is granted on namespaces by the server and in every built-in role, so it is kept with the
//! collection actions as in the 4.4 manual.

use super::{ActionInfo, Applies, Category, Origin};
use crate::cluster::MongoVersion;

use Category::{
    CollectionActions as COLL, DatabaseActionsAndRoles as DB, GlobalActionsAndRoles as GLOBAL,
};

const C: u8 = Applies::COLLECTION;
const D: u8 = Applies::DATABASE;
const K: u8 = Applies::CLUSTER;
const CD: u8 = C | D;
const CDK: u8 = C | D | K;

/// An action of the MongoDB manual.
const fn m(
    api: &'static str,
    mongo: &'static str,
    category: Category,
    applies: u8,
    major: u16,
    minor: u16,
) -> ActionInfo {
    ActionInfo {
        api_name: api,
        mongo_name: mongo,
        category,
        applies: Applies::new(applies),
        since: Some(MongoVersion::new(major, minor)),
        origin: Origin::Mongodb,
        assignable: true,
    }
}

/// An Atlas service action (Data Federation, Atlas SQL): no MongoDB version constraint.
const fn atlas(
    api: &'static str,
    mongo: &'static str,
    category: Category,
    applies: u8,
) -> ActionInfo {
    ActionInfo {
        api_name: api,
        mongo_name: mongo,
        category,
        applies: Applies::new(applies),
        since: None,
        origin: Origin::Atlas,
        assignable: true,
    }
}

/// A command that Atlas's API accepts as an action (zone sharding), backed by MongoDB since `major.minor`.
const fn atlas_cmd(api: &'static str, mongo: &'static str, major: u16, minor: u16) -> ActionInfo {
    ActionInfo {
        api_name: api,
        mongo_name: mongo,
        category: GLOBAL,
        applies: Applies::new(K),
        since: Some(MongoVersion::new(major, minor)),
        origin: Origin::Atlas,
        assignable: true,
    }
}

/// MongoDB's internal actions: listed, never assignable.
const fn internal(api: &'static str, mongo: &'static str, applies: u8) -> ActionInfo {
    ActionInfo {
        api_name: api,
        mongo_name: mongo,
        category: GLOBAL,
        applies: Applies::new(applies),
        since: Some(MongoVersion::new(2, 6)),
        origin: Origin::Mongodb,
        assignable: false,
    }
}

/// Every privilege action, grouped as the manual's "Privilege Actions" page groups them (see the
/// module comment for sources and versions).
pub static ACTIONS: &[ActionInfo] = &[
    // Query and Write Actions
    m("FIND", "find", COLL, CD, 2, 6),
    m("INSERT", "insert", COLL, CD, 2, 6),
    m("REMOVE", "remove", COLL, CD, 2, 6),
    m("UPDATE", "update", COLL, CD, 2, 6),
    m(
        "BYPASS_DOCUMENT_VALIDATION",
        "bypassDocumentValidation",
        COLL,
        CD,
        3,
        2,
    ),
    m("USE_UUID", "useUUID", GLOBAL, K, 3, 6),
    // Database Management Actions
    m("CHANGE_CUSTOM_DATA", "changeCustomData", DB, D, 2, 6),
    m("CHANGE_OWN_CUSTOM_DATA", "changeOwnCustomData", DB, D, 2, 6),
    m("CHANGE_OWN_PASSWORD", "changeOwnPassword", DB, D, 2, 6),
    m("CHANGE_PASSWORD", "changePassword", DB, D, 2, 6),
    m("CREATE_COLLECTION", "createCollection", COLL, CD, 2, 6),
    m("CREATE_INDEX", "createIndex", COLL, CD, 2, 6),
    m("CREATE_ROLE", "createRole", DB, D, 2, 6),
    m("CREATE_USER", "createUser", DB, D, 2, 6),
    m("DROP_COLLECTION", "dropCollection", COLL, CD, 2, 6),
    m("DROP_ROLE", "dropRole", DB, D, 2, 6),
    m("DROP_USER", "dropUser", DB, D, 2, 6),
    m("ENABLE_PROFILER", "enableProfiler", DB, D, 2, 6),
    m("GRANT_ROLE", "grantRole", DB, D, 2, 6),
    m("KILL_CURSORS", "killCursors", COLL, C, 2, 6),
    m("KILL_ANY_CURSOR", "killAnyCursor", COLL, C, 3, 6),
    m(
        "PLAN_CACHE_INDEX_FILTER",
        "planCacheIndexFilter",
        COLL,
        CD,
        2,
        6,
    ),
    m("QUERY_SETTINGS", "querySettings", GLOBAL, K, 8, 0),
    m("REVOKE_ROLE", "revokeRole", DB, D, 2, 6),
    m(
        "SET_AUTHENTICATION_RESTRICTION",
        "setAuthenticationRestriction",
        DB,
        D,
        3,
        6,
    ),
    m(
        "SET_FEATURE_COMPATIBILITY_VERSION",
        "setFeatureCompatibilityVersion",
        GLOBAL,
        K,
        3,
        4,
    ),
    m("UNLOCK", "unlock", GLOBAL, K, 2, 6),
    m("VIEW_ROLE", "viewRole", DB, D, 2, 6),
    m("VIEW_USER", "viewUser", DB, D, 2, 6),
    // Deployment Management Actions
    m("AUTH_SCHEMA_UPGRADE", "authSchemaUpgrade", GLOBAL, K, 2, 6),
    m("CLEANUP_ORPHANED", "cleanupOrphaned", GLOBAL, K, 2, 6),
    m("CPU_PROFILER", "cpuProfiler", GLOBAL, K, 2, 6),
    m("IN_PROG", "inprog", GLOBAL, K, 2, 6),
    m(
        "INVALIDATE_USER_CACHE",
        "invalidateUserCache",
        GLOBAL,
        K,
        2,
        6,
    ),
    m("KILL_OP", "killop", GLOBAL, K, 2, 6),
    m("PLAN_CACHE_READ", "planCacheRead", COLL, CD, 2, 6),
    m("PLAN_CACHE_WRITE", "planCacheWrite", COLL, CD, 2, 6),
    m("STORAGE_DETAILS", "storageDetails", COLL, CD, 2, 6),
    // Change Stream Actions
    m("CHANGE_STREAM", "changeStream", COLL, CD, 3, 6),
    // Replication Actions
    m("APPEND_OPLOG_NOTE", "appendOplogNote", GLOBAL, K, 2, 6),
    m("REPL_SET_CONFIGURE", "replSetConfigure", GLOBAL, K, 2, 6),
    m("REPL_SET_GET_CONFIG", "replSetGetConfig", GLOBAL, K, 3, 0),
    m("REPL_SET_GET_STATUS", "replSetGetStatus", GLOBAL, K, 2, 6),
    m("REPL_SET_HEARTBEAT", "replSetHeartbeat", GLOBAL, K, 2, 6),
    m(
        "REPL_SET_STATE_CHANGE",
        "replSetStateChange",
        GLOBAL,
        K,
        2,
        6,
    ),
    m("RESYNC", "resync", GLOBAL, K, 2, 6),
    // Sharding Actions
    m("ADD_SHARD", "addShard", GLOBAL, K, 2, 6),
    m("ANALYZE_SHARD_KEY", "analyzeShardKey", COLL, CD, 7, 0),
    m(
        "CHECK_METADATA_CONSISTENCY",
        "checkMetadataConsistency",
        COLL,
        CDK,
        7,
        0,
    ),
    m("CLEAR_JUMBO_FLAG", "clearJumboFlag", COLL, CD, 4, 0),
    m(
        "CONFIGURE_QUERY_ANALYZER",
        "configureQueryAnalyzer",
        COLL,
        CD,
        7,
        0,
    ),
    m("ENABLE_SHARDING", "enableSharding", COLL, CDK, 2, 6),
    m(
        "REFINE_COLLECTION_SHARD_KEY",
        "refineCollectionShardKey",
        COLL,
        CD,
        4,
        4,
    ),
    m("MOVE_COLLECTION", "moveCollection", GLOBAL, K, 8, 0),
    m("RESHARD_COLLECTION", "reshardCollection", COLL, CD, 5, 0),
    m("REWRITE_COLLECTION", "rewriteCollection", COLL, CD, 8, 3),
    m("UNSHARD_COLLECTION", "unshardCollection", GLOBAL, K, 8, 0),
    m("FLUSH_ROUTER_CONFIG", "flushRouterConfig", GLOBAL, K, 2, 6),
    m(
        "GET_CLUSTER_PARAMETER",
        "getClusterParameter",
        GLOBAL,
        K,
        6,
        0,
    ),
    m(
        "SET_CLUSTER_PARAMETER",
        "setClusterParameter",
        GLOBAL,
        K,
        6,
        0,
    ),
    m("GET_SHARD_MAP", "getShardMap", GLOBAL, K, 2, 6),
    m("GET_SHARD_VERSION", "getShardVersion", DB, D, 2, 6),
    m(
        "ISSUE_DIRECT_SHARD_OPERATIONS",
        "issueDirectShardOperations",
        GLOBAL,
        K,
        8,
        0,
    ),
    m("LIST_SHARDS", "listShards", GLOBAL, K, 2, 6),
    m("MOVE_CHUNK", "moveChunk", COLL, CD, 2, 6),
    m("REMOVE_SHARD", "removeShard", GLOBAL, K, 2, 6),
    m(
        "SHARDED_DATA_DISTRIBUTION",
        "shardedDataDistribution",
        GLOBAL,
        K,
        6,
        0,
    ),
    m("SHARDING_STATE", "shardingState", GLOBAL, K, 2, 6),
    m("SPLIT_CHUNK", "splitChunk", COLL, CD, 2, 6),
    m("SPLIT_VECTOR", "splitVector", COLL, CD, 2, 6),
    m(
        "TRANSITION_FROM_DEDICATED_CONFIG_SERVER",
        "transitionFromDedicatedConfigServer",
        GLOBAL,
        K,
        8,
        0,
    ),
    m(
        "TRANSITION_TO_DEDICATED_CONFIG_SERVER",
        "transitionToDedicatedConfigServer",
        GLOBAL,
        K,
        8,
        0,
    ),
    atlas_cmd("ADD_SHARD_TO_ZONE", "addShardToZone", 3, 4),
    atlas_cmd("REMOVE_SHARD_FROM_ZONE", "removeShardFromZone", 3, 4),
    atlas_cmd("UPDATE_ZONE_KEY_RANGE", "updateZoneKeyRange", 3, 4),
    // Server Administration Actions
    m("APPLICATION_MESSAGE", "applicationMessage", GLOBAL, K, 2, 6),
    m(
        "BYPASS_USER_WRITE_BLOCK",
        "bypassWriteBlockingMode",
        GLOBAL,
        K,
        6,
        0,
    ),
    m(
        "BYPASS_DEFAULT_MAX_TIME_MS",
        "bypassDefaultMaxTimeMS",
        GLOBAL,
        K,
        8,
        0,
    ),
    m("CLOSE_ALL_DATABASES", "closeAllDatabases", GLOBAL, K, 2, 6),
    m("COLL_MOD", "collMod", COLL, CD, 2, 6),
    m("COMPACT", "compact", COLL, CDK, 2, 6),
    m(
        "COMPACT_STRUCTURED_ENCRYPTION_DATA",
        "compactStructuredEncryptionData",
        COLL,
        CD,
        6,
        0,
    ),
    m(
        "CLEANUP_STRUCTURED_ENCRYPTION_DATA",
        "cleanupStructuredEncryptionData",
        COLL,
        CD,
        7,
        0,
    ),
    m("CONN_POOL_SYNC", "connPoolSync", GLOBAL, K, 2, 6),
    m("CONVERT_TO_CAPPED", "convertToCapped", COLL, CD, 2, 6),
    m("DROP_CONNECTIONS", "dropConnections", GLOBAL, K, 4, 2),
    m("DROP_DATABASE", "dropDatabase", DB, D, 2, 6),
    m("DROP_INDEX", "dropIndex", COLL, CD, 2, 6),
    m("FORCE_UUID", "forceUUID", GLOBAL, K, 3, 6),
    m("FSYNC", "fsync", GLOBAL, K, 2, 6),
    m(
        "GET_DEFAULT_RW_CONCERN",
        "getDefaultRWConcern",
        GLOBAL,
        K,
        4,
        4,
    ),
    m("GET_PARAMETER", "getParameter", GLOBAL, K, 2, 6),
    m("HOST_INFO", "hostInfo", GLOBAL, K, 2, 6),
    m("OID_RESET", "oidReset", GLOBAL, K, 2, 6),
    m("LOG_ROTATE", "logRotate", GLOBAL, K, 2, 6),
    m("RE_INDEX", "reIndex", COLL, CD, 2, 6),
    m(
        "RENAME_COLLECTION_SAME_DB",
        "renameCollectionSameDB",
        DB,
        D,
        2,
        6,
    ),
    m("ROTATE_CERTIFICATES", "rotateCertificates", GLOBAL, K, 5, 0),
    m(
        "SET_DEFAULT_RW_CONCERN",
        "setDefaultRWConcern",
        GLOBAL,
        K,
        4,
        4,
    ),
    m("SET_PARAMETER", "setParameter", GLOBAL, K, 2, 6),
    m(
        "SET_USER_WRITE_BLOCK",
        "setUserWriteBlockMode",
        GLOBAL,
        K,
        6,
        0,
    ),
    m("SHUTDOWN", "shutdown", GLOBAL, K, 2, 6),
    m("TOUCH", "touch", GLOBAL, K, 2, 6),
    // Session Actions
    m("IMPERSONATE", "impersonate", GLOBAL, K, 3, 6),
    m("LIST_SESSIONS", "listSessions", GLOBAL, K, 3, 6),
    m("KILL_ANY_SESSION", "killAnySession", GLOBAL, K, 3, 6),
    // Atlas Search Index Actions
    m(
        "CREATE_SEARCH_INDEXES",
        "createSearchIndexes",
        COLL,
        CD,
        6,
        0,
    ),
    m("DROP_SEARCH_INDEX", "dropSearchIndex", COLL, CD, 6, 0),
    m("LIST_SEARCH_INDEXES", "listSearchIndexes", COLL, CD, 6, 0),
    m("UPDATE_SEARCH_INDEX", "updateSearchIndex", COLL, CD, 6, 0),
    // Diagnostic Actions
    m("COLL_STATS", "collStats", COLL, CD, 2, 6),
    m("CONN_POOL_STATS", "connPoolStats", GLOBAL, K, 2, 6),
    m("DB_HASH", "dbHash", COLL, CD, 2, 6),
    m("DB_STATS", "dbStats", DB, D, 2, 6),
    m("GET_CMD_LINE_OPTS", "getCmdLineOpts", GLOBAL, K, 2, 6),
    m("GET_LOG", "getLog", GLOBAL, K, 2, 6),
    m("INDEX_STATS", "indexStats", COLL, CD, 3, 2),
    m(
        "LIST_CLUSTER_CATALOG",
        "listClusterCatalog",
        GLOBAL,
        K,
        8,
        0,
    ),
    m("LIST_DATABASES", "listDatabases", GLOBAL, K, 2, 6),
    m("LIST_COLLECTIONS", "listCollections", DB, D, 3, 0),
    m("LIST_INDEXES", "listIndexes", COLL, CD, 3, 0),
    m("NET_STAT", "netstat", GLOBAL, K, 2, 6),
    m("QUERY_STATS_READ", "queryStatsRead", GLOBAL, K, 6, 0),
    m(
        "QUERY_STATS_READ_TRANSFORMED",
        "queryStatsReadTransformed",
        GLOBAL,
        K,
        6,
        0,
    ),
    m("SERVER_STATUS", "serverStatus", GLOBAL, K, 2, 6),
    m("VALIDATE", "validate", COLL, CD, 2, 6),
    m("TOP", "top", GLOBAL, K, 2, 6),
    // Internal Actions
    internal("ANY_ACTION", "anyAction", CDK),
    internal("INTERNAL", "internal", CDK),
    m("APPLY_OPS", "applyOps", GLOBAL, K, 5, 0),
    // Atlas Data Federation and Atlas SQL Actions
    atlas("SQL_GET_SCHEMA", "sqlGetSchema", DB, D),
    atlas("SQL_SET_SCHEMA", "sqlSetSchema", DB, D),
    atlas("VIEW_ALL_HISTORY", "viewAllHistory", GLOBAL, K),
    atlas("OUT_TO_AZURE", "outToAzure", GLOBAL, K),
    atlas("OUT_TO_GCP", "outToGCP", GLOBAL, K),
    atlas("OUT_TO_S3", "outToS3", GLOBAL, K),
    atlas("STORAGE_GET_CONFIG", "storageGetConfig", GLOBAL, K),
    atlas("STORAGE_SET_CONFIG", "storageSetConfig", GLOBAL, K),
];
