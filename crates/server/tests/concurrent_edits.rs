//! `ETag` and `If-Match` on users, custom roles and `userSecurity`, against the real server: a stale
//! tag is refused with 412 and changes nothing; the current one (or `*`) goes through; two writers with
//! the same tag cannot both win.

mod common;

use access_core::custom_role::CustomDbRole;
use access_core::database_user::DatabaseUser;
use access_core::etag;
use common::{assert_error, Pki, TestServer};
use reqwest::header::{ETAG, IF_MATCH};
use serde_json::{json, Value};

/// An answer: status, `ETag` (if any) and body (`null` when empty).
struct Answer {
    status: u16,
    etag: Option<String>,
    body: Value,
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Answer { status, etag, body }
}

struct Fixture {
    t: TestServer,
    pki: Pki,
}

impl Fixture {
    async fn start() -> Self {
        let t = TestServer::start().await;
        let pki = Pki::new();
        let ca = pki.self_signed("/CN=Test Root CA", 365);
        let (status, body) = t.patch_cas(&ca.pem).await;
        assert_eq!(status, 200, "{body}");
        Self { t, pki }
    }

    fn group(&self, path: &str) -> String {
        self.t.url(&format!("/groups/{}{path}", self.t.group_id))
    }

    fn user(&self) -> String {
        self.group("/databaseUsers/%24external/CN%3DJane%20Doe%2CO%3DAcme")
    }

    fn role(&self) -> String {
        self.group("/customDBRoles/roles/analyst")
    }

    async fn get(&self, url: &str) -> Answer {
        send(self.t.client.get(url)).await
    }

    async fn patch(&self, url: &str, if_match: Option<&str>, body: Value) -> Answer {
        let mut request = self.t.client.patch(url).json(&body);
        if let Some(tag) = if_match {
            request = request.header(IF_MATCH, tag);
        }
        send(request).await
    }

    async fn delete(&self, url: &str, if_match: Option<&str>) -> Answer {
        let mut request = self.t.client.delete(url);
        if let Some(tag) = if_match {
            request = request.header(IF_MATCH, tag);
        }
        send(request).await
    }

    /// How many events the project has recorded.
    async fn event_count(&self) -> u64 {
        let answer = self.get(&self.group("/events?itemsPerPage=1")).await;
        answer.body["totalCount"].as_u64().expect("totalCount")
    }

    async fn add_user(&self) -> Answer {
        let body = json!({"databaseName": "$external", "username": "CN=Jane Doe, O=Acme", "x509Type": "CUSTOMER",
                          "roles": [{"roleName": "readWrite", "databaseName": "sales"}]});
        let answer = send(self.t.client.post(self.group("/databaseUsers")).json(&body)).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer
    }

