//! The pages module's side (`src/bin/access-console-pages.rs`): a view of [`Props`] rendered into the
//! console's element with this module's own Leptos runtime.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{LazyView, Props, TellConsole, ViewEvent, SIGNED_OUT_EVENT, VIEW_EVENT};
use crate::access_check::AccessCheckTab;
use crate::api::{Api, Session};
use crate::custom_roles::CustomRolesTab;
use crate::database_users::UserDialogLoader;
use crate::drift::DriftPage;
use crate::page_scope::PageScope;
use crate::pages::{
    ActivityFeedPage, AdvancedPage, AlertSettingsPage, AlertsPage, ApiKeysPage, ClustersPage,
    DatabaseAccessPage, DatabaseAccessTab, OrgApiKeysPage, OrganizationAccessPage,
    OrganizationPage, ProjectAccessPage, ProjectSettingsPage,
};
use crate::route::{OrgPage, Page, Route};
use crate::session::{CurrentSession, PageProjectOrg};

/// Why a view could not be mounted (said to the console, which shows it).
#[derive(Debug, thiserror::Error)]
pub enum MountError {
    #[error("the console sent props this module cannot read: {0}")]
    Props(#[from] serde_json::Error),
    #[error("{0} is not a page of the pages module")]
    NotHere(String),
}

/// A view on screen; dropping it unmounts the view and disposes its reactive state.
pub struct Mounted {
    project_name: RwSignal<Option<String>>,
    _view: Box<dyn std::any::Any>,
}

impl Mounted {
    pub fn set_project_name(&self, name: Option<String>) {
        self.project_name.set(name);
    }
}

/// Mounts the view of `props` (JSON, see [`Props`]) into `element`.
pub fn mount(element: web_sys::HtmlElement, props: &str) -> Result<Mounted, MountError> {
    let props: Props = serde_json::from_str(props)?;
    let (session, api_base) = (props.session, props.api_base);
    let project_name = RwSignal::new(None);
    let view = match props.view {
        LazyView::Page {
            route: hash,
            project_name: name,
            org_id,
        } => {
            project_name.set(name);
            let route = Route::from_hash(&hash);
            let project_org = route
                .group_id()
                .zip(org_id)
                .map(|(group_id, org_id)| PageProjectOrg(group_id.to_owned(), org_id));
            let view = match route {
                Route::Project {
                    page: Page::DatabaseAccess,
                    ..
                } => {
                    return Err(MountError::NotHere(hash));
                }
                Route::Project { group_id, page } => PageOf::Project(group_id, page),
                Route::Org { org_id, page } => PageOf::Org(org_id, page),
                Route::Start | Route::Unknown(_) => return Err(MountError::NotHere(hash)),
            };
            let host = StoredValue::new_local(element.clone());
            let tell = TellConsole(Callback::new(move |event: ViewEvent| {
                host.with_value(|host| dispatch(host, &event));
            }));
            let element = element.clone();
            Box::new(leptos::mount::mount_to(element, move || {
                let api = session_api(&api_base, &session);
                provide_context(api.clone());
                let id = match &view {
                    PageOf::Project(id, _) | PageOf::Org(id, _) => id.clone(),
                };
                PageScope::provide(api, id);
                provide_context::<CurrentSession>(RwSignal::new(Some(session)));
                if let Some(project_org) = project_org {
                    provide_context(project_org);
                }
                provide_context(tell);
                match view {
                    PageOf::Project(group_id, page) => {
                        page_view(page, group_id, project_name.into())
                    }
                    PageOf::Org(org_id, page) => org_page_view(page, org_id),
                }
            })) as Box<dyn std::any::Any>
        }
        LazyView::UserDialog {
            group_id,
            user,
            ca_bundle,
        } => {
            let host = StoredValue::new_local(element.clone());
            let tell = move |event: ViewEvent| {
                host.with_value(|host| dispatch(host, &event));
            };
            Box::new(leptos::mount::mount_to(element, move || {
                provide_context(session_api(&api_base, &session));
                provide_context::<CurrentSession>(RwSignal::new(Some(session)));
                view! {
                    <UserDialogLoader
                        group_id
                        user
                        ca_bundle
                        on_close=Callback::new(move |()| tell(ViewEvent::Closed))
                        on_saved=Callback::new(move |(user, added)| tell(ViewEvent::UserSaved { user, added }))
                        on_reload=Callback::new(move |user| tell(ViewEvent::UserReloaded { user }))
                    />
                }
            }))
        }
    };
    Ok(Mounted {
        project_name,
        _view: view,
    })
}

/// The module's client for the console's session: a 401 in the module ends the console's session.
fn session_api(api_base: &str, session: &Session) -> Api {
    let api = Api::new(api_base);
    api.use_session(&session.csrf_token, session.token.as_deref());
    api.on_signed_out(|| {
        if let Ok(event) = web_sys::Event::new(SIGNED_OUT_EVENT) {
            let _ = window().dispatch_event(&event);
        }
    });
    api
}

/// Which page a route names.
enum PageOf {
    Project(String, Page),
    Org(String, OrgPage),
}

fn org_page_view(page: OrgPage, org_id: String) -> AnyView {
    match page {
        OrgPage::Projects => view! { <OrganizationPage org_id /> }.into_any(),
        OrgPage::Access => view! { <OrganizationAccessPage /> }.into_any(),
        OrgPage::ApiKeys => view! { <OrgApiKeysPage /> }.into_any(),
    }
}

fn page_view(page: Page, group_id: String, project_name: Signal<Option<String>>) -> AnyView {
    match page {
        Page::CustomRoles => view! {
            <DatabaseAccessPage group_id=group_id.clone() project_name tab=DatabaseAccessTab::CustomRoles>
                <CustomRolesTab />
            </DatabaseAccessPage>
        }
        .into_any(),
        Page::AccessCheck => view! {
            <DatabaseAccessPage group_id=group_id.clone() project_name tab=DatabaseAccessTab::AccessCheck>
                <AccessCheckTab group_id=group_id.clone() />
            </DatabaseAccessPage>
        }
        .into_any(),
        Page::Advanced => view! { <AdvancedPage group_id project_name /> }.into_any(),
        Page::Clusters => view! { <ClustersPage project_name /> }.into_any(),
        Page::Drift => view! { <DriftPage group_id project_name /> }.into_any(),
        Page::ActivityFeed => view! { <ActivityFeedPage project_name /> }.into_any(),
        Page::Alerts => view! { <AlertsPage project_name /> }.into_any(),
        Page::AlertSettings => view! { <AlertSettingsPage group_id project_name /> }.into_any(),
        Page::ProjectAccess => view! { <ProjectAccessPage project_name /> }.into_any(),
        Page::ApiKeys => view! { <ApiKeysPage project_name /> }.into_any(),
        Page::Settings => view! { <ProjectSettingsPage group_id project_name /> }.into_any(),
        Page::DatabaseAccess => ().into_any(),
    }
}

/// Tells the console (listening on `host`) what happened in the view.
fn dispatch(host: &web_sys::HtmlElement, event: &ViewEvent) {
    let Ok(detail) = serde_json::to_string(event) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(&detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(VIEW_EVENT, &init) {
        let _ = host.dispatch_event(&event);
    }
}
