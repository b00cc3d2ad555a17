//! What request metrics cost on the request path (issue 20): `GET .../databaseUsers/{db}/{user}` on two
//! servers of this process on the same SQLite file, one recording metrics (`/metrics` on the main port,
//! the default) and one started with them off (`--no-metrics`), measured side by side: rounds of
//! sequential requests alternate between the two, so both see the same machine load.
//! `cargo run --release -p access-console --example metrics_cost`. Prints p50, p99 and max of each.

mod timing;

use std::time::Duration;

use access_console::storage::{database_users, now_unix};
use access_console::MetricsExposure;
use access_core::database_user::UserRole;

const USERS: usize = 1_000;
const ROUNDS: usize = 40;
const PER_ROUND: usize = 250;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeded = timing::open_database(now_unix()).await?;
    let project = &seeded.project;
    let mut tx = seeded.db.pool.begin().await?;
    for i in 0..USERS {
        let user = timing::batch_user(
            i,
            vec![UserRole::on_collection("readWrite", "sales", "orders")],
        );
        database_users::insert(&mut tx, &project.id, &user, "timing", now_unix()).await?;
    }
    timing::save_first_system_ca(&mut tx, &project.id, now_unix()).await?;
    tx.commit().await?;
    seeded.db.pool.close().await;

    let with = timing::serve_with_metrics(seeded.url.clone(), MetricsExposure::MainPort).await?;
    let without = timing::serve_with_metrics(seeded.url.clone(), MetricsExposure::Off).await?;
    let path = format!(
        "/api/atlas/v2/groups/{}/databaseUsers/%24external/CN%3Duser00500%2COU%3DBatch%2CO%3DAcme",
        project.id
    );
    // One account and session (in the shared database) for both.
    let client = timing::owner_client(&with).await?;
    let servers = [
        ("with metrics", client.clone(), &with),
        ("without metrics", client, &without),
    ];
    // Warm-up (connections, caches), then the measured rounds.
    for (_, client, server) in &servers {
        timing::time_gets(client, &format!("{}{path}", server.url()), 200).await?;
    }
    let mut all: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for round in 0..ROUNDS {
        for offset in 0..2 {
            // ABBA: neither server always goes first.
            let which = (round + offset) % 2;
            let (_, client, server) = &servers[which];
            let (times, _) =
                timing::time_gets(client, &format!("{}{path}", server.url()), PER_ROUND).await?;
            all[which].extend(times.into_inner());
        }
    }
    println!(
        "GET one database user (1,000 in the project), {} sequential requests each, one client, loopback:",
        ROUNDS * PER_ROUND
    );
    for (which, (what, _, _)) in servers.iter().enumerate() {
        let times = &mut all[which];
        times.sort();
        let at = |q: f64| {
            let i = ((times.len() as f64 * q) as usize).min(times.len() - 1);
            times[i].as_secs_f64() * 1000.0
        };
        println!(
            "  {what:<16} p50 {:>6.3} ms   p99 {:>6.3} ms   max {:>6.3} ms",
            at(0.50),
            at(0.99),
            at(1.0)
        );
    }
    // The scrape itself (not on the request path): one GET /metrics.
    let started = std::time::Instant::now();
    let text = reqwest::get(format!("{}/metrics", with.url()))
        .await?
        .text()
        .await?;
    println!(
        "  one GET /metrics: {:.2} ms, {} bytes",
        started.elapsed().as_secs_f64() * 1000.0,
        text.len()
    );
    with.shutdown().await;
    without.shutdown().await;
    Ok(())
}
