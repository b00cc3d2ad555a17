//! Pages of the two lists read most (database users, the activity feed), kept as answered until the
//! project changes.
//!
//! A list page costs a count over the project, the page, its users' roles, 30–40 KB of JSON and its
//! gzip; most requests for it (a console left open, a deployment tool polling) find nothing changed.
//! So an answer is kept, serialised and gzipped, under its request (list, project, path and query, and
//! what the caller's role changes in it) with the **version** of the project it was read at: the
//! sequence number of the project's newest event, read in the same query as the project itself
//! ([`crate::storage::projects::find_with_last_event`]). Every change to a project's users, custom
//! roles or events writes its event in the same write transaction, and write transactions take turns
//! ([`crate::storage::begin_write`]), so any commit that changes a list raises the version, on every
//! server instance sharing the database; a kept answer of another version is never sent. A users page
//! also changes with time (a temporary user disappears at its `deleteAfterDate`): it is kept only
//! until the project's next expiry.
//!
//! Reads stay behind the guard (the caller is authenticated and authorized before the handler runs),
//! and the cache is bounded: at most [`CAPACITY`] answers of at most [`MAX_ANSWER_BYTES`] each.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// How many answers are kept (beyond it, the answers of older versions go first, then all).
pub const CAPACITY: usize = 256;

/// A larger answer (a page of 500 users with many roles) is not kept.
pub const MAX_ANSWER_BYTES: usize = 512 * 1024;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    DatabaseUsers,
    /// The activity feed; `hosts_only`: the caller reads webhook hosts, not URLs.
    Events {
        hosts_only: bool,
    },
}

/// What an answer was asked with: the list, the project, the request's path and query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    list: List,
    project_id: String,
    path_and_query: String,
}

impl Key {
    pub fn new(list: List, project_id: &str, uri: &axum::http::Uri) -> Key {
        Key {
            list,
            project_id: project_id.to_owned(),
            path_and_query: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        }
    }
}

/// One answer, as JSON and gzipped.
#[derive(Debug)]
pub struct Answer {
    version: i64,
    /// Unix seconds from which it no longer holds (a temporary user's expiry), if any.
    valid_until: Option<i64>,
    json: Bytes,
    gzip: Bytes,
}

impl Answer {
    /// `body` serialised at `version`; `None` when it cannot be (then it is answered uncached).
    pub fn new<T: Serialize>(body: &T, version: i64, valid_until: Option<i64>) -> Option<Answer> {
        let json = serde_json::to_vec(body).ok()?;
        let mut encoder =
            flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 8), Default::default());
        encoder.write_all(&json).ok()?;
        let gzip = encoder.finish().ok()?;
        Some(Answer {
            version,
            valid_until,
            json: json.into(),
            gzip: gzip.into(),
        })
    }

    /// The answer to a request with `headers`: gzipped when the client accepts gzip (the compression
    /// layer leaves a response with a `Content-Encoding` alone).
    pub fn response(&self, headers: &HeaderMap) -> Response {
        let json = HeaderValue::from_static("application/json");
        if accepts_gzip(headers) {
            (
                [
                    (header::CONTENT_TYPE, json),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                self.gzip.clone(),
            )
                .into_response()
        } else {
            (
                [
                    (header::CONTENT_TYPE, json),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                self.json.clone(),
            )
                .into_response()
        }
    }
}

/// Whether `Accept-Encoding` names gzip (or `*`) without `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// The kept answers of one server instance.
#[derive(Debug, Default)]
pub struct PageCache {
    answers: Mutex<HashMap<Key, Arc<Answer>>>,
}

impl PageCache {
    /// The answer kept for `key` at `version`, if it still holds at `now` (Unix seconds).
    pub fn get(&self, key: &Key, version: i64, now: i64) -> Option<Arc<Answer>> {
        let answers = self.answers.lock().ok()?;
        let answer = answers.get(key)?;
        (answer.version == version && answer.valid_until.is_none_or(|until| now < until))
            .then(|| Arc::clone(answer))
    }

    /// Keeps `answer` for `key`, unless it is too large.
    pub fn put(&self, key: Key, answer: Answer) -> Arc<Answer> {
        let answer = Arc::new(answer);
        if answer.json.len() > MAX_ANSWER_BYTES {
            return answer;
        }
        if let Ok(mut answers) = self.answers.lock() {
            if answers.len() >= CAPACITY && !answers.contains_key(&key) {
                // Answers of an older version of the same project are never sent again.
                answers
                    .retain(|k, a| k.project_id != key.project_id || a.version >= answer.version);
                if answers.len() >= CAPACITY {
                    answers.clear();
                }
            }
            answers.insert(key, Arc::clone(&answer));
        }
        answer
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.answers.lock().map_or(0, |a| a.len())
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(project: &str, uri: &str) -> Key {
        Key::new(List::DatabaseUsers, project, &uri.parse().unwrap())
    }

    #[test]
    fn an_answer_is_sent_only_at_its_version_and_before_its_expiry() {
        let cache = PageCache::default();
        let k = key("p", "/api/atlas/v2/groups/p/databaseUsers?pageNum=1");
        cache.put(k.clone(), Answer::new(&[1, 2], 7, Some(100)).unwrap());
        assert!(cache.get(&k, 7, 99).is_some());
        assert!(cache.get(&k, 8, 99).is_none(), "another version");
        assert!(cache.get(&k, 7, 100).is_none(), "expired");
        assert!(
            cache
                .get(
                    &key("p", "/api/atlas/v2/groups/p/databaseUsers?pageNum=2"),
                    7,
                    0
                )
                .is_none(),
            "another query"
        );
        let events = Key::new(
            List::Events { hosts_only: true },
            "p",
            &"/api/atlas/v2/groups/p/databaseUsers?pageNum=1"
                .parse()
                .unwrap(),
        );
        assert!(cache.get(&events, 7, 0).is_none(), "another list");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = PageCache::default();
        for i in 0..(CAPACITY * 3) {
            cache.put(
                key("p", &format!("/x?pageNum={i}")),
                Answer::new(&i, 1, None).unwrap(),
            );
            assert!(cache.len() <= CAPACITY);
        }
        let big = vec!["x".repeat(1000); MAX_ANSWER_BYTES / 1000 + 1];
        let before = cache.len();
        cache.put(key("q", "/big"), Answer::new(&big, 1, None).unwrap());
        assert_eq!(cache.len(), before, "too large to keep");
    }

    #[test]
    fn gzip_is_sent_to_clients_that_accept_it() {
        let answer = Answer::new(&vec!["user"; 100], 1, None).unwrap();
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
            answer
                .response(&headers)
                .headers()
                .get(header::CONTENT_ENCODING)
                .cloned()
        };
        assert_eq!(with("gzip, deflate, br").unwrap(), "gzip");
        assert_eq!(with("br;q=1.0, GZIP;q=0.5").unwrap(), "gzip");
        assert_eq!(with("*").unwrap(), "gzip");
        assert!(with("gzip;q=0").is_none());
        assert!(with("br").is_none());
        assert!(answer
            .response(&HeaderMap::new())
            .headers()
            .get(header::CONTENT_ENCODING)
            .is_none());
        let mut decoded = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(answer.gzip.as_ref()),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded.as_bytes(), answer.json.as_ref());
    }
}
