//! The activity feed in words: one readable sentence per event, computed from its `eventTypeName`,
//! `target` and `diff` (`{"before", "after"}`, as the server records them).
//!
//! The diff is read as JSON, leniently: an attribute missing or of another shape is left out of the
//! sentence, never an error, so that older events (or newer shapes) still read.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every event type the server records, with what the feed's filter calls it.
pub const EVENT_TYPES: [(&str, &str); 25] = [
    ("MONGODB_USER_ADDED", "Database user added"),
    ("MONGODB_USER_UPDATED", "Database user updated"),
    ("MONGODB_USER_DELETED", "Database user deleted"),
    ("MONGODB_USER_EXPIRED", "Temporary user removed"),
    ("MONGODB_ROLE_ADDED", "Custom role added"),
    ("MONGODB_ROLE_UPDATED", "Custom role updated"),
    ("MONGODB_ROLE_DELETED", "Custom role deleted"),
    ("CLUSTER_ADDED", "Cluster added"),
    ("CLUSTER_UPDATED", "Cluster updated"),
    ("CLUSTER_DELETED", "Cluster deleted"),
    ("X509_CA_BUNDLE_UPDATED", "CA certificates saved"),
    ("X509_AUTHENTICATION_DISABLED", "X.509 turned off"),
    ("ALERT_CONFIG_ADDED", "Alert setting added"),
    ("ALERT_CONFIG_UPDATED", "Alert setting updated"),
    ("ALERT_CONFIG_DELETED", "Alert setting deleted"),
    ("ACCOUNT_ADDED", "Console account added"),
    ("ACCOUNT_UPDATED", "Console account updated"),
    ("ACCOUNT_DELETED", "Console account deleted"),
    ("SIGN_IN_FAILED", "Sign-in refused"),
    ("API_KEY_ADDED_TO_GROUP", "API key created"),
    ("API_KEY_REMOVED_FROM_GROUP", "API key deleted"),
    ("API_KEY_ROLES_CHANGED", "API key roles changed"),
    ("API_KEY_DESCRIPTION_CHANGED", "API key description changed"),
    (
        "API_KEY_ACCESS_LIST_ENTRY_ADDED",
        "API key access list entry added",
    ),
    (
        "API_KEY_ACCESS_LIST_ENTRY_DELETED",
        "API key access list entry deleted",
    ),
];

/// What the filter calls an event type (the name itself when unknown).
pub fn event_type_label(name: &str) -> &str {
    EVENT_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, label)| label)
}

/// "Project Owner" for `GROUP_OWNER` (the name itself when unknown).
fn project_role_label(name: &str) -> &str {
    crate::project_role::ProjectRole::from_atlas_name(name).map_or(name, |role| role.label())
}

