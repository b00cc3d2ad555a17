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
use crate::route::{self, Page, Route};
use crate::session::{frame_classes, CurrentSession};
use crate::sidebar::Sidebar;

/// The projects, as loaded once at start (`GET /groups`).
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
    let session = expect_context::<CurrentSession>();

    let hash_route = route::current();
    // A memo, so that setting the same route again does not rebuild the page.
    let route = Memo::new(move |_| hash_route.get());

    let projects: Projects = LocalResource::new(move || {
        let api = api.clone();
        async move { api.projects().await }
    });

    // `#/` (first visit): open the first project's Database Access page, replacing the history entry.
    Effect::new(move |_| {
        if route.get() != Route::Start {
            return;
        }
        if let Some(Ok(list)) = projects.get() {
            if let Some(first) = list.first() {
                route::replace(&Route::project(first.id.clone(), Page::DatabaseAccess));
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
        // The pages most sessions never open: loaded on demand (lazy_page).
        route @ Route::Project { .. } => view! { <LazyPage route project_name /> }.into_any(),
    };

    // Write controls the role may not use are hidden (the server refuses them anyway).
    let classes = move || {
        let group_id = route.with(|r| r.group_id().map(str::to_owned));
        let role = session.with(|s| {
            s.as_ref()
                .zip(group_id.as_deref())
                .and_then(|(s, id)| s.account.role_in(id))
        });
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
                <ProjectMenu projects route />
                <AccountMenu route on_signed_out />
            </header>
            <div class="console-body" class:menu-open=move || menu_open.get()>
                <Sidebar route project_name />
                <main class="page" id="main" tabindex="-1" data-testid="page">
                    {page}
                </main>
            </div>
        </div>
    }
}
