//! Giving the page a CA bundle: upload, paste, drag and drop. Each is read at once in the browser
//! and shown as one card per certificate, with warnings and problems; nothing is sent before Save.

use serde_json::{json, Value};

use crate::harness::{browser_test, Ctx, TestResult, Ui};
use test_support::pki::Pki;

const CARD: &str = "[data-testid=certificate-card]";

/// The text of `field` (a `data-testid`) of each card, in order.
async fn card_fields(ui: &Ui, field: &str) -> Result<Vec<String>, crate::harness::Error> {
    ui.texts(&format!("{CARD} [data-testid={field}]")).await
}

async fn open_editor(ui: &Ui, group_id: &str) -> TestResult {
    ui.open(&format!("#/projects/{group_id}/advanced")).await?;
    ui.turn_x509_on().await
}

#[tokio::test]
async fn upload_by_the_file_input_shows_one_card_per_certificate() {
    browser_test(
        "upload_by_the_file_input_shows_one_card_per_certificate",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let root = pki.root("/C=US/O=Example Corp/CN=Example Root CA", 3650);
            let issuing = pki.intermediate(
                &root,
                "/C=US/O=Example Corp/OU=Platform, Databases/CN=Example Issuing CA 1",
                1825,
            );
            let file = pki.write("example-cas.pem", format!("{}{}", root.pem, issuing.pem));

            open_editor(&ui, &api.group_id().await?).await?;
            ui.find("[data-testid=bundle-file-input]")
                .await?
                .send_keys(&file.display().to_string())
                .await?;

            ui.wait_count(CARD, 2).await?;
            ui.wait_text("[data-testid=file-note]", "example-cas.pem: 2 certificates")
                .await?;
            // Subjects and issuers exactly as openssl prints them (RFC 2253, what MongoDB compares).
            assert_eq!(
                card_fields(&ui, "certificate-subject").await?,
                vec![root.subject(), issuing.subject()]
            );
            assert_eq!(
                card_fields(&ui, "certificate-issuer").await?,
                vec![root.subject(), root.subject()]
            );
            assert_eq!(
                issuing.subject(),
                "CN=Example Issuing CA 1,OU=Platform\\, Databases,O=Example Corp,C=US"
            );
            assert_eq!(
                card_fields(&ui, "certificate-sha256").await?,
                vec![root.sha256(), issuing.sha256()]
            );
            assert_eq!(
                card_fields(&ui, "certificate-serial").await?,
                vec![root.serial(), issuing.serial()]
            );
            assert_eq!(
                card_fields(&ui, "certificate-issued-by").await?,
                vec![
                    "Self-signed".to_owned(),
                    "Certificate 1 (Example Root CA)".to_owned()
                ]
            );
            assert_eq!(
                card_fields(&ui, "certificate-key").await?,
                vec!["RSA 2048 bits".to_owned(), "EC P-256".to_owned()]
            );
            assert_eq!(
                card_fields(&ui, "certificate-ca").await?,
                vec![
                    "CA, no path length limit".to_owned(),
                    "CA, path length 0".to_owned()
                ]
            );
            let days = card_fields(&ui, "days-left").await?;
            assert!(days.iter().all(|d| d.ends_with("days left")), "{days:?}");
            assert!(
                ui.texts("[data-testid=certificate-warning]")
                    .await?
                    .is_empty(),
                "no warnings expected"
            );
            // The file's text is in the text area, for review and editing.
            let text = ui
                .find("[data-testid=bundle-text]")
                .await?
                .prop("value")
                .await?
                .unwrap_or_default();
            assert_eq!(text, format!("{}{}", root.pem, issuing.pem));
            assert!(
                ui.find("[data-testid=bundle-save]")
                    .await?
                    .is_enabled()
                    .await?
            );

            // A fingerprint's Copy button puts it on the clipboard.
            ui.click(&format!(
                "{CARD}[data-index='1'] button[aria-label='Copy SHA-256 fingerprint']"
            ))
            .await?;
            ui.wait_text(
                &format!("{CARD}[data-index='1'] .copy-button.copied"),
                "Copied",
            )
            .await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn pasting_shows_expired_and_expiring_soon_certificates_and_drops_the_expired() {
    browser_test(
        "pasting_shows_expired_and_expiring_soon_certificates_and_drops_the_expired",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let valid = pki.root("/O=Example Corp/CN=Valid Root", 3650);
            let soon = pki.expiring_in("/O=Example Corp/CN=Expiring Root", 10);
            let expired = pki.expired("/O=Example Corp/CN=Expired Root");
            let bundle = format!("{}{}{}", valid.pem, soon.pem, expired.pem);

            open_editor(&ui, &api.group_id().await?).await?;
            ui.find("[data-testid=bundle-text]").await?.send_keys(&bundle).await?;

            ui.wait_count(CARD, 3).await?;
            let codes = |index: usize| {
                let ui = ui.clone();
                async move {
                    let value = ui
                        .client
                        .execute(
                            "return [...document.querySelectorAll('[data-testid=certificate-card]')[arguments[0]]
                                .querySelectorAll('[data-testid=certificate-warning]')].map(w => w.dataset.code);",
                            vec![json!(index)],
                        )
                        .await?;
                    Ok::<Vec<String>, crate::harness::Error>(serde_json::from_value(value)?)
                }
            };
            assert_eq!(codes(0).await?, Vec::<String>::new());
            assert_eq!(codes(1).await?, vec!["expires_soon".to_owned()]);
            assert_eq!(codes(2).await?, vec!["expired".to_owned()]);
            // The days-left badges say it, in colour classes too.
            let badges: Value = ui
                .client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=days-left]')].map(b => [b.textContent, b.className]);",
                    vec![],
                )
                .await?;
            assert_eq!(badges[1][0], json!("10 days left"), "{badges}");
            assert!(badges[1][1].as_str().unwrap_or_default().contains("validity-soon"), "{badges}");
            assert_eq!(badges[2][0], json!("Expired"), "{badges}");
            assert!(badges[2][1].as_str().unwrap_or_default().contains("validity-expired"), "{badges}");
            assert!(badges[0][1].as_str().unwrap_or_default().contains("validity-valid"), "{badges}");

            // Flagged before anything is sent, with a way out.
            ui.wait_text("[data-testid=expired-notice]", "1 certificate has expired").await?;
            ui.wait_text("[data-testid=expired-notice]", &expired.subject()).await?;
            ui.click("[data-testid=remove-expired]").await?;
            ui.wait_count(CARD, 2).await?;
            assert_eq!(card_fields(&ui, "certificate-subject").await?, vec![valid.subject(), soon.subject()]);
            let text = ui.find("[data-testid=bundle-text]").await?.prop("value").await?.unwrap_or_default();
            assert_eq!(text, format!("{}{}", valid.pem, soon.pem));
            assert_eq!(ui.texts("[data-testid=expired-notice]").await?.len(), 0);
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn dropping_files_reads_pem_and_der() {
    browser_test(
        "dropping_files_reads_pem_and_der",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let root = pki.root("/O=Example Corp/CN=Dropped Root", 3650);
            let der_root = pki.root("/O=Example Corp/CN=DER Root", 3650);

            open_editor(&ui, &api.group_id().await?).await?;
            ui.drop_file(
                "dropped-root.pem",
                "application/x-pem-file",
                root.pem.as_bytes(),
            )
            .await?;
            ui.wait_count(CARD, 1).await?;
            ui.wait_text("[data-testid=file-note]", "dropped-root.pem: 1 certificate")
                .await?;
            assert_eq!(
                card_fields(&ui, "certificate-subject").await?,
                vec![root.subject()]
            );

            // A DER .cer is converted to PEM and added after what is there.
            ui.drop_file("der-root.cer", "application/pkix-cert", &pki.der(&der_root))
                .await?;
            ui.wait_count(CARD, 2).await?;
            assert_eq!(
                card_fields(&ui, "certificate-subject").await?,
                vec![root.subject(), der_root.subject()]
            );
            assert_eq!(
                card_fields(&ui, "certificate-sha256").await?,
                vec![root.sha256(), der_root.sha256()]
            );
            let text = ui
                .find("[data-testid=bundle-text]")
                .await?
                .prop("value")
                .await?
                .unwrap_or_default();
            assert_eq!(
                text,
                format!("{}{}", root.pem, der_root.pem),
                "the DER file as openssl's PEM"
            );

            // A file that holds no certificate is not added, and says why.
            ui.drop_file(
                "notes.bin",
                "application/octet-stream",
                &[0xff, 0x00, 0x13, 0x37],
            )
            .await?;
            ui.wait_text("[data-testid=file-note]", "Not added: notes.bin")
                .await?;
            ui.wait_count(CARD, 2).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_private_key_is_refused_and_nothing_is_sent() {
    browser_test("a_private_key_is_refused_and_nothing_is_sent", |Ctx { ui, api }| async move {
        let pki = Pki::new();
        let root = pki.root("/O=Example Corp/CN=Root With Key", 3650);
        let key = pki.private_key();
        let bundle = format!("{}{}", root.pem, key);
        let key_line = root.pem.lines().count() + 1;
        let group_id = api.group_id().await?;

        open_editor(&ui, &group_id).await?;
        ui.record_requests().await?;
        ui.find("[data-testid=bundle-text]").await?.send_keys(&bundle).await?;

        let problem = ui.find("[data-testid=problem][data-code=private_key]").await?;
        ui.wait_text(
            "[data-testid=problem]",
            &format!("Private key in block 2 (line {key_line}): remove it; it has not been sent anywhere."),
        )
        .await?;
        assert_eq!(problem.attr("data-line").await?, Some(key_line.to_string()));
        // The certificate is still read; saving is not possible.
        ui.wait_count(CARD, 1).await?;
        let save = ui.find("[data-testid=bundle-save]").await?;
        assert!(!save.is_enabled().await?, "Save must be disabled while there is a problem");
        ui.wait_text("[data-testid=save-hint]", "nothing has been sent").await?;
        // Even a click on the disabled button (or a script's) sends nothing.
        ui.client
            .execute("document.querySelector('[data-testid=bundle-save]').click(); return true;", vec![])
            .await?;

        // Nothing left the page: no request since the key was typed, and nothing stored.
        let requests = ui.recorded_requests().await?;
        assert!(requests.is_empty(), "requests sent: {requests:?}");
        let entries: Value = ui
            .client
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/'));",
                vec![],
            )
            .await?;
        // Only the reads made when the page opened: the session, the projects, the X.509 settings, the
        // open alerts.
        let reads = entries.as_array().cloned().unwrap_or_default();
        assert_eq!(reads.len(), 4, "only the four reads at start: {entries}");
        assert!(
            reads.iter().all(|url| {
                let url = url.as_str().unwrap_or_default();
                url.ends_with("/api/console/session")
                    || url.ends_with("/groups")
                    || url.ends_with("/userSecurity")
                    || url.contains("/alerts?status=OPEN")
            }),
            "{entries}"
        );
        assert_eq!(api.stored_cas(&group_id).await?, None);
        Ok(())
    })
    .await;
}
