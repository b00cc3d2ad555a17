use std::collections::HashSet;

use super::*;
use crate::cluster::Cluster;

/// MongoDB's camelCase → Atlas UPPER_SNAKE, the rule the API names follow.
fn upper_snake(mongo: &str) -> String {
    let chars: Vec<char> = mongo.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let prev = if i == 0 { None } else { chars.get(i - 1) };
        let next = chars.get(i + 1);
        if c.is_ascii_uppercase() {
            let after_lower = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            let acronym_end = prev.is_some_and(|p| p.is_ascii_uppercase())
                && next.is_some_and(|n| n.is_ascii_lowercase());
            if after_lower || acronym_end {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[test]
fn api_names_are_upper_snake_of_mongodb_names_except_atlas_spellings() {
    let exceptions = [
        ("inprog", "IN_PROG"),
        ("killop", "KILL_OP"),
        ("netstat", "NET_STAT"),
        ("setUserWriteBlockMode", "SET_USER_WRITE_BLOCK"),
        ("bypassWriteBlockingMode", "BYPASS_USER_WRITE_BLOCK"),
    ];
    for a in ACTIONS {
        let expected = exceptions
            .iter()
            .find(|(m, _)| *m == a.mongo_name)
            .map_or_else(|| upper_snake(a.mongo_name), |(_, api)| (*api).to_owned());
        assert_eq!(a.api_name, expected, "{}", a.mongo_name);
    }
    assert_eq!(
        upper_snake("renameCollectionSameDB"),
        "RENAME_COLLECTION_SAME_DB"
    );
    assert_eq!(upper_snake("useUUID"), "USE_UUID");
    assert_eq!(upper_snake("getDefaultRWConcern"), "GET_DEFAULT_RW_CONCERN");
}

#[test]
fn names_are_unique() {
    let api: HashSet<_> = ACTIONS.iter().map(|a| a.api_name).collect();
    let mongo: HashSet<_> = ACTIONS.iter().map(|a| a.mongo_name).collect();
    assert_eq!(api.len(), ACTIONS.len());
    assert_eq!(mongo.len(), ACTIONS.len());
    let roles: HashSet<_> = ROLES.iter().map(|r| r.name).collect();
    assert_eq!(roles.len(), ROLES.len());
}

#[test]
fn every_api_action_of_the_atlas_notes_is_in_the_catalog() {
    // The list in atlas-api-notes.md, plus the older clients' spellings it mentions.
    let notes = "FIND, INSERT, REMOVE, UPDATE, BYPASS_DOCUMENT_VALIDATION, USE_UUID, KILL_OP, CREATE_COLLECTION, CREATE_INDEX, \
        DROP_COLLECTION, ENABLE_PROFILER, CHANGE_STREAM, COLL_MOD, COMPACT, CONVERT_TO_CAPPED, DROP_DATABASE, \
        DROP_INDEX, RE_INDEX, RENAME_COLLECTION_SAME_DB, SET_USER_WRITE_BLOCK, BYPASS_USER_WRITE_BLOCK, LIST_SESSIONS, \
        KILL_ANY_SESSION, COLL_STATS, CONN_POOL_STATS, DB_HASH, DB_STATS, GET_CMD_LINE_OPTS, GET_LOG, GET_PARAMETER, \
        GET_SHARD_MAP, HOST_INFO, IN_PROG, LIST_DATABASES, LIST_COLLECTIONS, LIST_INDEXES, LIST_SHARDS, NET_STAT, \
        REPL_SET_GET_CONFIG, REPL_SET_GET_STATUS, SERVER_STATUS, VALIDATE, SHARDING_STATE, TOP, SQL_GET_SCHEMA, \
        SQL_SET_SCHEMA, VIEW_ALL_HISTORY, OUT_TO_S3, STORAGE_GET_CONFIG, STORAGE_SET_CONFIG, FLUSH_ROUTER_CONFIG, \
        KILL_CURSORS, KILLOP, INPROG, INDEX_STATS, LOG_ROTATE, REPLSET_GET_CONFIG, REPLSET_GET_STATUS, \
        ADD_SHARD_TO_ZONE, REMOVE_SHARD_FROM_ZONE, UPDATE_ZONE_KEY_RANGE, CHECK_METADATA_CONSISTENCY, \
        ENABLE_SHARDING, OUT_TO_AZURE, OUT_TO_GCP, BYPASS_DEFAULT_MAX_TIME_MS";
    for name in notes.split(',').map(str::trim) {
        assert!(action_by_api_name(name).is_some(), "{name} missing");
    }
    assert_eq!(
        action_by_api_name("KILLOP").map(|a| a.mongo_name),
        Some("killop")
    );
    assert_eq!(
        action_by_api_name("REPLSET_GET_STATUS").map(|a| a.api_name),
        Some("REPL_SET_GET_STATUS")
    );
    assert!(
        action_by_api_name("find").is_none(),
        "API names are case-sensitive"
    );
    assert!(action_by_api_name("").is_none());
}

#[test]
fn every_action_of_the_manual_page_is_in_the_catalog() {
    // Every `.. authaction::` of the cited manual page.
    let manual = "find insert remove update bypassDocumentValidation useUUID changeCustomData changeOwnCustomData \
        changeOwnPassword changePassword createCollection createIndex createRole createUser dropCollection dropRole \
        dropUser enableProfiler grantRole killCursors killAnyCursor planCacheIndexFilter querySettings revokeRole \
        setAuthenticationRestriction setFeatureCompatibilityVersion unlock viewRole viewUser authSchemaUpgrade \
        cleanupOrphaned cpuProfiler inprog invalidateUserCache killop planCacheRead planCacheWrite changeStream \
        appendOplogNote replSetConfigure replSetGetConfig replSetGetStatus replSetHeartbeat replSetStateChange resync \
        addShard analyzeShardKey checkMetadataConsistency clearJumboFlag enableSharding refineCollectionShardKey \
        moveCollection reshardCollection rewriteCollection unshardCollection flushRouterConfig getClusterParameter \
        getShardMap listShards moveChunk removeShard shardedDataDistribution shardingState splitChunk \
        transitionFromDedicatedConfigServer transitionToDedicatedConfigServer applicationMessage \
        bypassWriteBlockingMode bypassDefaultMaxTimeMS closeAllDatabases collMod compact \
        compactStructuredEncryptionData connPoolSync convertToCapped dropConnections dropDatabase dropIndex forceUUID \
        fsync getDefaultRWConcern getParameter hostInfo oidReset logRotate reIndex renameCollectionSameDB \
        rotateCertificates setDefaultRWConcern setParameter setUserWriteBlockMode shutdown touch impersonate \
        listSessions killAnySession createSearchIndexes dropSearchIndex listSearchIndexes updateSearchIndex collStats \
        connPoolStats dbHash dbStats getCmdLineOpts getLog indexStats listClusterCatalog listDatabases \
        listCollections listIndexes queryStatsRead queryStatsReadTransformed serverStatus validate top anyAction \
        internal applyOps";
    for name in manual.split_whitespace() {
        assert!(action_by_mongo_name(name).is_some(), "{name} missing");
    }
}

#[test]
fn categories_match_the_resources_mongodb_accepts() {
    for a in ACTIONS {
        match a.category {
            Category::CollectionActions => assert!(a.applies.collection(), "{}", a.api_name),
            Category::DatabaseActionsAndRoles => {
                assert!(
                    a.applies.database() && !a.applies.collection(),
                    "{}",
                    a.api_name
                )
            }
            Category::GlobalActionsAndRoles => assert!(a.applies.cluster(), "{}", a.api_name),
            Category::CustomRoles => panic!("{} cannot be a custom role", a.api_name),
        }
        // An action that applies to collections is always offered as a collection action.
        if a.applies.collection() && a.assignable {
            assert_eq!(a.category, Category::CollectionActions, "{}", a.api_name);
        }
    }
    let cat = |api: &str| action_by_api_name(api).map(|a| a.category);
    assert_eq!(cat("FIND"), Some(Category::CollectionActions));
    assert_eq!(
        cat("DROP_DATABASE"),
        Some(Category::DatabaseActionsAndRoles)
    );
    assert_eq!(
        cat("LIST_COLLECTIONS"),
        Some(Category::DatabaseActionsAndRoles)
    );
    assert_eq!(cat("IN_PROG"), Some(Category::GlobalActionsAndRoles));
    assert_eq!(cat("LIST_DATABASES"), Some(Category::GlobalActionsAndRoles));
}

#[test]
fn versions_of_well_known_actions() {
    let since = |api: &str| action_by_api_name(api).and_then(|a| a.since);
    assert_eq!(since("FIND"), Some(MongoVersion::new(2, 6)));
    assert_eq!(
        since("BYPASS_DOCUMENT_VALIDATION"),
        Some(MongoVersion::new(3, 2))
    );
    assert_eq!(since("CHANGE_STREAM"), Some(MongoVersion::new(3, 6)));
    assert_eq!(
        since("REFINE_COLLECTION_SHARD_KEY"),
        Some(MongoVersion::new(4, 4))
    );
    assert_eq!(since("RESHARD_COLLECTION"), Some(MongoVersion::new(5, 0)));
    assert_eq!(since("SET_USER_WRITE_BLOCK"), Some(MongoVersion::new(6, 0)));
    assert_eq!(
        since("CHECK_METADATA_CONSISTENCY"),
        Some(MongoVersion::new(7, 0))
    );
    assert_eq!(since("MOVE_COLLECTION"), Some(MongoVersion::new(8, 0)));
    assert_eq!(since("REWRITE_COLLECTION"), Some(MongoVersion::new(8, 3)));
    assert_eq!(since("OUT_TO_S3"), None);
}

#[test]
fn internal_actions_are_listed_but_not_assignable() {
    for name in ["ANY_ACTION", "INTERNAL"] {
        let a = action_by_api_name(name).unwrap();
        assert!(!a.assignable);
    }
    assert!(ACTIONS.iter().filter(|a| !a.assignable).count() == 2);
    assert!(picker_actions(Category::GlobalActionsAndRoles, &[])
        .iter()
        .all(|p| p.action.assignable));
}

#[test]
fn every_grant_and_inheritance_refers_to_catalog_entries() {
    for r in ROLES {
        for grant in r.grants {
            for action in grant.actions {
                assert!(
                    action_by_mongo_name(action).is_some(),
                    "{}: {action}",
                    r.name
                );
            }
        }
        for parent in r.inherits {
            assert!(
                role(parent).is_some(),
                "{} inherits unknown {parent}",
                r.name
            );
        }
        assert!(matches!(
            r.category,
            Category::DatabaseActionsAndRoles | Category::GlobalActionsAndRoles
        ));
        assert_eq!(
            r.scope == RoleScope::EveryDatabase,
            r.category == Category::DatabaseActionsAndRoles,
            "{}",
            r.name
        );
    }
}

#[test]
fn roles_of_the_brief_are_in_the_categories_the_seed_describes() {
    for name in [
        "read",
        "readWrite",
        "dbAdmin",
        "dbOwner",
        "userAdmin",
        "killOpSession",
    ] {
        assert_eq!(
            role(name).map(|r| r.category),
            Some(Category::DatabaseActionsAndRoles),
            "{name}"
        );
        assert!(role(name).is_some_and(|r| r.inheritable));
    }
    for name in [
        "clusterMonitor",
        "backup",
        "restore",
        "clusterManager",
        "hostManager",
        "enableSharding",
        "readAnyDatabase",
        "readWriteAnyDatabase",
        "dbAdminAnyDatabase",
        "userAdminAnyDatabase",
    ] {
        assert_eq!(
            role(name).map(|r| r.category),
            Some(Category::GlobalActionsAndRoles),
            "{name}"
        );
        assert!(role(name).is_some_and(|r| r.inheritable));
    }
    for name in ["atlasAdmin", "root", "__system", "clusterAdmin"] {
        assert!(role(name).is_some_and(|r| !r.inheritable), "{name}");
    }
    assert!(role("Read").is_none());
    assert_eq!(suggest_role("READWRITE").map(|r| r.name), Some("readWrite"));
}

#[test]
fn read_grants_the_actions_of_the_manual() {
    let read = role("read").unwrap();
    let on_db = read
        .grants
        .iter()
        .find(|g| g.on == GrantOn::RoleDatabase)
        .unwrap();
    assert_eq!(
        on_db.actions,
        [
            "changeStream",
            "collStats",
            "dbHash",
            "dbStats",
            "find",
            "killCursors",
            "listCollections",
            "listIndexes",
            "listSearchIndexes"
        ]
    );
    let dbo = role("dbOwner").unwrap();
    assert_eq!(dbo.inherits, ["readWrite", "dbAdmin", "userAdmin"]);
}

#[test]
fn suggestions_for_misspelled_actions() {
    assert_eq!(suggest_action("find").map(|a| a.api_name), Some("FIND"));
    assert_eq!(
        suggest_action("listDatabases").map(|a| a.api_name),
        Some("LIST_DATABASES")
    );
    assert_eq!(
        suggest_action("list-databases").map(|a| a.api_name),
        Some("LIST_DATABASES")
    );
    assert_eq!(
        suggest_action("inprog").map(|a| a.api_name),
        Some("IN_PROG")
    );
    assert!(suggest_action("FROB").is_none());
    assert!(suggest_action("___").is_none());
}

#[test]
fn availability_names_the_clusters_too_old_for_an_action() {
    let clusters = [
        Cluster::new("new", "8.0"),
        Cluster::new("legacy", "6.0"),
        Cluster::new("mid", "7.0"),
    ];
    let a = action_by_api_name("MOVE_COLLECTION").unwrap();
    match action_availability(a, &clusters) {
        Availability::NeedsNewerClusters { since, clusters } => {
            assert_eq!(since, MongoVersion::new(8, 0));
            let names: Vec<_> = clusters.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["legacy", "mid"]);
        }
        other => panic!("{other:?}"),
    }
    let find = action_by_api_name("FIND").unwrap();
    assert_eq!(
        action_availability(find, &clusters),
        Availability::Available
    );
    // Atlas service actions never depend on the clusters' version.
    let s3 = action_by_api_name("OUT_TO_S3").unwrap();
    assert!(action_availability(s3, &[Cluster::new("old", "3.6")]).is_available());
    // No clusters: everything is available.
    assert!(action_availability(a, &[]).is_available());
}

#[test]
fn availability_at_the_version_boundary() {
    let a = action_by_api_name("CHECK_METADATA_CONSISTENCY").unwrap(); // 7.0
    assert!(action_availability(a, &[Cluster::new("c", "7.0")]).is_available());
    assert!(action_availability(a, &[Cluster::new("c", "7.3")]).is_available());
    assert!(!action_availability(a, &[Cluster::new("c", "6.3")]).is_available());
    let r = action_by_api_name("REWRITE_COLLECTION").unwrap(); // 8.3
    assert!(!action_availability(r, &[Cluster::new("c", "8.2")]).is_available());
    assert!(action_availability(r, &[Cluster::new("c", "8.3")]).is_available());
}

#[test]
fn availability_serializes_for_the_ui() {
    let a = action_by_api_name("MOVE_COLLECTION").unwrap();
    let json =
        serde_json::to_value(action_availability(a, &[Cluster::new("legacy", "7.0")])).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"status": "needsNewerClusters", "since": "8.0", "clusters": [{"name": "legacy", "version": "7.0"}]})
    );
}

