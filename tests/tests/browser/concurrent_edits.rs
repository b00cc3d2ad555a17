//! Two people editing the same thing: the page opened before the other change is saved, the server
//! answers 412, and the editor shows what changed and lets the user reload or apply their edit anyway —
//! for a database user and for the CA bundle, against the real server.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx, Error, Ui};
use test_support::pki::Pki;

const JANE: &str = "CN=Jane Doe,O=Acme";
const JANE_PATH: &str = "CN%3DJane%20Doe%2CO%3DAcme";

/// The value of the input matching `css`.
async fn value_of(ui: &Ui, css: &str) -> Result<String, Error> {
    let value = ui
        .until(
            &format!("the value of {css}"),
            "const e = document.querySelector(arguments[0]); return e ? e.value : null;",
            vec![json!(css)],
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// The `If-Match` of each PATCH recorded since `record_requests` (each an entity tag).
async fn sent_if_match(ui: &Ui) -> Result<Vec<String>, Error> {
    let requests = ui.recorded_requests().await?;
    let tags: Vec<String> = requests
        .iter()
        .filter(|r| r["method"] == "PATCH")
        .map(|r| r["ifMatch"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        tags.iter().all(|t| t.starts_with('"') && t.ends_with('"')),
        "{requests:?}"
    );
    Ok(tags)
}

#[tokio::test]
async fn a_user_changed_meanwhile_shows_the_change_then_reload_or_apply() {
    browser_test(
        "a_user_changed_meanwhile_shows_the_change_then_reload_or_apply",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": JANE, "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "readWrite", "databaseName": "sales"}]}),
            )
            .await?;
            let user_path = format!("/groups/{group_id}/databaseUsers/%24external/{JANE_PATH}");

            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.wait_count("[data-testid=user-row]", 1).await?;
            ui.click("[data-testid=user-edit]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.type_into("[data-testid=user-description]", "billing batch").await?;

            // Meanwhile another admin gives Jane read instead of readWrite.
            api.patch(
                &user_path,
                &json!({"roles": [{"roleName": "read", "databaseName": "sales"}]}),
            )
            .await?;

            ui.record_requests().await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text(
                "[data-testid=edit-conflict-change]",
                "roles: readWrite@sales → read@sales",
            )
            .await?;
            ui.wait_text("[data-testid=edit-conflict-mine]", "description changed")
                .await?;
            assert_eq!(sent_if_match(&ui).await?.len(), 1);
            ui.full_page_screenshot(&artifacts_dir().join("user-edit-conflict.png"))
                .await?;
            // Nothing was saved, and what the user typed is still there.
            let stored = api.get(&user_path).await?;
            assert!(stored.get("description").is_none(), "{stored}");
            assert_eq!(stored["roles"][0]["roleName"], "read");
            assert_eq!(
                value_of(&ui, "[data-testid=user-description]").await?,
                "billing batch"
            );

            // Apply anyway: the description (changed here) is saved on top of the other change.
            ui.click("[data-testid=edit-conflict-apply]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Updated").await?;
            let stored = api.get(&user_path).await?;
            assert_eq!(stored["description"], "billing batch", "{stored}");
            assert_eq!(
                stored["roles"],
                json!([{"roleName": "read", "databaseName": "sales"}])
            );
            ui.wait_text("[data-testid=role-chip]", "read@sales").await?;
            // The second PATCH was sent with the current version's tag.
            let tags = sent_if_match(&ui).await?;
            assert!(tags.len() == 2 && tags[0] != tags[1], "{tags:?}");

            // Again, and this time reload: the edit is dropped, the dialog shows the current version.
            ui.click("[data-testid=user-edit]").await?;
            ui.type_into("[data-testid=user-description]", "to be dropped")
                .await?;
            api.patch(&user_path, &json!({"description": "set elsewhere"}))
                .await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "description changed")
                .await?;
            ui.click("[data-testid=edit-conflict-reload]").await?;
            ui.until(
                "the dialog to show the current description",
                "const e = document.querySelector('[data-testid=user-description]');
                 return e && e.value === 'set elsewhere' && !document.querySelector('[data-testid=edit-conflict]');",
                vec![],
            )
            .await?;
            // Saving the reloaded version goes through (its tag is the current one).
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Updated").await?;
            let tags = sent_if_match(&ui).await?;
            assert!(tags.len() == 4 && tags[2] != tags[3], "{tags:?}");
            let stored = api.get(&user_path).await?;
            assert_eq!(stored["description"], "set elsewhere", "{stored}");
            assert_eq!(stored["roles"][0]["roleName"], "read");
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_ca_bundle_changed_meanwhile_shows_the_change_then_reload_or_apply() {
    browser_test(
        "a_ca_bundle_changed_meanwhile_shows_the_change_then_reload_or_apply",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let a = pki.root("/O=Acme/CN=Root A", 365);
            let b = pki.root("/O=Acme/CN=Root B", 365);
            let c = pki.root("/O=Acme/CN=Root C", 365);
            let d = pki.root("/O=Acme/CN=Root D", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &a.pem).await?;

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.click("[data-testid=x509-settings]").await?;
            ui.wait_count("[data-testid=certificate-card]", 1).await?;
            let mine = format!("{}{}", a.pem, b.pem);
            ui.choose("[data-testid=bundle-text]", &mine).await?;
            ui.wait_count("[data-testid=certificate-card]", 2).await?;

            // Meanwhile another admin adds C.
            let theirs = format!("{}{}", a.pem, c.pem);
            api.save_cas(&group_id, &theirs).await?;

            ui.record_requests().await?;
            ui.click("[data-testid=bundle-save]").await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "CA added: CN=Root C,O=Acme")
                .await?;
            ui.wait_text("[data-testid=edit-conflict-mine]", "CA added: CN=Root B,O=Acme")
                .await?;
            assert_eq!(sent_if_match(&ui).await?.len(), 1);
            assert_eq!(api.stored_cas(&group_id).await?.as_deref(), Some(theirs.as_str()));

            // Apply anyway: the text in the editor is saved.
            ui.click("[data-testid=edit-conflict-apply]").await?;
            ui.wait_text("[data-testid=x509-saved]", "Saved: 2 CA certificates")
                .await?;
            assert_eq!(api.stored_cas(&group_id).await?.as_deref(), Some(mine.as_str()));

            // Again, and reload: the editor shows the stored bundle, and saving it goes through.
            ui.click("[data-testid=x509-settings]").await?;
            ui.wait_count("[data-testid=certificate-card]", 2).await?;
            ui.choose("[data-testid=bundle-text]", &a.pem).await?;
            ui.wait_count("[data-testid=certificate-card]", 1).await?;
            let theirs = format!("{}{}", a.pem, d.pem);
            api.save_cas(&group_id, &theirs).await?;
            ui.click("[data-testid=bundle-save]").await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "CA added: CN=Root D,O=Acme")
                .await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "CA removed: CN=Root B,O=Acme")
                .await?;
            ui.click("[data-testid=edit-conflict-reload]").await?;
            ui.until(
                "the editor to show the stored bundle",
                "const e = document.querySelector('[data-testid=bundle-text]');
                 return e && e.value === arguments[0] && !document.querySelector('[data-testid=edit-conflict]');",
                vec![json!(theirs)],
            )
            .await?;
            ui.click("[data-testid=bundle-save]").await?;
            ui.wait_text("[data-testid=x509-saved]", "Saved: 2 CA certificates")
                .await?;
            assert_eq!(api.stored_cas(&group_id).await?.as_deref(), Some(theirs.as_str()));
            // Four PATCHes: stale, applied with the new tag, stale again, the reloaded one.
            let tags = sent_if_match(&ui).await?;
            assert!(tags.len() == 4 && tags[0] != tags[1] && tags[2] != tags[3], "{tags:?}");
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_role_changed_meanwhile_shows_the_change_then_reload_or_apply() {
    browser_test(
        "a_role_changed_meanwhile_shows_the_change_then_reload_or_apply",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let orders = json!([{"db": "sales", "collection": "orders"}]);
            api.create_custom_role(
                &group_id,
                &json!({"roleName": "analyst", "actions": [
                    {"action": "FIND", "resources": orders}, {"action": "INSERT", "resources": orders}]}),
            )
            .await?;
            let role_path = format!("/groups/{group_id}/customDBRoles/roles/analyst");

            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=tab-custom-roles]").await?;
            ui.click("[data-testid=role-edit]").await?;
            ui.find("[data-testid=role-dialog]").await?;
            ui.click("[data-testid=row-item-chip][data-item=INSERT] [data-testid=row-item-remove]")
                .await?;
            ui.wait_count("[data-testid=row-item-chip][data-item=INSERT]", 0).await?;

            // Meanwhile another admin makes the role inherit read@admin.
            api.patch(&role_path, &json!({"inheritedRoles": [{"role": "read", "db": "admin"}]}))
                .await?;

            ui.record_requests().await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "added inherits read@admin")
                .await?;
            ui.wait_text("[data-testid=edit-conflict-mine]", "removed INSERT on sales.orders")
                .await?;
            assert_eq!(sent_if_match(&ui).await?.len(), 1);
            let stored = api.get(&role_path).await?;
            assert_eq!(stored["actions"].as_array().map(Vec::len), Some(2), "{stored}");

            // Apply anyway: INSERT goes (changed here), the inherited role stays (changed there).
            ui.click("[data-testid=edit-conflict-apply]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Updated analyst").await?;
            let stored = api.get(&role_path).await?;
            assert_eq!(
                stored["actions"],
                json!([{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]),
                "{stored}"
            );
            assert_eq!(stored["inheritedRoles"], json!([{"role": "read", "db": "admin"}]));

            // Again, and reload: the dialog reopens on the current role.
            ui.click("[data-testid=role-edit]").await?;
            ui.wait_count("[data-testid=action-row]", 2).await?;
            api.patch(&role_path, &json!({"inheritedRoles": []})).await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=edit-conflict-change]", "removed inherits read@admin")
                .await?;
            ui.click("[data-testid=edit-conflict-reload]").await?;
            ui.wait_count("[data-testid=edit-conflict]", 0).await?;
            ui.wait_count("[data-testid=action-row]", 1).await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            ui.wait_text("[data-testid=roles-outcome]", "Updated analyst").await?;
            let stored = api.get(&role_path).await?;
            assert_eq!(stored["inheritedRoles"], json!([]), "{stored}");
            assert_eq!(stored["actions"].as_array().map(Vec::len), Some(1), "{stored}");
            Ok(())
        },
    )
    .await;
}
