//! The top bar's organization link and project switcher (`GET /groups`).
//!
//! The switcher is a button naming the current project; it opens a search field over the projects
//! (type to filter by name, ↑/↓ to move, Enter to open, Escape to close, focus back on the button).
//! Choosing a project opens the same page for it (`#/projects/{id}/…`, so every project page keeps its
//! own address). At most [`SHOWN`] matches are listed at once: with 1,000 projects, typing narrows.

use access_core::api::{Group, Organization};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::Projects;
use crate::route::{self, OrgPage, Page, Route};

/// The most projects the open switcher lists.
const SHOWN: usize = 50;

/// The organization's name, a link to its page (every project of it).
#[component]
pub fn OrgLink(org: Signal<Option<Organization>>) -> impl IntoView {
    move || {
        org.get().map(|o| {
            let href = Route::org(o.id.clone(), OrgPage::Projects).href();
            view! {
                <a class="org-link" href=href data-testid="org-link" title="The organization's projects">
                    <span class="org-link-label">"Organization"</span>
                    <span class="org-link-name">{o.name}</span>
                </a>
            }
        })
    }
}

/// The projects whose name contains `query` (any case), in the list's order.
fn matching<'a>(list: &'a [Group], query: &str) -> impl Iterator<Item = &'a Group> {
    let query = query.trim().to_lowercase();
    list.iter()
        .filter(move |g| query.is_empty() || g.name.to_lowercase().contains(&query))
}