/// The sentence for one event, e.g. `Role analyst updated: added FIND on sales.orders`.
pub fn sentence(event_type_name: &str, target: &str, diff: &Value) -> String {
    let before = diff.get("before").filter(|v| !v.is_null());
    let after = diff.get("after").filter(|v| !v.is_null());
    match event_type_name {
        "MONGODB_USER_ADDED" => {
            let roles = after.map(user_roles).unwrap_or_default();
            with_list(format!("Database user {target} added"), " with ", &roles)
        }
        "MONGODB_USER_UPDATED" => {
            let changes = match (before, after) {
                (Some(b), Some(a)) => user_changes(b, a),
                _ => Vec::new(),
            };
            updated(format!("Database user {target} updated"), &changes)
        }
        "MONGODB_USER_DELETED" => format!("Database user {target} deleted"),
        "MONGODB_USER_EXPIRED" => {
            format!("Temporary database user {target} removed: its delete-after date passed")
        }
        "MONGODB_ROLE_ADDED" => {
            let grants = after.map(role_grants).unwrap_or_default();
            with_list(format!("Role {target} added"), " with ", &grants)
        }
        "MONGODB_ROLE_UPDATED" => {
            let changes = match (before, after) {
                (Some(b), Some(a)) => changes_between(&role_grants(b), &role_grants(a)),
                _ => Vec::new(),
            };
            updated(format!("Role {target} updated"), &changes)
        }
        "MONGODB_ROLE_DELETED" => format!("Role {target} deleted"),
        "CLUSTER_ADDED" => match after.and_then(|a| text(a, "mongoDBMajorVersion")) {
            Some(version) => format!("Cluster {target} added (MongoDB {version})"),
            None => format!("Cluster {target} added"),
        },
        "CLUSTER_UPDATED" => {
            let field = |v: Option<&serde_json::Value>, name: &str| {
                v.and_then(|v| text(v, name)).map(str::to_owned)
            };
            let mut parts = Vec::new();
            let (old, new) = (
                field(before, "mongoDBMajorVersion"),
                field(after, "mongoDBMajorVersion"),
            );
            if old != new {
                parts.push(format!(
                    "MongoDB {} → {}",
                    old.unwrap_or_default(),
                    new.unwrap_or_default()
                ));
            }
            let (old, new) = (
                field(before, "memberCertificateSubject"),
                field(after, "memberCertificateSubject"),
            );
            if old != new {
                parts.push(match new {
                    Some(subject) => format!("member certificate subject {subject}"),
                    None => "member certificate subject cleared".to_owned(),
                });
            }
            if parts.is_empty() {
                format!("Cluster {target} updated")
            } else {
                format!("Cluster {target} updated: {}", parts.join(", "))
            }
        }
        "CLUSTER_DELETED" => format!("Cluster {target} deleted"),
        "X509_CA_BUNDLE_UPDATED" => bundle_sentence(before, after),
        "X509_AUTHENTICATION_DISABLED" => {
            "Self-Managed X.509 Authentication turned off: the CA certificates were removed"
                .to_owned()
        }
        "ALERT_CONFIG_ADDED" => {
            let what = after
                .map(alert_summary)
                .unwrap_or_else(|| "Alert".to_owned());
            format!("{what} added")
        }
        "ALERT_CONFIG_UPDATED" => {
            let what = after
                .or(before)
                .map(alert_name)
                .unwrap_or_else(|| "Alert".to_owned());
            let changes = match (before, after) {
                (Some(b), Some(a)) => alert_changes(b, a),
                _ => Vec::new(),
            };
            updated(format!("{what} setting updated"), &changes)
        }
        "ALERT_CONFIG_DELETED" => {
            let what = before.map(alert_name).unwrap_or_else(|| "Alert".to_owned());
            format!("{what} setting deleted")
        }
        "ACCOUNT_ADDED" => match after.and_then(|a| text(a, "roleName")) {
            Some(role) => format!(
                "Console account {target} added as {}",
                project_role_label(role)
            ),
            None => format!("Console account {target} added"),
        },
        "ACCOUNT_UPDATED" => {
            let password = after.and_then(|a| a.get("passwordChanged")) == Some(&Value::Bool(true));
            let roles = (
                before.and_then(|b| text(b, "roleName")),
                after.and_then(|a| text(a, "roleName")),
            );
            match roles {
                _ if password => format!("Console account {target}: password changed"),
                (Some(old), Some(new)) if old != new => format!(
                    "Console account {target} updated: {} → {}",
                    project_role_label(old),
                    project_role_label(new)
                ),
                _ => format!("Console account {target} updated"),
            }
        }
        "ACCOUNT_DELETED" => format!("Console account {target} deleted"),
        "SIGN_IN_FAILED" => {
            let reason = after.and_then(|a| text(a, "reason")).unwrap_or("refused");
            let line = match after.and_then(|a| text(a, "remoteAddress")) {
                Some(from) => format!("Sign-in as {target} from {from} refused: {reason}"),
                None => format!("Sign-in as {target} refused: {reason}"),
            };
            // Attempts the throttle refused before this one are counted, not recorded each.
            match after
                .and_then(|a| a.get("throttledAttempts"))
                .and_then(Value::as_u64)
            {
                Some(n) if n > 0 => format!("{line} ({n} more refused while locked out)"),
                _ => line,
            }
        }
        "API_KEY_ADDED_TO_GROUP" => {
            let roles = after.map(key_roles).unwrap_or_default();
            with_list(format!("API key {target} created"), " with ", &roles)
        }
        "API_KEY_REMOVED_FROM_GROUP" => format!("API key {target} deleted"),
        "API_KEY_ROLES_CHANGED" => {
            let changes = match (before, after) {
                (Some(b), Some(a)) => changes_between(&key_roles(b), &key_roles(a)),
                _ => Vec::new(),
            };
            updated(format!("API key {target} roles changed"), &changes)
        }
        "API_KEY_DESCRIPTION_CHANGED" => match after.and_then(|a| text(a, "desc")) {
            Some(desc) => format!("API key {target} description changed to \"{desc}\""),
            None => format!("API key {target} description changed"),
        },
        "API_KEY_ACCESS_LIST_ENTRY_ADDED" => match target.split_once(' ') {
            Some((key, entry)) => format!("API key {key} may be used from {entry}"),
            None => format!("API key access list entry {target} added"),
        },
        "API_KEY_ACCESS_LIST_ENTRY_DELETED" => match target.split_once(' ') {
            Some((key, entry)) => format!("API key {key} may no longer be used from {entry}"),
            None => format!("API key access list entry {target} deleted"),
        },
        other => format!("{other} on {target}"),
    }
}

