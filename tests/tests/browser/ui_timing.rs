//! Measurements, not tests (ignored by `make test`; run by `make bench`, figures in docs/benchmarks.md):
//! how long the Database Users tab takes to read 10,000 users, and to filter them and render the first
//! page as the user types, and one Access Check over 10,000 users and 1,000 custom roles (API and page), in
//! Chromium against the real server.
//!
//! `cargo test -p e2e --release -- --ignored --nocapture ui_timing`

use serde_json::{json, Value};

use crate::harness::{browser_test, Api, Ctx, Error};
use test_support::pki::Pki;

const USERS: usize = 10_000;

/// The project's CA, and `USERS` users named `CN=user00042,OU=Team5,O=Acme`, user `n` holding `role(n)`.
async fn seed_users(api: &Api, group_id: &str, role: impl Fn(usize) -> Value) -> Result<(), Error> {
    let ca = Pki::new().root("/O=Acme/CN=Acme Users CA", 365);
    api.save_cas(group_id, &ca.pem).await?;
    for n in 0..USERS {
        api.create_user(
            group_id,
            &json!({
                "databaseName": "$external",
                "username": format!("CN=user{n:05},OU=Team{},O=Acme", n % 37),
                "x509Type": "CUSTOMER",
                "roles": [role(n)],
            }),
        )
        .await?;
    }
    Ok(())
}

#[tokio::test]
#[ignore = "a measurement, not a test: `make bench` runs it and prints its figures"]
async fn ui_timing_filter_10000_users() {
    browser_test("ui_timing_filter_10000_users", |Ctx { ui, api }| async move {
        let group_id = api.group_id().await?;
        seed_users(&api, &group_id, |_| {
            json!({ "roleName": "readWrite", "databaseName": "sales", "collectionName": "orders" })
        })
        .await?;

        ui.open(&format!("#/projects/{group_id}/database-access")).await?;
        let first_page: Value = ui
            .until(
                "the first page of users to be shown",
                "const s = document.querySelector('[data-testid=users-summary]');
                 return s && s.textContent.startsWith('1–50 of') ? performance.now() : null;",
                vec![],
            )
            .await?;
        println!("page open to the first page of users shown: {first_page} ms (performance.now since navigation)");
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

        // Opening the tab in the running console (from another page of the project), three times: the
        // time from the route change to the first page of users shown.
        let mut opens = Vec::new();
        for _ in 0..3 {
            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.find("[data-testid=page]").await?;
            ui.client
                .execute(
                    "window.__t0 = performance.now(); location.hash = arguments[0]; return true;",
                    vec![json!(format!("#/projects/{group_id}/database-access"))],
                )
                .await?;
            let shown: Value = ui
                .until(
                    "the first page of users to be shown again",
                    "const s = document.querySelector('[data-testid=users-summary]');
                     return s && s.textContent.startsWith('1–50 of') ? performance.now() - window.__t0 : null;",
                    vec![],
                )
                .await?;
            opens.push(shown.as_f64().unwrap_or(f64::NAN));
        }
        let (m, lo, hi) = median(&mut opens);
        println!("opening the tab in the running console to the first page of users shown: median {m:.1} ms (min {lo:.1}, max {hi:.1}, 3 opens)");
        Ok(())
    })
    .await;
}

const ROLES: usize = 1_000;

