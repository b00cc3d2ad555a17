//! What every browser test runs against: the real server (`access_console::spawn`, a free port, a
//! temporary SQLite file, the UI from the workspace's `dist/`), a real Chromium driven by a real
//! chromedriver, and helpers that wait for conditions (never for a fixed time).
//!
//! [`browser_test`] runs one test body and then, whether it passed, failed or panicked, closes the
//! browser session, kills chromedriver's whole process group (Chromium included) and stops the server.
//! Browser tests run one at a time: the machine has two cores, shared.

use std::future::Future;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use access_console::{spawn, ServeOptions, Spawned};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::Method;
use serde_json::{json, Value};
use tempfile::TempDir;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type TestResult = Result<(), Error>;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// How long a condition may take to become true before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);
/// How often a condition is checked while waiting.
const POLL: Duration = Duration::from_millis(50);

/// One browser (and server) at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where failing tests leave a screenshot, and where the documentation screenshot is written.
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("e2e")
}

/// The UI built by Trunk (`make test` builds it before the tests).
pub fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: the browser tests need the built UI. Run `make test` (it builds the UI \
         with `trunk build --release` first), or run `make ui` before `cargo test -p e2e`.",
        dist.display()
    );
    dist.canonicalize().unwrap_or(dist)
}

/// What a test body gets: the browser on the console, and the API beside it.
#[derive(Clone)]
pub struct Ctx {
    pub ui: Ui,
    pub api: Api,
}

/// Runs `test` against a fresh server (its own database) and a fresh browser, and cleans up after it.
pub async fn browser_test<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = TestResult> + Send + 'static,
{
    let _turn = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let data = tempfile::tempdir().expect("temporary directory for the database");
    let database_url = format!(
        "sqlite://{}",
        data.path().join("access-console.db").display()
    );
    let server = spawn(ServeOptions {
        dist: Some(dist_dir()),
        // The webhook receivers of the tests listen on 127.0.0.1, the only place one can live here;
        // a server refuses private addresses without --allow-private-webhooks.
        allow_private_webhooks: true,
        ..ServeOptions::local(database_url.clone())
    })
    .await
    .unwrap_or_else(|e| panic!("{name}: cannot start the server: {e}"));
    let base = server.url();
    let token = owner_session(&server)
        .await
        .unwrap_or_else(|e| panic!("{name}: cannot create the test owner: {e}"));
    let browser = match Browser::start().await {
        Ok(browser) => browser,
        Err(e) => {
            server.shutdown().await;
            panic!("{name}: cannot start Chromium through chromedriver: {e}");
        }
    };
    let ui = Ui {
        client: browser.client.clone(),
        base: base.clone(),
    };
    if let Err(e) = ui.use_session(&token).await {
        panic!("{name}: cannot give the browser the owner's session: {e}");
    }
    let ctx = Ctx {
        ui: ui.clone(),
        api: Api::new(&base, &token).with_database_url(database_url),
    };
    let outcome = tokio::spawn(test(ctx)).await;
    finish(name, started, browser, Some(server), ui, outcome).await;
}

/// The name and password of the owner every browser test's server has.
pub const OWNER: (&str, &str) = ("owner", "owner's long password");

/// Creates the test owner in the server's database and opens a session for it: its token.
pub async fn owner_session(server: &Spawned) -> Result<String, Error> {
    let account = access_console::storage::accounts::create_account(
        server.pool(),
        OWNER.0,
        OWNER.1,
        access_core::project_role::ProjectRole::Owner,
        "test",
    )
    .await?;
    Ok(access_console::storage::accounts::open_bearer_session(server.pool(), &account.id).await?)
}

/// Runs `test` with a fresh browser only (no server of ours), e.g. against a plain static host.
pub async fn browser_only_test<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = TestResult> + Send + 'static,
{
    let _turn = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let browser = Browser::start()
        .await
        .unwrap_or_else(|e| panic!("{name}: cannot start Chromium through chromedriver: {e}"));
    let ui = Ui {
        client: browser.client.clone(),
        base: String::new(),
    };
    let outcome = tokio::spawn(test(browser.client.clone())).await;
    finish(name, started, browser, None, ui, outcome).await;
}