/// An API key's roles, as the console names them (`Project Read Only`).
fn key_roles(key: &Value) -> Vec<String> {
    array(key, "roles")
        .iter()
        .filter_map(|role| text(role, "roleName"))
        .map(|name| {
            crate::project_role::ProjectRole::from_atlas_name(name)
                .map_or_else(|| name.to_owned(), |role| role.label().to_owned())
        })
        .collect()
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn with_list(head: String, joiner: &str, items: &[String]) -> String {
    if items.is_empty() {
        head
    } else {
        format!("{head}{joiner}{}", items.join(", "))
    }
}

fn updated(head: String, changes: &[String]) -> String {
    if changes.is_empty() {
        head
    } else {
        format!("{head}: {}", changes.join("; "))
    }
}

/// `readWrite@sales.orders`, `read@admin`.
pub(crate) fn user_roles(user: &Value) -> Vec<String> {
    array(user, "roles")
        .iter()
        .filter_map(|role| {
            let name = text(role, "roleName")?;
            let db = text(role, "databaseName").unwrap_or("");
            Some(
                match text(role, "collectionName").filter(|c| !c.is_empty()) {
                    Some(collection) => format!("{name}@{db}.{collection}"),
                    None => format!("{name}@{db}"),
                },
            )
        })
        .collect()
}

/// What was added and removed, going from `before` to `after` (in the order each lists them).
pub(crate) fn changes_between(before: &[String], after: &[String]) -> Vec<String> {
    let old: BTreeSet<&String> = before.iter().collect();
    let new: BTreeSet<&String> = after.iter().collect();
    let added: Vec<String> = after.iter().filter(|g| !old.contains(g)).cloned().collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|g| !new.contains(g))
        .cloned()
        .collect();
    let mut changes = Vec::new();
    if !added.is_empty() {
        changes.push(format!("added {}", added.join(", ")));
    }
    if !removed.is_empty() {
        changes.push(format!("removed {}", removed.join(", ")));
    }
    changes
}

fn user_changes(before: &Value, after: &Value) -> Vec<String> {
    let mut changes = changes_between(&user_roles(before), &user_roles(after));
    let scopes = |user: &Value| -> Vec<String> {
        array(user, "scopes")
            .iter()
            .filter_map(|s| text(s, "name").map(|n| format!("access to {n}")))
            .collect()
    };
    changes.extend(changes_between(&scopes(before), &scopes(after)));
    let expiry = (
        text(before, "deleteAfterDate"),
        text(after, "deleteAfterDate"),
    );
    match expiry {
        (old, Some(new)) if old != Some(new) => {
            changes.push(format!("deleted after {}", new.get(..10).unwrap_or(new)))
        }
        (Some(_), None) => changes.push("no longer temporary".to_owned()),
        _ => {}
    }
    if text(before, "description") != text(after, "description") {
        changes.push("description changed".to_owned());
    }
    changes
}

/// One entry per action and resource (`FIND on sales.orders`), then `inherits read@admin`.
pub(crate) fn role_grants(role: &Value) -> Vec<String> {
    let mut grants = Vec::new();
    for action in array(role, "actions") {
        let Some(name) = text(action, "action") else {
            continue;
        };
        let resources = array(action, "resources");
        if resources.is_empty() {
            grants.push(name.to_owned());
        }
        for resource in resources {
            grants.push(format!("{name} on {}", resource_name(resource)));
        }
    }
    for inherited in array(role, "inheritedRoles") {
        if let Some(role_name) = text(inherited, "role") {
            let db = text(inherited, "db").unwrap_or("");
            grants.push(format!("inherits {role_name}@{db}"));
        }
    }
    grants
}

