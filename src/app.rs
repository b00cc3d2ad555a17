//! The console: the sign-in (or first-owner) form until someone is signed in, then the frame — top bar
//! with the project menu and the account, the sidebar, and the page of the current route.

use access_core::api::{Group, Organization};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::account_menu::AccountMenu;
use crate::api::{Api, ApiError, Session};
use crate::api_error_panel::ApiErrorPanel;
use crate::config::ConsoleConfig;
use crate::database_users::DatabaseUsersTab;
use crate::lazy_page::{self, LazyPage};
use crate::pages::{
    DatabaseAccessPage, DatabaseAccessTab, PageNotFound, SetupPage, SignInPage, StartPage,
};
use crate::project_menu::{OrgLink, ProjectMenu};
use crate::route::{self, OrgPage, Page, Route};
use crate::session::{frame_classes, role_in_org, role_in_project, CurrentSession, ProjectOrgs};
use crate::sidebar::Sidebar;

/// The projects, as loaded at start (`GET /groups`) and again when a page creates, renames or deletes
/// one (provided as a context).
pub type Projects = LocalResource<Result<Vec<Group>, ApiError>>;

/// The account's organizations, as loaded once at start (`GET /orgs`).
pub type Orgs = LocalResource<Result<Vec<Organization>, ApiError>>;

/// What the console shows before the frame.
#[derive(Debug, Clone, PartialEq)]
enum Gate {
    Checking,
    /// The server could not say who is signed in (down, wrong apiBase).
    Failed(ApiError),
    Setup,
    SignIn,
    SignedIn,
}

#[component]
pub fn App(config: ConsoleConfig) -> impl IntoView {
    let api = Api::new(&config.api_base);
    provide_context(api.clone());
    let session: CurrentSession = RwSignal::new(None);
    provide_context(session);
    let gate = RwSignal::new(Gate::Checking);
    let notice = RwSignal::new(None::<String>);

    // A call that finds the session gone brings the sign-in form back (what was on screen is dropped:
    // the server kept nothing half-done).
    crate::api::on_signed_out(move || {
        if gate.get_untracked() == Gate::SignedIn {
            notice.set(Some(
                "Your session ended (it expired, or you signed out elsewhere). Sign in again."
                    .to_owned(),
            ));
            session.set(None);
            gate.set(Gate::SignIn);
        }
    });
    {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let next = match api.session().await {
                Ok(current) => {
                    session.set(Some(current));
                    Gate::SignedIn
                }
                Err(error) if error.error_code().is_some() => match api.console_status().await {
                    Ok(status) if status.setup_required => Gate::Setup,
                    Ok(_) => Gate::SignIn,
                    Err(error) => Gate::Failed(error),
                },
                Err(error) => Gate::Failed(error),
            };
            gate.set(next);
        });
    }
    let signed_in = Callback::new(move |current: Session| {
        notice.set(None);
        session.set(Some(current));
        gate.set(Gate::SignedIn);
    });
    lazy_page::follow_sign_out_of_pages();
    let signed_out = Callback::new(move |()| {
        session.set(None);
        notice.set(Some("You signed out.".to_owned()));
        gate.set(Gate::SignIn);
    });

    move || {
        match gate.get() {
        Gate::Checking => view! { <p class="loading gate-loading">"Loading Access Console…"</p> }.into_any(),
        Gate::Failed(error) => view! {
            <div class="gate"><div class="gate-card"><ApiErrorPanel title="The console cannot reach its server" error /></div></div>
        }
        .into_any(),
        Gate::Setup => view! { <SetupPage on_signed_in=signed_in /> }.into_any(),
        Gate::SignIn => view! { <SignInPage on_signed_in=signed_in notice=notice.into() /> }.into_any(),
        Gate::SignedIn => view! { <Console on_signed_out=signed_out /> }.into_any(),
    }
    }
}

