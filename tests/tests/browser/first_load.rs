//! The first load stays small, and the pages most sessions never open load when opened (issue 19).
//!
//! A size ceiling, not a timing: what Chromium fetched before the Database Access page (the first page a
//! signed-in user sees) was usable, each file's `gzip -9` size counted as a static host would send it
//! compressed. The API's own answers are not counted.

use std::path::Path;

use crate::harness::{browser_test, dist_dir, Ctx, Error, Ui};

/// Issue 19's target for index.html, JS, Wasm, CSS and config together.
const FIRST_LOAD_CEILING: u64 = 250_000;

#[tokio::test]
async fn first_load_is_under_its_ceiling_and_other_pages_load_when_opened() {
    browser_test(
        "first_load_is_under_its_ceiling_and_other_pages_load_when_opened",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]").await?;
            ui.find("[data-testid=users-empty]").await?;

            let fetched = static_files_fetched(&ui).await?;
            let mut total = 0;
            let mut table = String::new();
            for file in &fetched {
                let size = gzip_size(&dist_dir().join(file))?;
                total += size;
                table.push_str(&format!("{size:>9}  {file}\n"));
            }
            println!("first load (gzip -9 bytes):\n{table}{total:>9}  in all");
            assert!(
                fetched.iter().any(|f| f.ends_with("_bg.wasm")),
                "the console's Wasm must be among the files fetched: {fetched:?}"
            );
            assert!(
                !fetched.iter().any(|f| f.starts_with("access-console-pages")),
                "the pages module must not be part of the first load: {fetched:?}"
            );
            assert!(
                total <= FIRST_LOAD_CEILING,
                "the first load is {total} bytes gzip, over its ceiling of {FIRST_LOAD_CEILING}:\n{table}"
            );

            // API Keys, a page of the pages module: fetched now, and usable.
            ui.click("[data-testid=nav-api-keys]").await?;
            ui.wait_text("h1", "API Keys").await?;
            ui.find("[data-testid=api-keys-empty], [data-testid=api-keys-table]").await?;
            let fetched = static_files_fetched(&ui).await?;
            assert_eq!(
                fetched
                    .iter()
                    .filter(|f| f.as_str() == "access-console-pages_bg.wasm")
                    .count(),
                1,
                "the pages module is fetched once: {fetched:?}"
            );

            // Another page of the module: not fetched again; the last page was unmounted.
            ui.click("[data-testid=nav-advanced]").await?;
            ui.find("[data-testid=x509-panel]").await?;
            assert_eq!(ui.texts("[data-testid=lazy-view]").await?.len(), 1);
            assert!(!ui.is_shown("[data-testid=api-keys-empty], [data-testid=api-keys-table]").await?);
            let again = static_files_fetched(&ui).await?;
            assert_eq!(
                again.iter().filter(|f| f.starts_with("access-console-pages")).count(),
                fetched.iter().filter(|f| f.starts_with("access-console-pages")).count(),
                "opening a second page of the module fetches nothing more"
            );

            // A reload on a page of the module shows it (deep links work), and Back leaves it.
            ui.reload().await?;
            ui.find("[data-testid=x509-panel]").await?;
            ui.click("[data-testid=nav-database-access]").await?;
            ui.find("[data-testid=users-empty]").await?;
            assert!(!ui.is_shown("[data-testid=lazy-view]").await?);
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_page_of_the_pages_module_that_finds_the_session_gone_asks_to_sign_in() {
    browser_test(
        "a_page_of_the_pages_module_that_finds_the_session_gone_asks_to_sign_in",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.wait_text("h1", "Clusters").await?;
            // The session ends elsewhere (its cookie is dropped), then the page's next call is refused.
            ui.client
                .execute(
                    "document.cookie = 'access_console_session=; path=/; max-age=0'; return null;",
                    vec![],
                )
                .await?;
            ui.click("[data-testid=nav-api-keys]").await?;
            ui.find("[data-testid=sign-in]").await?;
            ui.wait_text("[data-testid=sign-in-notice]", "Your session ended")
                .await?;
            Ok(())
        },
    )
    .await;
}

/// The files of `dist/` the page has fetched so far (index.html included), in the order fetched.
async fn static_files_fetched(ui: &Ui) -> Result<Vec<String>, Error> {
    let urls = ui
        .client
        .execute(
            "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));",
            vec![],
        )
        .await?;
    let base = format!("{}/", ui.base.trim_end_matches('/'));
    let mut files = Vec::new();
    for url in urls.as_array().cloned().unwrap_or_default() {
        let Some(url) = url.as_str() else { continue };
        let Some(path) = url.strip_prefix(&base) else {
            continue;
        };
        let path = path.split(['#', '?']).next().unwrap_or_default();
        let file = if path.is_empty() { "index.html" } else { path };
        if file.starts_with("api/") {
            continue;
        }
        assert!(
            dist_dir().join(file).is_file(),
            "{url} was fetched but is not a file of dist/"
        );
        files.push(file.to_owned());
    }
    Ok(files)
}

fn gzip_size(path: &Path) -> Result<u64, Error> {
    let output = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()?;
    if !output.status.success() {
        return Err(format!("gzip {} failed", path.display()).into());
    }
    Ok(output.stdout.len() as u64)
}
