//! The custom roles API (`/groups/{groupId}/customDBRoles/roles`) against the real server: the core's rules
//! as refusals with their codes and fields, the delete guards, the events, and the extension
//! `effectivePrivileges`. Clusters and database users are written straight into the SQLite file.

mod common;

use std::str::FromStr;

use common::{assert_error, TestServer};
use reqwest::header::ALLOW;
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

fn roles_path(t: &TestServer) -> String {
    format!("/groups/{}/customDBRoles/roles", t.group_id)
}

async fn post(t: &TestServer, body: Value) -> (u16, Value) {
    t.send(t.client.post(t.url(&roles_path(t))).json(&body))
        .await
}

async fn get(t: &TestServer, name: &str) -> (u16, Value) {
    t.send(t.client.get(t.url(&format!("{}/{name}", roles_path(t)))))
        .await
}

async fn patch(t: &TestServer, name: &str, body: Value) -> (u16, Value) {
    t.patch_on(&format!("{}/{name}", roles_path(t)), body).await
}

/// DELETE: the status, and the JSON body unless it is empty (204).
async fn delete(t: &TestServer, name: &str) -> (u16, Value) {
    let response = t
        .client
        .delete(t.url(&format!("{}/{name}", roles_path(t))))
        .send()
        .await
        .expect("DELETE sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body)
}

/// Creates `body` and asserts it was saved as sent.
async fn create(t: &TestServer, body: Value) {
    let (status, saved) = post(t, body.clone()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved, body);
}

async fn database(t: &TestServer) -> SqlitePool {
    let options = SqliteConnectOptions::from_str(&t.database_url)
        .expect("database URL")
        .busy_timeout(std::time::Duration::from_secs(5));
    SqlitePool::connect_with(options)
        .await
        .expect("open the test database")
}

async fn add_cluster(db: &SqlitePool, group_id: &str, name: &str, version: &str) {
    sqlx::query(
        "INSERT INTO clusters (project_id, name, mongodb_major_version, created_at) \
         VALUES ($1, $2, $3, '2026-01-01T00:00:00Z')",
    )
    .bind(group_id)
    .bind(name)
    .bind(version)
    .execute(db)
    .await
    .expect("insert a cluster");
}

/// A certificate user in `$external` holding `roles` (`(role, db)`), in order.
async fn add_user(db: &SqlitePool, group_id: &str, username: &str, roles: &[(&str, &str)]) {
    sqlx::query(
        "INSERT INTO database_users (project_id, database_name, username, x509_type, body, created_at, updated_at) \
         VALUES ($1, '$external', $2, 'CUSTOMER', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(group_id)
    .bind(username)
    .execute(db)
    .await
    .expect("insert a user");
    for (position, (role, role_db)) in roles.iter().enumerate() {
        sqlx::query(
            "INSERT INTO database_user_roles (project_id, database_name, username, position, role_name, role_database) \
             VALUES ($1, '$external', $2, $3, $4, $5)",
        )
        .bind(group_id)
        .bind(username)
        .bind(i64::try_from(position).expect("small"))
        .bind(role)
        .bind(role_db)
        .execute(db)
        .await
        .expect("insert a user role");
    }
}

async fn user_roles(db: &SqlitePool, username: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT role_name FROM database_user_roles WHERE username = $1 ORDER BY position",
    )
    .bind(username)
    .fetch_all(db)
    .await
    .expect("user roles");
    rows.into_iter().map(|(r,)| r).collect()
}

/// Every event, oldest first: type, target, detail JSON.
/// The events of changes to database access (not the test owner's `ACCOUNT_ADDED`).
async fn events(db: &SqlitePool) -> Vec<(String, String, Value)> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT event_type_name, target, detail FROM events WHERE event_type_name NOT LIKE 'ACCOUNT_%' ORDER BY seq")
            .fetch_all(db)
            .await
            .expect("events");
    rows.into_iter()
        .map(|(kind, target, detail)| {
            (
                kind,
                target,
                serde_json::from_str(&detail).expect("detail JSON"),
            )
        })
        .collect()
}

fn event_kinds(events: &[(String, String, Value)]) -> Vec<(&str, &str)> {
    events
        .iter()
        .map(|(kind, target, _)| (kind.as_str(), target.as_str()))
        .collect()
}

