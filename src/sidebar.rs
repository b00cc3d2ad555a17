//! The left navigation: the project's pages, grouped as in Atlas (Security → Database Access, Advanced,
//! Drift;
//! Project → Clusters, Activity Feed, Alerts, Alert Settings, API Keys).

use leptos::prelude::*;

use crate::route::{Page, Route};

#[component]
pub fn Sidebar(route: Memo<Route>, project_name: Signal<Option<String>>) -> impl IntoView {
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
    view! {
        <nav class="sidebar" id="sidebar" aria-label="Project">
            {move || project_name.get().map(|name| view! { <div class="sidebar-project" title="Project">{name}</div> })}
            <h2 class="nav-heading" id="nav-security">"Security"</h2>
            <ul class="nav-list" aria-labelledby="nav-security">
                {[Page::DatabaseAccess, Page::Advanced, Page::Drift].map(link)}
            </ul>
            <h2 class="nav-heading" id="nav-project">"Project"</h2>
            <ul class="nav-list" aria-labelledby="nav-project">
                {[Page::Clusters, Page::ActivityFeed, Page::Alerts, Page::AlertSettings, Page::ProjectAccess, Page::ApiKeys].map(link)}
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
    }
}
