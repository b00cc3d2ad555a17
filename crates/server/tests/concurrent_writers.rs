//! Two server instances on one database (with `ACCESS_CONSOLE_TEST_BACKEND=postgres`, one PostgreSQL
//! database, as several servers behind a load balancer; by default, one SQLite file), and concurrent
//! clients writing through both: names stay unique, no update is lost, every change has exactly one event.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use access_console::{spawn, ServeOptions, Spawned};
use common::{Pki, TestServer};
use serde_json::{json, Value};
use tokio::sync::Barrier;

const CLIENTS: usize = 8;
/// Creates per client of names only it uses: users and roles, alternately.
const OWN_CREATES: usize = 12;
/// Names every client tries to create (a user and a role each), all at once.
const RACED: usize = 6;
/// Rounds of three concurrent PATCHes of one user, each changing another field.
const PATCH_ROUNDS: usize = 15;

/// Both instances' API bases (`http://addr/api/atlas/v2`) and the project.
#[derive(Clone)]
struct Instances {
    bases: [String; 2],
    group_id: String,
    client: reqwest::Client,
}

impl Instances {
    fn url(&self, instance: usize, path: &str) -> String {
        format!(
            "{}/groups/{}{path}",
            self.bases[instance % 2],
            self.group_id
        )
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("response body");
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        (status, body)
    }

    async fn create_user(&self, instance: usize, username: &str) -> (u16, Value) {
        let body = json!({
            "databaseName": "$external", "username": username, "x509Type": "CUSTOMER",
            "roles": [{"roleName": "readAnyDatabase", "databaseName": "admin"}],
        });
        let url = self.url(instance, "/databaseUsers");
        self.send(self.client.post(url).json(&body)).await
    }

