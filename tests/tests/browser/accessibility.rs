//! axe-core (npm `axe-core`, installed by `scripts/bootstrap --with-browser`) on every page and dialog,
//! signed in as a Project Owner and as Project Read Only: no violation of impact serious or critical.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::harness::{browser_test, Ctx, Error, Ui};
use test_support::pki::Pki;

/// axe.min.js as the bootstrap installs it.
fn axe_source() -> Result<String, Error> {
    let tools = std::env::var_os("ACCESS_CONSOLE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/access-console/tools")
        });
    let path = tools.join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run scripts/bootstrap --with-browser)",
            path.display()
        )
        .into()
    })
}

/// The serious and critical violations axe finds on the page as it is now, one line each.
async fn violations(ui: &Ui, axe: &str, what: &str) -> Result<Vec<String>, Error> {
    ui.client.execute(axe, vec![]).await?;
    let found: Value = ui
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    let lines: Vec<String> = serde_json::from_value(found)?;
    Ok(lines.into_iter().map(|l| format!("{what}: {l}")).collect())
}

#[tokio::test]
async fn no_serious_or_critical_accessibility_violation_on_any_page_or_dialog() {
    browser_test(
        "no_serious_or_critical_accessibility_violation_on_any_page_or_dialog",
        |Ctx { ui, api }| async move {
            let axe = axe_source()?;
            let pki = Pki::new();
            let ca = pki.root("/C=US/O=Acme/CN=Acme Users CA", 365);
            let group_id = api.group_id().await?;
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            api.create_user(
                &group_id,
                &json!({"databaseName": "$external", "username": "CN=batch,O=Acme", "x509Type": "CUSTOMER",
                        "roles": [{"roleName": "readAnyDatabase", "databaseName": "admin"}]}),
            )
            .await?;
            api.create_custom_role(
                &group_id,
                &json!({"roleName": "salesReader", "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]}),
            )
            .await?;
            // axe really runs here: a button without a name (critical) is found, then taken away.
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.find("[data-testid=clusters-page]").await?;
            ui.client
                .execute("const b = document.createElement('button'); b.id = 'canary'; document.querySelector('main').append(b); return true;", vec![])
                .await?;
            let canary = violations(&ui, &axe, "canary").await?;
            assert!(canary.iter().any(|v| v.contains("button-name (critical)")), "{canary:?}");
            ui.client.execute("document.getElementById('canary').remove(); return true;", vec![]).await?;

            let mut found = Vec::new();
            let pages = [
                ("database-access", "[data-testid=user-row]"),
                ("database-access/roles", "[data-testid=role-row]"),
                ("database-access/check", "[data-testid=access-check]"),
                ("advanced", "[data-testid=x509-panel]"),
                ("clusters", "[data-testid=clusters-page]"),
                ("activity", "[data-testid=page] h1"),
                ("alerts", "[data-testid=page] h1"),
                ("alert-settings", "[data-testid=page] h1"),
                ("access", "[data-testid=account-row]"),
                ("api-keys", "[data-testid=page] h1"),
                ("drift", "[data-testid=drift-one-liner]"),
                ("settings", "[data-testid=project-rename-name]"),
            ];
            for (page, ready) in pages {
                ui.open(&format!("#/projects/{group_id}/{page}")).await?;
                ui.find(ready).await?;
                found.extend(violations(&ui, &axe, page).await?);
            }
            // The dialogs.
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.click("[data-testid=way-specific]").await?;
            found.extend(violations(&ui, &axe, "Add user dialog").await?);
            ui.click("[data-testid=user-dialog-cancel]").await?;
            ui.click("[data-testid=user-delete]").await?;
            ui.find("[data-testid=confirm-dialog]").await?;
            found.extend(violations(&ui, &axe, "delete confirmation").await?);
            ui.click("[data-testid=confirm-dialog-cancel]").await?;
            ui.open(&format!("#/projects/{group_id}/database-access/roles")).await?;
            ui.find("[data-testid=role-row]").await?;
            ui.click("[data-testid=add-role]").await?;
            ui.find("[data-testid=role-dialog]").await?;
            found.extend(violations(&ui, &axe, "Add role dialog").await?);
            ui.click("[data-testid=role-dialog-cancel]").await?;
            // The organization's pages and the New Project dialog.
            let group = api.get(&format!("/groups/{group_id}")).await?;
            let org_id = group["orgId"].as_str().unwrap_or_default().to_owned();
            ui.open(&format!("#/orgs/{org_id}")).await?;
            ui.find("[data-testid=org-project-row]").await?;
            found.extend(violations(&ui, &axe, "organization").await?);
            ui.click("[data-testid=new-project]").await?;
            ui.find("[data-testid=new-project-dialog]").await?;
            ui.type_into("[data-testid=new-project-name]", "prod/eu").await?;
            ui.find("[data-testid=project-name-error]").await?;
            found.extend(violations(&ui, &axe, "New Project dialog").await?);
            ui.click("[data-testid=new-project-cancel]").await?;
            ui.open(&format!("#/orgs/{org_id}/access")).await?;
            ui.find("[data-testid=org-account-row]").await?;
            found.extend(violations(&ui, &axe, "organization access").await?);
            // Organization API Keys, its Create API Key dialog (with an error shown) and Assign to Project.
            api.post(
                &format!("/orgs/{org_id}/apiKeys"),
                &json!({"desc": "axe", "roles": ["ORG_MEMBER"]}),
            )
            .await?;
            ui.open(&format!("#/orgs/{org_id}/api-keys")).await?;
            ui.find("[data-testid=org-api-key-row]").await?;
            found.extend(violations(&ui, &axe, "organization API keys").await?);
            ui.click("[data-testid=new-org-api-key]").await?;
            ui.find("[data-testid=org-api-key-dialog]").await?;
            ui.type_into("[data-testid=org-api-key-access-list]", "10.1.0.0/8")
                .await?;
            ui.find("[data-testid=org-api-key-error]").await?;
            found.extend(violations(&ui, &axe, "Create API Key dialog").await?);
            ui.click("[data-testid=org-api-key-create-cancel]").await?;
            ui.click("[data-testid=org-api-key-assign]").await?;
            ui.find("[data-testid=assign-api-key-dialog]").await?;
            found.extend(violations(&ui, &axe, "Assign to Project dialog").await?);
            ui.click("[data-testid=assign-api-key-cancel]").await?;

            // As Project Read Only: the same pages, with the write controls gone.
            let signed_in: Value = ui
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const json = { 'Content-Type': 'application/json' };
                     fetch('/api/console/session').then(r => r.json()).then(s =>
                       fetch('/api/console/groups/' + arguments[0] + '/accounts', { method: 'POST',
                         headers: { ...json, 'X-CSRF-Token': s.csrfToken },
                         body: JSON.stringify({ username: 'reader', password: 'a long reader password', roleName: 'GROUP_READ_ONLY' }) }))
                     .then(() => fetch('/api/console/signIn', { method: 'POST', headers: json,
                         body: JSON.stringify({ username: 'reader', password: 'a long reader password' }) }))
                     .then(r => done(r.status)).catch(e => done('' + e));",
                    vec![json!(group_id)],
                )
                .await?;
            assert_eq!(signed_in, json!(200));
            ui.reload().await?;
            for (page, ready) in pages {
                ui.open(&format!("#/projects/{group_id}/{page}")).await?;
                ui.wait_text("[data-testid=account-project-role]", "Project Read Only").await?;
                ui.find(ready).await?;
                found.extend(violations(&ui, &axe, &format!("{page} (Read Only)")).await?);
            }
            assert!(found.is_empty(), "{} violations:\n{}", found.len(), found.join("\n"));
            Ok(())
        },
    )
    .await;
}
