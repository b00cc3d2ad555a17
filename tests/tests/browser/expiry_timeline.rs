//! The Advanced page's CA expiry timeline (issue 21, item 9): the next year readable beside a ten-year
//! CA, and CAs labelled by their common name as people write it.

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

fn shot(name: &str, width: u32) -> std::path::PathBuf {
    let tag = std::env::var("SHOTS_TAG").unwrap_or_else(|_| "after".to_owned());
    artifacts_dir().join(format!("{name}-{tag}-{width}.png"))
}

#[tokio::test]
async fn expiry_timeline_gives_the_next_year_room_and_labels_cas_by_common_name() {
    browser_test(
        "expiry_timeline_gives_the_next_year_room_and_labels_cas_by_common_name",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let soon = pki.expiring_in("/O=Acme/CN=Acme Issuing CA", 20);
            let decade = pki.root("/O=Acme, Inc/CN=Acme, Inc Root \\+ Co", 3650);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &format!("{}{}", soon.pem, decade.pem))
                .await?;

            ui.client.set_window_size(1400, 1000).await?;
            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.wait_count("[data-testid=timeline-bar]", 2).await?;
            ui.full_page_screenshot(&shot("expiry-timeline", 1400))
                .await?;
            ui.client.set_window_size(390, 844).await?;
            ui.full_page_screenshot(&shot("expiry-timeline", 390))
                .await?;
            ui.client.set_window_size(1400, 1000).await?;

            // The 30 days before expiry take a readable share of the axis, not 4 px of a decade.
            let widths = ui
                .client
                .execute(
                    "const r = s => document.querySelector(s).getBoundingClientRect().width;
                     return [r('[data-testid=timeline-threshold]'), r('.expiry-timeline svg')];",
                    vec![],
                )
                .await?;
            let (window, whole) = (
                widths[0].as_f64().unwrap_or(0.0),
                widths[1].as_f64().unwrap_or(0.0),
            );
            eprintln!("the 30-day window: {window:.1} px of a {whole:.1} px timeline");
            assert!(
                window >= whole * 0.03,
                "the 30-day window is {window:.1} px of a {whole:.1} px timeline"
            );
            // The axis says where it is compressed, and the far end is still the latest expiry.
            ui.find("[data-testid=timeline-break]").await?;
            let axis = ui.texts(".timeline-axis").await?;
            let decade_end = access_core::time::format_date(test_support::now() + 3650 * 86_400);
            assert!(
                axis.iter().any(|a| a == &decade_end),
                "{axis:?} lacks the latest expiry, {decade_end}"
            );

            // Labels and titles: the common name unescaped; the RFC 2253 form stays in the Subject field.
            let labels = ui.texts("[data-testid=timeline-label]").await?;
            assert_eq!(labels, ["Acme Issuing CA", "Acme, Inc Root + Co"]);
            let titles = ui.texts("[data-testid=timeline-bar] title").await?;
            assert!(titles.iter().all(|t| !t.contains('\\')), "{titles:?}");
            assert!(
                titles[1].starts_with("Acme, Inc Root + Co: expires"),
                "{titles:?}"
            );
            assert_eq!(decade.subject(), "CN=Acme\\, Inc Root \\+ Co,O=Acme\\, Inc");
            // The certificate's card too: its title unescaped, its Subject field as openssl prints it.
            ui.wait_text("[data-testid=certificate-title]", "Acme, Inc Root + Co")
                .await?;
            let subjects = ui.texts("[data-testid=certificate-subject]").await?;
            assert!(subjects.contains(&decade.subject()), "{subjects:?}");
            let card_titles = ui.texts("[data-testid=certificate-title]").await?;
            assert!(
                card_titles.iter().all(|t| !t.contains('\\')),
                "{card_titles:?}"
            );
            Ok(())
        },
    )
    .await;
}