    async fn create_role(&self, instance: usize, role_name: &str) -> (u16, Value) {
        let body = json!({
            "roleName": role_name,
            "actions": [{"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}],
        });
        let url = self.url(instance, "/customDBRoles/roles");
        self.send(self.client.post(url).json(&body)).await
    }

    fn user_url(&self, instance: usize, username: &str) -> String {
        let encoded: String = username
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.url(instance, &format!("/databaseUsers/%24external/{encoded}"))
    }

    async fn patch_user(&self, instance: usize, username: &str, body: Value) -> (u16, Value) {
        let url = self.user_url(instance, username);
        self.send(self.client.patch(url).json(&body)).await
    }
}

async fn second_instance(database_url: &str) -> Spawned {
    spawn(ServeOptions::local(database_url.to_owned()))
        .await
        .expect("a second server on the same database")
}

fn own_user(client: usize, i: usize) -> String {
    format!("CN=u{client}-{i},O=Race")
}

fn own_role(client: usize, i: usize) -> String {
    format!("r{client}_{i}")
}

fn raced_user(k: usize) -> String {
    format!("CN=raced-{k},O=Race")
}

fn raced_role(k: usize) -> String {
    format!("raced_{k}")
}

/// What one client saw: (what, name, status).
type Outcomes = Vec<(&'static str, String, u16, Value)>;

async fn client_run(instances: Instances, client: usize, barrier: Arc<Barrier>) -> Outcomes {
    let mut outcomes = Outcomes::new();
    for i in 0..OWN_CREATES {
        let instance = client + i;
        if i % 2 == 0 {
            let name = own_user(client, i);
            let (status, body) = instances.create_user(instance, &name).await;
            outcomes.push(("own user", name, status, body));
        } else {
            let name = own_role(client, i);
            let (status, body) = instances.create_role(instance, &name).await;
            outcomes.push(("own role", name, status, body));
        }
    }
    for k in 0..RACED {
        // Everyone at once, half of the clients through each instance.
        barrier.wait().await;
        let instance = client + k;
        let name = raced_user(k);
        let (status, body) = instances.create_user(instance, &name).await;
        outcomes.push(("raced user", name, status, body));
        let name = raced_role(k);
        let (status, body) = instances.create_role(instance + 1, &name).await;
        outcomes.push(("raced role", name, status, body));
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_keep_names_unique_lose_no_update_and_write_each_event_once() {
    let first = TestServer::start().await;
    let ca = Pki::new().self_signed("/CN=Race Root CA", 365);
    let (status, body) = first.patch_cas(&ca.pem).await;
    assert_eq!(status, 200, "{body}");
    let second = second_instance(&first.database_url).await;
    let instances = Instances {
        bases: [first.url(""), format!("{}/api/atlas/v2", second.url())],
        group_id: first.group_id.clone(),
        // The test owner's bearer session: sessions live in the database, so both instances know it.
        client: first.client.clone(),
    };

    // Creates: own names, then the raced ones.
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(client_run(instances.clone(), client, barrier.clone())))
        .collect();
    let mut outcomes = Outcomes::new();
    for task in tasks {
        outcomes.extend(task.await.expect("client task"));
    }
    let mut raced: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for (what, name, status, body) in &outcomes {
        match *what {
            "own user" => assert_eq!(*status, 201, "{name}: {body}"),
            "own role" => assert_eq!(*status, 200, "{name}: {body}"),
            _ => {
                assert!(
                    [200, 201, 409].contains(status),
                    "{what} {name}: {status} {body}"
                );
                if *status == 409 {
                    let code = body["errorCode"].as_str().unwrap_or_default();
                    let expected = if *what == "raced user" {
                        "DUPLICATE_DATABASE_USERNAME"
                    } else {
                        "DUPLICATE_ATLAS_CUSTOM_ROLE_NAME"
                    };
                    assert_eq!(code, expected, "{body}");
                }
                raced.entry(name.clone()).or_default().push(*status);
            }
        }
    }
    assert_eq!(raced.len(), 2 * RACED);
    for (name, statuses) in &raced {
        let won = statuses.iter().filter(|s| **s != 409).count();
        assert_eq!(
            won, 1,
            "{name}: exactly one create succeeds, got {statuses:?}"
        );
        assert_eq!(statuses.len(), CLIENTS, "{name}");
    }

    // One user, three fields changed at once in each round through both instances: the server's
    // read-modify-write must keep the other two fields' latest values.
    let shared = "CN=shared,O=Race";
    assert_eq!(instances.create_user(0, shared).await.0, 201);
    for round in 0..PATCH_ROUNDS {
        let description = format!("round {round}");
        let labels = json!([{"key": "round", "value": round.to_string()}]);
        let roles = json!([{"roleName": "read", "databaseName": format!("db{round}")}]);
        let (a, b, c) = tokio::join!(
            instances.patch_user(round, shared, json!({ "description": description })),
            instances.patch_user(round + 1, shared, json!({ "labels": labels })),
            instances.patch_user(round, shared, json!({ "roles": roles })),
        );
        for (status, body) in [a, b, c] {
            assert_eq!(status, 200, "round {round}: {body}");
        }
        let (status, user) = instances
            .send(instances.client.get(instances.user_url(round + 1, shared)))
            .await;
        assert_eq!(status, 200, "{user}");
        assert_eq!(user["description"], json!(description), "{user}");
        assert_eq!(user["labels"], labels, "{user}");
        assert_eq!(user["roles"], roles, "{user}");
    }

    // Every change exactly once in the activity feed, and nothing else.
    let pool = common::open_database(&first.database_url).await;
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT event_type_name, target, COUNT(*) FROM events \
         WHERE event_type_name LIKE 'MONGODB_%' GROUP BY event_type_name, target",
    )
    .fetch_all(&pool)
    .await
    .expect("events");
    let events: BTreeMap<(String, String), i64> = rows
        .into_iter()
        .map(|(kind, target, count)| ((kind, target), count))
        .collect();
    let mut expected = BTreeMap::new();
    for client in 0..CLIENTS {
        for i in 0..OWN_CREATES {
            let (kind, name) = if i % 2 == 0 {
                ("MONGODB_USER_ADDED", own_user(client, i))
            } else {
                ("MONGODB_ROLE_ADDED", own_role(client, i))
            };
            expected.insert((kind.to_owned(), name), 1);
        }
    }
    for k in 0..RACED {
        expected.insert(("MONGODB_USER_ADDED".to_owned(), raced_user(k)), 1);
        expected.insert(("MONGODB_ROLE_ADDED".to_owned(), raced_role(k)), 1);
    }
    expected.insert(("MONGODB_USER_ADDED".to_owned(), shared.to_owned()), 1);
    let updates = i64::try_from(3 * PATCH_ROUNDS).expect("small");
    expected.insert(
        ("MONGODB_USER_UPDATED".to_owned(), shared.to_owned()),
        updates,
    );
    assert_eq!(events, expected);
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM database_users")
        .fetch_one(&pool)
        .await
        .expect("count users");
    let (roles,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM custom_roles")
        .fetch_one(&pool)
        .await
        .expect("count roles");
    let own = i64::try_from(CLIENTS * OWN_CREATES / 2).expect("small");
    let raced = i64::try_from(RACED).expect("small");
    assert_eq!((users, roles), (own + raced + 1, own + raced));

    pool.close().await;
    second.shutdown().await;
    first.stop().await;
}

/// A write lock held by someone else past SQLite's busy timeout (5 s): the change is answered 503
/// `DATABASE_BUSY` with `Retry-After: 1`, nothing is written, and the same request succeeds once the
/// lock is gone.
#[tokio::test]
async fn a_locked_sqlite_database_answers_503_with_retry_after_and_changes_nothing() {
    use sqlx::Connection as _;
    let t = TestServer::start_on_sqlite().await;
    let mut holder = sqlx::AnyConnection::connect(&t.database_url)
        .await
        .expect("a second connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .await
        .expect("take the write lock");
    let clusters = t.url(&format!("/groups/{}/clusters", t.group_id));
    let body = json!({"name": "Locked0", "mongoDBMajorVersion": "7.0"});
    let response = t
        .client
        .post(&clusters)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let refused: Value = response.json().await.expect("JSON");
    common::assert_error(&refused, 503, "DATABASE_BUSY");
    sqlx::query("ROLLBACK")
        .execute(&mut holder)
        .await
        .expect("release the lock");
    let (_, listed) = t.send(t.client.get(&clusters)).await;
    assert_eq!(listed["totalCount"], 0, "{listed}");
    let (status, created) = t.send(t.client.post(&clusters).json(&body)).await;
    assert_eq!(status, 201, "{created}");
    t.stop().await;
}
