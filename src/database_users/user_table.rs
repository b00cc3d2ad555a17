//! The Database Users table: one row per user, its name with the CN first, the method, roles as chips,
//! the clusters it may reach, its expiry if temporary, and Edit / Delete.

use access_core::database_user::{DatabaseUser, UserRole};
use access_core::dn::common_name_of_printed;
use access_core::privileges::{built_in_privilege, specific_privilege};
use access_core::time::display_expiry;
use leptos::prelude::*;

use crate::clock::now_unix;

#[component]
pub fn UserTable(
    users: Vec<DatabaseUser>,
    on_edit: Callback<DatabaseUser>,
    on_delete: Callback<DatabaseUser>,
) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="table users-table" data-testid="users-table">
            <thead>
                <tr>
                    <th scope="col">"User"</th>
                    <th scope="col">"Authentication Method"</th>
                    <th scope="col">"MongoDB Roles"</th>
                    <th scope="col">"Resources"</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| view! { <UserRow user on_edit on_delete /> })
                    .collect_view()}
            </tbody>
        </table></div>
    }
}

#[component]
fn UserRow(
    user: DatabaseUser,
    on_edit: Callback<DatabaseUser>,
    on_delete: Callback<DatabaseUser>,
) -> impl IntoView {
    let common_name = common_name_of_printed(&user.username);
    let resources = if user.scopes.is_empty() {
        "All resources".to_owned()
    } else {
        user.scopes
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let expires = user
        .delete_after_date
        .as_deref()
        .map_or_else(|| "Never".to_owned(), |at| display_expiry(at, now_unix()));
    let edit_user = user.clone();
    let delete_user = user.clone();
    view! {
        <tr data-testid="user-row" data-username=user.username.clone()>
            <td class="user-name">
                {common_name.map(|cn| view! { <strong class="user-cn" data-testid="user-cn">{cn}</strong> })}
                <code class="user-dn" data-testid="user-dn">{user.username.clone()}</code>
                {user.description.clone().map(|d| view! { <span class="user-description">{d}</span> })}
            </td>
            <td>"Certificate"</td>
            <td>
                <ul class="chips">
                    {user.roles.iter().map(|r| view! { <RoleChip role=r.clone() /> }).collect_view()}
                </ul>
            </td>
            <td>{resources}</td>
            <td class=if user.delete_after_date.is_some() { "temporary" } else { "" } data-testid="user-expires">{expires}</td>
            <td class="row-actions">
                <button
                    type="button"
                    class="button button-secondary button-small"
                    data-testid="user-edit" data-needs="database-access"
                    on:click=move |_| on_edit.run(edit_user.clone())
                >
                    "Edit"
                </button>
                <button
                    type="button"
                    class="button button-quiet button-small danger-text"
                    data-testid="user-delete" data-needs="database-access"
                    on:click=move |_| on_delete.run(delete_user.clone())
                >
                    "Delete"
                </button>
            </td>
        </tr>
    }
}

/// `readWrite@sales.orders`; built-in and custom roles styled apart.
#[component]
fn RoleChip(role: UserRole) -> impl IntoView {
    let kind = if built_in_privilege(&role.role_name).is_some() {
        "chip chip-built-in"
    } else if specific_privilege(&role.role_name).is_some() {
        "chip"
    } else {
        "chip chip-custom"
    };
    let text = match role.collection() {
        Some(collection) => format!("{}@{}.{collection}", role.role_name, role.database_name),
        None => format!("{}@{}", role.role_name, role.database_name),
    };
    view! { <li class=kind data-testid="role-chip">{text}</li> }
}