/// Asserts a rule refusal: status, code, and the `errors` entries as `(field, errorCode)`; returns the
/// detail.
fn assert_refused(body: &Value, status: u16, code: &str, errors: &[(&str, &str)]) -> String {
    let detail = assert_error(body, status, code);
    let got: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {body}"))
        .iter()
        .map(|e| {
            assert!(
                e["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{body}"
            );
            (
                e["field"].as_str().unwrap_or_default(),
                e["errorCode"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(got, errors, "{body}");
    detail
}

/// POSTs `role`, which the rules refuse with 400, `code` and `errors` (see [`assert_refused`]); returns
/// the detail.
async fn post_refused(t: &TestServer, role: Value, code: &str, errors: &[(&str, &str)]) -> String {
    let (status, body) = post(t, role).await;
    assert_eq!(status, 400, "{body}");
    assert_refused(&body, 400, code, errors)
}

fn analyst() -> Value {
    json!({
        "roleName": "analyst",
        "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}],
        "inheritedRoles": [{"role": "read", "db": "reports"}]
    })
}

#[tokio::test]
async fn creates_reads_lists_updates_and_deletes_a_role_with_its_events() {
    let t = TestServer::start().await;
    let db = database(&t).await;

    let (status, body) = t.send(t.client.get(t.url(&roles_path(&t)))).await;
    assert_eq!((status, body), (200, json!([])));

    create(&t, analyst()).await;
    let only_inherits = json!({"roleName": "Aardvark-1", "actions": [], "inheritedRoles": [{"role": "analyst", "db": "admin"}]});
    create(&t, only_inherits.clone()).await;

    let (status, body) = get(&t, "analyst").await;
    assert_eq!((status, body), (200, analyst()));

    // Atlas answers the list as a bare array; here ordered by roleName.
    let (status, body) = t.send(t.client.get(t.url(&roles_path(&t)))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!([only_inherits, analyst()]));

    // PATCH replaces what it carries and keeps the rest.
    let actions = json!([{"action": "INSERT", "resources": [{"db": "sales", "collection": "orders", "cluster": false}]}]);
    let (status, body) = patch(&t, "analyst", json!({ "actions": actions })).await;
    assert_eq!(status, 200, "{body}");
    let updated = json!({"roleName": "analyst", "actions": actions, "inheritedRoles": [{"role": "read", "db": "reports"}]});
    assert_eq!(body, updated);
    assert_eq!(get(&t, "analyst").await, (200, updated.clone()));

    // Deleting the child leaves analyst as it was.
    let (status, body) = delete(&t, "Aardvark-1").await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, body) = get(&t, "Aardvark-1").await;
    assert_eq!(status, 404, "{body}");
    assert_refused(
        &body,
        404,
        "ATLAS_CUSTOM_ROLE_NOT_FOUND",
        &[("roleName", "ATLAS_CUSTOM_ROLE_NOT_FOUND")],
    );
    assert_eq!(body["parameters"], json!(["Aardvark-1"]));
    let (status, body) = delete(&t, "Aardvark-1").await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "ATLAS_CUSTOM_ROLE_NOT_FOUND");

    let all = events(&db).await;
    assert_eq!(
        event_kinds(&all),
        [
            ("MONGODB_ROLE_ADDED", "analyst"),
            ("MONGODB_ROLE_ADDED", "Aardvark-1"),
            ("MONGODB_ROLE_UPDATED", "analyst"),
            ("MONGODB_ROLE_DELETED", "Aardvark-1"),
        ]
    );
    assert_eq!(all[0].2, json!({ "after": analyst() }));
    assert_eq!(all[2].2, json!({ "before": analyst(), "after": updated }));
    assert_eq!(all[3].2, json!({ "before": only_inherits }));
    t.stop().await;
}

#[tokio::test]
async fn refuses_each_name_rule_with_its_code_and_writes_no_event() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    create(&t, analyst()).await;
    let with_name = |name: Value| {
        let mut role = analyst();
        role["roleName"] = name;
        role
    };
    for (name, status, code) in [
        (json!(""), 400, "ROLE_NAME_REQUIRED"),
        (json!("bad name"), 400, "INVALID_ROLE_NAME"),
        (json!("ünïcode"), 400, "INVALID_ROLE_NAME"),
        (json!("read"), 400, "ROLE_NAME_IS_BUILT_IN_ROLE"),
        (json!("atlasAdmin"), 400, "ROLE_NAME_IS_ATLAS_ADMIN"),
        (json!("xgen-mine"), 400, "ROLE_NAME_RESERVED_PREFIX"),
        (json!("XGEN-mine"), 400, "ROLE_NAME_RESERVED_PREFIX"),
        (json!("analyst"), 409, "DUPLICATE_ATLAS_CUSTOM_ROLE_NAME"),
    ] {
        let (got, body) = post(&t, with_name(name.clone())).await;
        assert_eq!(got, status, "{name}: {body}");
        assert_refused(&body, status, code, &[("roleName", code)]);
        assert_eq!(body["parameters"], json!(["roleName"]), "{body}");
    }
    let (_, body) = post(&t, with_name(json!("bad name"))).await;
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("' ' at character 4")),
        "{body}"
    );
    // A missing roleName is the empty name; a role with neither actions nor inherited roles is empty.
    post_refused(
        &t,
        json!({"actions": [{"action": "FIND", "resources": [{"db": "a", "collection": "b"}]}]}),
        "ROLE_NAME_REQUIRED",
        &[("roleName", "ROLE_NAME_REQUIRED")],
    )
    .await;
    post_refused(
        &t,
        json!({"roleName": "nothing"}),
        "CUSTOM_ROLE_EMPTY",
        &[("actions", "CUSTOM_ROLE_EMPTY")],
    )
    .await;
    // Unknown attributes are not silently dropped.
    let mut extra = with_name(json!("extra"));
    extra["actions"][0]["resources"][0]["colection"] = json!("x");
    let (status, body) = post(&t, extra).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "INVALID_ATTRIBUTE");

    assert_eq!(
        event_kinds(&events(&db).await),
        [("MONGODB_ROLE_ADDED", "analyst")]
    );
    let (_, list) = t.send(t.client.get(t.url(&roles_path(&t)))).await;
    assert_eq!(list, json!([analyst()]), "nothing refused was saved");
    t.stop().await;
}

