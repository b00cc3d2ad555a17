//! Security → Database Access → Access Check: a client certificate from a CA the project holds (dropped,
//! with its private key in the file, which is never sent) connects and is allowed, with its grant path;
//! one from a CA the project does not hold (pasted) is refused at the chain step. Screenshots at 1440 and
//! 360 pixels.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

#[tokio::test]
async fn a_dropped_certificate_from_the_projects_ca_gets_in_and_a_foreign_one_does_not() {
    browser_test(
        "a_dropped_certificate_from_the_projects_ca_gets_in_and_a_foreign_one_does_not",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let other_ca = pki.root("/C=US/O=Elsewhere/CN=Elsewhere CA", 365);
            let reporter = pki.client(&ca, "/C=US/O=Acme/OU=Analytics/CN=reporter", 90);
            let stranger = pki.client(&other_ca, "/C=US/O=Acme/OU=Analytics/CN=reporter", 90);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_user(
                &group_id,
                &json!({
                    "databaseName": "$external", "username": reporter.subject(), "x509Type": "CUSTOMER",
                    "roles": [{"roleName": "read", "databaseName": "sales"}]
                }),
            )
            .await?;

            ui.open(&format!("#/projects/{group_id}/database-access/check")).await?;
            ui.find("[data-testid=tab-access-check][aria-current=page]").await?;
            ui.type_into("[data-testid=check-actions]", "FIND").await?;
            ui.type_into("[data-testid=check-database]", "sales").await?;
            ui.type_into("[data-testid=check-collection]", "orders").await?;
            ui.record_requests().await?;

            let mut with_key = std::fs::read_to_string(&reporter.key)?;
            with_key.push_str(&reporter.pem);
            ui.drop_file_on(
                "[data-testid=bundle-drop-zone]",
                "reporter.pem",
                "application/x-pem-file",
                with_key.as_bytes(),
            )
            .await?;
            ui.find("[data-testid=check-verdict][data-allowed=true]").await?;
            ui.wait_text("[data-testid=check-username]", &reporter.subject()).await?;
            for step in ["Certificate", "Client use", "Chain", "Database user", "Authorization"] {
                ui.find(&format!("[data-testid=check-step][data-step='{step}'][data-result=pass]")).await?;
            }
            ui.wait_text("[data-testid=check-grant]", "read@sales").await?;
            ui.wait_text("[data-testid=check-certificate-note]", "private key was left out").await?;
            let sent = ui.recorded_requests().await?;
            let checks: Vec<_> = sent
                .iter()
                .filter(|r| r["url"].as_str().is_some_and(|u| u.ends_with("/accessCheck")))
                .collect();
            assert!(!checks.is_empty(), "{sent:?}");
            for request in &checks {
                let body = request["body"].as_str().unwrap_or_default();
                assert!(!body.contains("PRIVATE KEY"), "a key was sent: {body}");
            }
            let shots = artifacts_dir().join("access-check");
            ui.full_page_screenshot(&shots.join("allowed-1440.png")).await?;
            ui.client.set_window_size(360, 900).await?;
            ui.full_page_screenshot(&shots.join("allowed-360.png")).await?;
            // The answer (long names included) fits 360 px: nothing scrolls sideways.
            ui.until(
                "the page to fit 360 px",
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await?;
            ui.client.set_window_size(1440, 1000).await?;

            // Pasted: a certificate of the same name from a CA the project does not hold.
            ui.choose("[data-testid=check-certificate]", &stranger.pem).await?;
            ui.find("[data-testid=check-verdict][data-allowed=false]").await?;
            ui.find("[data-testid=check-step][data-step=Chain][data-result=fail][data-code=no_ca_of_issuer_name]").await?;
            ui.wait_text("[data-testid=check-step][data-step=Chain]", &other_ca.subject()).await?;
            ui.full_page_screenshot(&shots.join("refused-1440.png")).await?;

            // A denied action names what would grant it.
            ui.choose("[data-testid=check-certificate]", &reporter.pem).await?;
            ui.type_into("[data-testid=check-actions]", "INSERT").await?;
            ui.wait_text("[data-testid=check-denial]", "readWrite@sales").await?;
            Ok(())
        },
    )
    .await;
}
