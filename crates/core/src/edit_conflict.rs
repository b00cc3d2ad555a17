//! When a save is refused because the resource changed since the editor opened it (412): what changed,
//! in words, and the user's edit reapplied to the current version.
//!
//! The dialogs show [`user_changes`], [`role_changes`] or [`bundle_changes`] between what they opened
//! and what is stored now, and offer to reload the current version or to apply the edit anyway; for
//! users and roles "anyway" means [`reapply_user`] / [`reapply_role`]: the fields the user changed take
//! the user's values, every other field keeps the current one.

use serde_json::Value;

use crate::activity::{changes_between, role_grants, user_roles};
use crate::custom_role::CustomDbRole;
use crate::database_user::DatabaseUser;

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn list_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join(", ")
    }
}

/// Each difference between two versions of a user, e.g. `roles: readWrite@sales → read@sales`,
/// `description changed`. Empty when they are the same.
pub fn user_changes(from: &DatabaseUser, to: &DatabaseUser) -> Vec<String> {
    let mut changes = Vec::new();
    if from.roles != to.roles {
        let (old, new) = (user_roles(&json(from)), user_roles(&json(to)));
        changes.push(format!(
            "roles: {} → {}",
            list_or(&old, "none"),
            list_or(&new, "none")
        ));
    }
    if from.scopes != to.scopes {
        let names =
            |u: &DatabaseUser| -> Vec<String> { u.scopes.iter().map(|s| s.name.clone()).collect() };
        changes.push(format!(
            "clusters: {} → {}",
            list_or(&names(from), "all"),
            list_or(&names(to), "all")
        ));
    }
    if from.delete_after_date != to.delete_after_date {
        let when = |u: &DatabaseUser| {
            u.delete_after_date
                .clone()
                .unwrap_or_else(|| "never".to_owned())
        };
        changes.push(format!("deleted after: {} → {}", when(from), when(to)));
    }
    if from.description != to.description {
        changes.push("description changed".to_owned());
    }
    if from.labels != to.labels {
        changes.push("labels changed".to_owned());
    }
    changes
}

/// Each difference between two versions of a custom role: the grants (`FIND on sales.orders`,
/// `inherits read@admin`) added and removed.
pub fn role_changes(from: &CustomDbRole, to: &CustomDbRole) -> Vec<String> {
    if from == to {
        return Vec::new();
    }
    let changes = changes_between(&role_grants(&json(from)), &role_grants(&json(to)));
    if changes.is_empty() {
        // The same grants in another order.
        vec!["actions reordered".to_owned()]
    } else {
        changes
    }
}

/// The difference between two stored CA bundles (`None`: self-managed X.509 off): the certificates
/// added and removed, by subject.
pub fn bundle_changes(from: Option<&str>, to: Option<&str>, now: i64) -> Vec<String> {
    let from = from.filter(|c| !c.trim().is_empty());
    let to = to.filter(|c| !c.trim().is_empty());
    if from == to {
        return Vec::new();
    }
    let certificates = |cas: Option<&str>| -> Vec<(String, String)> {
        cas.map(|cas| {
            crate::pem_bundle::inspect_bundle(cas, now)
                .certificates
                .into_iter()
                .map(|c| (c.sha256_fingerprint, c.subject))
                .collect()
        })
        .unwrap_or_default()
    };
    let (old, new) = (certificates(from), certificates(to));
    let not_in = |list: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
        list.iter()
            .filter(|(sha, _)| !other.iter().any(|(o, _)| o == sha))
            .map(|(_, subject)| subject.clone())
            .collect()
    };
    let mut changes = Vec::new();
    match (from, to) {
        (Some(_), None) => changes.push("self-managed X.509 turned off".to_owned()),
        (None, Some(_)) => changes.push("self-managed X.509 turned on".to_owned()),
        _ => {}
    }
    let added = not_in(&new, &old);
    if !added.is_empty() {
        changes.push(format!("CA added: {}", added.join(", ")));
    }
    let removed = not_in(&old, &new);
    if !removed.is_empty() {
        changes.push(format!("CA removed: {}", removed.join(", ")));
    }
    if changes.is_empty() {
        changes.push("the bundle's text changed (same certificates)".to_owned());
    }
    changes
}

/// `mine` if the user changed it from `opened`, else `current`.
fn pick<T: PartialEq + Clone>(opened: &T, mine: &T, current: &T) -> T {
    if mine != opened {
        mine.clone()
    } else {
        current.clone()
    }
}

/// The user's edit (`opened` → `mine`) applied to `current`: each field the user changed takes their
/// value, every other field keeps the current one.
pub fn reapply_user(
    opened: &DatabaseUser,
    mine: &DatabaseUser,
    current: &DatabaseUser,
) -> DatabaseUser {
    DatabaseUser {
        roles: pick(&opened.roles, &mine.roles, &current.roles),
        scopes: pick(&opened.scopes, &mine.scopes, &current.scopes),
        labels: pick(&opened.labels, &mine.labels, &current.labels),
        description: pick(&opened.description, &mine.description, &current.description),
        delete_after_date: pick(
            &opened.delete_after_date,
            &mine.delete_after_date,
            &current.delete_after_date,
        ),
        ..current.clone()
    }
}

