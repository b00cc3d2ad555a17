//! `dist/` on a plain static host, under a sub-path, with no fallback to `index.html`
//! (`python3 -m http.server`): `config.json` beside `index.html` says where the API is, sign-in works
//! across origins (a bearer token kept by the tab, CORS allowing the host's origin), the routes (in the
//! fragment) survive a reload, and assets load from the sub-path.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, Locator};
use serde_json::json;

use access_console::{spawn, ServeOptions};

use crate::harness::{browser_only_test, dist_dir, owner_session, Error, Ui, OWNER};

/// `python3 -m http.server` serving a directory on a free port; stopped when dropped.
struct StaticHost {
    child: Child,
    port: u16,
}

impl StaticHost {
    fn serve(root: &Path) -> Result<Self, Error> {
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run python3 -m http.server: {e}"))?;
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line)?;
        }
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok());
        match port {
            Some(port) => Ok(Self { child, port }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("python3 -m http.server did not say its port: {line:?}").into())
            }
        }
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn dist_on_a_static_host_signs_in_to_an_api_on_another_origin() {
    let site = tempfile::tempdir().expect("temporary directory");
    let console = site.path().join("team").join("console");
    copy_dir(&dist_dir(), &console).expect("copy dist/");
    // First an API address nothing listens on: the page must say it tried exactly that one.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let closed_base = format!("http://127.0.0.1:{closed_port}");
    let config = console.join("config.json");
    std::fs::write(&config, json!({ "apiBase": closed_base }).to_string()).expect("config.json");
    let host = StaticHost::serve(site.path()).expect("static host");
    let page_origin = format!("http://127.0.0.1:{}", host.port);
    let page = format!("{page_origin}/team/console/");

    // The API on another origin, allowing the static host's origin only.
    let data = tempfile::tempdir().expect("temporary directory");
    let server = spawn(ServeOptions {
        cors_origins: vec![page_origin.clone()],
        ..ServeOptions::local(format!("sqlite://{}/db.sqlite", data.path().display()))
    })
    .await
    .expect("API server starts");
    owner_session(&server).await.expect("the owner");
    let api_base = server.url();

    browser_only_test(
        "dist_on_a_static_host_signs_in_to_an_api_on_another_origin",
        move |client: Client| async move {
            let ui = Ui {
                client: client.clone(),
                base: String::new(),
            };
            // config.json was read from beside index.html: the calls went to its apiBase.
            client.goto(&page).await?;
            ui.wait_text(
                "[data-testid=api-error]",
                &format!("GET {closed_base}/api/console/session"),
            )
            .await?;

            // Without config.json, the API is looked for on the page's own origin (here: not there).
            std::fs::remove_file(&config)?;
            client.refresh().await?;
            ui.wait_text("[data-testid=api-error]", "GET /api/console/session")
                .await?;
            ui.wait_text("[data-testid=api-error-status]", "HTTP 404")
                .await?;

            // The real API: sign in from the static page, across origins (a bearer token, not a cookie).
            std::fs::write(&config, json!({ "apiBase": api_base }).to_string())?;
            let group = "0123456789abcdef01234567";
            client
                .goto(&format!("{page}#/projects/{group}/database-access"))
                .await?;
            client.refresh().await?;
            ui.type_into("[data-testid=sign-in-username]", OWNER.0).await?;
            ui.type_into("[data-testid=sign-in-password]", "not the password").await?;
            ui.click("[data-testid=sign-in-submit]").await?;
            ui.wait_text("[data-testid=api-error]", "The username or password is wrong.")
                .await?;
            ui.choose("[data-testid=sign-in-password]", "").await?;
            ui.type_into("[data-testid=sign-in-password]", OWNER.1).await?;
            ui.click("[data-testid=sign-in-submit]").await?;
            ui.wait_text("[data-testid=account-name]", OWNER.0).await?;
            let cookies = client.get_all_cookies().await?;
            assert!(cookies.is_empty(), "no cookie across origins: {cookies:?}");

            // A deep link to a page of the real project, opened directly and reloaded: the host only
            // ever sees /team/console/, and the tab keeps its session.
            let groups = ui
                .client
                .execute(
                    "return fetch(arguments[0] + '/api/atlas/v2/groups', {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('access-console-session')}}).then(r => r.json());",
                    vec![json!(api_base)],
                )
                .await?;
            let group = groups["results"][0]["id"].as_str().unwrap_or(group).to_owned();
            client
                .goto(&format!("{page}#/projects/{group}/database-access"))
                .await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            client.refresh().await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            ui.find("[data-testid=add-user]").await?;
            client
                .find(Locator::Css("[data-testid=nav-advanced]"))
                .await?
                .click()
                .await?;
            ui.find("[data-testid=x509-panel]").await?;
            client.refresh().await?;
            ui.find("[data-testid=x509-panel]").await?;
            // Advanced is in the pages module: its calls to the other origin carry the tab's token too
            // (the project's state was read, not refused).
            ui.find("[data-testid=x509-off]").await?;
            assert!(!ui.is_shown("[data-testid=api-error]").await?);

            // Sign out: the token is forgotten and the API no longer accepts it.
            let token = ui
                .client
                .execute("return sessionStorage.getItem('access-console-session');", vec![])
                .await?;
            ui.click("[data-testid=sign-out]").await?;
            ui.find("[data-testid=sign-in]").await?;
            let left = ui
                .client
                .execute("return sessionStorage.getItem('access-console-session');", vec![])
                .await?;
            assert_eq!(left, serde_json::Value::Null);
            let status = ui
                .client
                .execute(
                    "return fetch(arguments[0] + '/api/atlas/v2/groups', {headers: {Authorization: 'Bearer ' + arguments[1]}}).then(r => r.status);",
                    vec![json!(api_base), token],
                )
                .await?;
            assert_eq!(status, json!(401));
            client.refresh().await?;
            ui.find("[data-testid=sign-in]").await?;
            drop(host);
            server.shutdown().await;
            Ok::<(), Error>(())
        },
    )
    .await;
}