#[tokio::test]
async fn refuses_resources_that_do_not_fit_the_action() {
    let t = TestServer::start().await;
    let role = |actions: Value| json!({"roleName": "r", "actions": actions});
    let cases = [
        // A collection action on the cluster: mixed categories.
        (
            json!([{"action": "FIND", "resources": [{"cluster": true}]}]),
            vec![(
                "actions[0].resources[0].cluster",
                "CLUSTER_RESOURCE_NOT_ALLOWED",
            )],
        ),
        // A cluster-wide action on a database.
        (
            json!([{"action": "SERVER_STATUS", "resources": [{"db": "sales", "collection": ""}]}]),
            vec![
                (
                    "actions[0].resources[0].cluster",
                    "CLUSTER_RESOURCE_REQUIRED",
                ),
                ("actions[0].resources[0].db", "CLUSTER_RESOURCE_WITH_NAMES"),
            ],
        ),
        (
            json!([{"action": "FIND", "resources": [{"db": "sales"}]}]),
            vec![("actions[0].resources[0].collection", "COLLECTION_REQUIRED")],
        ),
        (
            json!([{"action": "FIND", "resources": [{"collection": "orders"}]}]),
            vec![("actions[0].resources[0].db", "DATABASE_REQUIRED")],
        ),
        (
            json!([{"action": "DROP_DATABASE", "resources": [{"db": "sales", "collection": "orders"}]}]),
            vec![(
                "actions[0].resources[0].collection",
                "COLLECTION_NOT_ALLOWED",
            )],
        ),
        (
            json!([{"action": "FIND", "resources": []}]),
            vec![("actions[0].resources", "ACTION_RESOURCES_REQUIRED")],
        ),
        (
            json!([{"action": "find", "resources": [{"db": "a", "collection": "b"}]}]),
            vec![("actions[0].action", "UNKNOWN_ACTION")],
        ),
        // Every broken rule is listed; the first decides the code.
        (
            json!([
                {"action": "FIND", "resources": [{"db": "sales"}]},
                {"action": "LIST_DATABASES", "resources": [{"db": "sales", "collection": ""}]},
                {"action": "FIND", "resources": [{"db": "x", "collection": "y"}]}
            ]),
            vec![
                ("actions[0].resources[0].collection", "COLLECTION_REQUIRED"),
                (
                    "actions[1].resources[0].cluster",
                    "CLUSTER_RESOURCE_REQUIRED",
                ),
                ("actions[1].resources[0].db", "CLUSTER_RESOURCE_WITH_NAMES"),
                ("actions[2].action", "DUPLICATE_ACTION"),
            ],
        ),
    ];
    for (actions, errors) in cases {
        let (status, body) = post(&t, role(actions.clone())).await;
        assert_eq!(status, 400, "{actions}: {body}");
        let detail = assert_refused(&body, 400, errors[0].1, &errors);
        if errors.len() > 1 {
            assert!(
                detail.contains(&format!("{} more problem", errors.len() - 1)),
                "{detail}"
            );
        }
    }
    let (_, body) = post(
        &t,
        role(json!([{"action": "find", "resources": [{"db": "a", "collection": "b"}]}])),
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("did you mean FIND?")),
        "{body}"
    );

    // A global action and a custom role together are allowed (Global Actions and Roles may carry Custom
    // Roles); so are the three kinds of resources in one role.
    create(&t, analyst()).await;
    create(
        &t,
        json!({
            "roleName": "ops",
            "actions": [
                {"action": "SERVER_STATUS", "resources": [{"cluster": true}]},
                {"action": "DROP_DATABASE", "resources": [{"db": "scratch", "collection": ""}]}
            ],
            "inheritedRoles": [{"role": "analyst", "db": "admin"}, {"role": "clusterMonitor", "db": "admin"}]
        }),
    )
    .await;
    t.stop().await;
}

