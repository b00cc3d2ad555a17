//! How long export, drift and import take for a project of 10,000 users and 1,000 custom roles (SQLite,
//! the real server over loopback): `cargo run --release -p access-console --example export_timing`.
//! Prints the median, minimum and maximum of repeated requests, and the core's own time (no I/O).

mod timing;

use std::time::Instant;

use access_console::storage::{custom_roles, database_users, now_unix};
use access_core::custom_role::{ActionResource, CustomDbRole, InheritedRole, RoleAction};
use access_core::database_user::{DatabaseUser, UserRole};

const USERS: usize = 10_000;
const ROLES: usize = 1_000;
const RUNS: usize = 10;

fn role(i: usize) -> CustomDbRole {
    CustomDbRole {
        role_name: format!("role{i:04}"),
        actions: vec![
            RoleAction {
                action: "FIND".into(),
                resources: vec![ActionResource::collection(
                    format!("db{}", i % 50),
                    "orders",
                )],
            },
            RoleAction {
                action: "LIST_COLLECTIONS".into(),
                resources: vec![ActionResource::database(format!("db{}", i % 50))],
            },
        ],
        // Chains of ten: role0001 inherits role0000, ...
        inherited_roles: if i.is_multiple_of(10) {
            vec![InheritedRole::new("read", "reports")]
        } else {
            vec![InheritedRole::new(format!("role{:04}", i - 1), "admin")]
        },
    }
}

fn user(i: usize) -> DatabaseUser {
    let roles = if i.is_multiple_of(2) {
        vec![UserRole::new(format!("role{:04}", i % ROLES), "admin")]
    } else {
        vec![
            UserRole::new("readWrite", "sales"),
            UserRole::on_collection("read", "hr", "staff"),
        ]
    };
    timing::batch_user(i, roles)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeded = timing::open_database(now_unix()).await?;
    let project = &seeded.project;
    let started = Instant::now();
    let mut tx = seeded.db.pool.begin().await?;
    for i in 0..ROLES {
        custom_roles::insert(&mut tx, &project.id, &role(i), now_unix()).await?;
    }
    for i in 0..USERS {
        database_users::insert(&mut tx, &project.id, &user(i), "timing", now_unix()).await?;
    }
    timing::save_first_system_ca(&mut tx, &project.id, now_unix()).await?;
    tx.commit().await?;
    println!(
        "seeded {USERS} users and {ROLES} custom roles in {:?}",
        started.elapsed()
    );

    // The core alone, on the data as read.
    let mut conn = seeded.db.pool.acquire().await?;
    let snapshot =
        access_console::api::transfer::snapshot(&mut conn, &project.id, now_unix()).await?;
    drop(conn);
    let core = |what: &str, f: &dyn Fn() -> usize| {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            size = f();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "  core {what:<28} median {:>8.2} ms   ({size} bytes)",
            times[times.len() / 2].as_secs_f64() * 1000.0
        );
    };
    println!("core (no I/O), median of {RUNS}:");
    for format in access_core::export::Format::ALL {
        core(format.name(), &|| {
            snapshot
                .render(format, None, true)
                .map(|s| s.len())
                .unwrap_or(0)
        });
    }
    let target = access_core::export::self_managed::target_state(&snapshot.access(), None)?;
    let state = access_core::drift::state_json(&access_core::drift::state_of(&target)).to_string();
    core("drift (parse + diff)", &|| {
        let deployment = access_core::drift::parse_state(&state).unwrap_or_default();
        let t = access_core::export::self_managed::target_state(&snapshot.access(), None).unwrap();
        access_core::drift::diff(&t, &deployment).fix.len() + deployment.users.len()
    });
    seeded.db.pool.close().await;

    let server = timing::serve(seeded.url.clone()).await?;
    let base = format!("http://{}/api/atlas/v2/groups/{}", server.addr, project.id);
    let client = timing::owner_client(&server).await?;
    println!("server, {RUNS} sequential requests each, one client, loopback, release build:");
    let mut json_doc = Vec::new();
    for format in access_core::export::Format::ALL {
        let (times, body) = timing::time_gets(
            &client,
            &format!("{base}/export?format={}", format.name()),
            RUNS,
        )
        .await?;
        println!(
            "  GET export?format={:<12} {}   ({} bytes)",
            format.name(),
            times.summary(),
            body.len()
        );
        if format == access_core::export::Format::Json {
            json_doc = body;
        }
    }
    let drift_body: serde_json::Value = serde_json::from_str(&state)?;
    let times = timing::time_posts(
        &client,
        &format!("{base}/drift"),
        (0..RUNS).map(|_| drift_body.clone()),
    )
    .await?;
    println!(
        "  POST drift (no drift)          {}   ({} bytes posted)",
        times.summary(),
        state.len()
    );
    let document: serde_json::Value = serde_json::from_slice(&json_doc)?;
    let times = timing::time_posts(
        &client,
        &format!("{base}/import?dryRun=true"),
        (0..RUNS).map(|_| document.clone()),
    )
    .await?;
    println!("  POST import?dryRun=true        {}", times.summary());
    server.shutdown().await;

    // Import into an empty project of another server (one transaction: 11,000 rows and their events).
    let empty = timing::open_database(now_unix()).await?;
    let target_server = timing::serve(empty.url.clone()).await?;
    let client = timing::owner_client(&target_server).await?;
    let url = format!(
        "http://{}/api/atlas/v2/groups/{}/import",
        target_server.addr, empty.project.id
    );
    let times = timing::time_posts(&client, &url, [document]).await?;
    println!("  POST import into an empty project {}", times.summary());
    target_server.shutdown().await;
    Ok(())
}
