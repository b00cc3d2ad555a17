//! What an event changed, item by item, for the Activity Feed's "Show changes": the certificates a CA
//! bundle gained or lost (by subject and SHA-256 fingerprint), the roles, scopes and fields of a user,
//! the privileges of a role, the fields of anything else. Computed from the event's `diff`
//! (`{"before", "after"}`, either absent), read as loosely as [`crate::activity::sentence`] reads it: an
//! unexpected shape gives fewer changes, never an error.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::activity::{role_grants, user_roles};

/// Whether an item was added, removed or changed (a field with a value before and after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The item is in the event's after state only.
    Added,
    /// The item is in the event's before state only.
    Removed,
    /// A field with a value before and another after.
    Changed,
}

impl ChangeKind {
    /// The word the diff shows (`Added`, `Removed`, `Changed`).
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Removed => "Removed",
            ChangeKind::Changed => "Changed",
        }
    }
}

/// One line of the diff: `Added · CA certificate · CN=Root B` (detail: `SHA-256 AB:CD:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What the item is, in words: `CA certificate`, `Role`, `Description`.
    pub field: String,
    /// The value before (none when added).
    pub before: Option<String>,
    /// The value after (none when removed).
    pub after: Option<String>,
    /// More about the item (a certificate's fingerprint and expiry).
    pub detail: Option<String>,
}

impl Change {
    fn added(field: &str, value: String) -> Self {
        Self {
            kind: ChangeKind::Added,
            field: field.to_owned(),
            before: None,
            after: Some(value),
            detail: None,
        }
    }

    fn removed(field: &str, value: String) -> Self {
        Self {
            kind: ChangeKind::Removed,
            field: field.to_owned(),
            before: Some(value),
            after: None,
            detail: None,
        }
    }
}

/// Attributes that say nothing about the change (links, the project's id).
const IGNORED: [&str; 3] = ["links", "groupId", "id"];

/// The changes of one event, in the order: items added, items removed, fields changed (each by
/// attribute name, then in the order a list holds its items).
pub fn changes(event_type_name: &str, diff: &Value) -> Vec<Change> {
    let side = |key: &str| diff.get(key).filter(|v| v.is_object());
    let empty = Value::Object(Map::new());
    let before = side("before").unwrap_or(&empty);
    let after = side("after").unwrap_or(&empty);
    let mut out = Vec::new();
    if event_type_name.starts_with("X509_") {
        bundle_changes(before, after, &mut out);
        return out;
    }
    let mut keys: Vec<&String> = Vec::new();
    for object in [before, after] {
        if let Some(map) = object.as_object() {
            for key in map.keys() {
                if !keys.contains(&key) && !IGNORED.contains(&key.as_str()) {
                    keys.push(key);
                }
            }
        }
    }
    for key in keys {
        let (old, new) = (
            before.get(key).filter(|v| !v.is_null()),
            after.get(key).filter(|v| !v.is_null()),
        );
        match (old, new) {
            (Some(Value::Array(_)) | None, Some(Value::Array(_)) | None) => {
                let items = |v: Option<&Value>| v.map(|v| list_items(key, v)).unwrap_or_default();
                set_changes(field_label(key), &items(old), &items(new), &mut out);
            }
            _ => field_changes(key, old, new, &mut out),
        }
    }
    // Added first, then removed, then changed: what a reader looks for first.
    out.sort_by_key(|c| match c.kind {
        ChangeKind::Added => 0,
        ChangeKind::Removed => 1,
        ChangeKind::Changed => 2,
    });
    out
}

/// The certificates added and removed (matched by fingerprint), each with its subject as the value.
fn bundle_changes(before: &Value, after: &Value, out: &mut Vec<Change>) {
    let certificates = |summary: &Value| -> Vec<(String, String, String)> {
        summary
            .get("certificates")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|c| {
                let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                (text("sha256"), text("subject"), text("notAfter"))
            })
            .collect()
    };
    let (old, new) = (certificates(before), certificates(after));
    let detail = |sha: &str, not_after: &str| {
        let mut parts = Vec::new();
        if !sha.is_empty() {
            parts.push(format!("SHA-256 {sha}"));
        }
        if let Some(day) = not_after.get(..10) {
            parts.push(format!("expires {day}"));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    };
    for (sha, subject, not_after) in &new {
        if !old.iter().any(|(o, _, _)| o == sha) {
            out.push(Change {
                detail: detail(sha, not_after),
                ..Change::added("CA certificate", subject.clone())
            });
        }
    }
    for (sha, subject, not_after) in &old {
        if !new.iter().any(|(n, _, _)| n == sha) {
            out.push(Change {
                detail: detail(sha, not_after),
                ..Change::removed("CA certificate", subject.clone())
            });
        }
    }
}