/// The frame, for a signed-in account.
#[component]
fn Console(on_signed_out: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();

    let hash_route = route::current();
    // A memo, so that setting the same route again does not rebuild the page.
    let route = Memo::new(move |_| hash_route.get());

    let projects: Projects = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.projects().await }
        })
    };
    provide_context(projects);
    let orgs: Orgs = LocalResource::new(move || {
        let api = api.clone();
        async move { api.orgs().await }
    });
    provide_context(ProjectOrgs(Signal::derive(move || {
        projects
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.into_iter()
                    .map(|g| (g.id, g.org_id))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    })));
    // Pages are shown once the projects are known (their organizations decide the account's roles).
    let projects_known = Memo::new(move |_| projects.get().is_some());

    // The organization shown in the top bar: the route's, the current project's, or the first.
    let org = Signal::derive(move || {
        let list = orgs.get().and_then(Result::ok).unwrap_or_default();
        let wanted = route.with(|r| match r {
            Route::Org { org_id, .. } => Some(org_id.clone()),
            Route::Project { group_id, .. } => projects
                .get()
                .and_then(Result::ok)
                .and_then(|all| all.into_iter().find(|g| &g.id == group_id))
                .map(|g| g.org_id),
            _ => None,
        });
        match wanted {
            Some(id) => list.into_iter().find(|o| o.id == id),
            None => list.into_iter().next(),
        }
    });

    // `#/` (first visit): open the first project's Database Access page, replacing the history entry
    // (with no project to see, the organization's page).
    Effect::new(move |_| {
        if route.get() != Route::Start {
            return;
        }
        match projects.get() {
            Some(Ok(list)) if !list.is_empty() => {
                route::replace(&Route::project(list[0].id.clone(), Page::DatabaseAccess));
            }
            Some(Ok(_)) => {
                if let Some(Ok(orgs)) = orgs.get() {
                    if let Some(first) = orgs.first() {
                        route::replace(&Route::org(first.id.clone(), OrgPage::Projects));
                    }
                }
            }
            _ => {}
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

    let page = move || match route.get() {
        Route::Start => view! { <StartPage projects /> }.into_any(),
        Route::Unknown(path) => view! { <PageNotFound path /> }.into_any(),
        Route::Project {
            group_id,
            page: Page::DatabaseAccess,
        } => view! {
            <DatabaseAccessPage group_id=group_id.clone() project_name tab=DatabaseAccessTab::Users>
                <DatabaseUsersTab group_id=group_id.clone() />
            </DatabaseAccessPage>
        }
        .into_any(),
        _ if !projects_known.get() => {
            view! { <p class="loading">"Loading projects…"</p> }.into_any()
        }
        // The pages most sessions never open: loaded on demand (lazy_page).
        route => view! { <LazyPage route project_name /> }.into_any(),
    };

    // Write controls the role may not use are hidden (the server refuses them anyway). On an
    // organization's page: what the organization role gives in every project.
    let project_role = role_in_project(move || route.with(|r| r.group_id().map(str::to_owned)));
    let org_role = role_in_org(move || route.with(|r| r.org_id().map(str::to_owned)));
    let classes = move || {
        let role = match route.with(|r| r.org_id().is_some()) {
            true => org_role.get().and_then(|r| r.in_every_project()),
            false => project_role.get(),
        };
        frame_classes(role)
    };

    // The narrow screen's menu: open until a page is chosen.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        route.track();
        menu_open.set(false);
    });

    view! {
        <div class=classes data-testid="console">
            // The first stop of Tab: past the top bar and the sidebar to the page. (Not a plain
            // `href="#main"`: the router reads the fragment.)
            <a
                class="skip-link"
                href="#main"
                data-testid="skip-to-content"
                on:click=move |ev| {
                    ev.prevent_default();
                    if let Some(main) = document().get_element_by_id("main") {
                        if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                            let _ = main.focus();
                        }
                    }
                }
            >
                "Skip to content"
            </a>
            <header class="topbar">
                // On a narrow screen the sidebar folds away behind this button.
                <button
                    type="button"
                    class="menu-button button-on-dark"
                    aria-controls="sidebar"
                    aria-expanded=move || menu_open.get().to_string()
                    data-testid="menu-button"
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    "Menu"
                </button>
                <a class="brand" href="#/" aria-label="Access Console: home">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Access Console"</span>
                </a>
                <OrgLink org />
                <ProjectMenu projects route />
                <AccountMenu route on_signed_out />
            </header>
            <div class="console-body" class:menu-open=move || menu_open.get()>
                <Sidebar route project_name org />
                <main class="page" id="main" tabindex="-1" data-testid="page">
                    {page}
                </main>
            </div>
        </div>
    }
}