async fn finish(
    name: &str,
    started: Instant,
    browser: Browser,
    server: Option<Spawned>,
    ui: Ui,
    outcome: Result<TestResult, tokio::task::JoinError>,
) {
    // The page as the test left it, for whoever reviews or debugs the run.
    let failed = !matches!(outcome, Ok(Ok(())));
    let shot = artifacts_dir().join(format!("{name}{}.png", if failed { ".failed" } else { "" }));
    match ui.screenshot(&shot).await {
        Ok(()) if failed => eprintln!(
            "{name}: screenshot of the page at failure: {}",
            shot.display()
        ),
        Ok(()) => {}
        Err(e) => eprintln!("{name}: no screenshot ({e})"),
    }
    browser.stop().await;
    if let Some(server) = server {
        server.shutdown().await;
    }
    eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f64());
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("{name}: {error}"),
        Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        Err(join) => panic!("{name}: the test task was cancelled: {join}"),
    }
}

/// Chromium in a fresh profile, driven by its own chromedriver on a free port.
pub struct Browser {
    pub client: Client,
    driver: Driver,
}

impl Browser {
    pub async fn start() -> Result<Self, Error> {
        let mut driver = Driver::start()?;
        let mut options = serde_json::Map::new();
        options.insert(
            "goog:chromeOptions".to_owned(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    // No crash handler: it would leave its own session, out of reach of the cleanup.
                    "--disable-crash-reporter",
                    "--disable-breakpad",
                    "--window-size=1440,1000",
                    format!("--user-data-dir={}", driver.profile.path().display()),
                ],
            }),
        );
        // Two rustls crypto providers are linked in (see tests/Cargo.toml): choose one. A second
        // call (another test in this process) finds it installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = loop {
            match ClientBuilder::rustls()?
                .capabilities(options.clone())
                .connect(&driver.url)
                .await
            {
                Ok(client) => break client,
                Err(error) => {
                    // chromedriver may not listen yet: wait for it, unless it is gone or too slow.
                    let exited = driver.exited();
                    if exited.is_some() || Instant::now() > deadline {
                        return Err(format!(
                            "no WebDriver session from {CHROMEDRIVER} at {} ({}): {error}; its log: {}",
                            driver.url,
                            exited.unwrap_or_else(|| "still running".to_owned()),
                            driver.log_tail()
                        )
                        .into());
                    }
                    tokio::time::sleep(POLL).await;
                }
            }
        };
        Ok(Self { client, driver })
    }

    /// Ends the session (chromedriver quits Chromium), then stops chromedriver and anything left of
    /// its process group.
    pub async fn stop(self) {
        let Self { client, driver } = self;
        if let Err(error) = tokio::time::timeout(Duration::from_secs(10), client.close()).await {
            eprintln!("closing the browser session took too long ({error}); killing it");
        }
        drop(driver);
    }
}

/// The chromedriver process, leader of its own process group so that Chromium and its helpers can be
/// killed with it. Dropping it kills the group (also when a test panics).
struct Driver {
    child: Child,
    url: String,
    profile: TempDir,
    log: PathBuf,
}

impl Driver {
    fn start() -> Result<Self, Error> {
        let profile = tempfile::Builder::new().prefix("e2e-chromium-").tempdir()?;
        let log = std::env::temp_dir().join(format!(
            "e2e-chromedriver-{}.log",
            profile
                .path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("x")
        ));
        let port = free_port()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run {CHROMEDRIVER}: {e} (install it: `scripts/bootstrap --with-browser`)"))?;
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile,
            log,
        })
    }

    fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!("chromedriver exited: {status}")),
            Ok(None) => None,
            Err(e) => Some(format!("chromedriver cannot be waited for: {e}")),
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = self.child.id() as libc::pid_t;
        // SAFETY: sends SIGKILL to the process group we created for chromedriver (pgid = its pid);
        // Chromium, started by chromedriver, is in it.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The console in the browser.
#[derive(Clone)]
pub struct Ui {
    pub client: Client,
    /// `http://127.0.0.1:port` of the server.
    pub base: String,
}

impl Ui {
    /// Signs the browser in with the session `token` (its cookie, as a sign-in sets it).
    pub async fn use_session(&self, token: &str) -> TestResult {
        // A cookie is set for the origin of the current page: open a small file of that origin first.
        // (WebDriver's addCookie refuses a cookie for an IP address; the page's own script may set it.)
        self.client
            .goto(&format!("{}/config.json", self.base))
            .await?;
        self.client
            .execute(
                "document.cookie = 'access_console_session=' + arguments[0] + '; path=/; samesite=strict'; return document.cookie;",
                vec![json!(token)],
            )
            .await?;
        Ok(())
    }

    /// Opens the console at `fragment` (e.g. `#/projects/{id}/advanced`, or "" for the start).
    pub async fn open(&self, fragment: &str) -> TestResult {
        self.client
            .goto(&format!("{}/{fragment}", self.base))
            .await?;
        Ok(())
    }

