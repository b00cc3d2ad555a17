//! How long the database users list (and a create) takes with 10,000 users in SQLite, through the real
//! server over loopback: `cargo run --release -p access-console --example users_list_timing`. Prints the
//! median, minimum and maximum of repeated requests; figures go to docs/benchmarks.md (no timed tests).
//! With a URL argument (`-- postgres://…`, an empty database), on that database instead.

mod timing;

use std::time::Instant;

use access_console::storage::{database_users, now_unix};
use access_core::database_user::UserRole;

const USERS: usize = 10_000;
const RUNS: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeded = timing::open_database(now_unix()).await?;
    let project = &seeded.project;
    let started = Instant::now();
    let mut tx = seeded.db.pool.begin().await?;
    for i in 0..USERS {
        let user = timing::batch_user(
            i,
            vec![UserRole::on_collection("readWrite", "sales", "orders")],
        );
        database_users::insert(&mut tx, &project.id, &user, "timing", now_unix()).await?;
    }
    // Self-managed X.509 on (a CA of the system's bundle), for the creates through the API.
    timing::save_first_system_ca(&mut tx, &project.id, now_unix()).await?;
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
    let client = timing::owner_client(&server).await?;
    println!("{RUNS} sequential requests each, one client, loopback, release build:");
    for (what, query) in [
        ("list, page 1 of 100 per page", "?itemsPerPage=100"),
        (
            "list, page 1 of 100, no count",
            "?itemsPerPage=100&includeCount=false",
        ),
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
    let creates = (0..RUNS).map(|i| {
        serde_json::json!({
            "databaseName": "$external", "username": format!("CN=new{i:03},OU=Timed,O=Acme"),
            "x509Type": "CUSTOMER", "roles": [{"roleName": "read", "databaseName": "sales"}],
        })
    });
    let times = timing::time_posts(&client, &base, creates).await?;
    println!("  {:<34} {}", "create one user", times.summary());
    server.shutdown().await;
    Ok(())
}
