//! Security → Drift and the Export menu of Database Access: the one-liner is shown, a pasted deployment
//! state is compared with the project (each side, the differences, the fix), a deployment-only user is
//! adopted through the normal API, and the Export menu offers every format.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

#[tokio::test]
async fn drift_shows_each_side_adopts_a_user_and_export_offers_every_format() {
    browser_test(
        "drift_shows_each_side_adopts_a_user_and_export_offers_every_format",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Drift CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_custom_role(
                &group_id,
                &json!({"roleName": "analyst", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]}),
            )
            .await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=Jane Doe,O=Acme", "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "analyst", "databaseName": "admin"}]}),
            )
            .await?;

            // The Export menu lists every format.
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=export-menu] summary").await?;
            for format in ["mongosh", "terraform", "ca-bundle", "mongod-conf", "json"] {
                ui.find(&format!("[data-testid=export-{format}]")).await?;
            }
            let dir = artifacts_dir().join("drift");
            ui.screenshot(&dir.join("export-menu-1440.png")).await?;

            ui.open(&format!("#/projects/{group_id}/drift")).await?;
            ui.wait_text("h1", "Drift").await?;
            ui.wait_text("[data-testid=drift-one-liner]", "EJSON.stringify").await?;
            // Not JSON: said at once, with where.
            ui.type_into("[data-testid=drift-paste]", "{users: oops").await?;
            ui.click("[data-testid=drift-compare]").await?;
            ui.wait_text("[data-testid=drift-not-json]", "line 1, column").await?;

            let state = json!({
                "users": {"users": [
                    {"user": "CN=Jane Doe,O=Acme", "db": "$external", "roles": [{"role": "analyst", "db": "admin"}, {"role": "root", "db": "admin"}]},
                    {"user": "CN=Stranger,O=Acme", "db": "$external", "roles": [{"role": "read", "db": "sales"}]}
                ], "ok": 1},
                "roles": {"roles": [
                    {"role": "analyst", "db": "admin", "isBuiltin": false, "roles": [],
                     "privileges": [{"resource": {"db": "sales", "collection": "orders"}, "actions": ["find", "remove"]}]}
                ], "ok": 1}
            });
            ui.type_into("[data-testid=drift-paste]", &state.to_string()).await?;
            ui.click("[data-testid=drift-compare]").await?;
            ui.wait_text("[data-testid=drift-only-deployment]", "CN=Stranger,O=Acme").await?;
            ui.wait_text("[data-testid=drift-different]", "remove on sales.orders: only in the deployment").await?;
            ui.wait_text("[data-testid=drift-different]", "role root@admin: only in the deployment").await?;
            ui.wait_text("[data-testid=drift-fix]", "updateRole(\"analyst\"").await?;
            ui.screenshot(&dir.join("drift-1440.png")).await?;
            ui.client.set_window_size(360, 900).await?;
            ui.screenshot(&dir.join("drift-360.png")).await?;
            ui.client.set_window_size(1440, 1000).await?;

            ui.click("[data-testid=drift-adopt]").await?;
            ui.wait_text("[data-testid=drift-only-deployment]", "Adopted.").await?;
            let users = api.users(&group_id).await?;
            assert!(
                users.iter().any(|u| u["username"] == "CN=Stranger,O=Acme"
                    && u["roles"] == json!([{"roleName": "read", "databaseName": "sales"}])),
                "{users:?}"
            );
            Ok(())
        },
    )
    .await;
}
