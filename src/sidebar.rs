//! The left navigation of a project's pages: "All projects" (the organization's page), then the pages,
//! grouped as in Atlas (Security → Database Access, Advanced, Drift; Project → Clusters, Activity Feed,
//! Alerts, Alert Settings, Project Access, API Keys, Project Settings). An organization's pages have
//! none (their tabs are their own: `pages/organization.rs`).

use leptos::prelude::*;

use crate::route::{OrgPage, Page, Route};

#[component]
pub fn Sidebar(
    route: Memo<Route>,
    project_name: Signal<Option<String>>,
    /// The organization of the current project (its "All projects" link).
    org_id: Signal<Option<String>>,
) -> impl IntoView {
    let link = move |page: Page| {
        let href = move || route.with(|r| r.group_id().map(|id| Route::project(id, page).href()));
        let current = move || route.with(|r| r.page().map(Page::sidebar_page) == Some(page));
        view! {
            <li>
                <a
                    class="nav-link"
                    class:active=current
                    href=href
                    aria-current=move || current().then_some("page")
                    data-testid=format!("nav-{}", page_id(page))
                >
                    {page.title()}
                </a>
            </li>
        }
    };
    // On an organization's page there is no project: its tabs are the page's own.
    view! {
        <nav class="sidebar" id="sidebar" aria-label="Project" hidden=move || route.with(|r| r.org_id().is_some())>
            {move || org_id.get().map(|id| view! {
                <a class="sidebar-all" href=Route::org(id, OrgPage::Projects).href() data-testid="nav-all-projects">"All projects"</a>
            })}
            {move || project_name.get().map(|name| view! { <div class="sidebar-project" title="Project">{name}</div> })}
            <h2 class="nav-heading" id="nav-security">"Security"</h2>
            <ul class="nav-list" aria-labelledby="nav-security">
                {[Page::DatabaseAccess, Page::Advanced, Page::Drift].map(link)}
            </ul>
            <h2 class="nav-heading" id="nav-project">"Project"</h2>
            <ul class="nav-list" aria-labelledby="nav-project">
                {[Page::Clusters, Page::ActivityFeed, Page::Alerts, Page::AlertSettings, Page::ProjectAccess, Page::ApiKeys, Page::Settings].map(link)}
            </ul>
        </nav>
    }
}

fn page_id(page: Page) -> &'static str {
    match page {
        Page::DatabaseAccess | Page::CustomRoles | Page::AccessCheck => "database-access",
        Page::Advanced => "advanced",
        Page::Clusters => "clusters",
        Page::ActivityFeed => "activity",
        Page::Alerts => "alerts",
        Page::AlertSettings => "alert-settings",
        Page::ProjectAccess => "project-access",
        Page::ApiKeys => "api-keys",
        Page::Drift => "drift",
        Page::Settings => "project-settings",
    }
}
