//! What the list timing examples share: a seeded database in a temporary folder, the real server over
//! loopback on it, and repeated GETs timed to a median, minimum and maximum.

use std::error::Error;
use std::time::{Duration, Instant};

use access_console::storage::projects::Project;
use access_console::storage::{self, projects, x509_settings, Database};
use access_console::{spawn, ServeOptions, Spawned};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};

/// A database created in a temporary folder (removed when this is dropped), and its first project.
pub struct Seeded {
    /// Kept so that the folder lives as long as the database.
    pub _dir: tempfile::TempDir,
    pub url: String,
    pub db: Database,
    pub project: Project,
}

/// Creates the database as at `now` (with "Project 0"): an SQLite file in a temporary folder, or the
/// database of the URL given as the first argument (an empty one, e.g. `postgres://…`).
pub async fn open_database(now: i64) -> Result<Seeded, Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("timing.db").display()));
    let db = storage::open(&url, now).await?;
    let project = projects::list(&db.pool, 0, 1)
        .await?
        .into_iter()
        .next()
        .ok_or("no project")?;
    Ok(Seeded {
        _dir: dir,
        url,
        db,
        project,
    })
}

/// The `i`th seeded certificate user, `CN=user00042,OU=Batch,O=Acme`, holding `roles`.
#[allow(dead_code)] // not used by events_list_timing
pub fn batch_user(i: usize, roles: Vec<UserRole>) -> DatabaseUser {
    DatabaseUser {
        group_id: None,
        database_name: "$external".to_owned(),
        username: format!("CN=user{i:05},OU=Batch,O=Acme"),
        x509_type: X509Type::Customer,
        aws_iam_type: Default::default(),
        ldap_auth_type: Default::default(),
        oidc_auth_type: Default::default(),
        roles,
        scopes: vec![],
        labels: vec![],
        description: None,
        delete_after_date: None,
        password: None,
    }
}

/// Turns self-managed X.509 on for `project_id` with the first CA of the system's bundle (so that
/// users can be created through the API), on `conn` (the seeding transaction).
#[allow(dead_code)] // not used by events_list_timing
pub async fn save_first_system_ca(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
    now: i64,
) -> Result<(), Box<dyn Error>> {
    let system_cas = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")?;
    let end = "-----END CERTIFICATE-----";
    let first_ca = system_cas
        .find(end)
        .map(|i| &system_cas[..i + end.len()])
        .ok_or("no certificate in /etc/ssl/certs/ca-certificates.crt")?;
    x509_settings::save_bundle(conn, project_id, first_ca, now).await?;
    Ok(())
}

/// The server on `database_url`, on a free loopback port.
#[allow(dead_code)] // not used by metrics_cost
pub async fn serve(database_url: String) -> Result<Spawned, Box<dyn Error>> {
    serve_with_metrics(database_url, access_console::MetricsExposure::MainPort).await
}

/// [`serve`], with metrics served (and recorded) as `metrics` says.
pub async fn serve_with_metrics(
    database_url: String,
    metrics: access_console::MetricsExposure,
) -> Result<Spawned, Box<dyn Error>> {
    Ok(spawn(ServeOptions {
        metrics,
        ..ServeOptions::local(database_url)
    })
    .await?)
}

/// A client signed in as an owner it creates on `server`'s database (a bearer session).
pub async fn owner_client(server: &Spawned) -> Result<reqwest::Client, Box<dyn Error>> {
    let owner = access_console::storage::accounts::create_account(
        server.pool(),
        "timing",
        "the timing owner's password",
        access_core::project_role::ProjectRole::Owner,
        "timing",
    )
    .await?;
    let token =
        access_console::storage::accounts::open_bearer_session(server.pool(), &owner.id).await?;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))?,
    );
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .build()?)
}

/// The times of repeated requests, fastest first.
pub struct Timings(Vec<Duration>);

impl Timings {
    /// The times, fastest first.
    #[allow(dead_code)] // used by metrics_cost only
    pub fn into_inner(self) -> Vec<Duration> {
        self.0
    }

    /// `median … ms   min … ms   max … ms`.
    #[allow(dead_code)] // not used by metrics_cost
    pub fn summary(&self) -> String {
        let ms = |i: usize| self.0.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        format!(
            "median {:>7.2} ms   min {:>7.2} ms   max {:>7.2} ms",
            ms(self.0.len() / 2),
            ms(0),
            ms(self.0.len().saturating_sub(1))
        )
    }
}

/// Sends `runs` sequential GETs of `url`, each read to its end; an answer that is not a success is an
/// error. Returns the times and the last body.
pub async fn time_gets(
    client: &reqwest::Client,
    url: &str,
    runs: usize,
) -> Result<(Timings, Vec<u8>), Box<dyn Error>> {
    let mut times = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let response = client.get(url).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        times.push(started.elapsed());
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
        }
        last = body.to_vec();
    }
    times.sort();
    Ok((Timings(times), last))
}

/// Sends one POST of each JSON body to `url`, one after the other; an answer that is not a success is an
/// error. Returns the times.
#[allow(dead_code)] // used by users_list_timing only
pub async fn time_posts(
    client: &reqwest::Client,
    url: &str,
    bodies: impl IntoIterator<Item = serde_json::Value>,
) -> Result<Timings, Box<dyn Error>> {
    let mut times = Vec::new();
    for body in bodies {
        let started = Instant::now();
        let response = client.post(url).json(&body).send().await?;
        let status = response.status();
        let answer = response.bytes().await?;
        times.push(started.elapsed());
        if !status.is_success() {
            return Err(
                format!("{url}: HTTP {status}: {}", String::from_utf8_lossy(&answer)).into(),
            );
        }
    }
    times.sort();
    Ok(Timings(times))
}
