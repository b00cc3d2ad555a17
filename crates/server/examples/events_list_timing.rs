//! How long the activity feed takes with 100,000 events in SQLite, through the real server over loopback:
//! `cargo run --release -p access-console --example events_list_timing`. Prints the median, minimum and
//! maximum of repeated requests (no timed tests).

mod timing;

use std::time::Instant;

use access_console::storage::events::{self, Diff, EventType};
use access_console::storage::now_unix;

const EVENTS: i64 = 100_000;
const RUNS: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = now_unix() - EVENTS * 60;
    let seeded = timing::open_database(start).await?;
    let project = &seeded.project;
    let kinds = [
        EventType::MongodbUserAdded,
        EventType::MongodbUserUpdated,
        EventType::MongodbUserDeleted,
        EventType::MongodbRoleAdded,
        EventType::MongodbRoleUpdated,
        EventType::MongodbRoleDeleted,
        EventType::ClusterAdded,
        EventType::ClusterDeleted,
        EventType::X509CaBundleUpdated,
        EventType::AlertConfigUpdated,
    ];
    let started = Instant::now();
    let mut tx = seeded.db.pool.begin().await?;
    for i in 0..EVENTS {
        let kind = kinds[usize::try_from(i).unwrap_or(0) % kinds.len()];
        let before = serde_json::json!({"roleName": format!("role{i}"), "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]});
        let after = serde_json::json!({"roleName": format!("role{i}"), "actions": [{"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}]});
        events::record(
            &mut tx,
            &project.id,
            kind,
            "timing",
            &format!("role{i}"),
            &Diff {
                before: Some(&before),
                after: Some(&after),
            },
            // One event a minute.
            start + i * 60,
        )
        .await?;
    }
    tx.commit().await?;
    println!("seeded {EVENTS} events in {:?}", started.elapsed());
    seeded.db.pool.close().await;

    let server = timing::serve(seeded.url.clone()).await?;
    let base = format!(
        "http://{}/api/atlas/v2/groups/{}/events",
        server.addr, project.id
    );
    let middle_from = access_core::time::format_rfc3339(start + 50_000 * 60);
    let middle_to = access_core::time::format_rfc3339(start + 50_999 * 60);
    let client = reqwest::Client::new();
    println!("{RUNS} sequential requests each, one client, loopback, release build:");
    for (what, query) in [
        ("page 1 (100 per page)", "?itemsPerPage=100".to_owned()),
        (
            "page 100 (100 per page)",
            "?itemsPerPage=100&pageNum=100".to_owned(),
        ),
        (
            "page 1000, the last (100 per page)",
            "?itemsPerPage=100&pageNum=1000".to_owned(),
        ),
        (
            "page 1, includeCount=false",
            "?itemsPerPage=100&includeCount=false".to_owned(),
        ),
        ("page 1 of 500 per page", "?itemsPerPage=500".to_owned()),
        (
            "eventType filter (1 of 10 types), page 1",
            "?eventType=MONGODB_ROLE_UPDATED".to_owned(),
        ),
        (
            "eventType filter, page 100",
            "?eventType=MONGODB_ROLE_UPDATED&pageNum=100".to_owned(),
        ),
        (
            "two eventTypes, page 1",
            "?eventType=MONGODB_ROLE_UPDATED&eventType=CLUSTER_ADDED".to_owned(),
        ),
        (
            "minDate+maxDate (1,000 events), page 1",
            format!("?minDate={middle_from}&maxDate={middle_to}"),
        ),
        (
            "type + dates (100 events), page 1",
            format!("?eventType=MONGODB_ROLE_UPDATED&minDate={middle_from}&maxDate={middle_to}"),
        ),
    ] {
        let (times, last) = timing::time_gets(&client, &format!("{base}{query}"), RUNS).await?;
        let count = serde_json::from_slice::<serde_json::Value>(&last)?["totalCount"].clone();
        println!("  {what:<42} {}   totalCount {count}", times.summary());
    }
    server.shutdown().await;
    Ok(())
}
