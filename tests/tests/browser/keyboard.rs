//! The console with the keyboard alone: "Skip to content" first, and dialogs that take the focus,
//! keep it while Tab and Shift+Tab go round, close on Escape wherever the focus is, and give the focus
//! back to the control that opened them.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx, Error, Ui};
use test_support::pki::Pki;

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// Presses `keys` on whatever has the focus, as a keyboard does.
async fn press(ui: &Ui, keys: &str) -> Result<(), Error> {
    ui.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// `data-testid` (or id, or tag) of the focused element, and whether it is inside `container`.
async fn focus(ui: &Ui, container: &str) -> Result<(String, bool), Error> {
    let value = ui
        .client
        .execute(
            "const a = document.activeElement;
             const c = document.querySelector(arguments[0]);
             return [a.dataset.testid || a.id || a.tagName, !!c && c.contains(a)];",
            vec![json!(container)],
        )
        .await?;
    Ok(serde_json::from_value::<(String, bool)>(value)?)
}

#[tokio::test]
async fn dialogs_take_the_focus_keep_it_and_give_it_back() {
    browser_test(
        "dialogs_take_the_focus_keep_it_and_give_it_back",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=batch,O=Acme", "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "readAnyDatabase", "databaseName": "admin"}]}),
            )
            .await?;
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.find("[data-testid=user-row]").await?;

            // The first Tab reaches "Skip to content"; Enter puts the focus on the page itself.
            ui.client.execute("document.activeElement.blur(); return true;", vec![]).await?;
            press(&ui, TAB).await?;
            assert_eq!(focus(&ui, "body").await?.0, "skip-to-content");
            assert!(ui.is_shown("[data-testid=skip-to-content]").await?, "shown while focused");
            press(&ui, ENTER).await?;
            assert_eq!(focus(&ui, "body").await?.0, "page", "the focus is on <main>");

            // Enter on "Add New Database User": the focus is in the dialog, on the name.
            ui.client.execute("document.querySelector('[data-testid=add-user]').focus(); return true;", vec![]).await?;
            press(&ui, ENTER).await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.until("the focus on the name", "return document.activeElement.dataset.testid === 'user-dn-input';", vec![]).await?;
            // Tab goes round inside the dialog, never out of it.
            let mut seen = Vec::new();
            for _ in 0..40 {
                press(&ui, TAB).await?;
                let (at, inside) = focus(&ui, "[data-testid=user-dialog]").await?;
                assert!(inside, "Tab left the dialog for {at}");
                seen.push(at);
            }
            assert!(seen.iter().any(|s| s == "user-dialog-save"), "{seen:?}");
            assert!(seen.iter().filter(|s| *s == "user-dn-input").count() >= 2, "went round: {seen:?}");
            // Shift+Tab from the first control goes to the last.
            ui.client.execute("document.querySelector('[data-testid=user-dn-input]').focus(); return true;", vec![]).await?;
            press(&ui, SHIFT_TAB).await?;
            assert_eq!(focus(&ui, "[data-testid=user-dialog]").await?, ("user-dialog-save".to_owned(), true));
            // Escape closes it even with the focus on nothing in particular, and the focus returns.
            ui.client.execute("document.activeElement.blur(); return true;", vec![]).await?;
            press(&ui, ESCAPE).await?;
            ui.wait_count("[data-testid=user-dialog]", 0).await?;
            assert_eq!(focus(&ui, "body").await?.0, "add-user");

            // A confirmation starts on its safe choice, and Escape gives the focus back to Delete.
            ui.client.execute("document.querySelector('[data-testid=user-delete]').focus(); return true;", vec![]).await?;
            press(&ui, ENTER).await?;
            ui.find("[data-testid=confirm-dialog]").await?;
            ui.until("the focus on Cancel", "return document.activeElement.dataset.testid === 'confirm-dialog-cancel';", vec![]).await?;
            ui.screenshot(&artifacts_dir().join("keyboard-confirm-dialog.png")).await?;
            press(&ui, ESCAPE).await?;
            ui.wait_count("[data-testid=confirm-dialog]", 0).await?;
            assert_eq!(focus(&ui, "body").await?.0, "user-delete");
            assert_eq!(api.users(&group_id).await?.len(), 1, "Escape deleted nothing");
            Ok(())
        },
    )
    .await;
}