/// The items of a list attribute in words (`readWrite@sales`, `FIND on sales.orders`), else as JSON.
fn list_items(key: &str, list: &Value) -> Vec<String> {
    let wrapped = |k: &str| {
        let mut map = Map::new();
        map.insert(k.to_owned(), list.clone());
        Value::Object(map)
    };
    match key {
        "roles" => {
            let database_roles = list
                .as_array()
                .is_some_and(|roles| roles.iter().any(|r| r.get("databaseName").is_some()));
            if database_roles {
                user_roles(&wrapped("roles"))
            } else {
                // An API key's or account's project roles: `{"roleName": "GROUP_OWNER"}`.
                plain_items(list)
                    .into_iter()
                    .map(|name| {
                        crate::project_role::ProjectRole::from_atlas_name(&name)
                            .map_or(name, |role| role.label().to_owned())
                    })
                    .collect()
            }
        }
        "actions" | "inheritedRoles" => role_grants(&wrapped(key)),
        "scopes" => list
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|s| match (text(s, "name"), text(s, "type")) {
                (Some(name), Some(kind)) => format!("{name} ({})", kind.to_lowercase()),
                (Some(name), None) => name.to_owned(),
                _ => compact(s),
            })
            .collect(),
        "labels" => list
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|l| match (text(l, "key"), text(l, "value")) {
                (Some(k), Some(v)) => format!("{k}={v}"),
                _ => compact(l),
            })
            .collect(),
        _ => plain_items(list),
    }
}

fn plain_items(list: &Value) -> Vec<String> {
    list.as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|item| match item {
            Value::String(s) => s.clone(),
            Value::Object(map) if map.len() == 1 => {
                map.values().next().map_or_else(String::new, compact)
            }
            other => compact(other),
        })
        .collect()
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// One line of JSON; strings without their quotes.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn set_changes(field: String, before: &[String], after: &[String], out: &mut Vec<Change>) {
    let old: BTreeSet<&String> = before.iter().collect();
    let new: BTreeSet<&String> = after.iter().collect();
    for item in after.iter().filter(|i| !old.contains(i)) {
        out.push(Change::added(&field, item.clone()));
    }
    for item in before.iter().filter(|i| !new.contains(i)) {
        out.push(Change::removed(&field, item.clone()));
    }
}

/// A scalar field (or an object, field by field: `threshold.threshold`).
fn field_changes(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    if let (Some(Value::Object(a)), Some(Value::Object(b))) = (old, new) {
        let mut keys: Vec<&String> = a.keys().collect();
        keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
        for key in keys {
            field_changes(
                &format!("{path}.{key}"),
                a.get(key).filter(|v| !v.is_null()),
                b.get(key).filter(|v| !v.is_null()),
                out,
            );
        }
        return;
    }
    if old == new {
        return;
    }
    let field = field_label(path);
    out.push(match (old, new) {
        (None, Some(v)) => Change::added(&field, compact(v)),
        (Some(v), None) => Change::removed(&field, compact(v)),
        (old, new) => Change {
            kind: ChangeKind::Changed,
            field,
            before: old.map(compact),
            after: new.map(compact),
            detail: None,
        },
    });
}

