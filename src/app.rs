//! The console's frame: top bar with the project menu, the sidebar, and the page of the current route.

use access_core::api::Group;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::config::ConsoleConfig;
use crate::pages::{
    ActivityFeedPage, AdvancedPage, AlertSettingsPage, AlertsPage, ApiKeysPage, ClustersPage,
    DatabaseAccessPage, DatabaseAccessTab, PageNotFound, StartPage,
};
use crate::project_menu::ProjectMenu;
use crate::route::{self, Page, Route};
use crate::sidebar::Sidebar;

/// The projects, as loaded once at start (`GET /groups`).
pub type Projects = LocalResource<Result<Vec<Group>, ApiError>>;

#[component]
pub fn App(config: ConsoleConfig) -> impl IntoView {
    let api = Api::new(&config.api_base);
    provide_context(api.clone());

    let hash_route = route::current();
    // A memo, so that setting the same route again does not rebuild the page.
    let route = Memo::new(move |_| hash_route.get());

    let projects: Projects = LocalResource::new(move || {
        let api = api.clone();
        async move { api.projects().await }
    });

    // `#/` (first visit): open the first project's Advanced page, replacing the history entry.
    Effect::new(move |_| {
        if route.get() != Route::Start {
            return;
        }
        if let Some(Ok(list)) = projects.get() {
            if let Some(first) = list.first() {
                route::replace(&Route::project(first.id.clone(), Page::Advanced));
            }
        }
    });

    let project_name = Signal::derive(move || {
        let group_id = route.with(|r| r.group_id().map(str::to_owned))?;
        projects
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|g| g.id == group_id))
            .map(|g| g.name)
    });

    let page = move || {
        match route.get() {
        Route::Start => view! { <StartPage projects /> }.into_any(),
        Route::Unknown(path) => view! { <PageNotFound path /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::Advanced,
        } => view! { <AdvancedPage group_id project_name /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::DatabaseAccess,
        } => view! { <DatabaseAccessPage group_id project_name tab=DatabaseAccessTab::Users /> }
            .into_any(),
        Route::Project {
            group_id,
            page: Page::CustomRoles,
        } => {
            view! { <DatabaseAccessPage group_id project_name tab=DatabaseAccessTab::CustomRoles /> }
                .into_any()
        }
        Route::Project {
            group_id,
            page: Page::Clusters,
        } => view! { <ClustersPage group_id project_name /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::ActivityFeed,
        } => view! { <ActivityFeedPage group_id project_name /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::Alerts,
        } => view! { <AlertsPage group_id project_name /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::AlertSettings,
        } => view! { <AlertSettingsPage group_id project_name /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::ApiKeys,
        } => view! { <ApiKeysPage group_id project_name /> }.into_any(),
    }
    };

    view! {
        <div class="console">
            <header class="topbar">
                <a class="brand" href="#/" aria-label="Access Console: home">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Access Console"</span>
                </a>
                <ProjectMenu projects route />
            </header>
            <div class="console-body">
                <Sidebar route project_name />
                <main class="page" id="main" data-testid="page">
                    {page}
                </main>
            </div>
        </div>
    }
}
