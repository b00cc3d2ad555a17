//! Phone, tablet and desktop widths: every page fits the width of the window (no horizontal scrolling
//! of the page; a wide table scrolls inside its own box), with a screenshot of each page at each width in
//! target/e2e/responsive/.

use serde_json::{json, Value};

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

const WIDTHS: [u32; 3] = [360, 768, 1440];

#[tokio::test]
async fn every_page_fits_360_768_and_1440_pixels() {
    browser_test(
        "every_page_fits_360_768_and_1440_pixels",
        |Ctx { ui, api }| async move {
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme Corporation International/OU=Platform Engineering/CN=Acme Corporation Users Certificate Authority", 20);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=payments-batch-reconciliation,OU=Payments Platform,O=Acme Corporation International,C=US", "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "readWrite", "databaseName": "payments", "collectionName": "reconciliation"}, {"roleName": "read", "databaseName": "reports"}]}),
            )
            .await?;
            api.create_custom_role(
                &group_id,
                &json!({"roleName": "salesReader", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]}),
            )
            .await?;
            let pages = [
                "database-access",
                "database-access/roles",
                "database-access/check",
                "advanced",
                "clusters",
                "activity",
                "alerts",
                "alert-settings",
                "access",
                "api-keys",
                "drift",
                "settings",
            ];
            // The organization's pages too, its API Keys with a key assigned to the project.
            let org_id = api.get(&format!("/groups/{group_id}")).await?["orgId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let key = api
                .post(
                    &format!("/orgs/{org_id}/apiKeys"),
                    &json!({"desc": "nightly reconciliation export", "roles": ["ORG_MEMBER"],
                            "accessList": [{"cidrBlock": "10.0.0.0/8"}, {"ipAddress": "192.0.2.7"}]}),
                )
                .await?;
            api.post(
                &format!("/groups/{group_id}/apiKeys/{}", key["id"].as_str().unwrap_or_default()),
                &json!({"roles": ["GROUP_DATABASE_ACCESS_ADMIN"]}),
            )
            .await?;
            let pages = pages
                .map(|page| (page.replace('/', "-"), format!("projects/{group_id}/{page}")))
                .into_iter()
                .chain([("org", ""), ("org-access", "/access"), ("org-api-keys", "/api-keys")]
                    .map(|(name, tail)| (name.to_owned(), format!("orgs/{org_id}{tail}"))));
            let pages: Vec<(String, String)> = pages.collect();
            let dir = artifacts_dir().join("responsive");
            let mut overflowing = Vec::new();
            for width in WIDTHS {
                ui.client.set_window_size(width, 900).await?;
                for (name, page) in &pages {
                    ui.open(&format!("#/{page}")).await?;
                    ui.find("[data-testid=page] h1").await?;
                    // Let the page's data arrive and lay out.
                    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                    ui.screenshot(&dir.join(format!("{name}-{width}.png"))).await?;
                    let wide: Value = ui
                        .client
                        .execute(
                            "const w = document.documentElement.clientWidth;
                             if (document.documentElement.scrollWidth <= w) return null;
                             return [...document.querySelectorAll('body *')]
                               .filter(e => e.getBoundingClientRect().right > w + 1)
                               .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1)
                               .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');",
                            vec![],
                        )
                        .await?;
                    if !wide.is_null() {
                        overflowing.push(format!("{name} at {width}px: wider than the window: {wide}"));
                    }
                }
            }
            assert!(overflowing.is_empty(), "{}", overflowing.join("\n"));

            // At 360 px the sidebar is behind "Menu", which opens it; choosing a page closes it.
            ui.client.set_window_size(360, 800).await?;
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.find("[data-testid=user-row]").await?;
            assert!(!ui.is_shown("[data-testid=nav-clusters]").await?, "the sidebar is folded away");
            ui.click("[data-testid=menu-button]").await?;
            assert!(ui.is_shown("[data-testid=nav-clusters]").await?, "Menu shows the sidebar");
            let expanded = ui.find("[data-testid=menu-button]").await?.attr("aria-expanded").await?;
            assert_eq!(expanded.as_deref(), Some("true"));
            ui.screenshot(&dir.join("menu-open-360.png")).await?;
            ui.click("[data-testid=nav-clusters]").await?;
            ui.find("[data-testid=clusters-page]").await?;
            ui.until("the menu to close", "return document.querySelector('[data-testid=menu-button]').getAttribute('aria-expanded') === 'false';", vec![]).await?;
            assert!(!ui.is_shown("[data-testid=nav-clusters]").await?, "the sidebar folds away again");
            // A dialog fits the screen.
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            let dialog: Value = ui
                .client
                .execute("const r = document.querySelector('[data-testid=user-dialog]').getBoundingClientRect(); return [r.left, r.right, document.documentElement.clientWidth];", vec![])
                .await?;
            let (left, right, width): (f64, f64, f64) = serde_json::from_value(dialog)?;
            assert!(left >= 0.0 && right <= width, "the dialog spans {left}..{right} of {width} px");
            ui.click("[data-testid=way-specific]").await?;
            ui.wait_count("[data-testid=privilege-row]", 1).await?;
            let inner: Value = ui
                .client
                .execute("const d = document.querySelector('[data-testid=user-dialog]'); return [d.scrollWidth, d.clientWidth];", vec![])
                .await?;
            let (scroll, client): (f64, f64) = serde_json::from_value(inner)?;
            assert!(scroll <= client, "the dialog's content is {scroll} px wide in {client} px");
            ui.screenshot(&dir.join("add-user-dialog-360.png")).await?;
            Ok(())
        },
    )
    .await;
}
