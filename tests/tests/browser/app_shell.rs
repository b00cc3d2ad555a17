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

            // The start page opens the first project's Advanced page, in the address bar too.
            let advanced = format!("#/projects/{group_id}/advanced");
            ui.until(
                "the Advanced page of the first project",
                "return location.hash === arguments[0];",
                vec![json!(advanced)],
            )
            .await?;
            ui.wait_text("h1", "Advanced").await?;
            ui.wait_text(
                "[data-testid=x509-panel] h2",
                "Self-Managed X.509 Authentication",
            )
            .await?;
            let menu = ui.find("[data-testid=project-menu]").await?;
            ui.wait_text("[data-testid=project-menu] option", "Project 0")
                .await?;
            assert_eq!(
                menu.prop("value").await?.as_deref(),
                Some(group_id.as_str())
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
                    "Clusters".to_owned(),
                    "Activity Feed".to_owned(),
                    "Alerts".to_owned(),
                    "Alert Settings".to_owned(),
                    "Project Access".to_owned(),
                    "API Keys".to_owned()
                ]
            );
            assert_eq!(
                ui.find("[data-testid=nav-advanced]")
                    .await?
                    .attr("aria-current")
                    .await?
                    .as_deref(),
                Some("page")
            );

            // The sidebar link goes to Database Access (its Database Users tab).
            ui.click("[data-testid=nav-database-access]").await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            assert_eq!(
                ui.hash().await?,
                format!("#/projects/{group_id}/database-access")
            );

            // A reload keeps the page; the browser's Back goes to Advanced again.
            ui.reload().await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            ui.wait_text("h1", "Database Access").await?;
            ui.client.back().await?;
            ui.find("[data-testid=x509-panel]").await?;
            assert_eq!(ui.hash().await?, advanced);

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
            ui.find("[data-testid=x509-off]").await?;
            ui.wait_text("[data-testid=project-menu] option", "Project 0")
                .await?;
            Ok(())
        },
    )
    .await;
}
