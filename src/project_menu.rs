//! The project menu of the top bar (`GET /groups`): choosing a project opens the same page for it.

use leptos::prelude::*;

use crate::app::Projects;
use crate::route::{self, Page, Route};

#[component]
pub fn ProjectMenu(projects: Projects, route: Memo<Route>) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let group_id = event_target_value(&ev);
        let page = route.with_untracked(|r| r.page()).unwrap_or(Page::Advanced);
        route::navigate(&Route::project(group_id, page));
    };
    let selected = move || {
        route
            .with(|r| r.group_id().map(str::to_owned))
            .unwrap_or_default()
    };
    let options = move || match projects.get() {
        None => view! { <option value="">"Loading projects…"</option> }.into_any(),
        Some(Err(_)) => view! { <option value="">"Projects unavailable"</option> }.into_any(),
        Some(Ok(list)) => {
            let current = selected();
            let known = list.iter().any(|g| g.id == current);
            view! {
                {(!known).then(|| view! { <option value="" selected=true disabled=true>"Choose a project"</option> })}
                {list
                    .into_iter()
                    .map(|g| {
                        let is_current = g.id == current;
                        view! { <option value=g.id.clone() selected=is_current>{g.name}</option> }
                    })
                    .collect_view()}
            }
            .into_any()
        }
    };
    let unavailable = move || !matches!(projects.get(), Some(Ok(_)));
    let error = move || match projects.get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <div class="project-menu">
            <label for="project-menu">"Project"</label>
            <select
                id="project-menu"
                data-testid="project-menu"
                on:change=on_change
                disabled=unavailable
                title=error
            >
                {options}
            </select>
        </div>
    }
}