fn resource_name(resource: &Value) -> String {
    if resource.get("cluster").and_then(Value::as_bool) == Some(true) {
        return "the cluster".to_owned();
    }
    let db = text(resource, "db").unwrap_or("");
    let collection = text(resource, "collection").unwrap_or("");
    match (db.is_empty(), collection.is_empty()) {
        (true, true) => "all databases".to_owned(),
        (true, false) => format!("{collection} in all databases"),
        (false, true) => db.to_owned(),
        (false, false) => format!("{db}.{collection}"),
    }
}

/// The certificates of a bundle summary: `(sha256, subject)`.
fn bundle_certificates(summary: &Value) -> Vec<(String, String)> {
    array(summary, "certificates")
        .iter()
        .map(|c| {
            (
                text(c, "sha256").unwrap_or("").to_owned(),
                text(c, "subject").unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 CA certificate".to_owned()
    } else {
        format!("{n} CA certificates")
    }
}

fn bundle_sentence(before: Option<&Value>, after: Option<&Value>) -> String {
    let new = after.map(bundle_certificates).unwrap_or_default();
    let Some(before) = before else {
        let subjects: Vec<String> = new.iter().map(|(_, s)| s.clone()).collect();
        return with_list(
            format!(
                "Self-Managed X.509 Authentication turned on with {}",
                count(new.len())
            ),
            ": ",
            &subjects,
        );
    };
    let old = bundle_certificates(before);
    let subjects_not_in = |from: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
        from.iter()
            .filter(|(sha, _)| !other.iter().any(|(o, _)| o == sha))
            .map(|(_, subject)| subject.clone())
            .collect()
    };
    let mut changes = Vec::new();
    let added = subjects_not_in(&new, &old);
    if !added.is_empty() {
        changes.push(format!("added {}", added.join(", ")));
    }
    let removed = subjects_not_in(&old, &new);
    if !removed.is_empty() {
        changes.push(format!("removed {}", removed.join(", ")));
    }
    updated(
        format!("CA certificates saved ({})", count(new.len())),
        &changes,
    )
}

/// `CA expiry alert`, for the only event type; the event type name otherwise.
fn alert_name(config: &Value) -> String {
    match text(config, "eventTypeName") {
        Some("CA_EXPIRING") | None => "CA expiry alert".to_owned(),
        Some(other) => format!("{other} alert"),
    }
}

fn threshold_days(config: &Value) -> Option<i64> {
    config
        .get("threshold")
        .and_then(|t| t.get("threshold"))
        .and_then(Value::as_i64)
}

/// `CA expiry alert (30 days before, every 24 h)`.
fn alert_summary(config: &Value) -> String {
    let mut details = Vec::new();
    if let Some(days) = threshold_days(config) {
        details.push(format!("{days} days before"));
    }
    if let Some(interval) = array(config, "notifications")
        .first()
        .and_then(|n| n.get("intervalMin"))
        .and_then(Value::as_i64)
    {
        details.push(format!("every {}", minutes(interval)));
    }
    let name = alert_name(config);
    if details.is_empty() {
        name
    } else {
        format!("{name} ({})", details.join(", "))
    }
}

/// `24 h`, `90 min`.
pub fn minutes(total: i64) -> String {
    if total >= 60 && total % 60 == 0 {
        format!("{} h", total / 60)
    } else {
        format!("{total} min")
    }
}

/// `webhook https://…` (or its host only, `webhookHost`, as a Read Only account reads it), `email
/// ops@example.com`, each with its interval.
fn notification_names(config: &Value) -> Vec<String> {
    array(config, "notifications")
        .iter()
        .map(|n| {
            let target = match text(n, "typeName") {
                Some("WEBHOOK") => format!(
                    "webhook {}",
                    text(n, "webhookUrl")
                        .or_else(|| text(n, "webhookHost"))
                        .unwrap_or("")
                ),
                Some("EMAIL") => format!("email {}", text(n, "emailAddress").unwrap_or("")),
                Some("GROUP") => "project members".to_owned(),
                Some(other) => other.to_lowercase(),
                None => "notification".to_owned(),
            };
            let target = target.trim_end();
            match n.get("intervalMin").and_then(Value::as_i64) {
                Some(interval) => format!("{target} every {}", minutes(interval)),
                None => target.to_owned(),
            }
        })
        .collect()
}

fn alert_changes(before: &Value, after: &Value) -> Vec<String> {
    let mut changes = Vec::new();
    match (
        before.get("enabled").and_then(Value::as_bool),
        after.get("enabled").and_then(Value::as_bool),
    ) {
        (Some(false), Some(true)) => changes.push("enabled".to_owned()),
        (Some(true), Some(false)) => changes.push("disabled".to_owned()),
        _ => {}
    }
    if let (Some(old), Some(new)) = (threshold_days(before), threshold_days(after)) {
        if old != new {
            changes.push(format!("threshold {old} → {new} days"));
        }
    }
    changes.extend(changes_between(
        &notification_names(before),
        &notification_names(after),
    ));
    changes
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_user_added_reads_with_its_roles() {
        let diff = json!({"after": {"username": "CN=alice", "databaseName": "$external", "roles": [
            {"roleName": "readWrite", "databaseName": "sales", "collectionName": "orders"},
            {"roleName": "read", "databaseName": "admin"}
        ]}});
        assert_eq!(
            sentence("MONGODB_USER_ADDED", "CN=alice", &diff),
            "Database user CN=alice added with readWrite@sales.orders, read@admin"
        );
    }

    #[test]
    fn a_user_updated_says_what_changed() {
        let diff = json!({
            "before": {"roles": [{"roleName": "read", "databaseName": "admin"}]},
            "after": {"roles": [{"roleName": "readWrite", "databaseName": "sales"}],
                      "deleteAfterDate": "2030-01-02T00:00:00Z"}
        });
        assert_eq!(
            sentence("MONGODB_USER_UPDATED", "CN=bob", &diff),
            "Database user CN=bob updated: added readWrite@sales; removed read@admin; deleted after 2030-01-02"
        );
    }

    #[test]
    fn a_role_updated_lists_added_and_removed_grants() {
        let diff = json!({
            "before": {"roleName": "analyst", "actions": [
                {"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]}
            ], "inheritedRoles": []},
            "after": {"roleName": "analyst", "actions": [
                {"action": "INSERT", "resources": [{"db": "sales", "collection": "orders"}]},
                {"action": "FIND", "resources": [{"db": "sales", "collection": "orders"}]}
            ], "inheritedRoles": [{"role": "read", "db": "admin"}]}
        });
        assert_eq!(
            sentence("MONGODB_ROLE_UPDATED", "analyst", &diff),
            "Role analyst updated: added FIND on sales.orders, inherits read@admin"
        );
        let removed = json!({"before": diff["after"], "after": diff["before"]});
        assert_eq!(
            sentence("MONGODB_ROLE_UPDATED", "analyst", &removed),
            "Role analyst updated: removed FIND on sales.orders, inherits read@admin"
        );
    }

    #[test]
    fn role_resources_read_in_words() {
        let diff = json!({"after": {"actions": [
            {"action": "SHUTDOWN", "resources": [{"cluster": true}]},
            {"action": "FIND", "resources": [{"db": "", "collection": ""}, {"db": "sales"}]}
        ]}});
        assert_eq!(
            sentence("MONGODB_ROLE_ADDED", "ops", &diff),
            "Role ops added with SHUTDOWN on the cluster, FIND on all databases, FIND on sales"
        );
    }

    #[test]
    fn ca_bundles_name_the_certificates_added_and_removed() {
        let first = json!({"after": {"certificates": [{"subject": "CN=Root A", "sha256": "AA"}]}});
        assert_eq!(
            sentence("X509_CA_BUNDLE_UPDATED", "customerX509", &first),
            "Self-Managed X.509 Authentication turned on with 1 CA certificate: CN=Root A"
        );
        let rotated = json!({
            "before": {"certificates": [{"subject": "CN=Root A", "sha256": "AA"}]},
            "after": {"certificates": [{"subject": "CN=Root B", "sha256": "BB"},
                                       {"subject": "CN=Root C", "sha256": "CC"}]}
        });
        assert_eq!(
            sentence("X509_CA_BUNDLE_UPDATED", "customerX509", &rotated),
            "CA certificates saved (2 CA certificates): added CN=Root B, CN=Root C; removed CN=Root A"
        );
    }

    #[test]
    fn alert_settings_read_as_changes() {
        let config = json!({"eventTypeName": "CA_EXPIRING", "enabled": true,
            "threshold": {"threshold": 30}, "notifications": [{"typeName": "EMAIL", "intervalMin": 1440}]});
        assert_eq!(
            sentence("ALERT_CONFIG_ADDED", "id", &json!({ "after": config })),
            "CA expiry alert (30 days before, every 24 h) added"
        );
        let mut edited = config.clone();
        edited["enabled"] = json!(false);
        edited["threshold"]["threshold"] = json!(10);
        edited["notifications"] =
            json!([{"typeName": "WEBHOOK", "webhookUrl": "http://h/x", "intervalMin": 90}]);
        assert_eq!(
            sentence(
                "ALERT_CONFIG_UPDATED",
                "id",
                &json!({"before": config, "after": edited})
            ),
            "CA expiry alert setting updated: disabled; threshold 30 → 10 days; added webhook http://h/x every 90 min; removed email every 24 h"
        );
        // As a Read Only account reads it: the host instead of the URL.
        edited["notifications"] =
            json!([{"typeName": "WEBHOOK", "webhookHost": "h", "intervalMin": 90}]);
        assert!(sentence(
            "ALERT_CONFIG_UPDATED",
            "id",
            &json!({"before": config, "after": edited})
        )
        .contains("added webhook h every 90 min"));
    }

    #[test]
    fn api_key_events_read_with_roles_and_entries() {
        let key = |roles: &[&str]| json!({"publicKey": "abcdefgh", "desc": "CI", "roles": roles.iter().map(|r| json!({"groupId": "g", "roleName": r})).collect::<Vec<_>>()});
        assert_eq!(
            sentence(
                "API_KEY_ADDED_TO_GROUP",
                "abcdefgh",
                &json!({"after": key(&["GROUP_READ_ONLY"])})
            ),
            "API key abcdefgh created with Project Read Only"
        );
        let changed = sentence(
            "API_KEY_ROLES_CHANGED",
            "abcdefgh",
            &json!({"before": key(&["GROUP_READ_ONLY"]), "after": key(&["GROUP_OWNER"])}),
        );
        assert!(
            changed.starts_with("API key abcdefgh roles changed"),
            "{changed}"
        );
        assert!(changed.contains("Project Owner"), "{changed}");
        assert_eq!(
            sentence(
                "API_KEY_ACCESS_LIST_ENTRY_ADDED",
                "abcdefgh 10.0.0.0/8",
                &json!({})
            ),
            "API key abcdefgh may be used from 10.0.0.0/8"
        );
        assert_eq!(
            sentence(
                "API_KEY_DESCRIPTION_CHANGED",
                "abcdefgh",
                &json!({"after": key(&[])})
            ),
            "API key abcdefgh description changed to \"CI\""
        );
        assert_eq!(
            event_type_label("API_KEY_REMOVED_FROM_GROUP"),
            "API key deleted"
        );
    }

    #[test]
    fn odd_diffs_and_unknown_types_still_read() {
        for diff in [json!(null), json!({}), json!({"after": 3}), json!([1, 2])] {
            assert_eq!(
                sentence("MONGODB_ROLE_UPDATED", "r", &diff),
                "Role r updated"
            );
            assert_eq!(
                sentence("MONGODB_USER_ADDED", "u", &diff),
                "Database user u added"
            );
        }
        assert_eq!(
            sentence("SOMETHING_NEW", "x", &json!({})),
            "SOMETHING_NEW on x"
        );
        assert_eq!(event_type_label("CLUSTER_ADDED"), "Cluster added");
        assert_eq!(event_type_label("SOMETHING_NEW"), "SOMETHING_NEW");
        assert_eq!(minutes(1440), "24 h");
        assert_eq!(minutes(45), "45 min");
    }
}
