//! Organizations and projects in the console (issue 15): a project created from the organization's
//! page, switched to with the top bar's switcher by typing, renamed and deleted (by its typed name) on
//! Project Settings, the switcher and the organization's page following each change; organization roles
//! changed on Organization Access; and a Read Only account offered neither New Project nor any change
//! on Project Settings. Also the organization's page with 1,000 projects (a measurement, ignored).

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{artifacts_dir, browser_test, Api, Ctx, Error, TestResult, Ui};

const READER: (&str, &str) = ("reader", "reader's long password");

/// The organization of the project `group_id`.
async fn org_of(api: &Api, group_id: &str) -> Result<String, Error> {
    let group = api.get(&format!("/groups/{group_id}")).await?;
    group["orgId"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no orgId in {group}").into())
}

/// Sends `key` to whatever has the focus.
async fn press(ui: &Ui, key: Key) -> TestResult {
    ui.client
        .active_element()
        .await?
        .send_keys(&key.to_string())
        .await?;
    Ok(())
}

/// Waits until `location.hash` is `hash`.
async fn wait_hash(ui: &Ui, hash: &str) -> TestResult {
    ui.until(
        &format!("the address {hash}"),
        "return location.hash === arguments[0];",
        vec![json!(hash)],
    )
    .await?;
    Ok(())
}

/// The names the switcher suggests (its datalist).
async fn switcher_names(ui: &Ui) -> Result<Vec<String>, Error> {
    let names = ui
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=project-menu-names] option')].map(o => o.value);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

/// Waits until the switcher names `name` (the current project).
async fn wait_switcher(ui: &Ui, name: &str) -> TestResult {
    ui.until(
        &format!("the switcher to name {name}"),
        "const m = document.querySelector('[data-testid=project-menu]');
         return m && document.activeElement !== m && m.value === arguments[0];",
        vec![json!(name)],
    )
    .await?;
    Ok(())
}

/// Types `text` into the switcher (it empties when it takes the focus) and presses Enter.
async fn switch_by_typing(ui: &Ui, text: &str) -> TestResult {
    ui.click("[data-testid=project-menu]").await?;
    ui.until(
        "the switcher to take the focus, emptied",
        "const m = document.querySelector('[data-testid=project-menu]');
         return document.activeElement === m && m.value === '';",
        vec![],
    )
    .await?;
    ui.client.active_element().await?.send_keys(text).await?;
    press(ui, Key::Enter).await
}

/// Screenshots of the page at 1280 and 390 px wide, in `target/e2e/organizations/`.
async fn shots(ui: &Ui, name: &str) -> TestResult {
    let dir = artifacts_dir().join("organizations");
    for width in [1280u32, 390] {
        ui.client.set_window_size(width, 900).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        ui.screenshot(&dir.join(format!("{name}-{width}.png")))
            .await?;
    }
    ui.client.set_window_size(1440, 1000).await?;
    Ok(())
}

#[tokio::test]
async fn a_project_is_created_switched_to_renamed_and_deleted_in_the_console() {
    browser_test(
        "a_project_is_created_switched_to_renamed_and_deleted_in_the_console",
        |Ctx { ui, api }| async move {
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            ui.open("").await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;

            // The top bar leads to the organization's page: its projects.
            ui.click("[data-testid=org-link]").await?;
            wait_hash(&ui, &format!("#/orgs/{org_id}")).await?;
            ui.wait_count("[data-testid=org-project-row]", 1).await?;
            ui.wait_text("[data-testid=org-project-link]", "Project 0")
                .await?;

            // New Project: the name is checked as it is typed ...
            ui.click("[data-testid=new-project]").await?;
            ui.find("[data-testid=new-project-dialog]").await?;
            ui.type_into("[data-testid=new-project-name]", "prod/eu")
                .await?;
            ui.wait_text("[data-testid=project-name-error]", "'/' (character 5)")
                .await?;
            shots(&ui, "new-project-dialog").await?;
            // ... and the server's refusal (a name the organization has) is shown at the field.
            ui.type_into("[data-testid=new-project-name]", "Project 0")
                .await?;
            ui.wait_count("[data-testid=project-name-error]", 0).await?;
            ui.click("[data-testid=new-project-save]").await?;
            ui.find("[data-testid=project-name-error]").await?;
            ui.find("[data-testid=new-project-name][aria-invalid=true]")
                .await?;
            ui.type_into("[data-testid=new-project-name]", "Staging EU")
                .await?;
            ui.click("[data-testid=new-project-save]").await?;
            // The console opens the new project, and the switcher knows it.
            let opened = ui
                .until(
                    "the new project's page",
                    "const m = location.hash.match(/^#\\/projects\\/([0-9a-f]{24})\\/database-access$/);
                     return m && m[1] !== arguments[0] ? m[1] : null;",
                    vec![json!(first)],
                )
                .await?;
            let created = opened.as_str().unwrap_or_default().to_owned();
            wait_switcher(&ui, "Staging EU").await?;
            let stored = api.get(&format!("/groups/{created}")).await?;
            assert_eq!(stored["name"], "Staging EU", "{stored}");

            // The switcher, by typing: to Project 0 (any case, part of the name), then back.
            assert_eq!(
                switcher_names(&ui).await?,
                vec!["Project 0".to_owned(), "Staging EU".to_owned()]
            );
            switch_by_typing(&ui, "project 0").await?;
            wait_hash(&ui, &format!("#/projects/{first}/database-access")).await?;
            wait_switcher(&ui, "Project 0").await?;
            // Enter moved the focus on to the page.
            ui.until(
                "the focus on the page",
                "return document.activeElement === document.getElementById('main');",
                vec![],
            )
            .await?;
            // Escape empties the search; leaving the field puts the project's name back; nothing opens.
            ui.click("[data-testid=project-menu]").await?;
            ui.client.active_element().await?.send_keys("zzz").await?;
            press(&ui, Key::Escape).await?;
            ui.until(
                "the search emptied",
                "return document.querySelector('[data-testid=project-menu]').value === '';",
                vec![],
            )
            .await?;
            ui.click("[data-testid=page] h1").await?;
            wait_switcher(&ui, "Project 0").await?;
            assert_eq!(ui.hash().await?, format!("#/projects/{first}/database-access"));
            switch_by_typing(&ui, "stag").await?;
            wait_hash(&ui, &format!("#/projects/{created}/database-access")).await?;
            wait_switcher(&ui, "Staging EU").await?;

            // Project Settings: its own address, which survives a reload.
            ui.click("[data-testid=nav-project-settings]").await?;
            wait_hash(&ui, &format!("#/projects/{created}/settings")).await?;
            ui.reload().await?;
            let field = ui.find("[data-testid=project-rename-name]").await?;
            ui.until(
                "the name in the rename field",
                "const f = document.querySelector('[data-testid=project-rename-name]'); return f && f.value === 'Staging EU';",
                vec![],
            )
            .await?;
            wait_switcher(&ui, "Staging EU").await?;
            shots(&ui, "project-settings").await?;
            // Rename, checked as typed.
            field.clear().await?;
            field.send_keys("Staging EU!").await?;
            ui.wait_text("[data-testid=project-name-error]", "'!' (character 11)")
                .await?;
            ui.type_into("[data-testid=project-rename-name]", "Staging EU 2")
                .await?;
            ui.wait_count("[data-testid=project-name-error]", 0).await?;
            ui.click("[data-testid=project-rename-save]").await?;
            ui.wait_text("[data-testid=project-renamed]", "Staging EU 2")
                .await?;
            // The switcher and the sidebar follow.
            ui.wait_text(".sidebar-project", "Staging EU 2").await?;
            ui.until(
                "the switcher to suggest the new name",
                "return [...document.querySelectorAll('[data-testid=project-menu-names] option')].some(o => o.value === 'Staging EU 2');",
                vec![],
            )
            .await?;
            let stored = api.get(&format!("/groups/{created}")).await?;
            assert_eq!(stored["name"], "Staging EU 2", "{stored}");

            // Delete: only once the name is typed; refused while the project has a cluster.
            api.create_cluster(&created, "Cluster0", "7.0").await?;
            ui.click("[data-testid=project-delete]").await?;
            ui.find("[data-testid=delete-project-dialog]").await?;
            let confirm = ui.find("[data-testid=delete-project-confirm]").await?;
            assert!(!confirm.is_enabled().await?, "Delete before the name is typed");
            ui.type_into("[data-testid=delete-project-name]", "Staging EU")
                .await?;
            assert!(!confirm.is_enabled().await?, "Delete with another name typed");
            ui.type_into("[data-testid=delete-project-name]", "Staging EU 2")
                .await?;
            ui.until(
                "Delete to be enabled",
                "return !document.querySelector('[data-testid=delete-project-confirm]').disabled;",
                vec![],
            )
            .await?;
            shots(&ui, "delete-project-dialog").await?;
            ui.click("[data-testid=delete-project-confirm]").await?;
            ui.wait_text("[data-testid=project-has-clusters]", "still has clusters")
                .await?;
            let link = ui.find("[data-testid=project-clusters-link]").await?;
            assert_eq!(
                link.attr("href").await?,
                Some(format!("#/projects/{created}/clusters"))
            );
            shots(&ui, "delete-project-refused").await?;
            let (status, _) = api
                .call(
                    Method::DELETE,
                    &format!("/groups/{created}/clusters/Cluster0"),
                    None,
                )
                .await?;
            assert_eq!(status, 204, "the cluster's delete");
            ui.click("[data-testid=delete-project-confirm]").await?;
            // Gone: the organization's page, and the switcher no longer lists it.
            wait_hash(&ui, &format!("#/orgs/{org_id}")).await?;
            ui.wait_count("[data-testid=org-project-row]", 1).await?;
            let (status, _) = api
                .call(Method::GET, &format!("/groups/{created}"), None)
                .await?;
            assert_eq!(status, 404, "the deleted project");
            ui.until(
                "the switcher to suggest only Project 0",
                "const names = [...document.querySelectorAll('[data-testid=project-menu-names] option')].map(o => o.value);
                 return names.length === 1 && names[0] === 'Project 0';",
                vec![],
            )
            .await?;
            shots(&ui, "organization").await?;
            Ok(())
        },
    )
    .await;
}

/// Signs the browser out and in again as `account`.
async fn sign_in_as(ui: &Ui, account: (&str, &str)) -> TestResult {
    ui.click("[data-testid=sign-out]").await?;
    ui.wait_text("[data-testid=sign-in-notice]", "You signed out")
        .await?;
    ui.type_into("[data-testid=sign-in-username]", account.0)
        .await?;
    ui.type_into("[data-testid=sign-in-password]", account.1)
        .await?;
    ui.click("[data-testid=sign-in-submit]").await?;
    ui.wait_text("[data-testid=account-name]", account.0)
        .await?;
    Ok(())
}

#[tokio::test]
async fn organization_roles_change_on_organization_access_and_a_reader_changes_nothing() {
    browser_test(
        "organization_roles_change_on_organization_access_and_a_reader_changes_nothing",
        |Ctx { ui, api }| async move {
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            let (status, body) = api
                .console(
                    Method::POST,
                    &format!("/groups/{first}/accounts"),
                    Some(&json!({"username": READER.0, "password": READER.1, "roleName": "GROUP_READ_ONLY"})),
                )
                .await?;
            assert!(status == 200 || status == 201, "{status} {body}");

            // Organization Access: the owner makes the reader Organization Read Only.
            ui.open(&format!("#/orgs/{org_id}/access")).await?;
            ui.wait_count("[data-testid=org-account-row]", 2).await?;
            let reader_select = format!(
                "[data-testid=org-account-row][data-username={}] [data-testid=org-role-select]",
                READER.0
            );
            ui.choose(&reader_select, "ORG_READ_ONLY").await?;
            ui.wait_text("[data-testid=org-accounts-outcome]", READER.0)
                .await?;
            let (_, accounts) = api
                .console(Method::GET, &format!("/orgs/{org_id}/accounts"), None)
                .await?;
            let role_of = |name: &str| {
                accounts["results"]
                    .as_array()
                    .and_then(|all| all.iter().find(|a| a["username"] == name))
                    .map(|a| a["orgRole"].clone())
                    .unwrap_or(Value::Null)
            };
            assert_eq!(role_of(READER.0), "ORG_READ_ONLY", "{accounts}");
            // The last owner cannot give up the organization: the page says why.
            ui.choose(
                "[data-testid=org-account-row][data-username=owner] [data-testid=org-role-select]",
                "ORG_MEMBER",
            )
            .await?;
            let error = ui.find("[data-testid=api-error]").await?;
            assert_eq!(
                error.attr("data-error-code").await?.as_deref(),
                Some("LAST_ORG_OWNER")
            );
            assert_eq!(role_of("owner"), "ORG_OWNER", "{accounts}");
            shots(&ui, "organization-access").await?;

            // The reader: every project to read, no New Project, nothing to change in Project Settings.
            sign_in_as(&ui, READER).await?;
            ui.open(&format!("#/orgs/{org_id}")).await?;
            ui.wait_count("[data-testid=org-project-row]", 1).await?;
            ui.wait_text("[data-testid=project-role]", "Read Only").await?;
            assert!(!ui.is_shown("[data-testid=new-project]").await?, "New Project");
            ui.open(&format!("#/projects/{first}/settings")).await?;
            ui.find("[data-testid=project-settings-read-only]").await?;
            let field = ui.find("[data-testid=project-rename-name]").await?;
            assert!(!field.is_enabled().await?, "the name field");
            assert!(!ui.is_shown("[data-testid=project-rename-save]").await?, "Rename");
            assert!(!ui.is_shown("[data-testid=project-delete]").await?, "Delete");
            // The server refuses the reader anyway.
            let refused: Value = ui
                .client
                .execute(
                    "return fetch('/api/console/session').then(r => r.json()).then(s =>
                        fetch('/api/atlas/v2/groups/' + arguments[0], {method: 'PATCH',
                          headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
                          body: JSON.stringify({name: 'Renamed'})})).then(r => r.status);",
                    vec![json!(first)],
                )
                .await?;
            assert_eq!(refused, json!(403));
            Ok(())
        },
    )
    .await;
}

