//! Access control in the console: the first owner with the setup code, an owner adding a Read Only
//! account on Project Access, that account seeing no write control (and the server refusing it anyway),
//! and a session that ends while in use bringing the sign-in form back.

use access_console::{spawn, ServeOptions};
use fantoccini::Client;
use serde_json::{json, Value};

use crate::harness::{browser_only_test, dist_dir, Error, Ui};

const READER: (&str, &str) = ("reader", "reader's long password");

#[tokio::test]
async fn first_owner_adds_a_read_only_account_that_sees_no_write_control() {
    let data = tempfile::tempdir().expect("temporary directory");
    let server = spawn(ServeOptions {
        dist: Some(dist_dir()),
        ..ServeOptions::local(format!("sqlite://{}/db.sqlite", data.path().display()))
    })
    .await
    .expect("server starts");
    let code = server.setup_code().expect("a setup code").to_owned();
    let base = server.url();

    browser_only_test(
        "first_owner_adds_a_read_only_account_that_sees_no_write_control",
        move |client: Client| async move {
            let ui = Ui {
                client: client.clone(),
                base: base.clone(),
            };
            // No account yet: the first-owner form. A wrong code is refused and nothing is created.
            ui.open("").await?;
            ui.find("[data-testid=setup]").await?;
            ui.type_into("[data-testid=setup-code]", "AAAA-BBBB-CCCC").await?;
            ui.type_into("[data-testid=setup-username]", "ada").await?;
            ui.type_into("[data-testid=setup-password]", "short").await?;
            ui.wait_text("[data-testid=setup]", "at least 12 characters").await?;
            ui.choose("[data-testid=setup-password]", "").await?;
            ui.type_into("[data-testid=setup-password]", "ada's long password").await?;
            ui.type_into("[data-testid=setup-repeat]", "ada's long password").await?;
            ui.click("[data-testid=setup-submit]").await?;
            ui.wait_text("[data-testid=api-error]", "The setup code is wrong").await?;
            ui.choose("[data-testid=setup-code]", "").await?;
            ui.type_into("[data-testid=setup-code]", &code.to_lowercase()).await?;
            ui.click("[data-testid=setup-submit]").await?;
            ui.wait_text("[data-testid=account-name]", "ada").await?;
            ui.wait_text("[data-testid=account-project-role]", "Project Owner").await?;

            // Project Access: the owner adds a Read Only account.
            ui.click("[data-testid=nav-project-access]").await?;
            ui.wait_count("[data-testid=account-row]", 1).await?;
            ui.type_into("[data-testid=account-username]", READER.0).await?;
            ui.type_into("[data-testid=account-password]", "short").await?;
            ui.click("[data-testid=add-account]").await?;
            ui.wait_text("[data-testid=account-error][data-field=password]", "at least 12").await?;
            ui.choose("[data-testid=account-password]", "").await?;
            ui.type_into("[data-testid=account-password]", READER.1).await?;
            ui.choose("[data-testid=account-role-new]", "GROUP_READ_ONLY").await?;
            ui.click("[data-testid=add-account]").await?;
            ui.wait_text("[data-testid=accounts-outcome]", "reader").await?;
            ui.wait_count("[data-testid=account-row]", 2).await?;
            assert!(ui.is_shown("[data-testid=add-account]").await?);

            // Sign out, sign in as the reader.
            ui.click("[data-testid=sign-out]").await?;
            ui.wait_text("[data-testid=sign-in-notice]", "You signed out").await?;
            ui.type_into("[data-testid=sign-in-username]", READER.0).await?;
            ui.type_into("[data-testid=sign-in-password]", READER.1).await?;
            ui.click("[data-testid=sign-in-submit]").await?;
            ui.wait_text("[data-testid=account-project-role]", "Project Read Only").await?;

            // Every page: what the role may not do is not offered.
            ui.click("[data-testid=nav-advanced]").await?;
            ui.find("[data-testid=x509-panel]").await?;
            assert!(!ui.is_shown("[data-testid=x509-toggle]").await?, "X.509 toggle");
            ui.click("[data-testid=nav-database-access]").await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]").await?;
            assert!(!ui.is_shown("[data-testid=add-user]").await?, "Add user");
            // X.509 is off: the reader is told who can turn it on, not offered the link.
            ui.find("[data-testid=users-empty]").await?;
            assert!(!ui.is_shown("[data-testid=users-empty-advanced]").await?, "the link");
            assert!(ui.is_shown("[data-testid=users-empty] [data-role-hint=database-access]").await?);
            ui.click("[data-testid=nav-clusters]").await?;
            ui.find("[data-testid=clusters-page]").await?;
            assert!(!ui.is_shown("[data-testid=add-cluster]").await?, "Add cluster");
            ui.click("[data-testid=nav-project-access]").await?;
            ui.wait_count("[data-testid=account-row]", 2).await?;
            assert!(!ui.is_shown("[data-testid=add-account]").await?, "Add account");
            assert!(!ui.is_shown("[data-testid=account-delete]").await?, "Remove account");

            // The server refuses the reader anyway, whatever the page offers.
            let refused: Value = client
                .execute(
                    "const csrf = arguments[0]; return fetch('/api/console/session').then(r => r.json()).then(s =>
                        fetch('/api/atlas/v2/groups/' + s.roles[0].groupId + '/clusters', {method: 'POST',
                          headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
                          body: JSON.stringify({name: 'Cluster9', mongoDBMajorVersion: '7.0'})})).then(r => r.json());",
                    vec![json!(null)],
                )
                .await?;
            assert_eq!(refused["errorCode"], "INSUFFICIENT_PROJECT_ROLE", "{refused}");

            // The session ends while in use (signed out from elsewhere): the next call brings the form back.
            client
                .execute(
                    "return fetch('/api/console/session').then(r => r.json()).then(s =>
                        fetch('/api/console/signOut', {method: 'POST', headers: {'X-CSRF-Token': s.csrfToken}})).then(r => r.status);",
                    vec![],
                )
                .await?;
            ui.click("[data-testid=nav-clusters]").await?;
            ui.wait_text("[data-testid=sign-in-notice]", "Your session ended").await?;
            Ok::<(), Error>(())
        },
    )
    .await;
    server.shutdown().await;
}
