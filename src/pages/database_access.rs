//! Database Access: the project's database users and its custom roles (the MongoDB Roles tab), each
//! tab a route of its own.

use leptos::prelude::*;

use crate::custom_roles::CustomRolesTab;
use crate::database_users::DatabaseUsersTab;
use crate::route::{Page, Route};

/// Which tab of Database Access is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseAccessTab {
    Users,
    CustomRoles,
}

#[component]
pub fn DatabaseAccessPage(
    group_id: String,
    project_name: Signal<Option<String>>,
    tab: DatabaseAccessTab,
) -> impl IntoView {
    let tab_link =
        |this: DatabaseAccessTab, page: Page, label: &'static str, test_id: &'static str| {
            let active = tab == this;
            view! {
                <a
                    class="tab"
                    class:tab-active=active
                    href=Route::project(group_id.clone(), page).href()
                    aria-current=active.then_some("page")
                    data-testid=test_id
                >
                    {label}
                </a>
            }
        };
    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Security")).unwrap_or_default()}</p>
            <h1>"Database Access"</h1>
        </header>
        <nav class="tabs" aria-label="Database Access">
            {tab_link(DatabaseAccessTab::Users, Page::DatabaseAccess, "Database Users", "tab-database-users")}
            {tab_link(DatabaseAccessTab::CustomRoles, Page::CustomRoles, "MongoDB Roles", "tab-custom-roles")}
        </nav>
        {match tab {
            DatabaseAccessTab::Users => view! { <DatabaseUsersTab group_id /> }.into_any(),
            DatabaseAccessTab::CustomRoles => view! { <CustomRolesTab group_id /> }.into_any(),
        }}
    }
}
