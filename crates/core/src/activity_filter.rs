//! The Activity Feed's filters as the query of its route (`#/projects/{id}/activity?type=CLUSTER_ADDED&
//! type=CLUSTER_DELETED&from=2026-01-01&to=2026-01-31&text=alice`), so that a reload or a link shows the
//! same events. Read leniently: an unknown event type or a malformed day is dropped, never an error.

use crate::activity::EVENT_TYPES;

/// What the feed shows: events of any of `event_types` (none: all), from the first day to the last
/// (UTC, `YYYY-MM-DD`, both included), whose target or actor contains `text`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// The event types shown (names of [`EVENT_TYPES`]); empty means every type.
    pub event_types: Vec<String>,
    /// The first day shown (UTC, `YYYY-MM-DD`), if any.
    pub from: Option<String>,
    /// The last day shown (UTC, `YYYY-MM-DD`, included), if any.
    pub to: Option<String>,
    /// Text the event's target or actor must contain; empty means any.
    pub text: String,
}

impl ActivityFilter {
    /// Reads the query (with or without its `?`).
    pub fn from_query(query: &str) -> Self {
        let mut filter = Self::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "type"
                    if EVENT_TYPES.iter().any(|(name, _)| *name == value)
                        && !filter.event_types.contains(&value) =>
                {
                    filter.event_types.push(value);
                }
                "from" if is_day(&value) => filter.from = Some(value),
                "to" if is_day(&value) => filter.to = Some(value),
                "text" => filter.text = value,
                _ => {}
            }
        }
        filter
    }

    /// The query, without `?` (empty when nothing is filtered).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<String> = self
            .event_types
            .iter()
            .map(|t| format!("type={}", encode(t)))
            .collect();
        if let Some(from) = &self.from {
            pairs.push(format!("from={}", encode(from)));
        }
        if let Some(to) = &self.to {
            pairs.push(format!("to={}", encode(to)));
        }
        if !self.text.is_empty() {
            pairs.push(format!("text={}", encode(&self.text)));
        }
        pairs.join("&")
    }

    /// The event types chosen, in words, for the filter's summary: `All event types`, `Cluster added`,
    /// `Cluster added, Cluster deleted`, `Cluster added, Cluster deleted and 2 more`.
    pub fn event_types_summary(&self) -> String {
        let labels: Vec<&str> = self
            .event_types
            .iter()
            .map(|t| crate::activity::event_type_label(t))
            .collect();
        match labels.len() {
            0 => "All event types".to_owned(),
            1..=3 => labels.join(", "),
            n => format!("{} and {} more", labels[..2].join(", "), n - 2),
        }
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_day(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && value
            .char_indices()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(value[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(value[8..10].parse::<u8>(), Ok(1..=31))
}

/// Percent-encodes all but RFC 3986's unreserved characters (UTF-8 bytes).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decodes (and `+` as a space, as forms write it); a malformed escape is kept as it is.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_query() {
        let filter = ActivityFilter {
            event_types: vec![
                "CLUSTER_ADDED".to_owned(),
                "X509_CA_BUNDLE_UPDATED".to_owned(),
            ],
            from: Some("2026-01-01".to_owned()),
            to: Some("2026-12-31".to_owned()),
            text: "CN=Jane Doe, O=Acme & Co?é".to_owned(),
        };
        let query = filter.to_query();
        assert!(query.starts_with("type=CLUSTER_ADDED&type=X509_CA_BUNDLE_UPDATED&from=2026-01-01&to=2026-12-31&text=CN%3DJane%20Doe%2C%20O%3DAcme%20%26%20Co%3F%C3%A9"), "{query}");
        assert_eq!(ActivityFilter::from_query(&query), filter);
        assert_eq!(ActivityFilter::from_query(&format!("?{query}")), filter);
        assert_eq!(ActivityFilter::default().to_query(), "");
    }

    #[test]
    fn unknown_types_and_bad_days_are_dropped() {
        let filter = ActivityFilter::from_query(
            "type=NOPE&type=CLUSTER_ADDED&type=CLUSTER_ADDED&from=2026-13-01&to=tomorrow&text=a+b%2&x=1&type",
        );
        assert_eq!(filter.event_types, ["CLUSTER_ADDED"]);
        assert_eq!((filter.from, filter.to), (None, None));
        assert_eq!(filter.text, "a b%2");
    }

    #[test]
    fn the_summary_names_the_types_chosen() {
        let mut filter = ActivityFilter::default();
        assert_eq!(filter.event_types_summary(), "All event types");
        filter.event_types = vec!["CLUSTER_ADDED".into(), "CLUSTER_DELETED".into()];
        assert_eq!(
            filter.event_types_summary(),
            "Cluster added, Cluster deleted"
        );
        filter
            .event_types
            .extend(["CLUSTER_UPDATED".into(), "ACCOUNT_ADDED".into()]);
        assert_eq!(
            filter.event_types_summary(),
            "Cluster added, Cluster deleted and 2 more"
        );
    }
}
