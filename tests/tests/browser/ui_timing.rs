//! Measurements, not tests (ignored by `make test`; run by `make bench`, figures in docs/benchmarks.md):
//! how long the Database Users tab takes to read 10,000 users, and to filter them and render the first
//! page as the user types, in Chromium against the real server.
//!
//! `cargo test -p e2e --release -- --ignored --nocapture ui_timing`

use serde_json::{json, Value};

use crate::harness::{browser_test, Ctx};
use crate::pki::Pki;

const USERS: usize = 10_000;

#[tokio::test]
#[ignore = "a measurement, not a test: `make bench` runs it and prints its figures"]
async fn ui_timing_filter_10000_users() {
    browser_test("ui_timing_filter_10000_users", |Ctx { ui, api }| async move {
        let pki = Pki::new();
        let ca = pki.root("/O=Acme/CN=Acme Users CA", 365);
        let group_id = api.group_id().await?;
        api.save_cas(&group_id, &ca.pem).await?;
        for n in 0..USERS {
            api.create_user(
                &group_id,
                &json!({
                    "databaseName": "$external",
                    "username": format!("CN=user{n:05},OU=Team{},O=Acme", n % 37),
                    "x509Type": "CUSTOMER",
                    "roles": [{ "roleName": "readWrite", "databaseName": "sales", "collectionName": "orders" }],
                }),
            )
            .await?;
        }

        ui.open(&format!("#/projects/{group_id}/database-access")).await?;
        let loaded: Value = ui
            .until(
                "every user to be read",
                "const s = document.querySelector('[data-testid=users-summary]');
                 return s && s.textContent.endsWith('of 10000') ? performance.now() : null;",
                vec![],
            )
            .await?;
        println!("page open to all {USERS} users read and the first page shown: {loaded} ms (performance.now since navigation)");

        // Real typing (WebDriver key events). For each `input` event on the search box: the time until
        // the page's DOM changes (filter + render of the first page), and until the next frame.
        ui.client
            .execute(
                "window.__times = []; let pending = null;
                 document.addEventListener('input', e => {
                   if (e.target.matches('[data-testid=users-search]')) pending = performance.now();
                 }, true);
                 new MutationObserver(() => {
                   if (pending === null) return;
                   const t0 = pending, t1 = performance.now(); pending = null;
                   requestAnimationFrame(() => setTimeout(() => window.__times.push([t1 - t0, performance.now() - t0]), 0));
                 }).observe(document.querySelector('[data-testid=page]'),
                            { subtree: true, childList: true, characterData: true, attributes: true });
                 return true;",
                vec![],
            )
            .await?;
        let search = ui.find("[data-testid=users-search]").await?;
        for query in ["user0999", "team3", "user09", "nobody", "acme", "user00042", "o=acme", "team1"] {
            search.clear().await?;
            search.send_keys(query).await?;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let times: Vec<(f64, f64)> =
            serde_json::from_value(ui.client.execute("return window.__times;", vec![]).await?)?;
        let mut filter: Vec<f64> = times.iter().map(|t| t.0).collect();
        let mut frame: Vec<f64> = times.iter().map(|t| t.1).collect();
        println!("{} keystrokes measured", times.len());
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            (v[v.len() / 2], v[0], v[v.len() - 1])
        };
        let (m, lo, hi) = median(&mut filter);
        println!("filter {USERS} users and render the first page: median {m:.1} ms (min {lo:.1}, max {hi:.1})");
        let (m, lo, hi) = median(&mut frame);
        println!("... until the next frame is painted: median {m:.1} ms (min {lo:.1}, max {hi:.1})");
        Ok(())
    })
    .await;
}