/// What the console calls an attribute (the attribute's own name when it has no other).
fn field_label(path: &str) -> String {
    let label = match path {
        "roles" => "Role",
        "scopes" => "Cluster access",
        "labels" => "Label",
        "actions" => "Privilege",
        "inheritedRoles" => "Inherited role",
        "description" | "desc" => "Description",
        "deleteAfterDate" => "Delete after",
        "username" => "Username",
        "databaseName" => "Authentication database",
        "x509Type" => "X.509 type",
        "awsIAMType" => "AWS IAM type",
        "ldapAuthType" => "LDAP type",
        "oidcAuthType" => "OIDC type",
        "roleName" => "Role",
        "name" => "Name",
        "mongoDBMajorVersion" => "MongoDB version",
        "memberCertificateSubject" => "Member certificate subject",
        "enabled" => "Enabled",
        "eventTypeName" => "Alert",
        "threshold.threshold" => "Threshold",
        "threshold.units" => "Threshold units",
        "threshold.operator" => "Threshold operator",
        "notifications" => "Notification",
        "publicKey" => "Public key",
        "ipAddress" | "cidrBlock" => "Access list entry",
        other => other,
    };
    label.to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn line(c: &Change) -> String {
        let mut s = format!("{} {}:", c.kind.label(), c.field);
        if let Some(b) = &c.before {
            s.push_str(&format!(" {b}"));
        }
        if c.kind == ChangeKind::Changed {
            s.push_str(" →");
        }
        if let Some(a) = &c.after {
            s.push_str(&format!(" {a}"));
        }
        if let Some(d) = &c.detail {
            s.push_str(&format!(" ({d})"));
        }
        s
    }

    fn lines(event: &str, diff: &Value) -> Vec<String> {
        changes(event, diff).iter().map(line).collect()
    }

    #[test]
    fn a_ca_bundle_lists_certificates_added_and_removed_by_fingerprint() {
        let cert = |subject: &str, sha: &str| json!({"subject": subject, "sha256": sha, "notAfter": "2031-05-06T07:08:09Z"});
        let diff = json!({
            "before": {"certificates": [cert("CN=Root A", "AA"), cert("CN=Kept", "KK")]},
            "after": {"certificates": [cert("CN=Kept", "KK"), cert("CN=Root B\\, Inc", "BB")]}
        });
        assert_eq!(
            lines("X509_CA_BUNDLE_UPDATED", &diff),
            [
                "Added CA certificate: CN=Root B\\, Inc (SHA-256 BB · expires 2031-05-06)",
                "Removed CA certificate: CN=Root A (SHA-256 AA · expires 2031-05-06)",
            ]
        );
        // Same subject, new certificate (a re-issued root): both, told apart by fingerprint.
        let reissued = json!({
            "before": {"certificates": [cert("CN=Root", "01")]},
            "after": {"certificates": [cert("CN=Root", "02")]}
        });
        let found = changes("X509_CA_BUNDLE_UPDATED", &reissued);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].detail.as_deref(),
            Some("SHA-256 02 · expires 2031-05-06")
        );
        // Turned off: every certificate removed.
        let off = json!({"before": {"certificates": [cert("CN=Root", "01")]}});
        assert_eq!(
            lines("X509_AUTHENTICATION_DISABLED", &off),
            ["Removed CA certificate: CN=Root (SHA-256 01 · expires 2031-05-06)"]
        );
    }

    #[test]
    fn a_user_update_lists_roles_and_fields_changed() {
        let diff = json!({
            "before": {"groupId": "g", "username": "CN=bob", "databaseName": "$external",
                "x509Type": "CUSTOMER", "description": "old",
                "roles": [{"roleName": "read", "databaseName": "admin"}],
                "scopes": [{"name": "Cluster0", "type": "CLUSTER"}]},
            "after": {"groupId": "g", "username": "CN=bob", "databaseName": "$external",
                "x509Type": "CUSTOMER", "description": "new",
                "roles": [{"roleName": "read", "databaseName": "admin"},
                          {"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"}],
                "scopes": [], "deleteAfterDate": "2030-01-02T00:00:00Z"}
        });
        assert_eq!(
            lines("MONGODB_USER_UPDATED", &diff),
            [
                "Added Role: readWrite@sales.orders",
                "Added Delete after: 2030-01-02T00:00:00Z",
                "Removed Cluster access: Cluster0 (cluster)",
                "Changed Description: old → new",
            ]
        );
    }

    #[test]
    fn a_role_update_lists_privileges_and_inherited_roles() {
        let diff = json!({
            "before": {"roleName": "analyst", "actions": [
                {"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}
            ], "inheritedRoles": [{"role": "read", "db": "admin"}]},
            "after": {"roleName": "analyst", "actions": [
                {"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}
            ], "inheritedRoles": []}
        });
        assert_eq!(
            lines("MONGODB_ROLE_UPDATED", &diff),
            [
                "Added Privilege: FIND on sales.orders",
                "Removed Privilege: INSERT on sales.orders",
                "Removed Inherited role: inherits read@admin",
            ]
        );
    }

    #[test]
    fn nested_fields_and_project_roles_read_in_words() {
        let diff = json!({
            "before": {"enabled": true, "threshold": {"operator": "LESS_THAN", "threshold": 30}},
            "after": {"enabled": false, "threshold": {"operator": "LESS_THAN", "threshold": 10}}
        });
        assert_eq!(
            lines("ALERT_CONFIG_UPDATED", &diff),
            [
                "Changed Enabled: true → false",
                "Changed Threshold: 30 → 10"
            ]
        );
        let key = json!({
            "before": {"roles": [{"roleName": "GROUP_READ_ONLY"}]},
            "after": {"roles": [{"roleName": "GROUP_OWNER"}]}
        });
        assert_eq!(
            lines("API_KEY_ROLES_CHANGED", &key),
            [
                "Added Role: Project Owner",
                "Removed Role: Project Read Only"
            ]
        );
    }

    #[test]
    fn an_added_object_lists_its_fields_and_odd_diffs_give_nothing() {
        let added =
            json!({"after": {"name": "Cluster0", "mongoDBMajorVersion": "8.0", "links": []}});
        assert_eq!(
            lines("CLUSTER_ADDED", &added),
            ["Added MongoDB version: 8.0", "Added Name: Cluster0"]
        );
        for diff in [json!(null), json!({}), json!({"after": 3}), json!([1, 2])] {
            assert!(changes("MONGODB_USER_UPDATED", &diff).is_empty());
            assert!(changes("X509_CA_BUNDLE_UPDATED", &diff).is_empty());
        }
        let same = json!({"before": {"a": 1}, "after": {"a": 1}});
        assert!(changes("CLUSTER_UPDATED", &same).is_empty());
    }
}