#[test]
fn picker_lists_each_category_with_availability() {
    let clusters = [Cluster::new("c", "6.0")];
    let coll = picker_actions(Category::CollectionActions, &clusters);
    assert!(coll
        .iter()
        .any(|p| p.action.api_name == "FIND" && p.availability.is_available()));
    assert!(coll
        .iter()
        .any(|p| p.action.api_name == "ANALYZE_SHARD_KEY" && !p.availability.is_available()));
    assert!(coll
        .iter()
        .all(|p| p.action.category == Category::CollectionActions));
    let total: usize = Category::ALL
        .iter()
        .map(|c| picker_actions(*c, &clusters).len())
        .sum();
    assert_eq!(total, ACTIONS.iter().filter(|a| a.assignable).count());
    let db_roles: Vec<_> = picker_roles(Category::DatabaseActionsAndRoles)
        .map(|r| r.name)
        .collect();
    assert_eq!(
        db_roles,
        [
            "read",
            "readWrite",
            "dbAdmin",
            "dbOwner",
            "userAdmin",
            "killOpSession"
        ]
    );
    assert!(picker_roles(Category::GlobalActionsAndRoles).all(|r| r.name != "root"));
}

#[test]
fn category_labels_are_atlas_headings() {
    let labels: Vec<_> = Category::ALL.iter().map(|c| c.label()).collect();
    assert_eq!(
        labels,
        [
            "Collection Actions",
            "Database Actions and Roles",
            "Global Actions and Roles",
            "Custom Roles"
        ]
    );
    assert!(
        Category::CollectionActions.needs_collection()
            && Category::CollectionActions.needs_database()
    );
    assert!(
        Category::DatabaseActionsAndRoles.needs_database()
            && !Category::DatabaseActionsAndRoles.needs_collection()
    );
    assert!(!Category::GlobalActionsAndRoles.needs_database());
    assert_eq!(
        serde_json::to_string(&Category::GlobalActionsAndRoles).unwrap(),
        "\"GLOBAL_ACTIONS_AND_ROLES\""
    );
}
