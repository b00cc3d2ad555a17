//! The frame of the console: the project menu, the sidebar, and routes that survive a reload.

use serde_json::json;

use crate::harness::{browser_test, Ctx};

#[tokio::test]
async fn opens_the_first_project_and_keeps_the_page_on_reload() {
    browser_test(
        "opens_the_first_project_and_keeps_the_page_on_reload",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open("").await?;

            // The start page opens the first project's Database Access page (its Database Users
            // tab: the first load carries it), in the address bar too.
            let database_access = format!("#/projects/{group_id}/database-access");
            ui.until(
                "the Database Access page of the first project",
                "return location.hash === arguments[0];",
                vec![json!(database_access)],
            )
            .await?;
            ui.wait_text("h1", "Database Access").await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            // The switcher names the project (its list: every project's name).
            ui.until(
                "the switcher to name Project 0",
                "const m = document.querySelector('[data-testid=project-menu]'); return m && m.value === 'Project 0';",
                vec![],
            )
            .await?;
            assert_eq!(
                ui.client
                    .execute(
                        "return [...document.querySelectorAll('[data-testid=project-menu-names] option')].map(o => o.value);",
                        vec![]
                    )
                    .await?,
                json!(["Project 0"])
            );
            assert_eq!(
                ui.texts(".sidebar .nav-heading").await?,
                vec!["Security".to_owned(), "Project".to_owned()]
            );
            assert_eq!(
                ui.texts(".sidebar .nav-link").await?,
                vec![
                    "Database Access".to_owned(),
                    "Advanced".to_owned(),
                    "Drift".to_owned(),
                    "Clusters".to_owned(),
                    "Activity Feed".to_owned(),
                    "Alerts".to_owned(),
                    "Alert Settings".to_owned(),
                    "Project Access".to_owned(),
                    "API Keys".to_owned(),
                    "Project Settings".to_owned()
                ]
            );
            assert_eq!(
                ui.find("[data-testid=nav-database-access]")
                    .await?
                    .attr("aria-current")
                    .await?
                    .as_deref(),
                Some("page")
            );

            // The sidebar link goes to Advanced (a page loaded on demand).
            ui.click("[data-testid=nav-advanced]").await?;
            ui.wait_text(
                "[data-testid=x509-panel] h2",
                "Self-Managed X.509 Authentication",
            )
            .await?;
            let advanced = format!("#/projects/{group_id}/advanced");
            assert_eq!(ui.hash().await?, advanced);

            // A reload keeps the page; the browser's Back goes to Database Access again.
            ui.reload().await?;
            ui.find("[data-testid=x509-panel]").await?;
            ui.wait_text("h1", "Advanced").await?;
            ui.client.back().await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            assert_eq!(ui.hash().await?, database_access);

            // A deep link opened directly works, and an address that names no page says so.
            ui.open(&format!("#/projects/{group_id}/database-access"))
                .await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            ui.open("#/no/such/page").await?;
            ui.wait_text("[data-testid=page-not-found]", "/no/such/page")
                .await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_unknown_project_is_reported_by_the_server() {
    browser_test(
        "an_unknown_project_is_reported_by_the_server",
        |Ctx { ui, .. }| async move {
            let missing = "0123456789abcdef01234567";
            ui.open(&format!("#/projects/{missing}/advanced")).await?;
            let error = ui.find("[data-testid=api-error]").await?;
            assert_eq!(
                error.attr("data-error-code").await?.as_deref(),
                Some("GROUP_NOT_FOUND")
            );
            ui.wait_text("[data-testid=api-error]", missing).await?;
            // Nothing can be switched on for a project that does not exist.
            let toggle = ui.find("[data-testid=x509-toggle]").await?;
            assert!(!toggle.is_enabled().await?, "the toggle must be disabled");
            // The way out: the first project.
            ui.click(".panel-next a[href='#/']").await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            ui.until(
                "the switcher to name Project 0",
                "const m = document.querySelector('[data-testid=project-menu]'); return m && m.value === 'Project 0';",
                vec![],
            )
            .await?;
            Ok(())
        },
    )
    .await;
}

/// `2026-12-04 17:39 UTC`: the console's one date format.
fn is_display_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 20
        && text.get(16..20) == Some(" UTC")
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b' '
        && b[13] == b':'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

#[tokio::test]
async fn every_page_shows_times_in_one_format_with_days_left_where_they_expire() {
    browser_test(
        "every_page_shows_times_in_one_format_with_days_left_where_they_expire",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let ca = test_support::pki::Pki::new().root("/C=US/O=Acme/CN=Acme Users CA", 365);
            api.save_cas(&group_id, &ca.pem).await?;
            let in_three_days = access_core::time::format_rfc3339(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)?
                    .as_secs() as i64
                    + 3 * 86_400
                    + 600,
            );
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=Temp,O=Acme", "x509Type": "CUSTOMER",
                        "deleteAfterDate": in_three_days, "roles": [{"roleName": "read", "databaseName": "sales"}]}),
            )
            .await?;
            api.post(
                &format!("/groups/{group_id}/apiKeys"),
                &json!({"desc": "ci", "roles": ["GROUP_READ_ONLY"]}),
            )
            .await?;

            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.wait_count("[data-testid=user-row]", 1).await?;
            let expires = ui.text("[data-testid=user-expires]").await?;
            assert!(
                is_display_time(&expires) && expires.ends_with(" UTC (3 days left)"),
                "Expires: {expires:?}"
            );

            ui.open(&format!("#/projects/{group_id}/api-keys")).await?;
            ui.wait_count("[data-testid=api-key-row]", 1).await?;
            let created = ui.text("[data-testid=api-key-created-at]").await?;
            assert!(is_display_time(&created), "API key created: {created:?}");

            ui.open(&format!("#/projects/{group_id}/activity")).await?;
            ui.find("[data-testid=event-row]").await?;
            for time in ui.texts("[data-testid=event-time]").await? {
                assert!(is_display_time(&time) && time.len() == 20, "event time: {time:?}");
            }

            ui.open(&format!("#/projects/{group_id}/advanced")).await?;
            ui.find("[data-testid=certificate-not-before]").await?;
            let not_before = ui
                .client
                .execute(
                    "return document.querySelector('[data-testid=certificate-not-before]').textContent;",
                    vec![],
                )
                .await?;
            let not_before = not_before.as_str().unwrap_or_default();
            assert!(is_display_time(not_before), "notBefore: {not_before:?}");
            Ok(())
        },
    )
    .await;
}
