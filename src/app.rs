//! The console: the sign-in (or first-owner) form until someone is signed in, then the frame — top bar
//! with the project menu and the account, the sidebar, and the page of the current route.

use access_core::api::Group;
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
use crate::project_menu::ProjectMenu;
use crate::route::{self, OrgPage, Page, Route};
use crate::session::{frame_classes, role_in_project, CurrentSession};
use crate::sidebar::Sidebar;

/// The projects (`GET /groups`), as loaded at start and again when a page creates, renames or deletes
/// one (provided as a context). Each names its organization; the organizations' own names are the
/// organization pages' to read (the first load has no room for another resource).
pub type Projects = LocalResource<Result<Vec<Group>, ApiError>>;

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
    api.on_signed_out(move || {
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
    let session = expect_context::<CurrentSession>();

    let hash_route = route::current();
    // A memo, so that setting the same route again does not rebuild the page.
    let route = Memo::new(move |_| hash_route.get());

    let projects: Projects = LocalResource::new(move || {
        let api = api.clone();
        async move { api.projects().await }
    });
    provide_context(projects);
    let known = move || projects.get().and_then(Result::ok);
    // Pages are shown once the projects are known (their organizations decide the account's roles).
    let projects_known = RwSignal::new(false);
    // The organization of the top bar's "All projects": the route's, the current project's, or the
    // account's first.
    let org_id = Signal::derive(move || {
        route
            .with(|r| match r {
                Route::Org { org_id, .. } => Some(org_id.clone()),
                Route::Project { group_id, .. } => known()?
                    .into_iter()
                    .find(|g| &g.id == group_id)
                    .map(|g| g.org_id),
                _ => None,
            })
            .or_else(|| {
                session.with(|s| Some(s.as_ref()?.account.org_roles.first()?.org_id.clone()))
            })
    });

    // `#/` (first visit): open the first project's Database Access page, replacing the history entry
    // (with no project to see, the organization's page).
    Effect::new(move |_| {
        let Some(list) = known() else {
            return;
        };
        if !projects_known.get_untracked() {
            projects_known.set(true);
        }
        if route.get() != Route::Start {
            return;
        }
        if let Some(first) = list.first() {
            route::replace(&Route::project(first.id.clone(), Page::DatabaseAccess));
        } else if let Some(org_id) = org_id.get_untracked() {
            route::replace(&Route::org(org_id, OrgPage::Projects));
        }
    });

    let project_name = Signal::derive(move || {
        let group_id = route.with(|r| r.group_id().map(str::to_owned))?;
        known()?
            .into_iter()
            .find(|g| g.id == group_id)
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

    // Write controls the role may not use are hidden (the server refuses them anyway).
    let project_role = role_in_project(move || route.with(|r| r.group_id().map(str::to_owned)));
    let classes = move || {
        let mut classes = frame_classes(project_role());
        // An organization's page has no sidebar (its tabs are its own): no Menu button either.
        if route.with(|r| r.org_id().is_some()) {
            classes.push_str(" organization-frame");
        }
        classes
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
                {move || org_id.get().map(|id| view! {
                    <a class="org-link" href=Route::org(id, OrgPage::Projects).href() data-testid="org-link">"All projects"</a>
                })}
                <ProjectMenu projects route />
                <AccountMenu route on_signed_out />
            </header>
            <div class="console-body" class:menu-open=move || menu_open.get()>
                <Sidebar route project_name org_id />
                <main class="page" id="main" tabindex="-1" data-testid="page">
                    {page}
                </main>
            </div>
        </div>
    }
}
