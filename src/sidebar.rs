//! The left navigation. On a project's pages: its pages, grouped as in Atlas (Security → Database
//! Access, Advanced, Drift; Project → Clusters, Activity Feed, Alerts, Alert Settings, Project Access,
//! API Keys, Project Settings). On an organization's pages: Projects and Organization Access.

use access_core::api::Organization;
use leptos::prelude::*;

use crate::route::{OrgPage, Page, Route};

#[component]
pub fn Sidebar(
    route: Memo<Route>,
    project_name: Signal<Option<String>>,
    org: Signal<Option<Organization>>,
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
    let org_link = move |page: OrgPage| {
        let href = move || route.with(|r| r.org_id().map(|id| Route::org(id, page).href()));
        let current = move || route.with(|r| r.org_page() == Some(page));
        let id = match page {
            OrgPage::Projects => "nav-org-projects",
            OrgPage::Access => "nav-org-access",
        };
        view! {
            <li>
                <a
                    class="nav-link"
                    class:active=current
                    href=href
                    aria-current=move || current().then_some("page")
                    data-testid=id
                >
                    {page.title()}
                </a>
            </li>
        }
    };
    let on_org_page = Memo::new(move |_| route.with(|r| r.org_id().is_some()));
    move || {
        if on_org_page.get() {
            view! {
                <nav class="sidebar" id="sidebar" aria-label="Organization">
                    {move || org.get().map(|o| view! { <div class="sidebar-project" title="Organization">{o.name}</div> })}
                    <h2 class="nav-heading" id="nav-organization">"Organization"</h2>
                    <ul class="nav-list" aria-labelledby="nav-organization">
                        {[OrgPage::Projects, OrgPage::Access].map(org_link)}
                    </ul>
                </nav>
            }
            .into_any()
        } else {
            view! {
                <nav class="sidebar" id="sidebar" aria-label="Project">
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
            .into_any()
        }
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
