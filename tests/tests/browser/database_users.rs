//! Database Users: adding a certificate user by typing its name or by dropping its certificate, editing
//! its roles, a forbidden combination, deleting it, and what the page says when X.509 is off — in
//! Chromium, against the real server and database.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

const ROW: &str = "[data-testid=user-row]";

#[tokio::test]
async fn add_a_user_by_typing_its_name_edit_its_roles_and_delete_it() {
    browser_test(
        "add_a_user_by_typing_its_name_edit_its_roles_and_delete_it",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;

            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.wait_text("[data-testid=users-empty]", "No database users yet").await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;

            // A name typed as people do: lower-case type, spaces after commas.
            ui.type_into("[data-testid=user-dn-input]", "cn=Jane Doe, OU=Billing,  O=Acme").await?;
            ui.wait_text("[data-testid=user-dn-canonical]", "CN=Jane Doe,OU=Billing,O=Acme").await?;
            ui.find("[data-testid=user-dn-preview]").await?;
            // A mistake is shown with its position, and goes away when fixed.
            ui.type_into("[data-testid=user-dn-input]", "CN=Jane Doe,OU").await?;
            ui.wait_text("[data-testid=user-dn-error]", "character").await?;
            ui.type_into("[data-testid=user-dn-input]", "cn=Jane Doe, OU=Billing,  O=Acme").await?;
            ui.wait_text("[data-testid=user-dn-canonical]", "CN=Jane Doe,OU=Billing,O=Acme").await?;

            // Specific privileges: readWrite on sales.orders.
            ui.click("[data-testid=way-specific]").await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            ui.choose("[data-testid=privilege-role]", "readWrite").await?;
            ui.type_into("[data-testid=privilege-database]", "sales").await?;
            ui.type_into("[data-testid=privilege-collection]", "orders").await?;
            ui.full_page_screenshot(&artifacts_dir().join("add-user-dialog.png")).await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Added CN=Jane Doe,OU=Billing,O=Acme").await?;
            ui.wait_count(ROW, 1).await?;
            ui.wait_text("[data-testid=user-cn]", "Jane Doe").await?;
            ui.wait_text("[data-testid=role-chip]", "readWrite@sales.orders").await?;

            let stored = api.users(&group_id).await?;
            assert_eq!(stored.len(), 1, "{stored:?}");
            assert_eq!(stored[0]["username"], "CN=Jane Doe,OU=Billing,O=Acme");
            assert_eq!(stored[0]["databaseName"], "$external");
            assert_eq!(stored[0]["x509Type"], "CUSTOMER");
            assert_eq!(
                stored[0]["roles"],
                json!([{ "roleName": "readWrite", "databaseName": "sales", "collectionName": "orders" }])
            );

            // A forbidden combination: dbAdminAnyDatabase cannot be granted on local. The core's rule
            // answers in the dialog, and nothing is sent.
            ui.click("[data-testid=user-edit]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.choose("[data-testid=privilege-role]", "dbAdminAnyDatabase").await?;
            ui.type_into("[data-testid=privilege-database]", "local").await?;
            ui.record_requests().await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=privilege-row-error]", "local and config databases are excluded").await?;
            assert!(ui.recorded_requests().await?.is_empty());

            // Edit: switch to a built-in role, make it a temporary user with a description.
            ui.click("[data-testid=way-built-in]").await?;
            ui.click("[data-testid=built-in-readAnyDatabase]").await?;
            ui.choose("[data-testid=user-temporary]", "86400").await?;
            ui.type_into("[data-testid=user-description]", "billing batch").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Updated").await?;
            ui.wait_text("[data-testid=role-chip]", "readAnyDatabase@admin").await?;
            let stored = api.users(&group_id).await?;
            assert_eq!(
                stored[0]["roles"],
                json!([{ "roleName": "readAnyDatabase", "databaseName": "admin" }])
            );
            assert_eq!(stored[0]["description"], "billing batch");
            let expiry = stored[0]["deleteAfterDate"].as_str().unwrap_or_default().to_owned();
            assert!(expiry.starts_with("20"), "{stored:?}");
            // Shown in the console's one format, with what is left (a 1-day temporary user).
            let shown = access_core::time::display_rfc3339(&expiry);
            ui.wait_text("td.temporary", &shown).await?;
            let cell = ui.text("td.temporary").await?;
            assert!(
                cell.ends_with(&format!("{shown} (1 day left)"))
                    || cell.ends_with(&format!("{shown} (less than a day left)")),
                "{cell:?}"
            );

            // Edit again: permanent, no description (both cleared on the server, not left as they were).
            ui.click("[data-testid=user-edit]").await?;
            ui.choose("[data-testid=user-temporary]", "never").await?;
            // Emptied as a user would, with an `input` event (WebDriver's clear() sends none).
            ui.choose("[data-testid=user-description]", "").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Updated").await?;
            let stored = api.users(&group_id).await?;
            assert!(stored[0].get("deleteAfterDate").is_none(), "{stored:?}");
            assert!(stored[0].get("description").is_none(), "{stored:?}");

            // The same name typed another way is a duplicate: the server's 409 is shown.
            ui.click("[data-testid=add-user]").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN = Jane Doe , OU = Billing , O = Acme").await?;
            // (A new user has no privilege until one is chosen.)
            ui.click("[data-testid=built-in-readAnyDatabase]").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=api-error]", "DUPLICATE_DATABASE_USERNAME").await?;
            ui.click("[data-testid=user-dialog-cancel]").await?;

            // Delete, after confirmation; a reload shows the same.
            ui.click_and_confirm("[data-testid=user-delete]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Deleted").await?;
            ui.reload().await?;
            ui.wait_text("[data-testid=users-empty]", "No database users yet").await?;
            assert!(api.users(&group_id).await?.is_empty());
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn dropping_a_client_certificate_fills_the_name_and_names_its_ca() {
    browser_test(
        "dropping_a_client_certificate_fills_the_name_and_names_its_ca",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let other_ca = pki.root("/C=US/O=Elsewhere/CN=Elsewhere CA", 365);
            let payments = pki.client(&ca, "/C=US/O=Acme/OU=Payments/CN=payments-batch", 30);
            let stranger = pki.client(&other_ca, "/C=US/O=Elsewhere/CN=stranger", 30);
            let expired = pki.client(&ca, "/C=US/O=Acme/CN=old-job", -1);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            let zone = "[data-testid=client-cert-drop-zone]";

            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;

            ui.drop_file_on(zone, "payments.pem", "application/x-pem-file", payments.pem.as_bytes()).await?;
            ui.wait_text("[data-testid=client-cert-subject]", &payments.subject()).await?;
            ui.until(
                "the name to be filled in from the certificate",
                "return document.querySelector('[data-testid=user-dn-input]').value === arguments[0];",
                vec![json!(payments.subject())],
            )
            .await?;
            // The signature, checked in the worker's Wasm, names the CA.
            ui.find("[data-testid=client-cert-issuer][data-verdict=verified]").await?;
            ui.wait_text("[data-testid=client-cert-issuer]", &ca.subject()).await?;
            ui.full_page_screenshot(&artifacts_dir().join("add-user-dropped-certificate.png")).await?;

            ui.drop_file_on(zone, "stranger.pem", "application/x-pem-file", stranger.pem.as_bytes()).await?;
            ui.find("[data-testid=client-cert-issuer][data-verdict=none]").await?;
            ui.wait_text("[data-testid=client-cert-issuer]", "None of the project's CAs issued it").await?;

            // The same name as the project's CA, another key: found out by the signature.
            let impostor_ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let impostor = pki.client(&impostor_ca, "/C=US/O=Acme/CN=impostor", 30);
            ui.drop_file_on(zone, "impostor.pem", "application/x-pem-file", impostor.pem.as_bytes()).await?;
            ui.find("[data-testid=client-cert-issuer][data-verdict=not-signed]").await?;

            let mut with_key = std::fs::read_to_string(&expired.key)?;
            with_key.push_str(&expired.pem);
            ui.drop_file_on(zone, "old-job.pem", "application/x-pem-file", with_key.as_bytes()).await?;
            ui.wait_text("[data-testid=client-cert-validity]", "Expired on").await?;
            ui.find("[data-testid=client-cert-key-note]").await?;

            // Back to the payments certificate (as DER), and add the user with a built-in role.
            ui.drop_file_on(zone, "payments.cer", "application/pkix-cert", &pki.der(&payments)).await?;
            ui.find("[data-testid=client-cert-issuer][data-verdict=verified]").await?;
            ui.record_requests().await?;
            ui.click("[data-testid=built-in-readWriteAnyDatabase]").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_count(ROW, 1).await?;
            ui.wait_text("[data-testid=user-cn]", "payments-batch").await?;
            // Nothing of the certificate files was sent: one POST with the name and roles.
            let requests = ui.recorded_requests().await?;
            let posts: Vec<_> = requests.iter().filter(|r| r["method"] == "POST").collect();
            assert_eq!(posts.len(), 1, "{requests:?}");
            let body = posts[0]["body"].as_str().unwrap_or_default();
            assert!(!body.contains("BEGIN"), "{body}");
            let stored = api.users(&group_id).await?;
            assert_eq!(stored[0]["username"], payments.subject());
            assert_eq!(
                stored[0]["roles"],
                json!([{ "roleName": "readWriteAnyDatabase", "databaseName": "admin" }])
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn without_x509_the_tab_says_how_to_start() {
    browser_test(
        "without_x509_the_tab_says_how_to_start",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.wait_text(
                "[data-testid=users-empty]",
                "Turn on self-managed X.509 first",
            )
            .await?;
            let add = ui.find("[data-testid=add-user]").await?;
            assert!(
                add.attr("disabled").await?.is_some(),
                "Add must be disabled while X.509 is off"
            );
            ui.click("[data-testid=users-empty-advanced]").await?;
            ui.find("[data-testid=x509-off]").await?;
            assert!(ui.hash().await?.ends_with("/advanced"));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn many_users_are_paged_and_searched_as_you_type() {
    browser_test(
        "many_users_are_paged_and_searched_as_you_type",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            for n in 0..120 {
                api.create_user(
                    &group_id,
                    &json!({
                        "databaseName": "$external",
                        "username": format!("CN=svc-{n:03},OU=Batch,O=Acme"),
                        "x509Type": "CUSTOMER",
                        "roles": [{ "roleName": "read", "databaseName": "reports" }],
                    }),
                )
                .await?;
            }
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.wait_count(ROW, 50).await?;
            ui.wait_text("[data-testid=users-summary]", "1–50 of 120")
                .await?;
            ui.click("[data-testid=users-next]").await?;
            ui.wait_text("[data-testid=users-summary]", "51–100 of 120")
                .await?;
            ui.wait_text("[data-testid=user-cn]", "svc-050").await?;
            ui.type_into("[data-testid=users-search]", "svc-11").await?;
            ui.wait_text("[data-testid=users-summary]", "1–10 of 10")
                .await?;
            ui.wait_count(ROW, 10).await?;
            ui.type_into("[data-testid=users-search]", "nobody").await?;
            ui.wait_text("[data-testid=users-no-match]", "nobody")
                .await?;
            Ok(())
        },
    )
    .await;
}

/// What the Specific Privileges rows show, as `[role, database, collection]` per row, read off the page.
const SHOWN_ROWS: &str =
    "return [...document.querySelectorAll('[data-testid=privilege-row]')].map(r => [
    r.querySelector('[data-testid=privilege-role]').value,
    r.querySelector('[data-testid=privilege-database]').value,
    r.querySelector('[data-testid=privilege-collection]').value]);";

fn row(index: usize, testid: &str) -> String {
    format!("[data-testid=privilege-row][data-field='roles[{index}]'] [data-testid={testid}]")
}

#[tokio::test]
async fn privilege_rows_on_screen_are_what_is_saved() {
    browser_test(
        "privilege_rows_on_screen_are_what_is_saved",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN=reports,O=Acme").await?;

            // A new user starts with no privilege: nothing is checked, and Add without a choice is
            // refused in the dialog, with nothing sent.
            ui.find("[data-testid=no-privilege-yet]").await?;
            let checked = ui
                .until("the built-in roles", "return document.querySelectorAll('[name=built-in-role]').length > 0 && [...document.querySelectorAll('[name=built-in-role]')].filter(e => e.checked).length + 1;", vec![])
                .await?;
            assert_eq!(checked, json!(1), "no built-in role is chosen at first");
            ui.record_requests().await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=privileges-error]", "a database user needs at least one role").await?;
            assert!(ui.recorded_requests().await?.is_empty());

            // Rows added are shown at once, a removed row goes from the screen, and what is shown is
            // what the server stores.
            ui.click("[data-testid=way-specific]").await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            ui.type_into(&row(0, "privilege-database"), "sales").await?;
            ui.type_into(&row(0, "privilege-collection"), "orders").await?;
            ui.click("[data-testid=privilege-add]").await?;
            ui.wait_count("[data-testid=privilege-row]", 2).await?;
            ui.choose(&row(1, "privilege-role"), "read").await?;
            ui.type_into(&row(1, "privilege-database"), "reports").await?;
            ui.click("[data-testid=privilege-add]").await?;
            ui.wait_count("[data-testid=privilege-row]", 3).await?;
            ui.type_into(&row(2, "privilege-database"), "audit").await?;
            ui.click(&row(0, "privilege-remove")).await?;
            ui.wait_count("[data-testid=privilege-row]", 2).await?;
            let shown = ui.client.execute(SHOWN_ROWS, vec![]).await?;
            assert_eq!(shown, json!([["read", "reports", ""], ["readWrite", "audit", ""]]));
            ui.full_page_screenshot(&artifacts_dir().join("add-user-privilege-rows.png")).await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_count(ROW, 1).await?;
            let stored = api.users(&group_id).await?;
            assert_eq!(
                stored[0]["roles"],
                json!([
                    { "roleName": "read", "databaseName": "reports" },
                    { "roleName": "readWrite", "databaseName": "audit" }
                ])
            );

            // Edit: Remove takes the row off the screen, and the update stores exactly what is left.
            ui.click("[data-testid=user-edit]").await?;
            ui.wait_count("[data-testid=privilege-row]", 2).await?;
            ui.click(&row(0, "privilege-remove")).await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            let shown = ui.client.execute(SHOWN_ROWS, vec![]).await?;
            assert_eq!(shown, json!([["readWrite", "audit", ""]]));
            ui.click("[data-testid=privilege-add]").await?;
            ui.wait_count("[data-testid=privilege-row]", 2).await?;
            ui.choose(&row(1, "privilege-role"), "dbAdmin").await?;
            ui.type_into(&row(1, "privilege-database"), "sales").await?;
            let shown = ui.client.execute(SHOWN_ROWS, vec![]).await?;
            assert_eq!(shown, json!([["readWrite", "audit", ""], ["dbAdmin", "sales", ""]]));
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Updated").await?;
            let stored = api.users(&group_id).await?;
            assert_eq!(
                stored[0]["roles"],
                json!([
                    { "roleName": "readWrite", "databaseName": "audit" },
                    { "roleName": "dbAdmin", "databaseName": "sales" }
                ])
            );
            ui.wait_count("[data-testid=role-chip]", 2).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn openssls_other_name_forms_are_shown_reversed_and_saved_as_mongodb_compares() {
    browser_test(
        "openssls_other_name_forms_are_shown_reversed_and_saved_as_mongodb_compares",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.click("[data-testid=add-user]").await?;

            // As `openssl x509 -noout -subject` prints it by default, pasted whole.
            ui.type_into(
                "[data-testid=user-dn-input]",
                "subject=C = US, O = Acme, CN = Jane Doe",
            )
            .await?;
            ui.wait_text("[data-testid=user-dn-canonical]", "CN=Jane Doe,O=Acme,C=US")
                .await?;
            ui.wait_text("[data-testid=user-dn-reversed]", "Order reversed")
                .await?;
            ui.wait_text(
                "[data-testid=user-dn-preview]",
                "most significant attribute first",
            )
            .await?;
            ui.wait_text("[data-testid=user-dn-preview]", "\"subject=\"")
                .await?;
            ui.full_page_screenshot(&artifacts_dir().join("add-user-openssl-default-form.png"))
                .await?;
            // The old slash form.
            ui.type_into("[data-testid=user-dn-input]", "/C=US/O=Acme/CN=Jane Doe")
                .await?;
            ui.wait_text("[data-testid=user-dn-preview]", "/C=…/O=…/CN=…")
                .await?;
            ui.wait_text("[data-testid=user-dn-canonical]", "CN=Jane Doe,O=Acme,C=US")
                .await?;
            // RFC 2253 order typed with spaces is not reversed.
            ui.type_into(
                "[data-testid=user-dn-input]",
                "CN = Jane Doe, O = Acme, C = US",
            )
            .await?;
            ui.wait_text("[data-testid=user-dn-canonical]", "CN=Jane Doe,O=Acme,C=US")
                .await?;
            assert!(!ui.is_shown("[data-testid=user-dn-reversed]").await?);

            ui.type_into(
                "[data-testid=user-dn-input]",
                "C = US, O = Acme, CN = Jane Doe",
            )
            .await?;
            ui.wait_text("[data-testid=user-dn-reversed]", "Order reversed")
                .await?;
            ui.click("[data-testid=built-in-readAnyDatabase]").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text(
                "[data-testid=users-outcome]",
                "Added CN=Jane Doe,O=Acme,C=US",
            )
            .await?;
            let stored = api.users(&group_id).await?;
            assert_eq!(stored[0]["username"], "CN=Jane Doe,O=Acme,C=US");
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_dropped_certificates_verdict_goes_when_the_name_changes() {
    browser_test(
        "a_dropped_certificates_verdict_goes_when_the_name_changes",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let payments = pki.client(&ca, "/C=US/O=Acme/OU=Payments/CN=payments-batch", 30);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            let zone = "[data-testid=client-cert-drop-zone]";
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.click("[data-testid=add-user]").await?;
            ui.drop_file_on(
                zone,
                "payments.pem",
                "application/x-pem-file",
                payments.pem.as_bytes(),
            )
            .await?;
            ui.find("[data-testid=client-cert-issuer][data-verdict=verified]")
                .await?;

            // Another name: the verdict about payments.pem is no longer shown for it.
            ui.type_into("[data-testid=user-dn-input]", "CN=someone-else,O=Acme,C=US")
                .await?;
            ui.wait_text(
                "[data-testid=client-cert-stale]",
                "no longer matches the subject of payments.pem",
            )
            .await?;
            assert!(!ui.is_shown("[data-testid=client-cert-issuer]").await?);
            ui.full_page_screenshot(&artifacts_dir().join("add-user-name-changed-after-drop.png"))
                .await?;
            // The same name typed another way is the same name: the verdict holds again.
            ui.type_into(
                "[data-testid=user-dn-input]",
                "CN=payments-batch, OU=Payments, O=Acme, C=US",
            )
            .await?;
            ui.find("[data-testid=client-cert-issuer][data-verdict=verified]")
                .await?;
            assert!(!ui.is_shown("[data-testid=client-cert-stale]").await?);
            Ok(())
        },
    )
    .await;
}
