//! Issue 14, item 3 (SSRF through webhooks), attacked against the real server: a server started without
//! `--allow-private-webhooks` sends no webhook to loopback, link-local or other private addresses, in
//! whatever form the URL spells them (IPv6, IPv4-mapped IPv6, a decimal IPv4, a name resolving to
//! loopback), neither from the test button nor from the periodic evaluation, and says only "refused:
//! private address"; a configuration has at most 10 notifications; a Read Only account sees a webhook's
//! host, never its URL. (With the flag, delivery to a receiver on 127.0.0.1 works: the webhook tests of
//! `activity_alerts.rs`.)

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use access_console::{spawn, ServeOptions, Spawned};
use access_core::project_role::ProjectRole;
use common::{account_token, assert_error, client_with_token, now, owner_token, Pki, DAY};
use serde_json::{json, Value};
use sqlx::Row;

/// A TCP listener on 127.0.0.1 counting the connections it accepts (it answers nothing).
async fn loopback_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, accepted)
}

struct Server {
    server: Spawned,
    client: reqwest::Client,
    group: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// The defaults of `serve` (no `--allow-private-webhooks`; the alert evaluator every 5 minutes).
    async fn start() -> Self {
        Self::start_with(false, access_console::DEFAULT_ALERT_EVALUATION_INTERVAL).await
    }

    async fn start_with(allow_private_webhooks: bool, alert_evaluation_interval: Duration) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = common::new_database_url(dir.path()).await;
        let server = spawn(ServeOptions {
            alert_evaluation_interval,
            allow_private_webhooks,
            ..ServeOptions::local(database_url)
        })
        .await
        .expect("server starts");
        let client = client_with_token(&owner_token(server.pool()).await);
        let mut this = Self {
            server,
            client,
            group: String::new(),
            _dir: dir,
        };
        let (_, groups) = this.send(this.client.get(this.url("/groups"))).await;
        this.group = groups["results"][0]["id"]
            .as_str()
            .expect("a project")
            .to_owned();
        this
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}/api/atlas/v2{path}", self.server.addr)
    }

    fn g(&self, path: &str) -> String {
        self.url(&format!("/groups/{}{path}", self.group))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Saves a CA expiring in 10 days (its alert opens at once) and returns the id of the CA-expiry
    /// configuration created with it.
    /// "Test" on the alert configuration `config`: `POST .../alertConfigs/{config}/test`.
    async fn test_webhooks(&self, config: &str) -> (u16, Value) {
        self.send(
            self.client
                .post(self.g(&format!("/alertConfigs/{config}/test")))
                .json(&json!({})),
        )
        .await
    }

    async fn config_with_open_alert(&self) -> String {
        let ca = Pki::new().dated("/CN=Soon Root", now() - DAY, now() + 10 * DAY);
        let body = json!({ "customerX509": { "cas": ca.pem } });
        let (status, answer) = self
            .send(self.client.patch(self.g("/userSecurity")).json(&body))
            .await;
        assert_eq!(status, 200, "{answer}");
        let (status, configs) = self.send(self.client.get(self.g("/alertConfigs"))).await;
        assert_eq!(status, 200, "{configs}");
        configs["results"][0]["id"]
            .as_str()
            .expect("the CA-expiry configuration")
            .to_owned()
    }
}

