//! Pages loaded on demand: a second Wasm module, fetched the first time one of its pages is opened.
//!
//! Why a second module and not one split module: Trunk builds one Wasm module per `rel="rust"` link and
//! cannot split one (trunk-rs/trunk#1022). Leptos 0.8's `#[lazy]` needs the module split between
//! `cargo build` and `wasm-bindgen` (wasm-split, as cargo-leptos runs it), a step Trunk's pipeline has no
//! place for. So this crate is one library with two binaries: the console (`src/main.rs`) and the pages
//! (`src/bin/access-console-pages.rs`), each linking only what its entry point reaches. Measured on the
//! release build (docs/benchmarks.md, "First load"): the pages module repeats Leptos's runtime, which costs
//! only when a page of it is first opened; the first load no longer carries the pages.
//!
//! How the two meet: index.html builds the pages module with `data-type="worker"` (Trunk's one kind of Rust
//! app that it builds without injecting a start-up script) and `data-bindgen-target="web"` (an ES module,
//! which a page can `import()`). [`LazyPage`] imports it, once, and calls its `mount_page` with [`Props`]
//! (the route, the session, the API base) as JSON; the module renders the page into the element with its
//! own Leptos runtime and returns a handle that unmounts it. Navigation stays with the console: links in a
//! page change the fragment, the console's route follows, and the page is unmounted. A call in the module
//! that finds the session gone dispatches [`SIGNED_OUT_EVENT`]; the console handles it as its own.

pub mod mount;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use access_core::database_user::DatabaseUser;

use crate::api::{Api, Session};
use crate::app::Projects;
use crate::route::Route;
use crate::session::{org_of_project, CurrentSession};

/// The pages module's files, next to index.html (unhashed: Trunk names worker-type outputs by their bin).
const MODULE_JS: &str = "access-console-pages.js";
const MODULE_WASM: &str = "access-console-pages_bg.wasm";

/// The window event by which the pages module says a call found the session gone.
pub const SIGNED_OUT_EVENT: &str = "access-console-signed-out";

/// The window event by which a view of the pages module tells the console what happened in it (a
/// [`ViewEvent`] as JSON in `detail`), dispatched on the element it was mounted into.
pub const VIEW_EVENT: &str = "access-console-view";

/// What the console gives the pages module for one view (JSON across the two modules).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Props {
    pub api_base: String,
    pub session: Session,
    pub view: LazyView,
}

/// A view of the pages module. (Externally tagged, as serde's default: an internally tagged enum is
/// read through serde's buffering `Content`, a second copy of every field's deserializer in the module.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LazyView {
    /// A page, by the fragment of its route (e.g. `#/projects/…/api-keys`).
    #[serde(rename_all = "camelCase")]
    Page {
        route: String,
        project_name: Option<String>,
        /// The organization of the route's project, when the console knows it (for the account's
        /// role there: [`crate::session::PageProjectOrg`]).
        #[serde(default)]
        org_id: Option<String>,
    },
    /// The Add / Edit Database User dialog (`user`: the name of the user edited, in `$external`; none
    /// to add one). The dialog reads the user itself: it edits the version current when it opens.
    #[serde(rename_all = "camelCase")]
    UserDialog {
        group_id: String,
        user: Option<String>,
        ca_bundle: String,
    },
}

/// What a view of the pages module tells the console (externally tagged: see [`LazyView`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ViewEvent {
    /// The dialog was closed without saving.
    Closed,
    /// A user was saved (`added`: it is new).
    UserSaved { user: DatabaseUser, added: bool },
    /// After a conflicting change: reopen the dialog on this, the current version.
    UserReloaded { user: DatabaseUser },
    /// A project was created, renamed or deleted: the console reads its projects again (the switcher,
    /// the sidebar's name).
    ProjectsChanged,
}

/// In a view of the pages module: tells the console what happened there (a [`ViewEvent`]).
#[derive(Clone, Copy)]
pub struct TellConsole(pub Callback<ViewEvent>);

impl TellConsole {
    /// The context's, in a component of a view (none outside the pages module).
    pub fn from_context() -> Option<TellConsole> {
        use_context::<TellConsole>()
    }

    pub fn projects_changed(self) {
        self.0.run(ViewEvent::ProjectsChanged);
    }
}

#[wasm_bindgen(inline_js = r#"
let pages;
// The Wasm is fetched and compiled while its JS glue is fetched (the glue only gives the imports to
// instantiate it with); a host that does not send application/wasm gets the buffered compile.
async function compile(wasm) {
  const response = await fetch(wasm);
  if (!response.ok) throw new Error(`${wasm}: ${response.status}`);
  const type = response.headers.get("Content-Type") || "";
  return type.startsWith("application/wasm")
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}
export function load_pages(js, wasm) {
  if (!pages) {
    const compiled = compile(wasm);
    pages = import(js).then(async (module) => {
      await module.default({ module_or_path: await compiled });
      return module;
    });
    // A failed load (server gone for a moment) is tried again on the next page opened.
    pages.catch(() => { pages = undefined; });
  }
  return pages;
}
"#)]
extern "C" {
    fn load_pages(js: &str, wasm: &str) -> js_sys::Promise;
}