/// One Access Check over a project with 10,000 users and 1,000 custom roles (chains of ten inherited
/// roles): the API's time for the check, and in the page, the time from the request leaving (the inputs
/// have been still for the debounce) to the answer shown.
#[tokio::test]
#[ignore = "a measurement, not a test: `make bench` runs it and prints its figures"]
async fn ui_timing_access_check() {
    browser_test("ui_timing_access_check", |Ctx { ui, api }| async move {
        let group_id = api.group_id().await?;
        for n in 0..ROLES {
            let inherited = if n % 10 == 0 {
                json!([])
            } else {
                json!([{ "role": format!("role{:04}", n - 1), "db": "admin" }])
            };
            api.create_custom_role(
                &group_id,
                &json!({
                    "roleName": format!("role{n:04}"),
                    "actions": [{ "action": "FIND", "resources": [{ "db": format!("db{n:04}"), "collection": "orders" }] }],
                    "inheritedRoles": inherited,
                }),
            )
            .await?;
        }
        seed_users(&api, &group_id, |n| {
            json!({ "roleName": format!("role{:04}", n % ROLES), "databaseName": "admin" })
        })
        .await?;
        // user04249 holds role0249, which inherits role0240 through nine others: FIND on db0240.orders is allowed
        // through the longest path there is.
        let username = &format!("CN=user04249,OU=Team{},O=Acme", 4249 % 37);
        let body = json!({ "username": username, "actions": ["FIND"], "database": "db0240", "collection": "orders" });
        let path = format!("/groups/{group_id}/accessCheck");
        let answer = api.post(&path, &body).await?;
        assert_eq!(answer["authorization"]["allowed"], true, "{answer}");
        let mut api_ms = Vec::new();
        for _ in 0..50 {
            let start = std::time::Instant::now();
            api.post(&path, &body).await?;
            api_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        api_ms.sort_by(f64::total_cmp);
        println!(
            "access check over {USERS} users and {ROLES} custom roles, API (50 sequential POSTs, loopback): median {:.1} ms (min {:.1}, max {:.1})",
            api_ms[api_ms.len() / 2],
            api_ms[0],
            api_ms[api_ms.len() - 1]
        );

        ui.open(&format!("#/projects/{group_id}/database-access/check")).await?;
        ui.find("[data-testid=check-username]").await?;
        ui.type_into("[data-testid=check-actions]", "FIND").await?;
        ui.type_into("[data-testid=check-database]", "db0240").await?;
        ui.type_into("[data-testid=check-collection]", "orders").await?;
        let mut page_ms = Vec::new();
        for round in 0..10 {
            // Another name each round (so the answer changes), then the measured one.
            ui.type_into("[data-testid=check-username]", &format!("CN=user0{round}000,OU=Team0,O=Acme")).await?;
            ui.until("the other answer", "const v = document.querySelector('[data-testid=check-verdict]'); return v && !document.querySelector('[data-testid=check-verdict]').textContent.includes('user04249') ? true : null;", vec![]).await?;
            ui.client
                .execute(
                    "window.__sent = null; window.__shown = null;
                     const answer = document.querySelector('[data-testid=access-check-answer]');
                     new PerformanceObserver((list, observer) => {
                       for (const e of list.getEntries()) if (e.name.endsWith('/accessCheck')) { window.__sent = e.startTime; window.__fetch = e.duration; observer.disconnect(); }
                     }).observe({ type: 'resource' });
                     const mo = new MutationObserver(() => {
                       if (answer.textContent.includes('user04249') && answer.querySelector('[data-testid=check-verdict]')) {
                         window.__shown = performance.now(); mo.disconnect();
                       }
                     });
                     mo.observe(answer, { subtree: true, childList: true, characterData: true });
                     return true;",
                    vec![],
                )
                .await?;
            ui.type_into("[data-testid=check-username]", username).await?;
            let times: Value = ui
                .until(
                    "the answer shown",
                    "return window.__sent !== null && window.__shown !== null ? [window.__shown - window.__sent, window.__fetch] : null;",
                    vec![],
                )
                .await?;
            page_ms.push(times[0].as_f64().unwrap_or(f64::NAN));
        }
        page_ms.sort_by(f64::total_cmp);
        println!(
            "access check in the page, request sent to answer shown ({} checks): median {:.1} ms (min {:.1}, max {:.1})",
            page_ms.len(),
            page_ms[page_ms.len() / 2],
            page_ms[0],
            page_ms[page_ms.len() - 1]
        );
        Ok(())
    })
    .await;
}

/// A page of the pages module (loaded on demand): from the route change (a click on its link does the
/// same) to the page usable — its list shown — the first time (the module fetched, compiled and
/// started) and again (the module loaded). Issue 19: "usable within 150 ms of the click on loopback".
#[tokio::test]
#[ignore = "a measurement, not a test: `make bench` runs it and prints its figures"]
async fn ui_timing_page_loaded_on_demand() {
    browser_test("ui_timing_page_loaded_on_demand", |Ctx { ui, api }| async move {
        let group_id = api.group_id().await?;
        let mut times = Vec::new();
        for _ in 0..4 {
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.find("[data-testid=users-summary], [data-testid=users-empty], [data-testid=page]")
                .await?;
            ui.client
                .execute(
                    "window.__t0 = performance.now(); location.hash = arguments[0]; return true;",
                    vec![json!(format!("#/projects/{group_id}/api-keys"))],
                )
                .await?;
            let usable: Value = ui
                .until(
                    "the API Keys page to be usable",
                    "return document.querySelector('[data-testid=api-keys-empty], [data-testid=api-keys-table]')
                       ? performance.now() - window.__t0 : null;",
                    vec![],
                )
                .await?;
            times.push(usable.as_f64().unwrap_or(f64::NAN));
            if times.len() == 1 {
                // Where the first open's time goes: the module's two files, from the route change.
                let fetched: Value = ui
                    .client
                    .execute(
                        "return performance.getEntriesByType('resource')
                           .filter(e => e.name.includes('access-console-pages') || e.name.includes('/apiKeys'))
                           .map(e => `${e.name.split('/').pop()}: requested at ${(e.startTime - window.__t0).toFixed(1)} ms, \
                                      received at ${(e.responseEnd - window.__t0).toFixed(1)} ms`);",
                        vec![],
                    )
                    .await?;
                for line in fetched.as_array().into_iter().flatten() {
                    println!("  first open: {}", line.as_str().unwrap_or_default());
                }
            }
        }
        let again = &times[1..];
        println!(
            "page loaded on demand (API Keys), route change to usable: first {:.1} ms (module fetched), then {} ms",
            times[0],
            again.iter().map(|t| format!("{t:.1}")).collect::<Vec<_>>().join(", ")
        );
        Ok(())
    })
    .await;
}