    async fn add_role(&self) -> Answer {
        let body = json!({"roleName": "analyst", "actions": [
            {"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}]});
        let answer = send(
            self.t
                .client
                .post(self.group("/customDBRoles/roles"))
                .json(&body),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer
    }
}

fn tag(answer: &Answer) -> String {
    answer
        .etag
        .clone()
        .unwrap_or_else(|| panic!("no ETag on {}", answer.body))
}

fn assert_changed_since_read(answer: &Answer, resource: &str) {
    assert_eq!(answer.status, 412, "{}", answer.body);
    let detail = assert_error(&answer.body, 412, "RESOURCE_CHANGED");
    assert_eq!(answer.body["reason"], "Precondition Failed");
    assert!(
        detail.contains(resource) && detail.contains("changed since it was read"),
        "{detail}"
    );
}

#[tokio::test]
async fn database_user_if_match() {
    let f = Fixture::start().await;
    let created = f.add_user().await;
    let first = tag(&created);
    // The tag is core's, computed from the JSON the API answers (so the UI can compute it from a list item).
    let user: DatabaseUser = serde_json::from_value(created.body.clone()).expect("a user");
    assert_eq!(first, etag::of_database_user(&user).header_value());
    let read = f.get(&f.user()).await;
    assert_eq!(read.status, 200);
    assert_eq!(tag(&read), first);
    let list = f.get(&f.group("/databaseUsers")).await;
    assert_eq!(list.etag, None, "lists carry no ETag");
    let listed: DatabaseUser =
        serde_json::from_value(list.body["results"][0].clone()).expect("a user");
    assert_eq!(etag::of_database_user(&listed).header_value(), first);

    // Someone else changes the user (no If-Match: as an Atlas client does).
    let other = f
        .patch(&f.user(), None, json!({"description": "changed elsewhere"}))
        .await;
    assert_eq!(other.status, 200, "{}", other.body);
    let second = tag(&other);
    assert_ne!(second, first);
    assert_eq!(tag(&f.get(&f.user()).await), second);

    // The stale tag: refused, nothing changed, no event.
    let events = f.event_count().await;
    let stale = f
        .patch(
            &f.user(),
            Some(&first),
            json!({"roles": [{"roleName": "read", "databaseName": "sales"}]}),
        )
        .await;
    assert_changed_since_read(&stale, "database user CN=Jane Doe,O=Acme");
    let stale_delete = f.delete(&f.user(), Some(&first)).await;
    assert_changed_since_read(&stale_delete, "database user");
    // The precondition comes before the body's rules.
    let stale_invalid = f.patch(&f.user(), Some(&first), json!({"roles": []})).await;
    assert_eq!(stale_invalid.status, 412);
    // A weak tag never matches, even with the current opaque text.
    let weak = f
        .patch(
            &f.user(),
            Some(&format!("W/{second}")),
            json!({"description": "weak"}),
        )
        .await;
    assert_eq!(weak.status, 412, "{}", weak.body);
    let now = f.get(&f.user()).await;
    assert_eq!(tag(&now), second);
    assert_eq!(now.body["description"], "changed elsewhere");
    assert_eq!(now.body["roles"][0]["roleName"], "readWrite");
    assert_eq!(f.event_count().await, events);

    // A malformed If-Match is refused as such.
    let malformed = f
        .patch(&f.user(), Some("not-quoted"), json!({"description": "x"}))
        .await;
    assert_eq!(malformed.status, 400);
    assert_error(&malformed.body, 400, "INVALID_IF_MATCH_HEADER");

    // The current tag (in a list with others): saved, with the new tag.
    let current = f
        .patch(
            &f.user(),
            Some(&format!("\"old\", {second}")),
            json!({"roles": [{"roleName": "read", "databaseName": "sales"}]}),
        )
        .await;
    assert_eq!(current.status, 200, "{}", current.body);
    let third = tag(&current);
    assert_ne!(third, second);
    let now = f.get(&f.user()).await;
    assert_eq!(tag(&now), third);
    assert_eq!(now.body["roles"][0]["roleName"], "read");
    assert_eq!(f.event_count().await, events + 1);

    // `*` matches any existing user; a missing user is 404 whatever the tag.
    let any = f
        .patch(&f.user(), Some("*"), json!({"description": "any"}))
        .await;
    assert_eq!(any.status, 200, "{}", any.body);
    let deleted = f.delete(&f.user(), Some(&tag(&any))).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let gone = f.delete(&f.user(), Some("*")).await;
    assert_eq!(gone.status, 404);
    assert_error(&gone.body, 404, "USERNAME_NOT_FOUND");
    f.t.stop().await;
}

#[tokio::test]
async fn custom_role_if_match() {
    let f = Fixture::start().await;
    let created = f.add_role().await;
    let first = tag(&created);
    let role: CustomDbRole = serde_json::from_value(created.body.clone()).expect("a role");
    assert_eq!(first, etag::of_custom_role(&role).header_value());
    assert_eq!(tag(&f.get(&f.role()).await), first);
    let list = f.get(&f.group("/customDBRoles/roles")).await;
    assert_eq!(list.etag, None);
    let listed: CustomDbRole = serde_json::from_value(list.body[0].clone()).expect("a role");
    assert_eq!(etag::of_custom_role(&listed).header_value(), first);

    let other = f
        .patch(
            &f.role(),
            None,
            json!({"inheritedRoles": [{"role": "read", "db": "admin"}]}),
        )
        .await;
    assert_eq!(other.status, 200, "{}", other.body);
    let second = tag(&other);
    assert_ne!(second, first);

    let events = f.event_count().await;
    let stale = f
        .patch(&f.role(), Some(&first), json!({"inheritedRoles": []}))
        .await;
    assert_changed_since_read(&stale, "custom role analyst");
    let stale_delete = f.delete(&f.role(), Some(&first)).await;
    assert_changed_since_read(&stale_delete, "custom role analyst");
    let now = f.get(&f.role()).await;
    assert_eq!(tag(&now), second);
    assert_eq!(now.body["inheritedRoles"][0]["role"], "read");
    assert_eq!(f.event_count().await, events);

    let current = f
        .patch(&f.role(), Some(&second), json!({"inheritedRoles": []}))
        .await;
    assert_eq!(current.status, 200, "{}", current.body);
    let third = tag(&current);
    assert_ne!(third, second);
    assert_eq!(tag(&f.get(&f.role()).await), third);
    assert_eq!(f.event_count().await, events + 1);

    let deleted = f.delete(&f.role(), Some(&third)).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(f.get(&f.role()).await.status, 404);
    f.t.stop().await;
}

#[tokio::test]
async fn user_security_if_match() {
    let f = Fixture::start().await;
    let read = f.get(&f.t.user_security()).await;
    let first = tag(&read);
    let cas = read.body["customerX509"]["cas"]
        .as_str()
        .expect("a bundle")
        .to_owned();
    assert_eq!(first, etag::of_user_security(Some(&cas)).header_value());

    // Another CA is added elsewhere.
    let second_ca = f.pki.self_signed("/CN=Second Root CA", 365);
    let both = format!("{cas}{}", second_ca.pem);
    let other = f
        .patch(
            &f.t.user_security(),
            None,
            json!({"customerX509": {"cas": both}}),
        )
        .await;
    assert_eq!(other.status, 200, "{}", other.body);
    let second = tag(&other);
    assert_ne!(second, first);

    let events = f.event_count().await;
    let third_ca = f.pki.self_signed("/CN=Third Root CA", 365);
    let stale = f
        .patch(
            &f.t.user_security(),
            Some(&first),
            json!({"customerX509": {"cas": third_ca.pem}}),
        )
        .await;
    assert_changed_since_read(&stale, "X.509 settings");
    let stale_off = f
        .delete(&f.group("/userSecurity/customerX509"), Some(&first))
        .await;
    assert_changed_since_read(&stale_off, "X.509 settings");
    // A PATCH that would change nothing still checks its precondition.
    let stale_empty = f.patch(&f.t.user_security(), Some(&first), json!({})).await;
    assert_eq!(stale_empty.status, 412);
    assert_eq!(f.t.stored_cas().await.as_deref(), Some(both.as_str()));
    assert_eq!(f.event_count().await, events);

    let current = f
        .patch(
            &f.t.user_security(),
            Some(&second),
            json!({"customerX509": {"cas": third_ca.pem}}),
        )
        .await;
    assert_eq!(current.status, 200, "{}", current.body);
    let third = tag(&current);
    assert_ne!(third, second);
    assert_eq!(tag(&f.get(&f.t.user_security()).await), third);

    let off = f
        .delete(&f.group("/userSecurity/customerX509"), Some(&third))
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(tag(&off), etag::of_user_security(None).header_value());
    assert_eq!(f.t.stored_cas().await, None);
    f.t.stop().await;
}

/// Two writers that read the same version: exactly one wins, the other is told it changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_writers_with_the_same_tag_cannot_both_win() {
    let f = Fixture::start().await;
    f.add_user().await;
    f.add_role().await;
    let (user, role, security) = (f.user(), f.role(), f.t.user_security());
    for round in 0..10 {
        // A user.
        let tag_now = tag(&f.get(&f.user()).await);
        let (a, b) = tokio::join!(
            f.patch(
                &user,
                Some(&tag_now),
                json!({"description": format!("a{round}")})
            ),
            f.patch(
                &user,
                Some(&tag_now),
                json!({"description": format!("b{round}")})
            ),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "{} {}", a.body, b.body);
        let winner = if a.status == 200 { &a } else { &b };
        assert_eq!(f.get(&f.user()).await.body, winner.body);

        // A custom role.
        let tag_now = tag(&f.get(&f.role()).await);
        let inherit =
            |role: &str| json!({"inheritedRoles": [{"role": role, "db": format!("db{round}")}]});
        let (a, b) = tokio::join!(
            f.patch(&role, Some(&tag_now), inherit("read")),
            f.patch(&role, Some(&tag_now), inherit("readWrite")),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "{} {}", a.body, b.body);

        // The CA bundle.
        let tag_now = tag(&f.get(&f.t.user_security()).await);
        let (ca_a, ca_b) = (
            f.pki.self_signed(&format!("/CN=A{round}"), 365),
            f.pki.self_signed(&format!("/CN=B{round}"), 365),
        );
        let (a, b) = tokio::join!(
            f.patch(
                &security,
                Some(&tag_now),
                json!({"customerX509": {"cas": ca_a.pem}})
            ),
            f.patch(
                &security,
                Some(&tag_now),
                json!({"customerX509": {"cas": ca_b.pem}})
            ),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "{} {}", a.body, b.body);
    }
    f.t.stop().await;
}
