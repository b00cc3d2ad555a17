//! How long the database users list takes with 10,000 users in SQLite, through the real server over
//! loopback: `cargo run --release -p access-console --example users_list_timing`. Prints the median,
//! minimum and maximum of repeated requests; figures go to docs/benchmarks.md (no timed tests).

use std::time::{Duration, Instant};

use access_console::storage::{self, database_users, events, now_unix, projects};
use access_console::{spawn, ServeOptions, DEFAULT_EXPIRY_SWEEP_INTERVAL};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};

const USERS: usize = 10_000;
const RUNS: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("timing.db").display());
    let db = storage::open(&url, now_unix()).await?;
    let project = projects::list(&db.pool, 0, 1)
        .await?
        .into_iter()
        .next()
        .ok_or("no project")?;
    let started = Instant::now();
    let mut tx = db.pool.begin().await?;
    for i in 0..USERS {
        let user = DatabaseUser {
            group_id: None,
            database_name: "$external".to_owned(),
            username: format!("CN=user{i:05},OU=Batch,O=Acme"),
            x509_type: X509Type::Customer,
            aws_iam_type: Default::default(),
            ldap_auth_type: Default::default(),
            oidc_auth_type: Default::default(),
            roles: vec![UserRole::on_collection("readWrite", "sales", "orders")],
            scopes: vec![],
            labels: vec![],
            description: None,
            delete_after_date: None,
            password: None,
        };
        database_users::insert(&mut tx, &project.id, &user, events::ANONYMOUS, now_unix()).await?;
    }
    tx.commit().await?;
    println!(
        "seeded {USERS} users (with their events) in {:?}",
        started.elapsed()
    );
    db.pool.close().await;

    let server = spawn(ServeOptions {
        listen: "127.0.0.1:0".parse()?,
        database_url: url,
        dist: None,
        expiry_sweep_interval: DEFAULT_EXPIRY_SWEEP_INTERVAL,
        alert_evaluation_interval: access_console::DEFAULT_ALERT_EVALUATION_INTERVAL,
    })
    .await?;
    let base = format!(
        "http://{}/api/atlas/v2/groups/{}/databaseUsers",
        server.addr, project.id
    );
    let client = reqwest::Client::new();
    println!("{RUNS} sequential requests each, one client, loopback, release build:");
    for (what, query) in [
        ("list, page 1 of 100 per page", "?itemsPerPage=100"),
        ("list, page 1 of 500 per page", "?itemsPerPage=500"),
        (
            "list, page 20 of 500 per page",
            "?itemsPerPage=500&pageNum=20",
        ),
        ("list, name filter (10 matches)", "?username=user0099"),
        (
            "get one user",
            "/%24external/CN%3Duser05000%2COU%3DBatch%2CO%3DAcme",
        ),
    ] {
        let url = format!("{base}{query}");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let response = client.get(&url).send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            times.push(started.elapsed());
            if !status.is_success() {
                return Err(
                    format!("{url}: HTTP {status}: {}", String::from_utf8_lossy(&body)).into(),
                );
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  {what:<34} median {:>7.2} ms   min {:>7.2} ms   max {:>7.2} ms",
            ms(times[RUNS / 2]),
            ms(times[0]),
            ms(times[RUNS - 1])
        );
    }
    server.shutdown().await;
    Ok(())
}
