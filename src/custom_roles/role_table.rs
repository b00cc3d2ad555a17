//! The custom roles table: each role with its actions and inherited roles summarised
//! ("FIND, INSERT on sales.orders"; "inherits read@reports"), and Edit, Delete, Effective privileges.

use access_core::custom_role::{ActionResource, CustomDbRole};
use leptos::prelude::*;

#[component]
pub fn RoleTable(
    roles: Vec<CustomDbRole>,
    on_edit: Callback<CustomDbRole>,
    on_delete: Callback<String>,
    on_effective: Callback<CustomDbRole>,
) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="table roles-table" data-testid="roles-table">
            <thead>
                <tr>
                    <th scope="col">"Role Name"</th>
                    <th scope="col">"Actions and Inherited Roles"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {roles
                    .into_iter()
                    .map(|role| view! { <RoleRow role on_edit on_delete on_effective /> })
                    .collect_view()}
            </tbody>
        </table></div>
    }
}

#[component]
fn RoleRow(
    role: CustomDbRole,
    on_edit: Callback<CustomDbRole>,
    on_delete: Callback<String>,
    on_effective: Callback<CustomDbRole>,
) -> impl IntoView {
    let lines = summary(&role);
    let name = role.role_name.clone();
    let (edit_role, effective_role) = (role.clone(), role.clone());
    view! {
        <tr data-testid="role-row" data-role-name=role.role_name.clone()>
            <td><strong class="role-name" data-testid="role-name">{role.role_name.clone()}</strong></td>
            <td>
                <ul class="role-summary">
                    {lines.into_iter().map(|line| view! { <li data-testid="role-summary-line">{line}</li> }).collect_view()}
                </ul>
            </td>
            <td class="row-actions">
                <button type="button" class="button button-quiet button-small" data-testid="role-effective"
                    on:click=move |_| on_effective.run(effective_role.clone())>
                    "Effective privileges"
                </button>
                <button type="button" class="button button-secondary button-small" data-testid="role-edit" data-needs="database-access"
                    on:click=move |_| on_edit.run(edit_role.clone())>
                    "Edit"
                </button>
                <button type="button" class="button button-quiet button-small danger-text" data-testid="role-delete" data-needs="database-access"
                    on:click=move |_| on_delete.run(name.clone())>
                    "Delete"
                </button>
            </td>
        </tr>
    }
}

/// One line per set of resources (`FIND, INSERT on sales.orders, sales.archive`), then the inherited roles.
fn summary(role: &CustomDbRole) -> Vec<String> {
    let mut groups: Vec<(Vec<String>, Vec<&str>)> = Vec::new();
    for action in &role.actions {
        let mut on: Vec<String> = action.resources.iter().map(resource_text).collect();
        on.sort();
        on.dedup();
        match groups.iter_mut().find(|(r, _)| *r == on) {
            Some((_, names)) => names.push(&action.action),
            None => groups.push((on, vec![&action.action])),
        }
    }
    let mut lines: Vec<String> = groups
        .into_iter()
        .map(|(on, names)| format!("{} on {}", names.join(", "), on.join(", ")))
        .collect();
    if !role.inherited_roles.is_empty() {
        let inherited: Vec<String> = role
            .inherited_roles
            .iter()
            .map(|r| format!("{}@{}", r.role, r.db))
            .collect();
        lines.push(format!("inherits {}", inherited.join(", ")));
    }
    lines
}

fn resource_text(resource: &ActionResource) -> String {
    if resource.is_cluster() {
        return "the cluster".to_owned();
    }
    match (resource.db_name(), resource.collection_name()) {
        (Some(db), Some(collection)) => format!("{db}.{collection}"),
        (Some(db), None) => format!("database {db}"),
        (None, Some(collection)) => format!("*.{collection}"),
        (None, None) => "every database".to_owned(),
    }
}
