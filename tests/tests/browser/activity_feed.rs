//! The Activity Feed as people use it (issue 21, item 8): "Show changes" as a diff that fits the page,
//! and filters kept in the route, so that a reload or a link shows the same events.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx, Error, Ui};
use test_support::pki::Pki;

/// Where a screenshot of this run goes: `target/e2e/{name}-{SHOTS_TAG or "after"}-{width}.png`.
fn shot(name: &str, width: u32) -> std::path::PathBuf {
    let tag = std::env::var("SHOTS_TAG").unwrap_or_else(|_| "after".to_owned());
    artifacts_dir().join(format!("{name}-{tag}-{width}.png"))
}

/// How far the page is wider than the window (0 when it fits).
async fn overflow(ui: &Ui) -> Result<i64, Error> {
    let value = ui
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    Ok(value.as_i64().unwrap_or(i64::MAX))
}

#[tokio::test]
async fn activity_feed_shows_a_ca_rotation_as_a_diff_that_fits_and_keeps_its_filters_in_the_url() {
    browser_test(
        "activity_feed_shows_a_ca_rotation_as_a_diff_that_fits_and_keeps_its_filters_in_the_url",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let old = pki.root("/O=Acme, Inc/OU=Platform Security/CN=Acme Users Root CA 2016", 3650);
            let new = pki.root("/O=Acme, Inc/OU=Platform Security/CN=Acme Users Root CA 2026", 3650);
            let kept = pki.root("/O=Acme/CN=Acme Partner Root", 3650);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &format!("{}{}", old.pem, kept.pem)).await?;
            api.save_cas(&group_id, &format!("{}{}", kept.pem, new.pem)).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=Jane Doe,O=Acme", "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "read", "databaseName": "admin"}]}),
            )
            .await?;
            api.patch(
                &format!("/groups/{group_id}/databaseUsers/%24external/CN%3DJane%20Doe%2CO%3DAcme"),
                &json!({"roles": [{"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"}],
                        "description": "sales team"}),
            )
            .await?;

            ui.client.set_window_size(1400, 1000).await?;
            ui.open(&format!("#/projects/{group_id}/activity")).await?;
            let rotation = "[data-testid=event-row][data-event-type=X509_CA_BUNDLE_UPDATED]";
            ui.wait_count(rotation, 2).await?;
            ui.click(&format!("{rotation} [data-testid=event-expand]")).await?;
            ui.find("[data-testid=event-diff]").await?;
            ui.full_page_screenshot(&shot("activity-ca-diff", 1400)).await?;
            let wide = overflow(&ui).await?;
            ui.client.set_window_size(390, 844).await?;
            ui.full_page_screenshot(&shot("activity-ca-diff", 390)).await?;
            let narrow = overflow(&ui).await?;
            assert!(wide <= 0, "the page is {wide} px wider than 1400 px with the changes shown");
            assert!(narrow <= 0, "the page is {narrow} px wider than 390 px with the changes shown");
            ui.client.set_window_size(1400, 1000).await?;

            // The diff: the certificate added and the one removed, by subject and openssl's fingerprint;
            // the one kept in both is not a change.
            let change = |kind: &str| format!("[data-testid=event-diff] [data-testid=event-change][data-kind={kind}]");
            ui.wait_count(&change("added"), 1).await?;
            ui.wait_count(&change("removed"), 1).await?;
            let added = ui.text(&change("added")).await?;
            let removed = ui.text(&change("removed")).await?;
            assert!(added.contains(&new.subject()), "{added}");
            assert!(added.contains(&new.sha256()), "{added} lacks {}", new.sha256());
            assert!(removed.contains(&old.subject()), "{removed}");
            assert!(removed.contains(&old.sha256()), "{removed}");
            let diff = ui.text("[data-testid=event-diff]").await?;
            assert!(!diff.contains("Acme Partner Root"), "{diff}");
            assert!(!diff.contains('{'), "raw JSON in the diff: {diff}");

            // A user's update: the role added and removed, the field that changed.
            ui.click("[data-testid=event-row][data-event-type=MONGODB_USER_UPDATED] [data-testid=event-expand]")
                .await?;
            let user = "[data-testid=event-diff]:has([data-field='Role'])";
            ui.wait_text(user, "readWrite@sales.orders").await?;
            let user_diff = ui.texts(&format!("{user} [data-testid=event-change]")).await?;
            assert!(user_diff.iter().any(|c| c.contains("Added") && c.contains("readWrite@sales.orders")), "{user_diff:?}");
            assert!(user_diff.iter().any(|c| c.contains("Removed") && c.contains("read@admin")), "{user_diff:?}");
            assert!(user_diff.iter().any(|c| c.contains("Description") && c.contains("sales team")), "{user_diff:?}");

            // Filters go into the route, and the summary names the types chosen.
            ui.click("[data-testid=event-types-summary]").await?;
            ui.click("[data-testid=event-type-option][data-event-type=X509_CA_BUNDLE_UPDATED]").await?;
            ui.click("[data-testid=event-type-option][data-event-type=CLUSTER_ADDED]").await?;
            ui.wait_count("[data-testid=event-row]", 3).await?;
            ui.wait_text("[data-testid=event-types-summary]", "CA certificates saved, Cluster added").await?;
            ui.type_into("[data-testid=event-text-filter]", "customer").await?;
            ui.wait_count("[data-testid=event-row]", 2).await?;
            let hash = ui.hash().await?;
            assert_eq!(
                hash,
                format!("#/projects/{group_id}/activity?type=X509_CA_BUNDLE_UPDATED&type=CLUSTER_ADDED&text=customer"),
            );

            // A reload keeps them.
            ui.reload().await?;
            ui.wait_count("[data-testid=event-row]", 2).await?;
            assert_eq!(ui.hash().await?, hash);
            ui.wait_text("[data-testid=event-types-summary]", "CA certificates saved, Cluster added").await?;
            let checked = ui
                .client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=event-type-option]')].filter(b => b.checked).map(b => b.dataset.eventType);",
                    vec![],
                )
                .await?;
            // In the list's order.
            assert_eq!(checked, json!(["CLUSTER_ADDED", "X509_CA_BUNDLE_UPDATED"]));
            let typed = ui.find("[data-testid=event-text-filter]").await?.prop("value").await?;
            assert_eq!(typed.as_deref(), Some("customer"));

            // A link with a filter opens filtered; the sidebar's link is the feed unfiltered.
            ui.open(&format!("#/projects/{group_id}/activity?type=CLUSTER_ADDED&from=2000-01-01")).await?;
            ui.wait_count("[data-testid=event-row]", 1).await?;
            ui.wait_text("[data-testid=event-sentence]", "Cluster Cluster0 added").await?;
            ui.wait_text("[data-testid=event-types-summary]", "Cluster added").await?;
            let from = ui.find("[data-testid=event-min-date]").await?.prop("value").await?;
            assert_eq!(from.as_deref(), Some("2000-01-01"));
            ui.click("[data-testid=nav-activity]").await?;
            ui.wait_text("[data-testid=event-types-summary]", "All event types").await?;
            ui.wait_text("[data-testid=event-sentence]", "Database user CN=Jane Doe,O=Acme updated").await?;
            assert_eq!(ui.hash().await?, format!("#/projects/{group_id}/activity"));
            Ok(())
        },
    )
    .await;
}