/// A page of the pages module, shown in the console's frame.
#[component]
pub fn LazyPage(route: Route, project_name: Signal<Option<String>>) -> impl IntoView {
    // (A component's body tracks nothing.)
    let org_id = route.group_id().and_then(org_of_project);
    let view = LazyView::Page {
        route: route.href(),
        project_name: project_name.get_untracked(),
        org_id,
    };
    let projects = use_context::<Projects>();
    let on_event = Callback::new(move |event| {
        if let (ViewEvent::ProjectsChanged, Some(projects)) = (event, projects) {
            projects.refetch();
        }
    });
    view! { <LazyMount view project_name on_event /> }
}

/// A view of the pages module, mounted into this component's element and unmounted with it.
#[component]
pub fn LazyMount(
    view: LazyView,
    /// Followed by a mounted page (a project's name arrives after the page may have opened).
    #[prop(optional)]
    project_name: Option<Signal<Option<String>>>,
    on_event: Callback<ViewEvent>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let session = expect_context::<CurrentSession>();
    let host = NodeRef::<leptos::html::Div>::new();
    let failed = RwSignal::new(None::<String>);
    // The mounted view's handle; disposed with this component, so a load that ends after the view was
    // left finds it gone and unmounts at once.
    let mounted = StoredValue::new_local(None::<JsValue>);
    let listener = StoredValue::new_local(None::<Closure<dyn Fn(web_sys::CustomEvent)>>);

    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        let Some(element) = host.get() else {
            return false;
        };
        let Some(current) = session.get_untracked() else {
            return false;
        };
        let on_view_event =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                let detail = event.detail().as_string().unwrap_or_default();
                match serde_json::from_str::<ViewEvent>(&detail) {
                    Ok(view_event) => on_event.run(view_event),
                    Err(error) => {
                        leptos::logging::warn!("unreadable view event {detail:?}: {error}")
                    }
                }
            });
        let _ = element
            .add_event_listener_with_callback(VIEW_EVENT, on_view_event.as_ref().unchecked_ref());
        listener.set_value(Some(on_view_event));
        let props = Props {
            api_base: api.base().to_owned(),
            session: current,
            view: view.clone(),
        };
        leptos::task::spawn_local(async move {
            match mount(element.into(), &props).await {
                Ok(handle) => {
                    if mounted.try_set_value(Some(handle.clone())).is_some() {
                        call(&handle, "unmount", &[]);
                    }
                }
                Err(message) => {
                    let _ = failed.try_set(Some(message));
                }
            }
        });
        true
    });
    if let Some(project_name) = project_name {
        Effect::new(move |_| {
            let name = project_name.get();
            if let Some(Some(handle)) = mounted.try_get_value() {
                call(&handle, "set_project_name", &[JsValue::from(name)]);
            }
        });
    }
    on_cleanup(move || {
        if let Some(Some(handle)) = mounted.try_get_value() {
            call(&handle, "unmount", &[]);
        }
        let listener = listener.try_update_value(Option::take).flatten();
        if let (Some(element), Some(listener)) = (host.get_untracked(), listener) {
            let _ = element
                .remove_event_listener_with_callback(VIEW_EVENT, listener.as_ref().unchecked_ref());
        }
    });

    view! {
        <div node_ref=host class="lazy-view" data-testid="lazy-view">
            <Show when=move || failed.get().is_some()>
                <div class="notice notice-error" role="alert">
                    <p>{move || failed.get()}</p>
                    <p>"Reload the page to try again."</p>
                </div>
            </Show>
        </div>
    }
}

/// Imports the pages module (once) and mounts the page of `props` into `element`.
async fn mount(element: web_sys::HtmlElement, props: &Props) -> Result<JsValue, String> {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let url = |file: &str| {
        web_sys::Url::new_with_base(file, &base)
            .map(|u| u.href())
            .unwrap_or_else(|_| file.to_owned())
    };
    let module = JsFuture::from(load_pages(&url(MODULE_JS), &url(MODULE_WASM)))
        .await
        .map_err(|e| format!("This page could not be loaded ({}).", describe(&e)))?;
    let props = serde_json::to_string(props).map_err(|e| e.to_string())?;
    let mount_page = js_sys::Reflect::get(&module, &JsValue::from_str("mount_page"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("The pages module has no mount_page: dist/ holds files of two builds.")?;
    mount_page
        .call2(&JsValue::NULL, &element, &JsValue::from_str(&props))
        .map_err(|e| format!("This page could not be shown ({}).", describe(&e)))
}

/// Calls `method` of the mounted page's handle (a wasm-bindgen object of the pages module).
fn call(handle: &JsValue, method: &str, args: &[JsValue]) {
    let function = js_sys::Reflect::get(handle, &JsValue::from_str(method))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(function) = function {
        let args: js_sys::Array = args.iter().collect();
        if let Err(error) = function.apply(handle, &args) {
            leptos::logging::warn!("the page's {method} failed: {}", describe(&error));
        }
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Makes the pages module's [`SIGNED_OUT_EVENT`] end the console's session as its own calls would.
pub fn follow_sign_out_of_pages() {
    let api = expect_context::<Api>();
    let handle = window_event_listener_untyped(SIGNED_OUT_EVENT, move |_| api.signed_out());
    on_cleanup(move || handle.remove());
}