    pub async fn reload(&self) -> TestResult {
        self.client.refresh().await?;
        Ok(())
    }

    /// The element, once it is on the page.
    pub async fn find(&self, css: &str) -> Result<Element, Error> {
        self.client
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("no element {css} on the page after {WAIT:?}: {e}").into())
    }

    /// Replaces the text of the input matching `css` with `text`, typed key by key.
    pub async fn type_into(&self, css: &str, text: &str) -> TestResult {
        let input = self.find(css).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Sets a `<select>` (or input) the way a user's choice does: value, then `input`/`change`.
    pub async fn choose(&self, css: &str, value: &str) -> TestResult {
        self.find(css).await?;
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1];
                 e.dispatchEvent(new Event('input', { bubbles: true }));
                 e.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
                vec![json!(css), json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Scrolls the element to the middle of the window, as a user would before clicking it (the
    /// editor's Save bar is sticky at the bottom), and clicks it.
    pub async fn click(&self, css: &str) -> TestResult {
        let element = self.find(css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' }); return true;",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        element.click().await?;
        Ok(())
    }

    /// Clicks `css` (e.g. a Delete button) and then Confirm in the confirmation dialog it opens.
    pub async fn click_and_confirm(&self, css: &str) -> TestResult {
        self.click(css).await?;
        self.click("[data-testid=confirm-dialog-confirm]").await
    }

    /// Evaluates `script` (a function body; `arguments` are `args`) until it returns something other
    /// than `null`, `undefined` or `false`, and returns that.
    pub async fn until(&self, what: &str, script: &str, args: Vec<Value>) -> Result<Value, Error> {
        let deadline = Instant::now() + WAIT;
        loop {
            let last = self.client.execute(script, args.clone()).await?;
            if !matches!(last, Value::Null | Value::Bool(false)) {
                return Ok(last);
            }
            if Instant::now() > deadline {
                let page = self.text("body").await.unwrap_or_default();
                return Err(format!(
                    "waited {WAIT:?} for {what}; last answer {last}. The page says:\n{page}"
                )
                .into());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether an element matching `css` is on the page and displayed (not hidden by CSS).
    pub async fn is_shown(&self, css: &str) -> Result<bool, Error> {
        let shown = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;",
                vec![json!(css)],
            )
            .await?;
        Ok(shown == Value::Bool(true))
    }

    /// Waits until exactly `n` elements match `css`.
    pub async fn wait_count(&self, css: &str, n: usize) -> TestResult {
        self.until(
            &format!("{n} elements {css}"),
            "return document.querySelectorAll(arguments[0]).length === arguments[1];",
            vec![json!(css), json!(n)],
        )
        .await?;
        Ok(())
    }

    /// Waits until an element matching `css` contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> TestResult {
        self.until(
            &format!("{css} to contain {text:?}"),
            "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]));",
            vec![json!(css), json!(text)],
        )
        .await?;
        Ok(())
    }

    /// The text of every element matching `css`, in document order.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>, Error> {
        let value = self
            .client
            .execute(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);",
                vec![json!(css)],
            )
            .await?;
        Ok(serde_json::from_value(value)?)
    }

    /// The text of the first element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> Result<String, Error> {
        Ok(self.find(css).await?.text().await?)
    }

    /// `location.hash`.
    pub async fn hash(&self) -> Result<String, Error> {
        let value = self.client.execute("return location.hash;", vec![]).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    pub async fn screenshot(&self, path: &Path) -> TestResult {
        let png = self.client.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// A screenshot of the whole page (the window grown to the page's height for the moment).
    pub async fn full_page_screenshot(&self, path: &Path) -> TestResult {
        let (width, height) = self.client.get_window_size().await?;
        // The window's own frame (outer minus inner height) comes on top of the page.
        let needed = self
            .client
            .execute(
                "return document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight);",
                vec![],
            )
            .await?
            .as_u64()
            .unwrap_or(height);
        self.client
            .set_window_size(width as u32, needed.clamp(600, 4000) as u32)
            .await?;
        let shot = self.screenshot(path).await;
        self.client
            .set_window_size(width as u32, height as u32)
            .await?;
        shot
    }

    /// Turns Self-Managed X.509 Authentication on (it must be off), which opens the editor.
    pub async fn turn_x509_on(&self) -> TestResult {
        self.until(
            "the X.509 toggle to be off and enabled",
            "const t = document.querySelector('[data-testid=x509-toggle]'); \
             return !!t && !t.disabled && t.getAttribute('aria-checked') === 'false';",
            vec![],
        )
        .await?;
        self.click("[data-testid=x509-toggle]").await?;
        self.find("[data-testid=bundle-editor]").await?;
        Ok(())
    }

    /// Drops a file on the bundle drop zone: a real `drop` event whose `DataTransfer` holds a `File`
    /// made in the page from `bytes`.
    pub async fn drop_file(&self, name: &str, mime: &str, bytes: &[u8]) -> TestResult {
        self.drop_file_on("[data-testid=bundle-drop-zone]", name, mime, bytes)
            .await
    }

    /// Drops a file on the drop zone `zone` (a CSS selector), as [`Ui::drop_file`] does.
    pub async fn drop_file_on(
        &self,
        zone: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> TestResult {
        self.find(zone).await?;
        self.client
            .execute(
                "const [name, type, bytes, selector] = arguments;
                 const file = new File([new Uint8Array(bytes)], name, { type });
                 const transfer = new DataTransfer();
                 transfer.items.add(file);
                 const zone = document.querySelector(selector);
                 for (const kind of ['dragenter', 'dragover', 'drop']) {
                   zone.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
                 }
                 return true;",
                vec![json!(name), json!(mime), json!(bytes), json!(zone)],
            )
            .await?;
        Ok(())
    }

    /// Records every `fetch` the page makes from now on (method, URL, `If-Match` and body) in
    /// `window.__requests`, and still performs it.
    pub async fn record_requests(&self) -> TestResult {
        self.client
            .execute(
                "window.__requests = [];
                 const original = window.fetch;
                 window.fetch = function (input, init) {
                   const request = input instanceof Request ? input : new Request(input, init);
                   const entry = { method: request.method, url: request.url, body: null,
                                   ifMatch: request.headers.get('If-Match') };
                   window.__requests.push(entry);
                   request.clone().text().then(body => { entry.body = body; });
                   return original.call(this, input, init);
                 };
                 return true;",
                vec![],
            )
            .await?;
        Ok(())
    }

    /// What [`Ui::record_requests`] saw.
    pub async fn recorded_requests(&self) -> Result<Vec<Value>, Error> {
        let value = self
            .client
            .execute("return window.__requests || [];", vec![])
            .await?;
        Ok(serde_json::from_value(value)?)
    }
}

/// The server's API, called directly (to seed and to check what the browser did).
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    database_url: String,
}

impl Api {
    /// The API at `base`, called with the session `token` (`Authorization: Bearer`).
    pub fn new(base: &str, token: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")) {
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        Self {
            http: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .unwrap_or_default(),
            base: format!("{base}/api/atlas/v2"),
            database_url: String::new(),
        }
    }

    fn with_database_url(self, database_url: String) -> Self {
        Self {
            database_url,
            ..self
        }
    }

    /// The server's database (e.g. to run the alert evaluator now, as `access-console alerts check` does).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The id of the one project the server seeds ("Project 0").
    pub async fn group_id(&self) -> Result<String, Error> {
        let groups = self.get_json("/groups").await?;
        groups["results"][0]["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no project in {groups}").into())
    }

    /// `GET .../userSecurity`: the stored CA bundle, if any.
    pub async fn stored_cas(&self, group_id: &str) -> Result<Option<String>, Error> {
        let body = self
            .get_json(&format!("/groups/{group_id}/userSecurity"))
            .await?;
        Ok(body["customerX509"]["cas"].as_str().map(str::to_owned))
    }

    /// `POST .../databaseUsers` with `user` (Atlas JSON); fails unless the server created it.
    pub async fn create_user(&self, group_id: &str, user: &Value) -> Result<Value, Error> {
        Ok(self
            .send_json(
                Method::POST,
                &format!("/groups/{group_id}/databaseUsers"),
                user,
            )
            .await?
            .json()
            .await?)
    }

    /// `GET .../databaseUsers` (first page of 500): the stored users.
    pub async fn users(&self, group_id: &str) -> Result<Vec<Value>, Error> {
        self.results(&format!(
            "/groups/{group_id}/databaseUsers?itemsPerPage=500"
        ))
        .await
    }

    /// `POST .../customDBRoles/roles` with `role` (Atlas JSON); fails unless the server created it.
    pub async fn create_custom_role(&self, group_id: &str, role: &Value) -> Result<Value, Error> {
        Ok(self
            .send_json(
                Method::POST,
                &format!("/groups/{group_id}/customDBRoles/roles"),
                role,
            )
            .await?
            .json()
            .await?)
    }

    /// `GET .../customDBRoles/roles`: the stored custom roles (a bare array, by name).
    pub async fn custom_roles(&self, group_id: &str) -> Result<Vec<Value>, Error> {
        let roles = self
            .get_json(&format!("/groups/{group_id}/customDBRoles/roles"))
            .await?;
        Ok(serde_json::from_value(roles)?)
    }

    /// `POST .../clusters`: records a cluster; fails unless the server created it.
    pub async fn create_cluster(&self, group_id: &str, name: &str, version: &str) -> TestResult {
        self.send_json(
            Method::POST,
            &format!("/groups/{group_id}/clusters"),
            &json!({ "name": name, "mongoDBMajorVersion": version }),
        )
        .await?;
        Ok(())
    }

    /// `GET .../clusters` (first page of 500): the recorded clusters.
    pub async fn clusters(&self, group_id: &str) -> Result<Vec<Value>, Error> {
        self.results(&format!("/groups/{group_id}/clusters?itemsPerPage=500"))
            .await
    }

    /// `GET .../events` with `query` (e.g. `eventType=MONGODB_USER_ADDED`): the `results`.
    pub async fn events(&self, group_id: &str, query: &str) -> Result<Vec<Value>, Error> {
        self.results(&format!("/groups/{group_id}/events?{query}"))
            .await
    }

    /// `GET .../alertConfigs`: the `results`.
    pub async fn alert_configs(&self, group_id: &str) -> Result<Vec<Value>, Error> {
        self.results(&format!("/groups/{group_id}/alertConfigs"))
            .await
    }

    /// `GET .../alerts?status=OPEN`: the `results`.
    pub async fn open_alerts(&self, group_id: &str) -> Result<Vec<Value>, Error> {
        self.results(&format!("/groups/{group_id}/alerts?status=OPEN"))
            .await
    }

    /// Saves a CA bundle as another client would (PATCH).
    pub async fn save_cas(&self, group_id: &str, cas: &str) -> TestResult {
        self.send_json(
            Method::PATCH,
            &format!("/groups/{group_id}/userSecurity"),
            &json!({ "customerX509": { "cas": cas } }),
        )
        .await?;
        Ok(())
    }

    /// `PATCH {path}` (below `/api/atlas/v2`) with `body`, as another client would (no `If-Match`);
    /// fails on an error status.
    pub async fn patch(&self, path: &str, body: &Value) -> Result<Value, Error> {
        Ok(self
            .send_json(Method::PATCH, path, body)
            .await?
            .json()
            .await?)
    }

    /// `POST {path}` (below `/api/atlas/v2`) with `body`; fails on an error status.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, Error> {
        Ok(self
            .send_json(Method::POST, path, body)
            .await?
            .json()
            .await?)
    }

    /// `method` on the console's own API (`{path}` below `/api/console`, e.g. `/orgs/{orgId}/projects`)
    /// with `body` (none: no body): the status and the parsed answer (null when empty), whatever the
    /// status.
    pub async fn console(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), Error> {
        let base = self.base.trim_end_matches("/atlas/v2");
        self.answer(method, format!("{base}/console{path}"), body)
            .await
    }

    /// `method` on `{path}` below `/api/atlas/v2` with `body` (none: no body): the status and the
    /// parsed answer (null when empty), whatever the status.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), Error> {
        self.answer(method, format!("{}{path}", self.base), body)
            .await
    }

    async fn answer(
        &self,
        method: Method,
        url: String,
        body: Option<&Value>,
    ) -> Result<(u16, Value), Error> {
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        };
        Ok((status, value))
    }

    /// `GET {path}` (below `/api/atlas/v2`), parsed; fails on an error status.
    pub async fn get(&self, path: &str) -> Result<Value, Error> {
        self.get_json(path).await
    }

    /// `GET {path}` (below `/api/atlas/v2`), parsed; fails on an error status.
    async fn get_json(&self, path: &str) -> Result<Value, Error> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// `GET {path}`: the `results` array of the page (empty if there is none).
    async fn results(&self, path: &str) -> Result<Vec<Value>, Error> {
        let body = self.get_json(path).await?;
        Ok(body["results"].as_array().cloned().unwrap_or_default())
    }

    /// Sends `body` as JSON with `method` to `path` (below `/api/atlas/v2`); fails on an error status.
    async fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
    ) -> Result<reqwest::Response, Error> {
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body)
            .send()
            .await?
            .error_for_status()?)
    }
}
