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

/// Adds the account `READER`, Project Read Only in `group_id` (so an Organization Member).
async fn add_reader(api: &Api, group_id: &str) -> TestResult {
    let (status, body) = api
        .console(
            Method::POST,
            &format!("/groups/{group_id}/accounts"),
            Some(
                &json!({"username": READER.0, "password": READER.1, "roleName": "GROUP_READ_ONLY"}),
            ),
        )
        .await?;
    assert!(status == 200 || status == 201, "{status} {body}");
    Ok(())
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
    // In the API's order, oldest first: projects made in the same second come in id order, which is
    // random. The names, sorted, say which projects are offered.
    let mut names: Vec<String> = serde_json::from_value(names)?;
    names.sort();
    Ok(names)
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
            add_reader(&api, &first).await?;

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

/// The ids of the `data-testid`s the focus visits, from the focused element on, pressing Tab `n` times.
async fn tab_through(ui: &Ui, n: usize) -> Result<Vec<String>, Error> {
    let mut visited = Vec::new();
    for _ in 0..n {
        press(ui, Key::Tab).await?;
        let id = ui
            .client
            .execute(
                "const e = document.activeElement; return e ? (e.dataset.testid || e.id || e.tagName) : null;",
                vec![],
            )
            .await?;
        visited.push(id.as_str().unwrap_or_default().to_owned());
    }
    Ok(visited)
}

/// The organization's API keys, as the API lists them.
async fn org_keys(api: &Api, org_id: &str) -> Result<Vec<Value>, Error> {
    Ok(
        api.get(&format!("/orgs/{org_id}/apiKeys")).await?["results"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    )
}

/// The roles of the organization key `id`, as the API answers them: `(orgId or groupId, roleName)`.
async fn key_roles(api: &Api, org_id: &str, id: &str) -> Result<Vec<(String, String)>, Error> {
    let key = api.get(&format!("/orgs/{org_id}/apiKeys/{id}")).await?;
    Ok(key["roles"]
        .as_array()
        .ok_or_else(|| format!("no roles in {key}"))?
        .iter()
        .map(|r| {
            let scope = r["orgId"].as_str().or(r["groupId"].as_str()).unwrap_or("");
            let scope = if r["orgId"].is_string() {
                format!("org:{scope}")
            } else {
                format!("group:{scope}")
            };
            (scope, r["roleName"].as_str().unwrap_or("").to_owned())
        })
        .collect())
}

#[tokio::test]
async fn an_owner_creates_assigns_changes_removes_and_deletes_an_organization_api_key() {
    browser_test(
        "an_owner_creates_assigns_changes_removes_and_deletes_an_organization_api_key",
        |Ctx { ui, api }| async move {
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            api.post("/groups", &json!({"name": "Second", "orgId": org_id}))
                .await?;
            // The third tab of the organization's pages.
            ui.open(&format!("#/orgs/{org_id}")).await?;
            ui.click("[data-testid=tab-org-api-keys]").await?;
            wait_hash(&ui, &format!("#/orgs/{org_id}/api-keys")).await?;
            ui.wait_text("h1", "Organization API Keys").await?;
            ui.find("[data-testid=tab-org-api-keys][aria-current=page]")
                .await?;
            ui.find("[data-testid=org-api-keys-empty]").await?;

            // Create API Key: the focus starts on the description, and Tab goes through the dialog.
            ui.click("[data-testid=new-org-api-key]").await?;
            ui.find("[data-testid=org-api-key-dialog]").await?;
            ui.until(
                "the focus on the description",
                "return document.activeElement && document.activeElement.dataset.testid === 'org-api-key-desc';",
                vec![],
            )
            .await?;
            assert_eq!(
                tab_through(&ui, 5).await?,
                [
                    "org-api-key-role",
                    "org-api-key-access-list",
                    "org-api-key-create-cancel",
                    "org-api-key-create-save",
                    // Tab stays in the dialog: back to its first control.
                    "org-api-key-desc",
                ]
            );
            // The description is required; the access list is read as typed (core's rule).
            ui.click("[data-testid=org-api-key-create-save]").await?;
            ui.find("[data-testid=org-api-key-error][data-field=desc]")
                .await?;
            ui.find("[data-testid=org-api-key-desc][aria-invalid=true]")
                .await?;
            ui.type_into("[data-testid=org-api-key-desc]", "CI deploy")
                .await?;
            ui.wait_count("[data-testid=org-api-key-error]", 0).await?;
            ui.type_into("[data-testid=org-api-key-access-list]", "10.1.0.0/8")
                .await?;
            ui.wait_text(
                "[data-testid=org-api-key-error][data-field=accessList]",
                "the block is 10.0.0.0/8",
            )
            .await?;
            shots(&ui, "org-api-key-dialog").await?;
            ui.click("[data-testid=org-api-key-create-save]").await?;
            assert!(org_keys(&api, &org_id).await?.is_empty(), "a key created with a wrong access list");
            ui.type_into("[data-testid=org-api-key-access-list]", "127.0.0.0/8")
                .await?;
            ui.wait_count("[data-testid=org-api-key-error]", 0).await?;
            ui.choose("[data-testid=org-api-key-role]", "ORG_MEMBER")
                .await?;
            ui.click("[data-testid=org-api-key-create-save]").await?;

            // The private key, this once.
            ui.find("[data-testid=api-key-created]").await?;
            assert!(!ui.is_shown("[data-testid=org-api-key-dialog]").await?);
            let public = ui.text("[data-testid=created-public-key]").await?;
            let private = ui.text("[data-testid=created-private-key]").await?;
            assert_eq!(private.len(), 36, "{private}");
            assert!(ui
                .text("[data-testid=api-key-created]")
                .await?
                .contains("will not be shown again"));
            ui.wait_count("[data-testid=org-api-key-row]", 1).await?;
            ui.wait_text("[data-testid=org-api-key-role]", "Organization Member")
                .await?;
            ui.wait_text("[data-testid=org-api-key-projects]", "None")
                .await?;
            ui.wait_text("[data-testid=org-api-key-access]", "127.0.0.0/8")
                .await?;
            let listed = org_keys(&api, &org_id).await?;
            assert_eq!(listed.len(), 1, "{listed:?}");
            assert_eq!(listed[0]["publicKey"], public.as_str());
            let id = listed[0]["id"].as_str().ok_or("no id")?.to_owned();
            shots(&ui, "org-api-key-created").await?;
            ui.click("[data-testid=api-key-created-done]").await?;
            assert!(!ui.is_shown("[data-testid=api-key-created]").await?);
            assert!(!ui.text("body").await?.contains(&private));

            // Assigned to Project 0 as Database Access Admin: the table and the API say so, and the key
            // reaches the project.
            let users = format!("/api/atlas/v2/groups/{first}/databaseUsers");
            ui.click("[data-testid=org-api-key-assign]").await?;
            ui.find("[data-testid=assign-api-key-dialog]").await?;
            ui.choose("[data-testid=assign-api-key-project]", &first)
                .await?;
            ui.choose("[data-testid=assign-api-key-role]", "GROUP_DATABASE_ACCESS_ADMIN")
                .await?;
            shots(&ui, "assign-api-key-dialog").await?;
            ui.click("[data-testid=assign-api-key-save]").await?;
            ui.wait_text("[data-testid=org-api-keys-outcome]", "to Project 0")
                .await?;
            ui.wait_text(
                "[data-testid=org-api-key-project]",
                "Project 0: Project Database Access Admin",
            )
            .await?;
            assert_eq!(
                key_roles(&api, &org_id, &id).await?,
                [
                    (format!("org:{org_id}"), "ORG_MEMBER".to_owned()),
                    (format!("group:{first}"), "GROUP_DATABASE_ACCESS_ADMIN".to_owned())
                ]
            );
            assert_eq!(
                crate::api_keys::status_with_key(&ui.base, &users, &public, &private).await?,
                200
            );
            shots(&ui, "org-api-keys").await?;

            // Its organization role, changed in Edit.
            ui.click("[data-testid=org-api-key-edit]").await?;
            ui.find("[data-testid=api-key-dialog]").await?;
            ui.choose("[data-testid=api-key-edit-role]", "ORG_READ_ONLY")
                .await?;
            ui.click("[data-testid=api-key-edit-save]").await?;
            ui.wait_text("[data-testid=org-api-keys-outcome]", "Updated API key")
                .await?;
            ui.wait_text("[data-testid=org-api-key-role]", "Organization Read Only")
                .await?;
            assert!(key_roles(&api, &org_id, &id)
                .await?
                .contains(&(format!("org:{org_id}"), "ORG_READ_ONLY".to_owned())));

            // Taken out of Project 0: an Organization Read Only key stays the organization's.
            ui.click("[data-testid=org-api-key-remove]").await?;
            ui.wait_text("[data-testid=confirm-dialog]", "Project 0").await?;
            assert!(
                !ui.is_shown("[data-testid=org-api-key-remove-deletes]").await?,
                "an Organization Read Only key is not deleted with its last project"
            );
            ui.click("[data-testid=confirm-dialog-confirm]").await?;
            ui.wait_text("[data-testid=org-api-keys-outcome]", "out of Project 0.")
                .await?;
            ui.wait_text("[data-testid=org-api-key-projects]", "None")
                .await?;
            assert_eq!(
                key_roles(&api, &org_id, &id).await?,
                [(format!("org:{org_id}"), "ORG_READ_ONLY".to_owned())]
            );

            // Deleted: gone from the list, and the key is refused.
            ui.click("[data-testid=org-api-key-delete]").await?;
            ui.wait_text("[data-testid=confirm-dialog]", "every project").await?;
            ui.click("[data-testid=confirm-dialog-confirm]").await?;
            ui.wait_text("[data-testid=org-api-keys-outcome]", &format!("Deleted API key {public}"))
                .await?;
            ui.find("[data-testid=org-api-keys-empty]").await?;
            assert!(org_keys(&api, &org_id).await?.is_empty());
            assert_eq!(
                crate::api_keys::status_with_key(&ui.base, &users, &public, &private).await?,
                401
            );

            // An Organization Member key in one project only: the confirmation says the server deletes it.
            let member = api
                .post(
                    &format!("/orgs/{org_id}/apiKeys"),
                    &json!({"desc": "member", "roles": ["ORG_MEMBER"]}),
                )
                .await?;
            let member_id = member["id"].as_str().ok_or("no id")?.to_owned();
            api.post(
                &format!("/groups/{first}/apiKeys/{member_id}"),
                &json!({"roles": ["GROUP_READ_ONLY"]}),
            )
            .await?;
            ui.reload().await?;
            ui.wait_count("[data-testid=org-api-key-project]", 1).await?;
            ui.click("[data-testid=org-api-key-remove]").await?;
            ui.find("[data-testid=org-api-key-remove-deletes]").await?;
            shots(&ui, "remove-api-key-confirm").await?;
            ui.click("[data-testid=confirm-dialog-confirm]").await?;
            ui.wait_text("[data-testid=org-api-keys-outcome]", "was deleted")
                .await?;
            ui.find("[data-testid=org-api-keys-empty]").await?;
            assert!(org_keys(&api, &org_id).await?.is_empty());
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_organization_member_reads_the_organization_api_keys_without_their_controls() {
    browser_test(
        "an_organization_member_reads_the_organization_api_keys_without_their_controls",
        |Ctx { ui, api }| async move {
            let first = api.group_id().await?;
            let org_id = org_of(&api, &first).await?;
            add_reader(&api, &first).await?;
            let key = api
                .post(
                    &format!("/orgs/{org_id}/apiKeys"),
                    &json!({"desc": "nightly export", "roles": ["ORG_MEMBER"],
                            "accessList": [{"ipAddress": "192.0.2.7"}]}),
                )
                .await?;
            let id = key["id"].as_str().ok_or("no id")?.to_owned();
            api.post(
                &format!("/groups/{first}/apiKeys/{id}"),
                &json!({"roles": ["GROUP_READ_ONLY"]}),
            )
            .await?;

            let (_, accounts) = api
                .console(Method::GET, &format!("/orgs/{org_id}/accounts"), None)
                .await?;
            assert!(
                accounts["results"].as_array().is_some_and(|all| all
                    .iter()
                    .any(|a| a["username"] == READER.0 && a["orgRole"] == "ORG_MEMBER")),
                "{accounts}"
            );

            ui.open(&format!("#/orgs/{org_id}/api-keys")).await?;
            ui.wait_count("[data-testid=org-api-key-row]", 1).await?;
            sign_in_as(&ui, READER).await?;
            ui.open(&format!("#/orgs/{org_id}/api-keys")).await?;
            ui.wait_count("[data-testid=org-api-key-row]", 1).await?;
            ui.wait_text(
                "[data-testid=org-api-key-project]",
                "Project 0: Project Read Only",
            )
            .await?;
            ui.wait_text("[data-testid=org-api-key-access]", "192.0.2.7")
                .await?;
            ui.wait_text("[data-testid=org-api-key-role]", "Organization Member")
                .await?;
            for control in [
                "new-org-api-key",
                "org-api-key-assign",
                "org-api-key-edit",
                "org-api-key-delete",
                "org-api-key-remove",
            ] {
                assert!(
                    !ui.is_shown(&format!("[data-testid={control}]")).await?,
                    "{control} shown to an Organization Member"
                );
            }
            shots(&ui, "org-api-keys-member").await?;
            Ok(())
        },
    )
    .await;
}
