//! How long the organization page's data takes with 1,000 projects, through the real server over
//! loopback: `cargo run --release -p access-console --example org_page_timing`. Each project has the
//! first two CAs of the system's bundle, 10 certificate users and 2 custom roles; the summary inspects
//! every project's bundle for its CA count and soonest expiry. Prints the median, minimum and maximum of
//! repeated requests (no timed tests). With a URL argument (`-- postgres://…`, an empty database), on
//! that database instead.

mod timing;

use std::time::Instant;

use access_console::storage::now_unix;
use access_console::storage::{database_users, projects, x509_settings};
use access_core::database_user::UserRole;

const PROJECTS: usize = 1_000;
const USERS_PER_PROJECT: usize = 10;
const RUNS: usize = 30;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = now_unix();
    let seeded = timing::open_database(now).await?;
    let org_id = seeded.project.org_id.clone();
    let system_cas = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")?;
    let end = "-----END CERTIFICATE-----";
    let two_cas = system_cas
        .match_indices(end)
        .nth(1)
        .map(|(i, _)| &system_cas[..i + end.len()])
        .ok_or("fewer than two certificates in /etc/ssl/certs/ca-certificates.crt")?;
    let started = Instant::now();
    let mut tx = seeded.db.pool.begin().await?;
    for p in 0..PROJECTS {
        let id = projects::insert(&mut tx, &org_id, &format!("project {p:04}"), now).await?;
        x509_settings::save_bundle(&mut tx, &id, two_cas, now).await?;
        for u in 0..USERS_PER_PROJECT {
            let user = timing::batch_user(
                u,
                vec![UserRole {
                    role_name: "read".to_owned(),
                    database_name: "sales".to_owned(),
                    collection_name: None,
                }],
            );
            database_users::insert(&mut tx, &id, &user, "timing", now).await?;
        }
    }
    tx.commit().await?;
    println!(
        "seeded {PROJECTS} projects ({USERS_PER_PROJECT} users and a 2-CA bundle each) in {:?}",
        started.elapsed()
    );
    seeded.db.pool.close().await;

    let server = timing::serve(seeded.url.clone()).await?;
    let client = timing::owner_client(&server).await?;
    let base = format!("http://{}", server.addr);
    println!("{RUNS} sequential requests each, one client (an Organization Owner), loopback, release build:");
    for (what, path) in [
        (
            "organization page summary (all 1,001 projects)",
            format!("/api/console/orgs/{org_id}/projects"),
        ),
        (
            "GET /groups, 500 per page",
            "/api/atlas/v2/groups?itemsPerPage=500".to_owned(),
        ),
        (
            "GET /orgs/{orgId}/groups, page 1 (100)",
            format!("/api/atlas/v2/orgs/{org_id}/groups"),
        ),
    ] {
        let (times, last) = timing::time_gets(&client, &format!("{base}{path}"), RUNS).await?;
        let body: serde_json::Value = serde_json::from_slice(&last)?;
        println!(
            "  {what:<48} {}   totalCount {}   {} bytes",
            times.summary(),
            body["totalCount"],
            last.len()
        );
    }
    server.shutdown().await;
    Ok(())
}
