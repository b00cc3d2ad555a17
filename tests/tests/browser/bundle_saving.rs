//! Saving the CA bundle, what the server answers, reading it back, editing it, turning it off.

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

const CARD: &str = "[data-testid=certificate-card]";

#[tokio::test]
async fn save_then_reload_shows_the_saved_cas() {
    browser_test(
        "save_then_reload_shows_the_saved_cas",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let root = pki.root("/C=US/O=Example Corp/CN=Example Root CA", 3650);
            let issuing =
                pki.intermediate(&root, "/C=US/O=Example Corp/CN=Example Issuing CA 1", 1825);
            let soon = pki.expiring_in("/C=US/O=Example Corp/CN=Example Legacy CA", 21);
            let bundle = format!("{}{}{}", root.pem, issuing.pem, soon.pem);
            let file = pki.write("example-cas.pem", &bundle);
            let group_id = api.group_id().await?;

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.find("[data-testid=x509-off]").await?;
            ui.turn_x509_on().await?;
            ui.find("[data-testid=bundle-file-input]")
                .await?
                .send_keys(&file.display().to_string())
                .await?;
            ui.wait_count(CARD, 3).await?;
            // The page as a platform engineer sees it before saving (kept for the documentation).
            ui.full_page_screenshot(&artifacts_dir().join("advanced-page.png"))
                .await?;

            ui.record_requests().await?;
            ui.click("[data-testid=bundle-save]").await?;
            ui.wait_text(
                "[data-testid=x509-saved]",
                "Saved: 3 CA certificates trusted for this project.",
            )
            .await?;
            // Exactly one request: the PATCH with the bundle as it is in the text area.
            let requests = ui.recorded_requests().await?;
            assert_eq!(requests.len(), 1, "{requests:?}");
            assert_eq!(requests[0]["method"], "PATCH");
            assert!(requests[0]["url"]
                .as_str()
                .unwrap_or_default()
                .ends_with(&format!("/api/atlas/v2/groups/{group_id}/userSecurity")));
            let sent: serde_json::Value =
                serde_json::from_str(requests[0]["body"].as_str().unwrap_or_default())?;
            assert_eq!(
                sent,
                serde_json::json!({ "customerX509": { "cas": bundle } })
            );
            // The server's warnings about what was saved come back with it.
            ui.wait_text(
                "[data-testid=x509-saved] li[data-code=expires_soon]",
                "CN=Example Legacy CA,O=Example Corp,C=US",
            )
            .await?;
            assert_eq!(
                api.stored_cas(&group_id).await?.as_deref(),
                Some(bundle.as_str())
            );

            // After a reload the page shows what is stored: on, with the three CAs.
            ui.reload().await?;
            ui.wait_text(
                "[data-testid=stored-summary]",
                "3 CA certificates are trusted.",
            )
            .await?;
            ui.wait_count(CARD, 3).await?;
            let subjects = ui
                .texts(&format!("{CARD} [data-testid=certificate-subject]"))
                .await?;
            assert_eq!(
                subjects,
                vec![root.subject(), issuing.subject(), soon.subject()]
            );
            let toggle = ui.find("[data-testid=x509-toggle]").await?;
            assert_eq!(toggle.attr("aria-checked").await?.as_deref(), Some("true"));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_expired_ca_is_refused_by_the_server_and_shown_as_it_answered() {
    browser_test(
        "an_expired_ca_is_refused_by_the_server_and_shown_as_it_answered",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let valid = pki.root("/O=Example Corp/CN=Current Root", 3650);
            let expired = pki.expired("/O=Example Corp/CN=Retired Root");
            let file = pki.write("with-expired.pem", format!("{}{}", valid.pem, expired.pem));
            let group_id = api.group_id().await?;

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.turn_x509_on().await?;
            ui.find("[data-testid=bundle-file-input]")
                .await?
                .send_keys(&file.display().to_string())
                .await?;
            ui.find("[data-testid=expired-notice]").await?;
            // Flagged, but the server is the judge: Save sends it, and its refusal is shown as it came.
            ui.click("[data-testid=bundle-save]").await?;
            let error = ui.find("[data-testid=api-error]").await?;
            assert_eq!(
                error.attr("data-error-code").await?.as_deref(),
                Some("EXPIRED_X509_CA_CERTIFICATE")
            );
            ui.wait_text(
                "[data-testid=api-error-status]",
                "HTTP 400 Bad Request · EXPIRED_X509_CA_CERTIFICATE",
            )
            .await?;
            ui.wait_text(
                "[data-testid=api-error-detail]",
                "CN=Retired Root,O=Example Corp",
            )
            .await?;
            assert_eq!(api.stored_cas(&group_id).await?, None, "nothing saved");
            ui.full_page_screenshot(&artifacts_dir().join("advanced-page-refused.png"))
                .await?;

            // Dropping the expired certificate makes it acceptable.
            ui.click("[data-testid=remove-expired]").await?;
            ui.wait_count(CARD, 1).await?;
            assert_eq!(
                ui.texts("[data-testid=api-error]").await?.len(),
                0,
                "the old answer is cleared on change"
            );
            ui.click("[data-testid=bundle-save]").await?;
            ui.find("[data-testid=x509-saved]").await?;
            assert_eq!(api.stored_cas(&group_id).await?, Some(valid.pem.clone()));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_settings_icon_reopens_the_stored_bundle_for_editing() {
    browser_test(
        "the_settings_icon_reopens_the_stored_bundle_for_editing",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let old = pki.root("/O=Example Corp/CN=Root 2024", 3650);
            let new = pki.root("/O=Example Corp/CN=Root 2025", 3650);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &old.pem).await?;

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.wait_text(
                "[data-testid=stored-summary]",
                "1 CA certificate is trusted.",
            )
            .await?;
            ui.click("[data-testid=x509-settings]").await?;
            let text = ui.find("[data-testid=bundle-text]").await?;
            assert_eq!(text.prop("value").await?.as_deref(), Some(old.pem.as_str()));
            ui.wait_count(CARD, 1).await?;

            // Add the new root after the old one, then remove the old one from its card.
            ui.drop_file(
                "root-2025.pem",
                "application/x-pem-file",
                new.pem.as_bytes(),
            )
            .await?;
            ui.wait_count(CARD, 2).await?;
            ui.click(&format!(
                "{CARD}[data-index='0'] [data-testid=remove-certificate]"
            ))
            .await?;
            ui.wait_count(CARD, 1).await?;
            ui.click("[data-testid=bundle-save]").await?;
            ui.wait_text(
                "[data-testid=x509-saved]",
                "Saved: 1 CA certificate trusted",
            )
            .await?;
            assert_eq!(api.stored_cas(&group_id).await?, Some(new.pem.clone()));

            // Cancel leaves what is stored as it was.
            ui.click("[data-testid=x509-settings]").await?;
            ui.click("[data-testid=bundle-clear]").await?;
            ui.click("[data-testid=bundle-cancel]").await?;
            ui.wait_text(
                "[data-testid=stored-summary]",
                "1 CA certificate is trusted.",
            )
            .await?;
            assert_eq!(api.stored_cas(&group_id).await?, Some(new.pem.clone()));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn turning_off_asks_for_confirmation_then_deletes() {
    browser_test("turning_off_asks_for_confirmation_then_deletes", |Ctx { ui, api }| async move {
        let pki = Pki::new();
        let root = pki.root("/O=Example Corp/CN=Root To Remove", 3650);
        let group_id = api.group_id().await?;
        api.save_cas(&group_id, &root.pem).await?;

        ui.open(&format!("#/projects/{group_id}/advanced")).await?;
        ui.find("[data-testid=stored-bundle]").await?;

        // Cancel keeps it on.
        ui.click("[data-testid=x509-toggle]").await?;
        ui.wait_text("[data-testid=confirm-dialog]", "Turn off Self-Managed X.509 Authentication?").await?;
        ui.click("[data-testid=confirm-dialog-cancel]").await?;
        ui.wait_count("[data-testid=confirm-dialog]", 0).await?;
        assert_eq!(api.stored_cas(&group_id).await?, Some(root.pem.clone()));
        let toggle = ui.find("[data-testid=x509-toggle]").await?;
        assert_eq!(toggle.attr("aria-checked").await?.as_deref(), Some("true"));

        // Confirm turns it off (DELETE).
        ui.click("[data-testid=x509-toggle]").await?;
        ui.find("[data-testid=confirm-dialog]").await?;
        ui.screenshot(&artifacts_dir().join("advanced-page-turn-off.png")).await?;
        ui.click("[data-testid=confirm-dialog-confirm]").await?;
        ui.find("[data-testid=x509-turned-off]").await?;
        ui.wait_count("[data-testid=confirm-dialog]", 0).await?;
        ui.until(
            "the toggle to show off",
            "return document.querySelector('[data-testid=x509-toggle]').getAttribute('aria-checked') === 'false';",
            vec![],
        )
        .await?;
        assert_eq!(api.stored_cas(&group_id).await?, None);
        ui.reload().await?;
        ui.find("[data-testid=x509-off]").await?;
        Ok(())
    })
    .await;
}