/// The user's edit of a role applied to `current`, as [`reapply_user`] does.
pub fn reapply_role(
    opened: &CustomDbRole,
    mine: &CustomDbRole,
    current: &CustomDbRole,
) -> CustomDbRole {
    CustomDbRole {
        role_name: current.role_name.clone(),
        actions: pick(&opened.actions, &mine.actions, &current.actions),
        inherited_roles: pick(
            &opened.inherited_roles,
            &mine.inherited_roles,
            &current.inherited_roles,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_role::{ActionResource, InheritedRole, RoleAction};
    use crate::database_user::{ScopeType, UserRole, UserScope};

    fn role(name: &str, db: &str) -> UserRole {
        UserRole {
            role_name: name.into(),
            database_name: db.into(),
            collection_name: None,
        }
    }

    fn jane() -> DatabaseUser {
        serde_json::from_value(serde_json::json!({
            "databaseName": "$external",
            "username": "CN=Jane",
            "x509Type": "CUSTOMER",
            "roles": [{"roleName": "readWrite", "databaseName": "sales"}]
        }))
        .unwrap()
    }

    #[test]
    fn user_changes_name_each_field() {
        let opened = jane();
        assert!(user_changes(&opened, &opened).is_empty());
        let mut current = opened.clone();
        current.roles = vec![role("read", "sales")];
        current.description = Some("moved to audit".into());
        current.scopes = vec![UserScope {
            name: "Cluster0".into(),
            scope_type: ScopeType::Cluster,
        }];
        current.delete_after_date = Some("2030-01-01T00:00:00Z".into());
        assert_eq!(
            user_changes(&opened, &current),
            vec![
                "roles: readWrite@sales → read@sales",
                "clusters: all → Cluster0",
                "deleted after: never → 2030-01-01T00:00:00Z",
                "description changed",
            ]
        );
        let mut none = opened.clone();
        none.roles.clear();
        assert_eq!(
            user_changes(&opened, &none),
            vec!["roles: readWrite@sales → none"]
        );
    }

    #[test]
    fn reapplying_keeps_the_other_change_where_the_user_did_not_edit() {
        let opened = jane();
        let mut mine = opened.clone();
        mine.description = Some("mine".into());
        let mut current = opened.clone();
        current.roles = vec![role("read", "sales")];
        let merged = reapply_user(&opened, &mine, &current);
        assert_eq!(merged.roles, current.roles);
        assert_eq!(merged.description.as_deref(), Some("mine"));
        // Both changed the roles: the user's edit wins, as they chose.
        mine.roles = vec![role("dbAdmin", "sales")];
        assert_eq!(reapply_user(&opened, &mine, &current).roles, mine.roles);
    }

    #[test]
    fn role_changes_list_grants_and_reapply_per_field() {
        let find = RoleAction {
            action: "FIND".into(),
            resources: vec![ActionResource {
                db: Some("sales".into()),
                collection: Some("orders".into()),
                cluster: None,
            }],
        };
        let opened = CustomDbRole {
            role_name: "analyst".into(),
            actions: vec![find.clone()],
            inherited_roles: vec![],
        };
        let mut current = opened.clone();
        current
            .inherited_roles
            .push(InheritedRole::new("read", "admin"));
        assert_eq!(
            role_changes(&opened, &current),
            vec!["added inherits read@admin"]
        );
        assert!(role_changes(&opened, &opened).is_empty());
        let mut mine = opened.clone();
        mine.actions.clear();
        let merged = reapply_role(&opened, &mine, &current);
        assert!(merged.actions.is_empty());
        assert_eq!(merged.inherited_roles, current.inherited_roles);
    }

    #[test]
    fn bundle_changes_name_the_certificates() {
        use crate::test_certificates::{now, KeyType, Spec, Workdir};
        let work = Workdir::new("edit-conflict");
        let a = work.self_signed("a", &Spec::ca(KeyType::Ec("prime256v1"), "/CN=Root A"));
        let b = work.self_signed("b", &Spec::ca(KeyType::Ec("prime256v1"), "/CN=Root B"));
        let now = now();
        let both = format!("{a}{b}");
        assert_eq!(
            bundle_changes(Some(&a), Some(&both), now),
            vec!["CA added: CN=Root B"]
        );
        assert_eq!(
            bundle_changes(Some(&both), Some(&b), now),
            vec!["CA removed: CN=Root A"]
        );
        assert_eq!(
            bundle_changes(None, Some(&a), now),
            vec!["self-managed X.509 turned on", "CA added: CN=Root A"]
        );
        assert!(bundle_changes(None, Some(" "), now).is_empty());
        assert_eq!(
            bundle_changes(Some("x"), None, now),
            vec!["self-managed X.509 turned off"]
        );
        assert_eq!(
            bundle_changes(Some("x"), Some("y"), now),
            vec!["the bundle's text changed (same certificates)"]
        );
    }
}
