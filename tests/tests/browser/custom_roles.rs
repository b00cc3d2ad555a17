//! Custom roles (Database Access → Custom Roles) and the project's clusters, in Chromium against the real
//! server: creating a role with collection actions and an inherited role, editing it, the name rules and
//! the category rules as the user types, actions too new for a cluster, the delete guard, and giving a
//! custom role to a database user.

use serde_json::{json, Value};

use crate::harness::{artifacts_dir, browser_test, Ctx, Error, Ui};
use test_support::pki::Pki;

const ROLE_ROW: &str = "[data-testid=role-row]";

/// The `n`th "Action or Role" row of the dialog (1-based), or something inside it.
fn row(n: usize, inner: &str) -> String {
    format!("[data-testid=role-dialog] .action-row:nth-child({n} of .action-row) {inner}")
}

/// Whether the element matching `css` is disabled (it must exist).
async fn disabled(ui: &Ui, css: &str) -> Result<bool, Error> {
    ui.find(css).await?;
    let value = ui
        .client
        .execute(
            "return document.querySelector(arguments[0]).disabled;",
            vec![json!(css)],
        )
        .await?;
    Ok(value == Value::Bool(true))
}

/// The `value`s of the enabled options of the `<select>` matching `css`.
async fn enabled_options(ui: &Ui, css: &str) -> Result<Vec<String>, Error> {
    ui.find(css).await?;
    let value = ui
        .client
        .execute(
            "return [...document.querySelector(arguments[0]).options].filter(o => !o.disabled).map(o => o.value);",
            vec![json!(css)],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

fn roles_url(group_id: &str) -> String {
    format!("#/projects/{group_id}/database-access/roles")
}

#[tokio::test]
async fn create_a_role_with_collection_actions_and_an_inherited_role_then_edit_it() {
    browser_test(
        "create_a_role_with_collection_actions_and_an_inherited_role_then_edit_it",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            // The tab strip links the two tabs; Custom Roles has its own route.
            ui.click("[data-testid=tab-custom-roles]").await?;
            ui.wait_text("[data-testid=roles-empty]", "No custom roles yet").await?;
            assert_eq!(ui.hash().await?, roles_url(&group_id));
            let tab = ui.find("[data-testid=tab-custom-roles]").await?;
            assert_eq!(tab.attr("aria-current").await?.as_deref(), Some("page"));

            ui.click("[data-testid=add-role]").await?;
            ui.find("[data-testid=role-dialog]").await?;
            ui.type_into("[data-testid=role-name-input]", "salesReader").await?;

            // Row 1: FIND (found by searching) and INSERT on sales.orders and sales.archive.
            ui.type_into(&row(1, "[data-testid=row-search]"), "fin").await?;
            ui.click(&row(1, "[data-testid=row-option][data-item=FIND]")).await?;
            ui.choose(&row(1, "[data-testid=row-search]"), "").await?;
            ui.click(&row(1, "[data-testid=row-option][data-item=INSERT]")).await?;
            ui.wait_count(&row(1, "[data-testid=row-item-chip]"), 2).await?;
            ui.type_into(&row(1, "[data-testid=target-db]"), "sales").await?;
            ui.type_into(&row(1, "[data-testid=target-collection]"), "orders").await?;
            ui.click(&row(1, "[data-testid=add-target]")).await?;
            ui.wait_count(&row(1, "[data-testid=target-row]"), 2).await?;
            ui.type_into(&row(1, "[data-testid=target-row]:nth-child(2 of [data-testid=target-row]) [data-testid=target-db]"), "sales").await?;
            ui.type_into(&row(1, "[data-testid=target-row]:nth-child(2 of [data-testid=target-row]) [data-testid=target-collection]"), "archive").await?;

            // Row 2: the built-in role read on the reports database (no collection input for it).
            ui.click("[data-testid=add-row]").await?;
            ui.wait_count("[data-testid=action-row]", 2).await?;
            ui.choose(&row(2, "[data-testid=row-category]"), "database").await?;
            ui.click(&row(2, "[data-testid=row-option][data-item=read]")).await?;
            ui.type_into(&row(2, "[data-testid=target-db]"), "reports").await?;
            ui.wait_count(&row(2, "[data-testid=target-collection]"), 0).await?;
            ui.wait_count("[data-testid=role-dialog] [data-testid=row-error]", 0).await?;
            ui.wait_count("[data-testid=role-dialog] [data-testid=target-error]", 0).await?;
            ui.full_page_screenshot(&artifacts_dir().join("add-custom-role-dialog.png")).await?;

            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Added salesReader").await?;
            ui.wait_count(ROLE_ROW, 1).await?;
            ui.wait_text("[data-testid=role-summary-line]", "FIND, INSERT on sales.archive, sales.orders").await?;
            ui.wait_text("[data-testid=role-summary-line]", "inherits read@reports").await?;

            let stored = api.custom_roles(&group_id).await?;
            assert_eq!(stored.len(), 1, "{stored:?}");
            assert_eq!(stored[0]["roleName"], "salesReader");
            let resources = json!([
                { "db": "sales", "collection": "orders" },
                { "db": "sales", "collection": "archive" }
            ]);
            assert_eq!(
                stored[0]["actions"],
                json!([
                    { "action": "FIND", "resources": resources },
                    { "action": "INSERT", "resources": resources }
                ])
            );
            assert_eq!(stored[0]["inheritedRoles"], json!([{ "role": "read", "db": "reports" }]));

            // Effective privileges: the role's own actions and what read@reports brings.
            ui.click("[data-testid=role-effective]").await?;
            ui.find("[data-testid=effective-privileges]").await?;
            ui.wait_text("[data-testid=effective-from]", "read@reports").await?;
            ui.wait_text("[data-testid=effective-resource]", "sales.orders").await?;
            ui.wait_text("[data-testid=effective-resource]", "reports.*").await?;
            ui.screenshot(&artifacts_dir().join("custom-role-effective-privileges.png")).await?;
            ui.click("[data-testid=effective-close]").await?;
            ui.wait_count("[data-testid=effective-privileges]", 0).await?;

            // Edit: the name is fixed; INSERT goes, the rest stays.
            ui.click("[data-testid=role-edit]").await?;
            ui.find("[data-testid=role-dialog]").await?;
            assert!(disabled(&ui, "[data-testid=role-name-input]").await?, "renaming must be impossible");
            ui.wait_count("[data-testid=action-row]", 2).await?;
            ui.click("[data-testid=row-item-chip][data-item=INSERT] [data-testid=row-item-remove]").await?;
            ui.wait_count("[data-testid=row-item-chip][data-item=INSERT]", 0).await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Updated salesReader").await?;
            ui.wait_text("[data-testid=role-summary-line]", "FIND on sales.archive, sales.orders").await?;

            // A reload shows what the server stored.
            ui.reload().await?;
            ui.wait_text("[data-testid=role-summary-line]", "FIND on sales.archive, sales.orders").await?;
            let stored = api.custom_roles(&group_id).await?;
            // The Edit dialog lists a row's databases and collections in name order.
            assert_eq!(
                stored[0]["actions"],
                json!([{ "action": "FIND", "resources": [
                    { "db": "sales", "collection": "archive" },
                    { "db": "sales", "collection": "orders" }
                ] }])
            );
            assert_eq!(stored[0]["inheritedRoles"], json!([{ "role": "read", "db": "reports" }]));
            ui.screenshot(&artifacts_dir().join("custom-roles-tab.png")).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_dialog_applies_the_name_and_category_rules_as_the_user_types() {
    browser_test(
        "the_dialog_applies_the_name_and_category_rules_as_the_user_types",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            api.create_custom_role(
                &group_id,
                &json!({ "roleName": "auditor", "actions": [{ "action": "FIND", "resources": [{ "db": "logs", "collection": "events" }] }] }),
            )
            .await?;
            ui.open(&roles_url(&group_id)).await?;
            ui.wait_count(ROLE_ROW, 1).await?;
            ui.click("[data-testid=add-role]").await?;
            ui.find("[data-testid=role-dialog]").await?;

            // Every name rule answers as the name is typed.
            for (name, says) in [
                ("sales reader", "can only contain letters, digits, underscores and dashes"),
                ("readWrite", "built-in role"),
                ("atlasAdmin", "atlasAdmin is reserved"),
                ("xgen-tools", "starting with \"xgen-\""),
                ("auditor", "already exists"),
            ] {
                ui.type_into("[data-testid=role-name-input]", name).await?;
                ui.wait_text("[data-testid=role-name-error]", says).await?;
            }
            ui.type_into("[data-testid=role-name-input]", "ops-monitor").await?;
            ui.wait_count("[data-testid=role-name-error]", 0).await?;

            // One category per row: once a collection action is chosen, the others are disabled.
            let category = row(1, "[data-testid=row-category]");
            assert_eq!(
                enabled_options(&ui, &category).await?,
                ["collection", "database", "global", "custom"]
            );
            ui.click(&row(1, "[data-testid=row-option][data-item=FIND]")).await?;
            assert_eq!(enabled_options(&ui, &category).await?, ["collection"]);
            // A collection action needs a database and a collection: said once the field was used.
            ui.type_into(&row(1, "[data-testid=target-db]"), "logs").await?;
            ui.click(&row(1, "[data-testid=target-collection]")).await?;
            ui.click("[data-testid=role-name-input]").await?;
            ui.wait_text(&row(1, "[data-testid=target-error]"), "a collection is required").await?;
            ui.type_into(&row(1, "[data-testid=target-collection]"), "events").await?;
            ui.wait_count(&row(1, "[data-testid=target-error]"), 0).await?;

            // Global Actions and Roles may carry Custom Roles, and nothing else.
            ui.click("[data-testid=add-row]").await?;
            let category = row(2, "[data-testid=row-category]");
            ui.choose(&category, "global").await?;
            ui.click(&row(2, "[data-testid=row-option][data-item=UNLOCK]")).await?;
            assert_eq!(enabled_options(&ui, &category).await?, ["global", "custom"]);
            ui.wait_count(&row(2, "[data-testid=target-db]"), 0).await?;
            ui.choose(&category, "custom").await?;
            ui.click(&row(2, "[data-testid=row-option][data-item=auditor]")).await?;
            ui.wait_count(&row(2, "[data-testid=row-item-chip]"), 2).await?;
            assert_eq!(enabled_options(&ui, &category).await?, ["global", "custom"]);
            ui.full_page_screenshot(&artifacts_dir().join("custom-role-category-rules.png")).await?;

            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Added ops-monitor").await?;
            let stored = api.custom_roles(&group_id).await?;
            let ops = stored
                .iter()
                .find(|r| r["roleName"] == "ops-monitor")
                .ok_or("ops-monitor was not stored")?;
            assert_eq!(
                ops["actions"],
                json!([
                    { "action": "FIND", "resources": [{ "db": "logs", "collection": "events" }] },
                    { "action": "UNLOCK", "resources": [{ "cluster": true }] }
                ])
            );
            assert_eq!(ops["inheritedRoles"], json!([{ "role": "auditor", "db": "admin" }]));

            // No cycles: auditor cannot inherit ops-monitor, which inherits auditor.
            ui.click("[data-testid=role-row][data-role-name=auditor] [data-testid=role-edit]").await?;
            ui.click("[data-testid=add-row]").await?;
            ui.choose(&row(2, "[data-testid=row-category]"), "custom").await?;
            let ops = row(2, "[data-testid=row-option][data-item=ops-monitor]");
            assert!(disabled(&ui, &ops).await?, "a role that inherits auditor must not be offered to it");
            let why = ui
                .client
                .execute(
                    "return document.querySelector(arguments[0]).closest('label').title;",
                    vec![json!(ops)],
                )
                .await?;
            assert!(why.as_str().unwrap_or_default().contains("cycle"), "{why}");
            ui.click("[data-testid=role-dialog-cancel]").await?;

            // A name taken by someone else while the dialog is open: the server's refusal is shown on
            // the name, where its `errors[].field` points.
            ui.click("[data-testid=add-role]").await?;
            ui.type_into("[data-testid=role-name-input]", "late-comer").await?;
            ui.click(&row(1, "[data-testid=row-option][data-item=FIND]")).await?;
            ui.type_into(&row(1, "[data-testid=target-db]"), "logs").await?;
            ui.type_into(&row(1, "[data-testid=target-collection]"), "events").await?;
            api.create_custom_role(
                &group_id,
                &json!({ "roleName": "late-comer", "actions": [{ "action": "FIND", "resources": [{ "db": "a", "collection": "b" }] }] }),
            )
            .await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            let error = ui.find("[data-testid=role-name-error][data-error-code=DUPLICATE_ATLAS_CUSTOM_ROLE_NAME]").await?;
            assert!(error.text().await?.contains("already exists"));
            ui.click("[data-testid=role-dialog-cancel]").await?;

            // Nothing is sent while a rule is broken: an empty role is refused in the dialog.
            ui.click("[data-testid=add-role]").await?;
            ui.type_into("[data-testid=role-name-input]", "empty-one").await?;
            ui.record_requests().await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=rows-error]", "at least one action or inherited role").await?;
            assert!(ui.recorded_requests().await?.is_empty());
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn actions_newer_than_a_cluster_are_disabled_and_marked() {
    browser_test(
        "actions_newer_than_a_cluster_are_disabled_and_marked",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            // Before any cluster, every action can be chosen.
            ui.open(&roles_url(&group_id)).await?;
            ui.find("[data-testid=roles-empty]").await?;
            ui.click("[data-testid=add-role]").await?;
            let analyze = row(1, "[data-testid=row-option][data-item=ANALYZE_SHARD_KEY]");
            assert!(!disabled(&ui, &analyze).await?);
            ui.click("[data-testid=role-dialog-cancel]").await?;

            // The Clusters page (Project → Clusters in the sidebar): add a MongoDB 6.0 cluster.
            ui.click("[data-testid=nav-clusters]").await?;
            ui.find("[data-testid=clusters-empty]").await?;
            assert_eq!(ui.hash().await?, format!("#/projects/{group_id}/clusters"));
            ui.type_into("[data-testid=cluster-name]", "Cluster0").await?;
            ui.choose("[data-testid=cluster-version-select]", "6.0").await?;
            ui.click("[data-testid=add-cluster]").await?;
            ui.wait_text("[data-testid=clusters-outcome]", "Added Cluster0").await?;
            ui.wait_text("[data-testid=cluster-row] [data-testid=cluster-version]", "6.0").await?;
            // The core's cluster-name rule answers before anything is sent.
            ui.type_into("[data-testid=cluster-name]", "bad_name").await?;
            ui.click("[data-testid=add-cluster]").await?;
            ui.wait_text("[data-testid=cluster-error]", "letters, digits and hyphens").await?;
            ui.screenshot(&artifacts_dir().join("clusters-page.png")).await?;
            let clusters = api.clusters(&group_id).await?;
            assert_eq!(clusters.len(), 1, "{clusters:?}");
            assert_eq!(clusters[0]["mongoDBMajorVersion"], "6.0");

            // Back in the role dialog: analyzeShardKey (7.0) is disabled and marked.
            ui.click("[data-testid=nav-database-access]").await?;
            ui.click("[data-testid=tab-custom-roles]").await?;
            ui.wait_text("[data-testid=roles-version-note]", "Cluster0 runs MongoDB 6.0").await?;
            ui.click("[data-testid=add-role]").await?;
            ui.type_into(&row(1, "[data-testid=row-search]"), "shard").await?;
            assert!(disabled(&ui, &analyze).await?, "ANALYZE_SHARD_KEY must be disabled on a 6.0 project");
            let label = ui
                .client
                .execute(
                    "return document.querySelector(arguments[0]).closest('label').textContent;",
                    vec![json!(analyze)],
                )
                .await?;
            assert!(label.as_str().unwrap_or_default().contains("MongoDB 7.0+"), "{label}");
            // An action 6.0 has stays available.
            assert!(!disabled(&ui, &row(1, "[data-testid=row-option][data-item=RESHARD_COLLECTION]")).await?);
            ui.full_page_screenshot(&artifacts_dir().join("custom-role-version-disabled.png")).await?;
            ui.click("[data-testid=role-dialog-cancel]").await?;

            // A 4.4 cluster recorded while the dialog is open (which still offers reshardCollection,
            // 5.0+): the server refuses the role, and its error, about `actions[0]`, is shown on the row
            // item that made that action.
            ui.click("[data-testid=add-role]").await?;
            ui.type_into("[data-testid=role-name-input]", "resharder").await?;
            ui.click(&row(1, "[data-testid=row-option][data-item=RESHARD_COLLECTION]")).await?;
            ui.type_into(&row(1, "[data-testid=target-db]"), "app").await?;
            ui.type_into(&row(1, "[data-testid=target-collection]"), "items").await?;
            api.create_cluster(&group_id, "legacy", "4.4").await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            let error = ui
                .find(&row(1, "[data-testid=row-error][data-error-code=ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION]"))
                .await?;
            let says = error.text().await?;
            assert!(says.contains("RESHARD_COLLECTION") && says.contains("legacy"), "{says}");
            assert_eq!(error.attr("data-field").await?.as_deref(), Some("rows[0].items[0]"));
            assert!(api.custom_roles(&group_id).await?.is_empty());
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn delete_is_refused_while_another_role_needs_it_and_allowed_after() {
    browser_test(
        "delete_is_refused_while_another_role_needs_it_and_allowed_after",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let ca = Pki::new().root("/C=US/O=Acme/CN=Acme Users CA", 365);
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_custom_role(
                &group_id,
                &json!({ "roleName": "base", "actions": [{ "action": "FIND", "resources": [{ "db": "app", "collection": "items" }] }] }),
            )
            .await?;
            ui.open(&roles_url(&group_id)).await?;
            ui.wait_count(ROLE_ROW, 1).await?;

            // Opened while nothing depends on base; meanwhile another admin makes child, which inherits
            // only base: the server refuses, and the page says who is in the way.
            ui.click("[data-testid=role-row][data-role-name=base] [data-testid=role-delete]").await?;
            ui.wait_text("[data-testid=delete-nothing-depends]", "No role inherits base").await?;
            api.create_custom_role(
                &group_id,
                &json!({ "roleName": "child", "inheritedRoles": [{ "role": "base", "db": "admin" }] }),
            )
            .await?;
            ui.click("[data-testid=confirm-dialog-confirm]").await?;
            let refused = ui.find("[data-testid=roles-delete-refused]").await?;
            assert_eq!(
                refused.attr("data-error-code").await?.as_deref(),
                Some("CUSTOM_ROLE_IN_USE_BY_ROLES")
            );
            ui.wait_text("[data-testid=roles-delete-reason]", "would leave the role child with no parent roles or actions").await?;
            ui.screenshot(&artifacts_dir().join("custom-role-delete-refused.png")).await?;
            assert_eq!(api.custom_roles(&group_id).await?.len(), 2);

            // Opened again: before anything is sent, it says child would be left empty and Jane (whose
            // only role it is: a user with a custom role has no other) without roles, and Delete cannot
            // be pressed.
            let jane = "CN=Jane,O=Acme,C=US";
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": jane, "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "base", "databaseName": "admin"}]}),
            )
            .await?;
            ui.reload().await?;
            ui.wait_count(ROLE_ROW, 2).await?;
            ui.click("[data-testid=role-row][data-role-name=base] [data-testid=role-delete]").await?;
            let consequence = |kind: &str| format!("[data-testid=delete-consequence][data-kind={kind}]");
            ui.wait_text(&consequence("roles-left-empty"), "child").await?;
            ui.wait_text(&consequence("users-left-without-roles"), jane).await?;
            let confirm = ui.find("[data-testid=confirm-dialog-confirm]").await?;
            assert!(!confirm.is_enabled().await?, "Delete must be disabled while it would be refused");
            ui.screenshot(&artifacts_dir().join("custom-role-delete-consequences.png")).await?;
            ui.click("[data-testid=confirm-dialog-cancel]").await?;

            // child gets an action and Jane another role: child only loses base, and Delete goes through.
            api.patch(
                &format!("/groups/{group_id}/customDBRoles/roles/child"),
                &json!({"actions": [{ "action": "INSERT", "resources": [{ "db": "app", "collection": "items" }] }],
                        "inheritedRoles": [{ "role": "base", "db": "admin" }]}),
            )
            .await?;
            api.patch(
                &format!("/groups/{group_id}/databaseUsers/%24external/CN%3DJane%2CO%3DAcme%2CC%3DUS"),
                &json!({"roles": [{"roleName": "read", "databaseName": "sales"}]}),
            )
            .await?;
            ui.click("[data-testid=role-row][data-role-name=base] [data-testid=role-delete]").await?;
            ui.wait_text(&consequence("roles-losing-it"), "child").await?;
            assert!(!ui.is_shown(&consequence("roles-left-empty")).await?);
            assert!(!ui.is_shown(&consequence("users-left-without-roles")).await?);
            ui.click("[data-testid=confirm-dialog-confirm]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Deleted base").await?;
            ui.wait_count(ROLE_ROW, 1).await?;
            // What the dialog said happened: child no longer has base; Jane kept her role.
            let roles = api.custom_roles(&group_id).await?;
            assert_eq!(roles.len(), 1);
            assert_eq!(roles[0]["inheritedRoles"], json!([]), "{roles:?}");
            for user in api.users(&group_id).await? {
                assert_eq!(user["roles"], json!([{"roleName": "read", "databaseName": "sales"}]), "{user}");
            }
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_database_user_gets_a_custom_role() {
    browser_test(
        "a_database_user_gets_a_custom_role",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;

            // The role, made in the dialog.
            ui.open(&roles_url(&group_id)).await?;
            ui.click("[data-testid=add-role]").await?;
            ui.type_into("[data-testid=role-name-input]", "orders-reader")
                .await?;
            ui.click(&row(1, "[data-testid=row-option][data-item=FIND]"))
                .await?;
            ui.type_into(&row(1, "[data-testid=target-db]"), "sales")
                .await?;
            ui.type_into(&row(1, "[data-testid=target-collection]"), "orders")
                .await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Added orders-reader")
                .await?;

            // A user with it (a user with a custom role has no other role).
            ui.click("[data-testid=tab-database-users]").await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN=order-bot,O=Acme")
                .await?;
            ui.click("[data-testid=way-custom]").await?;
            ui.choose("[data-testid=custom-role-select]", "orders-reader")
                .await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Added").await?;
            let users = api.users(&group_id).await?;
            assert_eq!(users.len(), 1, "{users:?}");
            assert_eq!(
                users[0]["roles"],
                json!([{ "roleName": "orders-reader", "databaseName": "admin" }])
            );

            // Deleting the role would leave the user with no roles: the dialog says so, naming the
            // user, and Delete cannot be pressed.
            ui.click("[data-testid=tab-custom-roles]").await?;
            ui.click(
                "[data-testid=role-row][data-role-name=orders-reader] [data-testid=role-delete]",
            )
            .await?;
            ui.wait_text(
                "[data-testid=delete-consequence][data-kind=users-left-without-roles]",
                "CN=order-bot,O=Acme",
            )
            .await?;
            let confirm = ui.find("[data-testid=confirm-dialog-confirm]").await?;
            assert!(!confirm.is_enabled().await?, "Delete must be disabled");
            ui.click("[data-testid=confirm-dialog-cancel]").await?;
            assert_eq!(api.custom_roles(&group_id).await?.len(), 1);
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_cluster_a_user_is_restricted_to_cannot_be_deleted() {
    browser_test(
        "a_cluster_a_user_is_restricted_to_cannot_be_deleted",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            api.create_cluster(&group_id, "analytics", "8.0").await?;
            api.create_user(
                &group_id,
                &json!({
                    "databaseName": "$external",
                    "username": "CN=etl,O=Acme",
                    "x509Type": "CUSTOMER",
                    "roles": [{ "roleName": "read", "databaseName": "reports" }],
                    "scopes": [{ "name": "Cluster0", "type": "CLUSTER" }],
                }),
            )
            .await?;
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.wait_count("[data-testid=cluster-row]", 2).await?;

            ui.click_and_confirm("[data-testid=cluster-row][data-cluster-name=Cluster0] [data-testid=cluster-delete]").await?;
            ui.wait_text("[data-testid=api-error]", "CLUSTER_IN_USE").await?;
            ui.wait_count("[data-testid=cluster-row]", 2).await?;

            ui.click_and_confirm("[data-testid=cluster-row][data-cluster-name=analytics] [data-testid=cluster-delete]").await?;
            ui.wait_text("[data-testid=clusters-outcome]", "Deleted analytics").await?;
            ui.wait_count("[data-testid=cluster-row]", 1).await?;
            let clusters = api.clusters(&group_id).await?;
            assert_eq!(clusters.len(), 1, "{clusters:?}");
            assert_eq!(clusters[0]["name"], "Cluster0");
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn rows_and_databases_removed_in_the_dialog_are_what_is_saved() {
    browser_test(
        "rows_and_databases_removed_in_the_dialog_are_what_is_saved",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            api.create_custom_role(
                &group_id,
                &json!({
                    "roleName": "salesOps",
                    "actions": [{ "action": "FIND", "resources": [
                        { "db": "sales", "collection": "archive" },
                        { "db": "sales", "collection": "orders" }
                    ] }],
                    "inheritedRoles": [{ "role": "read", "db": "reports" }]
                }),
            )
            .await?;
            ui.open(&roles_url(&group_id)).await?;
            ui.click("[data-testid=role-edit]").await?;
            ui.wait_count("[data-testid=action-row]", 2).await?;
            ui.wait_count(&row(1, "[data-testid=target-row]"), 2).await?;

            // Remove sales.archive from the first row, and the whole second row (read@reports).
            ui.click(&row(1, "[data-testid=target-row]:nth-child(1 of [data-testid=target-row]) [data-testid=remove-target]")).await?;
            ui.wait_count(&row(1, "[data-testid=target-row]"), 1).await?;
            ui.click(&row(2, "[data-testid=remove-row]")).await?;
            ui.wait_count("[data-testid=action-row]", 1).await?;
            let shown = ui
                .client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=role-dialog] [data-testid=target-row]')]
                        .map(r => [r.querySelector('[data-testid=target-db]').value, r.querySelector('[data-testid=target-collection]').value]);",
                    vec![],
                )
                .await?;
            assert_eq!(shown, json!([["sales", "orders"]]));
            // A row added and removed again leaves nothing behind.
            ui.click("[data-testid=add-row]").await?;
            ui.wait_count("[data-testid=action-row]", 2).await?;
            ui.click(&row(2, "[data-testid=remove-row]")).await?;
            ui.wait_count("[data-testid=action-row]", 1).await?;

            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Updated salesOps").await?;
            let stored = api.custom_roles(&group_id).await?;
            assert_eq!(
                stored[0]["actions"],
                json!([{ "action": "FIND", "resources": [{ "db": "sales", "collection": "orders" }] }])
            );
            assert_eq!(stored[0]["inheritedRoles"], json!([]));
            ui.wait_text("[data-testid=role-summary-line]", "FIND on sales.orders").await?;
            Ok(())
        },
    )
    .await;
}
