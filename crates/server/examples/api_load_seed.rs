//! Seeds a database for the API load benchmark (`scripts/bench load`) through the storage layer:
//! self-managed X.509 on (the first CA of the system bundle), 1,000 custom roles and 10,000 certificate
//! users (with their events), every other one holding `readWrite` on a collection, the others one of
//! the custom roles each; then custom-role update events until the project's activity feed holds
//! 100,000 events.
//! Prints the project id.
//!
//! `cargo run --release -p access-console --example api_load_seed -- sqlite://PATH` (or a
//! `postgres://` URL of an empty database)

use std::error::Error;

use access_console::storage::events::{self, Diff, EventType};
use access_console::storage::{self, custom_roles, database_users, projects, x509_settings};
use access_core::custom_role::{ActionResource, CustomDbRole, RoleAction};
use access_core::database_user::{DatabaseUser, UserRole, X509Type};

const USERS: usize = 10_000;
const CUSTOM_ROLES: usize = 1_000;
const EVENTS: i64 = 100_000;
/// Writes per transaction: every write also updates its project's counts, and PostgreSQL slows down
/// on a row updated many times in one transaction (each update walks the row's versions).
const BATCH: usize = 1_000;
const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: api_load_seed sqlite://PATH | postgres://…")?;
    let now = storage::now_unix();
    let db = storage::open(&url, now).await?;
    let project = projects::list(&db.pool, 0, 1)
        .await?
        .into_iter()
        .next()
        .ok_or("no project")?;
    let bundle = std::fs::read_to_string(CA_BUNDLE)?;
    let end = "-----END CERTIFICATE-----";
    let first_ca = bundle
        .find(end)
        .and_then(|at| bundle.get(..at + end.len()))
        .ok_or("no certificate in the CA bundle")?;

    let mut tx = db.pool.begin().await?;
    x509_settings::save_bundle(&mut tx, &project.id, first_ca, now).await?;
    for i in 0..CUSTOM_ROLES {
        let role = CustomDbRole {
            role_name: format!("role{i:04}"),
            actions: vec![RoleAction {
                action: "FIND".to_owned(),
                resources: vec![ActionResource::collection(format!("db{i:04}"), "orders")],
            }],
            inherited_roles: vec![],
        };
        custom_roles::insert(&mut tx, &project.id, &role, now).await?;
    }
    for i in 0..USERS {
        let user = DatabaseUser {
            group_id: None,
            database_name: "$external".to_owned(),
            username: format!("CN=user{i:05},OU=Batch,O=Acme"),
            x509_type: X509Type::Customer,
            aws_iam_type: Default::default(),
            ldap_auth_type: Default::default(),
            oidc_auth_type: Default::default(),
            // A custom role must be a user's only role: every other user holds one.
            roles: vec![if i % 2 == 0 {
                UserRole::on_collection("readWrite", "sales", "orders")
            } else {
                UserRole::new(format!("role{:04}", i % CUSTOM_ROLES), "admin")
            }],
            scopes: vec![],
            labels: vec![],
            description: None,
            delete_after_date: None,
            password: None,
        };
        database_users::insert(&mut tx, &project.id, &user, "load seed", now).await?;
        if i % BATCH == BATCH - 1 {
            tx.commit().await?;
            tx = db.pool.begin().await?;
        }
    }
    let (events_so_far,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM events WHERE project_id = $1")
            .bind(&project.id)
            .fetch_one(&mut *tx)
            .await?;
    for i in events_so_far..EVENTS {
        let role = format!("role{:04}", i % 1_000);
        let before = serde_json::json!({"roleName": role, "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]});
        let after = serde_json::json!({"roleName": role, "actions": [{"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}]});
        let diff = Diff {
            before: Some(&before),
            after: Some(&after),
        };
        let kind = EventType::MongodbRoleUpdated;
        events::record(&mut tx, &project.id, kind, "load seed", &role, &diff, now).await?;
        if i % (BATCH as i64) == BATCH as i64 - 1 {
            tx.commit().await?;
            tx = db.pool.begin().await?;
        }
    }
    tx.commit().await?;
    db.pool.close().await;
    println!("{}", project.id);
    Ok(())
}