/// The organization's page with 1,000 projects: the API's answer, the page's first paint of every row,
/// and filtering as the user types (a measurement, not a test: figures printed, for docs/benchmarks.md).
///
/// `cargo test -p e2e --release -- --ignored --nocapture organization_page_with_1000_projects`
#[tokio::test]
#[ignore = "a measurement, not a test: `make bench` runs it and prints its figures"]
async fn ui_timing_organization_page_with_1000_projects() {
    browser_test(
        "ui_timing_organization_page_with_1000_projects",
        |Ctx { ui, api }| async move {
            const PROJECTS: usize = 1_000;
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            for n in 1..PROJECTS {
                api.post("/groups", &json!({"name": format!("project-{n:04}"), "orgId": org_id}))
                    .await?;
            }
            let mut api_times = Vec::new();
            for _ in 0..5 {
                let started = Instant::now();
                let (status, body) = api
                    .console(Method::GET, &format!("/orgs/{org_id}/projects"), None)
                    .await?;
                api_times.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(status, 200);
                assert_eq!(body["results"].as_array().map(Vec::len), Some(PROJECTS));
            }
            api_times.sort_by(f64::total_cmp);
            println!(
                "GET /api/console/orgs/{{orgId}}/projects with {PROJECTS} projects: median {:.1} ms (min {:.1}, max {:.1})",
                api_times[2], api_times[0], api_times[4]
            );

            // From the route change (the console already open) to every row painted.
            ui.open(&format!("#/projects/{first}/database-access")).await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]").await?;
            let mut page_times = Vec::new();
            for _ in 0..3 {
                ui.open(&format!("#/projects/{first}/database-access")).await?;
                ui.find("[data-testid=tab-database-users][aria-current=page]").await?;
                ui.client
                    .execute(
                        "window.__painted = null; const t0 = performance.now();
                         location.hash = arguments[0];
                         const check = () => {
                           if (document.querySelectorAll('[data-testid=org-project-row]').length === arguments[1]) {
                             requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now() - t0; }, 0));
                           } else { requestAnimationFrame(check); }
                         };
                         requestAnimationFrame(check); return true;",
                        vec![json!(format!("#/orgs/{org_id}")), json!(PROJECTS)],
                    )
                    .await?;
                let painted = ui
                    .until("every row painted", "return window.__painted;", vec![])
                    .await?;
                page_times.push(painted.as_f64().unwrap_or(f64::NAN));
            }
            page_times.sort_by(f64::total_cmp);
            println!(
                "organization page, route change to {PROJECTS} rows painted (request included): median {:.1} ms (min {:.1}, max {:.1})",
                page_times[1], page_times[0], page_times[2]
            );

            ui.client
                .execute(
                    "window.__times = []; let pending = null;
                     document.addEventListener('input', e => {
                       if (e.target.matches('[data-testid=org-projects-filter]')) pending = performance.now();
                     }, true);
                     new MutationObserver(() => {
                       if (pending === null) return;
                       const t0 = pending; pending = null;
                       requestAnimationFrame(() => setTimeout(() => window.__times.push(performance.now() - t0), 0));
                     }).observe(document.querySelector('[data-testid=page]'),
                                { subtree: true, childList: true, characterData: true });
                     return true;",
                    vec![],
                )
                .await?;
            let filter = ui.find("[data-testid=org-projects-filter]").await?;
            for query in ["project-09", "7", "project-0042", "nothing", "project", "0"] {
                filter.clear().await?;
                filter.send_keys(query).await?;
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            let mut times: Vec<f64> =
                serde_json::from_value(ui.client.execute("return window.__times;", vec![]).await?)?;
            times.sort_by(f64::total_cmp);
            if let (Some(lo), Some(hi)) = (times.first(), times.last()) {
                println!(
                    "filter {PROJECTS} projects as typed, keystroke to next frame: median {:.1} ms (min {lo:.1}, max {hi:.1}, {} keystrokes)",
                    times[times.len() / 2],
                    times.len()
                );
            }
            Ok::<(), Error>(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_organization_owner_without_a_project_role_changes_every_project() {
    browser_test(
        "an_organization_owner_without_a_project_role_changes_every_project",
        |Ctx { ui, api }| async move {
            const ADMIN: (&str, &str) = ("org-admin", "org-admin's long password");
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            // A second project, created by the owner: the admin has no role of its own there.
            let second = api
                .post("/groups", &json!({"name": "Second", "orgId": org_id}))
                .await?;
            let second = second["id"].as_str().unwrap_or_default().to_owned();
            // In the first project the admin is only Project Read Only; in the organization, its Owner.
            let (status, body) = api
                .console(
                    Method::POST,
                    &format!("/groups/{first}/accounts"),
                    Some(&json!({"username": ADMIN.0, "password": ADMIN.1, "roleName": "GROUP_READ_ONLY"})),
                )
                .await?;
            assert!(status == 200 || status == 201, "{status} {body}");
            let (status, body) = api
                .console(
                    Method::PATCH,
                    &format!("/orgs/{org_id}/accounts/{}", ADMIN.0),
                    Some(&json!({"orgRole": "ORG_OWNER"})),
                )
                .await?;
            assert_eq!(status, 200, "{body}");

            ui.open(&format!("#/projects/{first}/database-access")).await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]").await?;
            sign_in_as(&ui, ADMIN).await?;
            // Both projects are listed, and the admin is Project Owner in each: the write controls show.
            assert_eq!(
                switcher_names(&ui).await?,
                vec!["Project 0".to_owned(), "Second".to_owned()]
            );
            ui.open(&format!("#/projects/{first}/database-access")).await?;
            ui.wait_text("[data-testid=account-project-role]", "Project Owner")
                .await?;
            ui.find("[data-testid=add-user]").await?;
            assert!(ui.is_shown("[data-testid=add-user]").await?, "Add user");
            ui.open(&format!("#/projects/{second}/settings")).await?;
            ui.wait_text("[data-testid=account-project-role]", "Project Owner")
                .await?;
            ui.find("[data-testid=project-rename-name]").await?;
            ui.find("[data-testid=project-rename-save]").await?;
            assert!(ui.is_shown("[data-testid=project-delete]").await?, "Delete");
            assert!(
                !ui.is_shown("[data-testid=project-settings-read-only]").await?,
                "the read-only notice"
            );
            // And the server agrees: the rename goes through. (The test's API session was the one the
            // browser signed out of: the organization page's fresh read says what is stored.)
            ui.type_into("[data-testid=project-rename-name]", "Second renamed")
                .await?;
            ui.click("[data-testid=project-rename-save]").await?;
            ui.wait_text("[data-testid=project-renamed]", "Second renamed")
                .await?;
            // The organization page lists both, the new name read again, and offers New Project.
            ui.click("[data-testid=org-link]").await?;
            ui.wait_count("[data-testid=org-project-row]", 2).await?;
            ui.wait_text("[data-testid=org-project-link]", "Second renamed")
                .await?;
            assert!(ui.is_shown("[data-testid=new-project]").await?, "New Project");
            Ok(())
        },
    )
    .await;
}
