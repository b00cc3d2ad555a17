//! Notices and field errors for screen readers and for the eye (issue 21, item 5): success notices in a
//! live region that is on the page before they come; a field's errors named by its `aria-describedby`;
//! a refusal over a field (the page's own or the server's) brings that field into view, focused.

use serde_json::json;

use crate::harness::{browser_test, Ctx, Error, Ui};

/// Whether the focused element is `css`, is `aria-invalid`, is described by an element that holds
/// `text`, and is inside the window.
async fn focused_invalid_field_says(ui: &Ui, css: &str, text: &str) -> Result<(), Error> {
    ui.until(
        &format!("{css} focused, invalid, described by {text:?} and in view"),
        "const f = document.querySelector(arguments[0]);
         if (!f || document.activeElement !== f || f.getAttribute('aria-invalid') !== 'true') return false;
         const ids = (f.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
         const said = ids.map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ');
         if (!said.includes(arguments[1])) return false;
         const r = f.getBoundingClientRect();
         return r.top >= 0 && r.bottom <= window.innerHeight;",
        vec![json!(css), json!(text)],
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn field_errors_are_tied_to_their_field_and_brought_into_view_and_notices_are_live() {
    browser_test(
        "field_errors_are_tied_to_their_field_and_brought_into_view_and_notices_are_live",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            ui.client.set_window_size(1400, 700).await?;
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.wait_text("[data-testid=clusters-page]", "Cluster0").await?;
            // The live region is there, empty, before anything is announced in it.
            let live = "[data-testid=clusters-live][aria-live=polite]";
            assert_eq!(ui.text(live).await?.trim(), "");

            // The page's own check: a name taken.
            ui.type_into("[data-testid=cluster-name]", "Cluster0").await?;
            ui.client.execute("window.scrollTo(0, document.body.scrollHeight); return true;", vec![]).await?;
            ui.find("[data-testid=add-cluster]").await?.click().await?;
            focused_invalid_field_says(&ui, "[data-testid=cluster-name]", "Cluster0").await?;

            // The server's: a cluster added elsewhere after the page read the list.
            api.create_cluster(&group_id, "Cluster9", "8.0").await?;
            ui.type_into("[data-testid=cluster-name]", "Cluster9").await?;
            ui.client.execute("document.activeElement.blur(); window.scrollTo(0, document.body.scrollHeight); return true;", vec![]).await?;
            ui.find("[data-testid=add-cluster]").await?.click().await?;
            ui.wait_text("[data-testid=cluster-error][data-field=name]", "Cluster9").await?;
            focused_invalid_field_says(&ui, "[data-testid=cluster-name]", "Cluster9").await?;

            // Fixed: the field is no longer invalid, and the success is said in the live region.
            ui.type_into("[data-testid=cluster-name]", "Cluster1").await?;
            ui.click("[data-testid=add-cluster]").await?;
            ui.wait_text(&format!("{live} [data-testid=clusters-outcome]"), "Cluster1").await?;
            let field = ui.find("[data-testid=cluster-name]").await?;
            assert_eq!(field.attr("aria-invalid").await?.as_deref(), Some("false"));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_user_and_role_dialogs_bring_the_refused_field_into_view_focused_and_described() {
    browser_test(
        "the_user_and_role_dialogs_bring_the_refused_field_into_view_focused_and_described",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let ca = test_support::pki::Pki::new().root("/O=Acme/CN=Acme Users CA", 365);
            api.save_cas(&group_id, &ca.pem).await?;
            ui.client.set_window_size(1400, 700).await?;
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;

            // The core's rule on a privilege row: the row's database input is named invalid, described
            // by the row's errors, focused and in view; nothing is sent.
            ui.type_into("[data-testid=user-dn-input]", "CN=ops,O=Acme")
                .await?;
            ui.click("[data-testid=way-specific]").await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            ui.choose("[data-testid=privilege-role]", "dbAdminAnyDatabase")
                .await?;
            ui.type_into("[data-testid=privilege-database]", "local")
                .await?;
            ui.client
                .execute("document.activeElement.blur(); return true;", vec![])
                .await?;
            ui.record_requests().await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            focused_invalid_field_says(
                &ui,
                "[data-testid=privilege-database]",
                "local and config databases are excluded",
            )
            .await?;
            assert!(ui.recorded_requests().await?.is_empty());

            // The server's: the same name added elsewhere meanwhile. The refusal names `username`, so
            // the name field says it, and is focused.
            ui.type_into("[data-testid=privilege-database]", "sales")
                .await?;
            api.create_user(
                &group_id,
                &json!({
                    "databaseName": "$external",
                    "username": "CN=ops,O=Acme",
                    "x509Type": "CUSTOMER",
                    "roles": [{ "roleName": "read", "databaseName": "sales" }],
                }),
            )
            .await?;
            ui.client
                .execute("document.activeElement.blur(); return true;", vec![])
                .await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=user-dn-server-error]", "already exists")
                .await?;
            focused_invalid_field_says(&ui, "[data-testid=user-dn-input]", "already exists")
                .await?;
            ui.click("[data-testid=user-dialog-cancel]").await?;

            // The role dialog: a built-in role's name is refused by the core's rule; Save focuses the
            // name, described by its error.
            ui.open(&format!("#/projects/{group_id}/database-access/roles"))
                .await?;
            ui.click("[data-testid=add-role]").await?;
            ui.find("[data-testid=role-dialog]").await?;
            ui.type_into("[data-testid=role-name-input]", "read")
                .await?;
            ui.client
                .execute("document.activeElement.blur(); return true;", vec![])
                .await?;
            ui.click("[data-testid=role-dialog-save]").await?;
            focused_invalid_field_says(&ui, "[data-testid=role-name-input]", "built-in").await?;
            Ok(())
        },
    )
    .await;
}
