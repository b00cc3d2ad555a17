//! Database Access: the project's database users, its custom roles (the MongoDB Roles tab) and the Access
//! Check, each tab a route of its own.

use leptos::prelude::*;

use crate::export_menu::ExportMenu;
use crate::route::{Page, Route};

/// Which tab of Database Access is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseAccessTab {
    Users,
    CustomRoles,
    AccessCheck,
}

#[component]
pub fn DatabaseAccessPage(
    group_id: String,
    project_name: Signal<Option<String>>,
    tab: DatabaseAccessTab,
    /// The tab's content (the Users tab is part of the first load; the MongoDB Roles tab is in the
    /// pages module, which renders this page around it).
    children: Children,
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
        <header class="page-header page-header-with-actions">
            <div>
                <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Security")).unwrap_or_default()}</p>
                <h1>"Database Access"</h1>
            </div>
            <ExportMenu group_id=group_id.clone() />
        </header>
        <nav class="tabs" aria-label="Database Access">
            {tab_link(DatabaseAccessTab::Users, Page::DatabaseAccess, "Database Users", "tab-database-users")}
            {tab_link(DatabaseAccessTab::CustomRoles, Page::CustomRoles, "MongoDB Roles", "tab-custom-roles")}
            {tab_link(DatabaseAccessTab::AccessCheck, Page::AccessCheck, "Access Check", "tab-access-check")}
        </nav>
        {children()}
    }
}