#[component]
pub fn ProjectMenu(projects: Projects, route: Memo<Route>) -> impl IntoView {
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let root = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let search = NodeRef::<html::Input>::new();

    let list = move || projects.get().and_then(Result::ok).unwrap_or_default();
    let current_id = move || {
        route
            .with(|r| r.group_id().map(str::to_owned))
            .unwrap_or_default()
    };
    let current_name = move || match projects.get() {
        None => "Loading projects…".to_owned(),
        Some(Err(_)) => "Projects unavailable".to_owned(),
        Some(Ok(all)) => {
            let id = current_id();
            all.into_iter()
                .find(|g| g.id == id)
                .map_or_else(|| "Choose a project".to_owned(), |g| g.name)
        }
    };
    let error = move || match projects.get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    // The matches shown: (id, name), at most SHOWN; and how many match in all.
    let matches = Memo::new(move |_| {
        let all = list();
        let q = query.get();
        let total = matching(&all, &q).count();
        let shown: Vec<(String, String)> = matching(&all, &q)
            .take(SHOWN)
            .map(|g| (g.id.clone(), g.name.clone()))
            .collect();
        (shown, total)
    });

    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let choose = move |group_id: String| {
        close(true);
        let page = route
            .with_untracked(|r| r.page())
            .unwrap_or(Page::DatabaseAccess);
        route::navigate(&Route::project(group_id, page));
    };
    let open_menu = move || {
        query.set(String::new());
        let id = current_id();
        active.set(
            matches
                .get_untracked()
                .0
                .iter()
                .position(|(g, _)| *g == id)
                .unwrap_or(0),
        );
        open.set(true);
        request_animation_frame(move || {
            if let Some(search) = search.get_untracked() {
                let _ = search.focus();
            }
        });
    };

    // A click outside closes it.
    let outside = window_event_listener(ev::mousedown, move |event| {
        if !open.get_untracked() {
            return;
        }
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = root
            .get_untracked()
            .is_some_and(|root| root.contains(target.as_ref()));
        if !inside {
            close(false);
        }
    });
    on_cleanup(move || outside.remove());
    // A route change (a link, Back) closes it.
    Effect::new(move |_| {
        route.track();
        open.set(false);
    });

    let on_key = move |event: ev::KeyboardEvent| {
        let count = matches.with_untracked(|(shown, _)| shown.len());
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                if count > 0 {
                    active.update(|i| *i = (*i + 1) % count);
                }
            }
            "ArrowUp" => {
                event.prevent_default();
                if count > 0 {
                    active.update(|i| *i = (*i + count - 1) % count);
                }
            }
            "Home" if count > 0 => active.set(0),
            "End" if count > 0 => active.set(count - 1),
            "Enter" => {
                event.prevent_default();
                let chosen = matches.with_untracked(|(shown, _)| {
                    shown.get(active.get_untracked()).map(|(id, _)| id.clone())
                });
                if let Some(id) = chosen {
                    choose(id);
                }
            }
            "Escape" => {
                event.prevent_default();
                // Not the dialogs' Escape: none is open while the switcher is.
                event.stop_propagation();
                close(true);
            }
            "Tab" => close(false),
            _ => {}
        }
    };
    // Typing on the closed button opens the switcher with that letter.
    let on_button_key = move |event: ev::KeyboardEvent| {
        let key = event.key();
        if key == "ArrowDown" {
            event.prevent_default();
            open_menu();
        } else if key.chars().count() == 1
            && !event.ctrl_key()
            && !event.meta_key()
            && !event.alt_key()
            && key != " "
        {
            event.prevent_default();
            open_menu();
            query.set(key);
        }
    };

    let org_href = move || {
        projects
            .get()
            .and_then(Result::ok)
            .and_then(|all| {
                let id = current_id();
                let current = all.iter().position(|g| g.id == id).unwrap_or(0);
                all.into_iter().nth(current).map(|g| g.org_id)
            })
            .map(|org_id| Route::org(org_id, OrgPage::Projects).href())
    };

    let options = move || {
        let (shown, total) = matches.get();
        let current = current_id();
        let more = total.saturating_sub(shown.len());
        let rows = shown
            .into_iter()
            .enumerate()
            .map(|(index, (id, name))| {
                let is_current = id == current;
                let for_click = id.clone();
                view! {
                    <li
                        id=format!("project-menu-option-{index}")
                        role="option"
                        class="project-menu-option"
                        class:active=move || active.get() == index
                        aria-selected=move || (active.get() == index).to_string()
                        data-testid="project-menu-option"
                        data-group-id=id.clone()
                        data-current=is_current.then_some("true")
                        on:mousedown=move |ev| ev.prevent_default()
                        on:click=move |_| choose(for_click.clone())
                    >
                        <span class="project-menu-name">{name}</span>
                        {is_current.then(|| view! { <span class="chip">"current"</span> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            {rows}
            {(total == 0).then(|| view! { <li class="project-menu-empty muted" role="presentation" data-testid="project-menu-empty">"No project matches"</li> })}
            {(more > 0).then(|| view! { <li class="project-menu-more muted" role="presentation">{format!("{more} more: type to narrow")}</li> })}
        }
    };

    view! {
        <div class="project-menu" node_ref=root>
            <span class="project-menu-label" id="project-menu-label">"Project"</span>
            <button
                type="button"
                class="project-menu-button"
                node_ref=button
                data-testid="project-menu"
                aria-haspopup="listbox"
                aria-expanded=move || open.get().to_string()
                aria-labelledby="project-menu-label project-menu"
                id="project-menu"
                value=current_id
                title=error
                disabled=move || !matches!(projects.get(), Some(Ok(_)))
                on:click=move |_| if open.get_untracked() { close(true) } else { open_menu() }
                on:keydown=on_button_key
            >
                <span class="project-menu-current">{current_name}</span>
                <span class="project-menu-caret" aria-hidden="true">"▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="project-menu-popup" data-testid="project-menu-popup">
                    <input
                        node_ref=search
                        class="text-input project-menu-search"
                        type="search"
                        role="combobox"
                        aria-label="Find a project by name"
                        aria-expanded="true"
                        aria-controls="project-menu-list"
                        aria-autocomplete="list"
                        aria-activedescendant=move || format!("project-menu-option-{}", active.get())
                        placeholder="Find a project"
                        autocomplete="off"
                        spellcheck="false"
                        data-testid="project-menu-search"
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            query.set(event_target_value(&ev));
                            active.set(0);
                        }
                        on:keydown=on_key
                    />
                    <ul class="project-menu-list" id="project-menu-list" role="listbox" aria-label="Projects" data-testid="project-menu-list">
                        {options}
                    </ul>
                    {move || org_href().map(|href| view! {
                        <a class="project-menu-all" href=href data-testid="project-menu-all">"All projects"</a>
                    })}
                </div>
            </Show>
        </div>
    }
}
