//! Activity Feed, Alerts, Alert Settings and the Advanced page's alert banner and expiry timeline — in
//! Chromium, against the real server, its real alert evaluator and a real local webhook receiver.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{artifacts_dir, browser_test, Api, Ctx, Error};
use test_support::{now, pki::Pki};

/// Runs the alert evaluator once on the server's database, as `access-console alerts check` does.
async fn evaluate_alerts(api: &Api) -> Result<(), Error> {
    let database = access_console::storage::open(api.database_url(), now()).await?;
    access_console::alerts::evaluate_alerts(
        &database.pool,
        now(),
        // Receivers on 127.0.0.1: allowed, as the harness's server allows them.
        &access_console::alerts::Webhooks::new(true),
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_user_added_in_the_ui_shows_in_the_activity_feed_with_its_sentence_and_diff() {
    browser_test(
        "a_user_added_in_the_ui_shows_in_the_activity_feed_with_its_sentence_and_diff",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;

            // A user added through the console.
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN=Jane Doe,O=Acme").await?;
            ui.click("[data-testid=way-specific]").await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            ui.choose("[data-testid=privilege-role]", "readWrite").await?;
            ui.type_into("[data-testid=privilege-database]", "sales").await?;
            ui.type_into("[data-testid=privilege-collection]", "orders").await?;
            ui.click("[data-testid=user-dialog-save]").await?;
            ui.wait_text("[data-testid=users-outcome]", "Added").await?;

            // The sidebar leads to the feed; the newest event comes first, as a sentence.
            ui.click("[data-testid=nav-activity]").await?;
            ui.wait_text(
                "[data-testid=event-sentence]",
                "Database user CN=Jane Doe,O=Acme added with readWrite@sales.orders",
            )
            .await?;
            let sentences = ui.texts("[data-testid=event-sentence]").await?;
            assert!(
                sentences[0].starts_with("Database user CN=Jane Doe,O=Acme added"),
                "{sentences:?}"
            );
            assert!(
                sentences.iter().any(|s| s == "Cluster Cluster0 added (MongoDB 7.0)"),
                "{sentences:?}"
            );
            assert!(
                sentences.iter().any(|s| s.starts_with(
                    "Self-Managed X.509 Authentication turned on with 1 CA certificate: CN=Acme Users CA"
                )),
                "{sentences:?}"
            );
            assert_eq!(ui.text("[data-testid=event-actor]").await?, "owner");

            // The changes, on expand: what the user was added with, item by item.
            ui.click("[data-testid=event-row][data-event-type=MONGODB_USER_ADDED] [data-testid=event-expand]")
                .await?;
            ui.wait_text(
                "[data-testid=event-diff] [data-testid=event-change][data-kind=added][data-field=Role]",
                "readWrite@sales.orders",
            )
            .await?;
            ui.full_page_screenshot(&artifacts_dir().join("activity-feed.png")).await?;

            // Filter by type: only clusters (the server filters).
            ui.click("[data-testid=event-types-summary]").await?;
            ui.click("[data-testid=event-type-option][data-event-type=CLUSTER_ADDED]").await?;
            ui.wait_count("[data-testid=event-row]", 1).await?;
            ui.wait_text("[data-testid=event-sentence]", "Cluster Cluster0 added").await?;
            ui.wait_text("[data-testid=event-types-summary]", "Cluster added").await?;
            // Text filter over target and actor.
            ui.click("[data-testid=event-type-option][data-event-type=CLUSTER_ADDED]").await?;
            ui.wait_count("[data-testid=event-row]", sentences.len()).await?;
            ui.record_requests().await?;
            ui.type_into("[data-testid=event-text-filter]", "jane").await?;
            ui.wait_count("[data-testid=event-row]", 1).await?;
            // The server filters (over every event, not only the page shown).
            let asked = ui.recorded_requests().await?;
            assert!(
                asked.iter().any(|r| r["url"].as_str().is_some_and(|u| u.contains("/events?") && u.contains("text=jane"))),
                "{asked:?}"
            );
            ui.type_into("[data-testid=event-text-filter]", "nobody-at-all").await?;
            ui.find("[data-testid=events-empty]").await?;
            // One page: no next page.
            assert_eq!(
                ui.find("[data-testid=events-next]").await?.attr("disabled").await?,
                Some("true".to_owned())
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_expiring_ca_opens_an_alert_that_can_be_acknowledged_and_shows_on_advanced() {
    browser_test(
        "an_expiring_ca_opens_an_alert_that_can_be_acknowledged_and_shows_on_advanced",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let soon = pki.expiring_in("/O=Acme/CN=Soon Expiring CA", 10);
            let later = pki.root("/O=Acme/CN=Long Lived CA", 400);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &format!("{}{}", soon.pem, later.pem))
                .await?;
            evaluate_alerts(&api).await?;
            assert_eq!(api.open_alerts(&group_id).await?.len(), 1);

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.wait_text("[data-testid=open-alert-banner]", "CN=Soon Expiring CA")
                .await?;
            ui.find("[data-testid=expiry-timeline]").await?;
            ui.wait_count("[data-testid=timeline-bar]", 2).await?;
            ui.find("[data-testid=timeline-bar][data-days-left='10']")
                .await?;
            ui.find("[data-testid=timeline-today]").await?;
            ui.find("[data-testid=timeline-threshold]").await?;
            ui.full_page_screenshot(&artifacts_dir().join("advanced-alert-timeline.png"))
                .await?;

            ui.click("[data-testid=open-alerts-link]").await?;
            ui.wait_count("[data-testid=alert-row]", 1).await?;
            ui.wait_text("[data-testid=alert-subject]", "CN=Soon Expiring CA")
                .await?;
            ui.wait_text("[data-testid=alert-days-left]", "10 days left")
                .await?;
            ui.click("[data-testid=alert-acknowledge]").await?;
            ui.type_into("[data-testid=ack-comment]", "renewal ordered")
                .await?;
            ui.click("[data-testid=ack-confirm]").await?;
            ui.wait_text("[data-testid=alert-acknowledged]", "renewal ordered")
                .await?;
            let alerts = api.open_alerts(&group_id).await?;
            let until = alerts[0]["acknowledgedUntil"].as_str().unwrap_or_default();
            assert!(
                until > access_core::time::format_rfc3339(now() + 86_000).as_str(),
                "{alerts:?}"
            );
            ui.full_page_screenshot(&artifacts_dir().join("alerts.png"))
                .await?;
            // The link goes to the Advanced page.
            ui.click("[data-testid=alert-advanced-link]").await?;
            ui.find("[data-testid=x509-panel]").await?;
            Ok(())
        },
    )
    .await;
}

/// A one-request-at-a-time HTTP receiver: answers 200 and hands over each request's text.
async fn webhook_receiver() -> Result<(String, tokio::sync::mpsc::UnboundedReceiver<String>), Error>
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let (sent, received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buffer = [0_u8; 4096];
            while let Ok(n) = stream.read(&mut buffer).await {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
            let _ = sent.send(String::from_utf8_lossy(&request).to_string());
        }
    });
    Ok((url, received))
}

#[tokio::test]
async fn alert_settings_edit_the_threshold_and_a_webhook_then_test_it() {
    browser_test(
        "alert_settings_edit_the_threshold_and_a_webhook_then_test_it",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            let (url, mut received) = webhook_receiver().await?;

            ui.open(&format!("#/projects/{group_id}/alert-settings"))
                .await?;
            ui.wait_count("[data-testid=alert-config]", 1).await?;
            ui.wait_text("[data-testid=alert-config]", "fewer than 30 days left")
                .await?;
            ui.type_into("[data-testid=threshold-days]", "10").await?;
            ui.click("[data-testid=add-webhook]").await?;
            ui.wait_count("[data-testid=notification-row]", 2).await?;
            ui.type_into("[data-testid=webhook-url]", &url).await?;
            ui.type_into("[data-testid=webhook-secret]", "s3cret")
                .await?;
            let interval =
                "[data-testid=notification-row][data-type=WEBHOOK] [data-testid=interval-min]";
            ui.type_into(interval, "60").await?;
            ui.click("[data-testid=alert-config-save]").await?;
            ui.find("[data-testid=alert-config-saved]").await?;
            ui.wait_text("[data-testid=alert-config]", "fewer than 10 days left")
                .await?;

            let configs = api.alert_configs(&group_id).await?;
            assert_eq!(configs[0]["threshold"]["threshold"], 10, "{configs:?}");
            let webhook = configs[0]["notifications"]
                .as_array()
                .and_then(|n| n.iter().find(|n| n["typeName"] == "WEBHOOK").cloned())
                .ok_or("no webhook saved")?;
            assert_eq!(webhook["webhookUrl"], url.as_str());
            assert_eq!(webhook["intervalMin"], 60);
            assert_eq!(webhook["webhookSecretSet"], true);
            assert!(webhook.get("webhookSecret").is_none(), "{webhook}");

            // Test: a real POST to the receiver, signed with the secret, and its result on the page.
            ui.click("[data-testid=test-webhook]").await?;
            ui.wait_text("[data-testid=webhook-test-result]", "delivered: HTTP 200")
                .await?;
            let request = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
                .await?
                .ok_or("the receiver got nothing")?;
            assert!(request.starts_with("POST /hook"), "{request}");
            assert!(
                request
                    .to_ascii_lowercase()
                    .contains("x-access-console-signature: sha256="),
                "{request}"
            );
            ui.full_page_screenshot(&artifacts_dir().join("alert-settings.png"))
                .await?;

            // Disable, then the feed tells the story.
            ui.click("[data-testid=alert-config-toggle]").await?;
            ui.wait_text("[data-testid=alert-config-toggle]", "Enable")
                .await?;
            assert_eq!(api.alert_configs(&group_id).await?[0]["enabled"], false);
            let events = api
                .events(&group_id, "eventType=ALERT_CONFIG_UPDATED")
                .await?;
            assert_eq!(events.len(), 2, "{events:?}");
            ui.open(&format!("#/projects/{group_id}/activity")).await?;
            ui.wait_text(
                "[data-testid=event-sentence]",
                "CA expiry alert setting updated: disabled",
            )
            .await?;
            ui.wait_text("[data-testid=event-sentence]", "threshold 30 → 10 days")
                .await?;
            Ok(())
        },
    )
    .await;
}
