//! `dist/` on a plain static host, under a sub-path, with no fallback to `index.html`
//! (`python3 -m http.server`): the routes (in the fragment) survive a reload, assets load from the
//! sub-path, and `config.json` beside `index.html` says where the API is.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::harness::{browser_only_test, dist_dir, Error, Ui};

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
async fn dist_works_from_a_sub_path_of_a_plain_static_host() {
    let site = tempfile::tempdir().expect("temporary directory");
    let console = site.path().join("team").join("console");
    copy_dir(&dist_dir(), &console).expect("copy dist/");
    // An API address nothing listens on: the page must say it tried exactly that one.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let api_base = format!("http://127.0.0.1:{closed_port}");
    std::fs::write(
        console.join("config.json"),
        json!({ "apiBase": api_base }).to_string(),
    )
    .expect("config.json");
    let host = StaticHost::serve(site.path()).expect("static host");
    let page = format!("http://127.0.0.1:{}/team/console/", host.port);
    let config = console.join("config.json");

    browser_only_test(
        "dist_works_from_a_sub_path_of_a_plain_static_host",
        move |client: Client| async move {
            let ui = Ui {
                client: client.clone(),
                base: String::new(),
            };
            let group = "0123456789abcdef01234567";

            // A deep link to a page, opened directly and reloaded: the host only ever sees /team/console/.
            client
                .goto(&format!("{page}#/projects/{group}/database-access"))
                .await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            client.refresh().await?;
            ui.find("[data-testid=tab-database-users][aria-current=page]")
                .await?;
            client
                .find(Locator::Css("[data-testid=nav-advanced]"))
                .await?
                .click()
                .await?;
            ui.find("[data-testid=x509-panel]").await?;
            client.refresh().await?;
            ui.find("[data-testid=x509-panel]").await?;

            // config.json was read from beside index.html: the API calls went to its apiBase.
            client.goto(&format!("{page}#/")).await?;
            ui.wait_text(
                "[data-testid=api-error]",
                &format!("GET {api_base}/api/atlas/v2/groups"),
            )
            .await?;

            // Without config.json, the API is looked for on the page's own origin (here: not there).
            std::fs::remove_file(&config)?;
            client.refresh().await?;
            ui.wait_text("[data-testid=api-error]", "GET /api/atlas/v2/groups")
                .await?;
            ui.wait_text("[data-testid=api-error-status]", "HTTP 404")
                .await?;
            drop(host);
            Ok::<(), Error>(())
        },
    )
    .await;
}
