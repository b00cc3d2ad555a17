//! Alert Settings (issue 21, item 13): a webhook or e-mail notification without its address is refused
//! as you type, as the server refuses it; the default setting notifies the project's members (GROUP).

use crate::harness::{browser_test, Ctx};
use test_support::pki::Pki;

#[tokio::test]
async fn alert_settings_refuse_an_empty_address_as_you_type() {
    browser_test(
        "alert_settings_refuse_an_empty_address_as_you_type",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            let stored = api.alert_configs(&group_id).await?;
            assert_eq!(stored[0]["notifications"][0]["typeName"], "GROUP", "{stored:?}");

            ui.open(&format!("#/projects/{group_id}/alert-settings")).await?;
            ui.wait_text("[data-testid=notification-row][data-type=GROUP]", "Project members").await?;

            // An e-mail notification: its address is required, and checked as it is typed.
            ui.click("[data-testid=add-email]").await?;
            let email = "[data-testid=notification-row][data-type=EMAIL] [data-testid=email-address]";
            let error = "[data-testid=notification-row][data-type=EMAIL] [data-testid=notification-error]";
            ui.type_into(email, "ops").await?;
            ui.wait_text(error, "like ops@example.com").await?;
            let input = ui.find(email).await?;
            assert_eq!(input.attr("aria-invalid").await?.as_deref(), Some("true"));
            let described = input.attr("aria-describedby").await?.unwrap_or_default();
            let error_id = ui.find(error).await?.attr("id").await?.unwrap_or_default();
            assert!(!error_id.is_empty() && described == error_id, "{described} vs {error_id}");
            // Emptied: required.
            ui.client
                .execute(
                    "const e = document.querySelector(arguments[0]); e.value = '';
                     e.dispatchEvent(new Event('input', { bubbles: true })); return true;",
                    vec![serde_json::json!(email)],
                )
                .await?;
            ui.wait_text(error, "Enter the address to notify").await?;
            // Save refuses it here: nothing sent, the field is focused.
            ui.record_requests().await?;
            ui.click("[data-testid=alert-config-save]").await?;
            ui.until(
                "the empty address to have focus",
                "return document.activeElement === document.querySelector(arguments[0]);",
                vec![serde_json::json!(email)],
            )
            .await?;
            let sent = ui.recorded_requests().await?;
            assert!(
                !sent.iter().any(|r| r["url"].as_str().is_some_and(|u| u.contains("/alertConfigs/"))),
                "{sent:?}"
            );
            assert_eq!(api.alert_configs(&group_id).await?[0]["notifications"], stored[0]["notifications"]);

            // A webhook without its URL too.
            ui.click("[data-testid=add-webhook]").await?;
            let url = "[data-testid=notification-row][data-type=WEBHOOK] [data-testid=webhook-url]";
            ui.type_into(url, "hooks.example.com").await?;
            ui.wait_text(
                "[data-testid=notification-row][data-type=WEBHOOK] [data-testid=notification-error]",
                "http:// or https://",
            )
            .await?;
            ui.click("[data-testid=notification-row][data-type=WEBHOOK] [data-testid=notification-remove]").await?;
            ui.wait_count("[data-testid=notification-row]", 2).await?;

            // Fixed: the error goes, and Save stores the address.
            ui.type_into(email, "ops@example.com").await?;
            ui.until(
                "the error to go",
                "return document.querySelector(arguments[0]).hidden;",
                vec![serde_json::json!(error)],
            )
            .await?;
            ui.click("[data-testid=alert-config-save]").await?;
            ui.find("[data-testid=alert-config-saved]").await?;
            let saved = api.alert_configs(&group_id).await?;
            let notifications = saved[0]["notifications"].as_array().cloned().unwrap_or_default();
            assert!(
                notifications.iter().any(|n| n["typeName"] == "EMAIL" && n["emailAddress"] == "ops@example.com"),
                "{notifications:?}"
            );
            assert!(notifications.iter().any(|n| n["typeName"] == "GROUP"), "{notifications:?}");
            Ok(())
        },
    )
    .await;
}