#[tokio::test]
async fn refuses_unknown_inherited_roles_and_cycles() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    post_refused(
        &t,
        json!({"roleName": "r", "inheritedRoles": [{"role": "nosuchrole", "db": "admin"}]}),
        "UNKNOWN_INHERITED_ROLE",
        &[("inheritedRoles[0].role", "UNKNOWN_INHERITED_ROLE")],
    )
    .await;
    post_refused(
        &t,
        json!({"roleName": "r", "inheritedRoles": [{"role": "read", "db": ""}, {"role": "clusterMonitor", "db": "sales"}]}),
        "DATABASE_REQUIRED",
        &[
            ("inheritedRoles[0].db", "DATABASE_REQUIRED"),
            ("inheritedRoles[1].db", "ROLE_REQUIRES_ADMIN_DATABASE"),
        ],
    )
    .await;
    // A role cannot inherit itself on creation.
    post_refused(
        &t,
        json!({"roleName": "selfish", "inheritedRoles": [{"role": "selfish", "db": "admin"}]}),
        "INHERITED_ROLE_CYCLE",
        &[("inheritedRoles[0].role", "INHERITED_ROLE_CYCLE")],
    )
    .await;

    // a → b → c; then c → a via PATCH closes a cycle.
    let c = json!({"roleName": "c", "actions": [{"action": "FIND", "resources": [{"db": "s", "collection": "o"}]}], "inheritedRoles": []});
    create(&t, c.clone()).await;
    create(
        &t,
        json!({"roleName": "b", "actions": [], "inheritedRoles": [{"role": "c", "db": "admin"}]}),
    )
    .await;
    create(
        &t,
        json!({"roleName": "a", "actions": [], "inheritedRoles": [{"role": "b", "db": "admin"}]}),
    )
    .await;
    let before = events(&db).await.len();
    let (status, body) = patch(
        &t,
        "c",
        json!({"inheritedRoles": [{"role": "a", "db": "admin"}]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_refused(
        &body,
        400,
        "INHERITED_ROLE_CYCLE",
        &[("inheritedRoles[0].role", "INHERITED_ROLE_CYCLE")],
    );
    assert!(detail.contains("c → a → b → c"), "{detail}");
    assert_eq!(
        get(&t, "c").await,
        (200, c),
        "the refused PATCH saved nothing"
    );
    assert_eq!(
        events(&db).await.len(),
        before,
        "no event for a refused PATCH"
    );
    t.stop().await;
}

#[tokio::test]
async fn refuses_actions_that_a_cluster_is_too_old_for() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    let mover = json!({"roleName": "mover", "actions": [{"action": "MOVE_COLLECTION", "resources": [{"cluster": true}]}]});
    // No cluster yet: nothing to be too old.
    create(&t, json!({"roleName": "early", "actions": [{"action": "FIND", "resources": [{"db": "s", "collection": "o"}]}], "inheritedRoles": []})).await;
    add_cluster(&db, &t.group_id, "Cluster0", "8.0").await;
    add_cluster(&db, &t.group_id, "legacy", "7.0").await;
    add_cluster(&db, &t.group_id, "older", "6.0").await;
    let detail = post_refused(
        &t,
        mover.clone(),
        "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION",
        &[(
            "actions[0].action",
            "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION",
        )],
    )
    .await;
    assert!(
        detail.contains("needs MongoDB 8.0 or later")
            && detail.contains("cluster \"older\" runs MongoDB 6.0")
            && detail.contains("legacy"),
        "{detail}"
    );
    // The same rule on PATCH.
    let (status, body) = patch(
        &t,
        "early",
        json!({"actions": [{"action": "MOVE_COLLECTION", "resources": [{"cluster": true}]}]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION");

    sqlx::query("DELETE FROM clusters WHERE name <> 'Cluster0'")
        .execute(&db)
        .await
        .expect("remove the old clusters");
    let (status, body) = post(&t, mover.clone()).await;
    assert_eq!(status, 200, "{body}");
    t.stop().await;
}

#[tokio::test]
async fn patch_never_renames_and_refuses_what_it_cannot_read() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    create(&t, analyst()).await;
    let (status, body) = patch(&t, "analyst", json!({"roleName": "renamed", "actions": []})).await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_refused(
        &body,
        400,
        "CUSTOM_ROLE_RENAME_NOT_ALLOWED",
        &[("roleName", "CUSTOM_ROLE_RENAME_NOT_ALLOWED")],
    );
    assert!(
        detail.contains("\"renamed\"") && detail.contains("\"analyst\""),
        "{detail}"
    );
    assert_eq!(get(&t, "analyst").await, (200, analyst()));
    assert_eq!(get(&t, "renamed").await.0, 404);

    // The same name is fine; emptying the role is not.
    let (status, body) = patch(&t, "analyst", json!({"roleName": "analyst"})).await;
    assert_eq!((status, body), (200, analyst()));
    let (status, body) = patch(&t, "analyst", json!({"actions": [], "inheritedRoles": []})).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "CUSTOM_ROLE_EMPTY");

    let (status, body) = patch(&t, "analyst", json!({"role": "x"})).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "INVALID_ATTRIBUTE");
    let (status, body) = patch(&t, "nobody", json!({"actions": []})).await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "ATLAS_CUSTOM_ROLE_NOT_FOUND");

    // The PATCH that was only `roleName` counts as an update; the refused ones write nothing.
    assert_eq!(
        event_kinds(&events(&db).await),
        [
            ("MONGODB_ROLE_ADDED", "analyst"),
            ("MONGODB_ROLE_UPDATED", "analyst")
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn delete_is_refused_while_a_child_role_depends_on_the_role_alone() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    let parent = json!({"roleName": "parent", "actions": [{"action": "FIND", "resources": [{"db": "s", "collection": "o"}]}], "inheritedRoles": []});
    create(&t, parent.clone()).await;
    create(
        &t,
        json!({"roleName": "child", "actions": [], "inheritedRoles": [{"role": "parent", "db": "admin"}]}),
    )
    .await;
    let (status, body) = delete(&t, "parent").await;
    assert_eq!(status, 409, "{body}");
    let detail = assert_refused(
        &body,
        409,
        "CUSTOM_ROLE_IN_USE_BY_ROLES",
        &[("roleName", "CUSTOM_ROLE_IN_USE_BY_ROLES")],
    );
    assert!(detail.contains("child"), "{detail}");
    assert_eq!(get(&t, "parent").await, (200, parent.clone()));
    assert!(
        !events(&db)
            .await
            .iter()
            .any(|(kind, _, _)| kind == "MONGODB_ROLE_DELETED"),
        "no event for a refused delete"
    );

    // Once the child has an action of its own, the parent may go; the child loses the reference.
    let (status, body) = patch(
        &t,
        "child",
        json!({"actions": [{"action": "INSERT", "resources": [{"db": "s", "collection": "o"}]}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = delete(&t, "parent").await;
    assert_eq!(status, 204);
    let (_, child) = get(&t, "child").await;
    assert_eq!(child["inheritedRoles"], json!([]), "{child}");
    let all = events(&db).await;
    let kinds = event_kinds(&all);
    assert_eq!(
        kinds[kinds.len() - 2..],
        [
            ("MONGODB_ROLE_UPDATED", "child"),
            ("MONGODB_ROLE_DELETED", "parent")
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn delete_is_refused_while_a_user_holds_only_that_role() {
    let t = TestServer::start().await;
    let db = database(&t).await;
    create(&t, analyst()).await;
    let user = "CN=alice,O=Example";
    add_user(&db, &t.group_id, user, &[("analyst", "admin")]).await;
    let (status, body) = delete(&t, "analyst").await;
    assert_eq!(status, 409, "{body}");
    let detail = assert_refused(
        &body,
        409,
        "CUSTOM_ROLE_IN_USE_BY_USERS",
        &[("roleName", "CUSTOM_ROLE_IN_USE_BY_USERS")],
    );
    assert!(detail.contains(user), "{detail}");
    assert_eq!(get(&t, "analyst").await.0, 200);

    // A user with another role keeps it, and loses the deleted one.
    add_user(
        &db,
        &t.group_id,
        "CN=bob",
        &[("read", "sales"), ("analyst", "admin")],
    )
    .await;
    sqlx::query("DELETE FROM database_users WHERE username = $1")
        .bind(user)
        .execute(&db)
        .await
        .expect("remove alice");
    let (status, body) = delete(&t, "analyst").await;
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(user_roles(&db, "CN=bob").await, ["read"]);
    let all = events(&db).await;
    assert_eq!(
        event_kinds(&all),
        [
            ("MONGODB_ROLE_ADDED", "analyst"),
            ("MONGODB_USER_UPDATED", "CN=bob"),
            ("MONGODB_ROLE_DELETED", "analyst"),
        ]
    );
    assert_eq!(
        all[1].2["after"]["roles"],
        json!([{"roleName": "read", "databaseName": "sales"}])
    );
    t.stop().await;
}

#[tokio::test]
async fn effective_privileges_flatten_inheritance() {
    let t = TestServer::start().await;
    create(&t, json!({"roleName": "base", "actions": [{"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}], "inheritedRoles": []})).await;
    create(&t, json!({"roleName": "top", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}], "inheritedRoles": [{"role": "base", "db": "admin"}, {"role": "read", "db": "reports"}]})).await;
    let path = format!("{}/top/effectivePrivileges", roles_path(&t));
    let (status, body) = t.send(t.client.get(t.url(&path))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["roleName"], "top");
    let privileges = body["privileges"].as_array().expect("privileges");
    let has = |action: &str, resource: Value, via: Value| {
        privileges
            .iter()
            .any(|p| p["action"] == action && p["resource"] == resource && p["via"] == via)
    };
    let orders = json!({"kind": "collection", "db": "sales", "collection": "orders"});
    assert!(has("find", orders.clone(), json!(["top"])), "{body}");
    assert!(has("insert", orders, json!(["top", "base"])), "{body}");
    assert!(
        has(
            "find",
            json!({"kind": "database", "db": "reports"}),
            json!(["top", "read@reports"])
        ),
        "{body}"
    );
    assert!(
        privileges.iter().all(|p| p["action"] != "remove"),
        "read grants no remove: {body}"
    );
    let (status, body) = t
        .send(
            t.client
                .get(t.url(&format!("{}/nobody/effectivePrivileges", roles_path(&t)))),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "ATLAS_CUSTOM_ROLE_NOT_FOUND");
    t.stop().await;
}

#[tokio::test]
async fn serves_the_v1_prefix_and_answers_405_with_the_allowed_methods() {
    let t = TestServer::start().await;
    let v1 = format!(
        "{}/api/atlas/v1.0/groups/{}/customDBRoles/roles",
        t.base, t.group_id
    );
    let (status, body) = t.send(t.client.post(&v1).json(&analyst())).await;
    assert_eq!((status, body), (200, analyst()));
    let (status, body) = t.send(t.client.get(format!("{v1}/analyst"))).await;
    assert_eq!((status, body), (200, analyst()));
    let (status, body) = t.send(t.client.get(t.url(&roles_path(&t)))).await;
    assert_eq!((status, body), (200, json!([analyst()])));

    for (path, method, allowed) in [
        (roles_path(&t), reqwest::Method::PUT, "GET, HEAD, POST"),
        (
            format!("{}/analyst", roles_path(&t)),
            reqwest::Method::POST,
            "DELETE, GET, HEAD, PATCH",
        ),
    ] {
        let response = t
            .client
            .request(method, t.url(&path))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 405);
        let allow = response
            .headers()
            .get(ALLOW)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body: Value = response.json().await.expect("JSON");
        assert_error(&body, 405, "METHOD_NOT_ALLOWED");
        assert_eq!(allow, allowed, "{path}");
    }
    let (status, body) = t
        .send(
            t.client
                .get(t.url("/groups/5f1a2b3c4d5e6f7a8b9c0d1e/customDBRoles/roles")),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "GROUP_NOT_FOUND");
    t.stop().await;
}