#[tokio::test]
async fn a_server_without_the_flag_sends_no_webhook_to_private_addresses() {
    // The defaults of `serve` but the alert evaluator, every 200 ms here.
    let s = Server::start_with(false, Duration::from_millis(200)).await;
    let (port, accepted) = loopback_listener().await;
    // The CA (expiring in 10 days) first; then a configuration of its own, whose alert the periodic
    // evaluation opens and notifies (the default one may have been notified already).
    s.config_with_open_alert().await;
    let targets = [
        format!("http://127.0.0.1:{port}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        format!("http://[::1]:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        format!("http://localhost:{port}/hook"),
        // 127.0.0.1 as one decimal number.
        format!("http://2130706433:{port}/hook"),
        "http://10.0.0.1:5432/".to_owned(),
    ];
    let notifications: Vec<Value> = targets
        .iter()
        .map(|url| json!({"typeName": "WEBHOOK", "intervalMin": 5, "webhookUrl": url}))
        .collect();
    let (status, body) = s
        .send(s.client.post(s.g("/alertConfigs")).json(&json!({
            "eventTypeName": "CA_EXPIRING",
            "threshold": {"operator": "LESS_THAN", "units": "DAYS", "threshold": 30},
            "notifications": notifications,
        })))
        .await;
    assert_eq!(
        status, 201,
        "saving private URLs is allowed, sending is not: {body}"
    );
    let config = body["id"].as_str().expect("id").to_owned();

    // The test button: every URL refused, with nothing about the connection.
    let (status, body) = s.test_webhooks(&config).await;
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), targets.len(), "{body}");
    for result in results {
        assert_eq!(result["delivered"], false, "{result}");
        assert_eq!(result["error"], "refused: private address", "{result}");
        assert!(result.get("statusCode").is_none(), "{result}");
    }

    // The periodic evaluation: each webhook attempted, each refused.
    let mut refused = Vec::new();
    for _ in 0..100 {
        let rows = sqlx::query(
            "SELECT target, status, error FROM webhook_deliveries \
             WHERE alert_id IS NOT NULL AND alert_config_id = $1",
        )
        .bind(&config)
        .fetch_all(s.server.pool())
        .await
        .expect("deliveries");
        refused = rows
            .iter()
            .map(|row| {
                (
                    row.try_get::<String, _>("target").expect("target"),
                    row.try_get::<String, _>("status").expect("status"),
                    row.try_get::<Option<String>, _>("error").expect("error"),
                )
            })
            .collect();
        if refused.len() >= targets.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused.len() >= targets.len(), "{refused:?}");
    for target in &targets {
        assert!(
            refused.iter().any(|(t, _, _)| t == target),
            "{target} not attempted: {refused:?}"
        );
    }
    for (target, status, error) in &refused {
        assert_eq!(status, "FAILED", "{target}");
        assert_eq!(
            error.as_deref(),
            Some("refused: private address"),
            "{target}"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        0,
        "a connection reached the loopback listener"
    );
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_configuration_has_at_most_10_notifications() {
    let s = Server::start().await;
    let config = s.config_with_open_alert().await;
    let notifications = |count: usize| -> Vec<Value> {
        (0..count)
            .map(|i| json!({"typeName": "EMAIL", "emailAddress": format!("ops{i}@example.com")}))
            .collect()
    };
    let (status, body) = s
        .send(
            s.client
                .patch(s.g(&format!("/alertConfigs/{config}")))
                .json(&json!({ "notifications": notifications(11) })),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_error(&body, 400, "TOO_MANY_NOTIFICATIONS");
    assert!(detail.contains("notifications"), "{detail}");
    assert_eq!(body["errors"][0]["field"], "notifications", "{body}");
    let (status, body) = s
        .send(s.client.post(s.g("/alertConfigs")).json(&json!({
            "eventTypeName": "CA_EXPIRING",
            "notifications": notifications(11),
        })))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "TOO_MANY_NOTIFICATIONS");
    let (status, body) = s
        .send(
            s.client
                .patch(s.g(&format!("/alertConfigs/{config}")))
                .json(&json!({ "notifications": notifications(10) })),
        )
        .await;
    assert_eq!(status, 200, "10 are allowed: {body}");
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_read_only_account_sees_the_host_of_a_webhook_not_its_url() {
    let s = Server::start().await;
    let config = s.config_with_open_alert().await;
    let url = "https://hooks.example.com/services/T0001/B0002/XXXXSECRETXXXX";
    let (status, body) = s
        .send(
            s.client
                .patch(s.g(&format!("/alertConfigs/{config}")))
                .json(&json!({"notifications": [
                    {"typeName": "WEBHOOK", "intervalMin": 60, "webhookUrl": url},
                    {"typeName": "EMAIL", "emailAddress": "ops@example.com"},
                ]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let reader = client_with_token(
        &account_token(
            s.server.pool(),
            "reader",
            "reader's long password",
            ProjectRole::ReadOnly,
        )
        .await,
    );
    for path in [
        "/alertConfigs".to_owned(),
        format!("/alertConfigs/{config}"),
    ] {
        let (status, body) = s.send(reader.get(s.g(&path))).await;
        assert_eq!(status, 200, "{body}");
        assert!(!body.to_string().contains("XXXXSECRET"), "{path}: {body}");
        let answered = if body.get("results").is_some() {
            body["results"][0].clone()
        } else {
            body
        };
        let webhook = &answered["notifications"][0];
        assert_eq!(webhook["webhookHost"], "hooks.example.com", "{webhook}");
        assert!(webhook.get("webhookUrl").is_none(), "{webhook}");
        assert_eq!(
            answered["notifications"][1]["emailAddress"],
            "ops@example.com"
        );
    }
    // The activity feed: the same host instead of the URL.
    let (status, body) = s.send(reader.get(s.g("/events?itemsPerPage=500"))).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.to_string().contains("XXXXSECRET"), "{body}");
    assert!(
        body.to_string()
            .contains("\"webhookHost\":\"hooks.example.com\""),
        "{body}"
    );
    let (_, body) = s.send(s.client.get(s.g("/events?itemsPerPage=500"))).await;
    assert!(
        body.to_string().contains("XXXXSECRET"),
        "the owner reads it: {body}"
    );
    // The owner still reads (and can send back) the whole URL.
    let (_, body) = s
        .send(s.client.get(s.g(&format!("/alertConfigs/{config}"))))
        .await;
    assert_eq!(body["notifications"][0]["webhookUrl"], url, "{body}");
    assert!(body["notifications"][0].get("webhookHost").is_none());
    s.server.shutdown().await;
}

/// A webhook is never redirected: a receiver answering 302 to another address is a failed delivery,
/// and the other address receives nothing. (With the flag, as both live on 127.0.0.1; without it a
/// public URL redirecting to a private one is refused the same way: no redirect is followed.)
#[tokio::test]
async fn a_webhook_is_not_redirected() {
    let s = Server::start_with(true, access_console::DEFAULT_ALERT_EVALUATION_INTERVAL).await;
    let (elsewhere, accepted) = loopback_listener().await;
    let redirector = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = redirector.local_addr().expect("address").port();
    let app = axum::Router::new().fallback(move || async move {
        (
            axum::http::StatusCode::FOUND,
            [(
                axum::http::header::LOCATION,
                format!("http://127.0.0.1:{elsewhere}/metadata"),
            )],
        )
    });
    tokio::spawn(async move { axum::serve(redirector, app).await });
    let config = s.config_with_open_alert().await;
    let url = format!("http://127.0.0.1:{port}/hook");
    let (status, body) = s
        .send(
            s.client
                .patch(s.g(&format!("/alertConfigs/{config}")))
                .json(&json!({"notifications": [{"typeName": "WEBHOOK", "webhookUrl": url}]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s.test_webhooks(&config).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["delivered"], false, "{body}");
    assert_eq!(body["results"][0]["statusCode"], 302, "{body}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
    s.server.shutdown().await;
}
