//! The top bar's project switcher (`GET /groups`, as the frame loaded it).
//!
//! The switcher is a text field over a `<datalist>` of the projects' names: the browser filters the
//! list as the user types and gives the keyboard what a list box has (↑/↓ to move, Enter to take,
//! Escape to close). The field empties when it takes the focus (the search starts afresh); Enter opens
//! the project whose name is typed, or the first whose name holds the typed text (any case), and moves
//! the focus to the page; picking a suggestion opens it at once; Escape empties the search, and leaving
//! the field puts the current project's name back. The same page opens for the chosen project (`#/projects/{id}/…`, so
//! each project page keeps its own address). Native, rather than a list box of our own: the first load
//! has almost no room left (tests/first_load.rs), and the browser's own combobox is what assistive
//! technology knows best.

use access_core::api::Group;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::Projects;
use crate::route::{self, Page, Route};

/// The project `text` names: the one of that name, else the first whose name holds it (any case).
fn chosen<'a>(list: &'a [Group], text: &str) -> Option<&'a Group> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    list.iter()
        .find(|g| g.name.to_lowercase() == wanted)
        .or_else(|| {
            list.iter()
                .find(|g| g.name.to_lowercase().contains(&wanted))
        })
}

#[component]
pub fn ProjectMenu(projects: Projects, route: Memo<Route>) -> impl IntoView {
    // What the user has typed since the field took the focus (none: the current project's name shows).
    let typed = RwSignal::new(None::<String>);
    let list = move || projects.get().and_then(Result::ok).unwrap_or_default();
    let current_id = move || {
        route
            .with(|r| r.group_id().map(str::to_owned))
            .unwrap_or_default()
    };
    let current_name = move || {
        let id = current_id();
        list().into_iter().find(|g| g.id == id).map(|g| g.name)
    };
    let shown = move || typed.get().or_else(current_name).unwrap_or_default();
    let placeholder = move || match projects.get() {
        None => "Loading projects…".to_owned(),
        Some(Err(error)) => format!("Projects unavailable: {error}"),
        Some(Ok(_)) => "Find a project".to_owned(),
    };
    let open = move |text: &str| {
        // Called from an event handler: nothing tracks it.
        let all = list();
        if let Some(group) = chosen(&all, text) {
            typed.set(None);
            let page = route
                .with_untracked(|r| r.page())
                .unwrap_or(Page::DatabaseAccess);
            route::navigate(&Route::project(group.id.clone(), page));
            // On to the page, as the skip link goes.
            if let Some(main) = document()
                .get_element_by_id("main")
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = main.focus();
            }
        }
    };
    let names = move || {
        list()
            .into_iter()
            .map(|g| view! { <option value=g.name></option> })
            .collect_view()
    };
    view! {
        <div class="project-menu">
            <label for="project-menu">"Project"</label>
            <input
                id="project-menu"
                class="project-menu-input"
                type="text"
                list="project-menu-names"
                autocomplete="off"
                spellcheck="false"
                data-testid="project-menu"
                placeholder=placeholder
                disabled=move || !matches!(projects.get(), Some(Ok(_)))
                prop:value=shown
                on:focus=move |_| typed.set(Some(String::new()))
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    // A suggestion taken from the list (not typed): open it now.
                    let picked = js_sys::Reflect::get(&ev, &"inputType".into())
                        .ok()
                        .and_then(|t| t.as_string())
                        .is_some_and(|t| t == "insertReplacementText");
                    typed.set(Some(text.clone()));
                    if picked {
                        open(&text);
                    }
                }
                on:keydown=move |ev| match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        open(&event_target_value(&ev));
                    }
                    "Escape" => typed.set(Some(String::new())),
                    _ => {}
                }
                on:blur=move |_| typed.set(None)
            />
            <datalist id="project-menu-names" data-testid="project-menu-names">{names}</datalist>
        </div>
    }
}
