//! How long the database users list takes with 10,000 users in SQLite, through the real server over
//! loopback: `cargo run --release -p access-console --example users_list_timing`. Prints the median,
//! minimum and maximum of repeated requests; figures go to docs/benchmarks.md (no timed tests).

mod timing;

use std::time::Instant;

use access_console::storage::{database_users, events, now_unix};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};

const USERS: usize = 10_000;
const RUNS: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeded = timing::open_database(now_unix()).await?;
    let project = &seeded.project;
    let started = Instant::now();
    let mut tx = seeded.db.pool.begin().await?;
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
        database_users::insert(&mut tx, &project.id, &user, "timing", now_unix()).await?;
    }
    tx.commit().await?;
    println!(
        "seeded {USERS} users (with their events) in {:?}",
        started.elapsed()
    );
    seeded.db.pool.close().await;

    let server = timing::serve(seeded.url.clone()).await?;
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
        let (times, _) = timing::time_gets(&client, &format!("{base}{query}"), RUNS).await?;
        println!("  {what:<34} {}", times.summary());
    }
    server.shutdown().await;
    Ok(())
}
