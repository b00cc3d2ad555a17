//! The first visit (`#/`): waits for the project list, then the app opens the first project.

use leptos::prelude::*;

use crate::api_error_panel::ApiErrorPanel;
use crate::app::Projects;

#[component]
pub fn StartPage(projects: Projects) -> impl IntoView {
    move || {
        match projects.get() {
        None => {
            view! { <p class="loading" data-testid="loading">"Loading projects…"</p> }.into_any()
        }
        Some(Err(error)) => view! {
            <header class="page-header"><h1>"Projects"</h1></header>
            <ApiErrorPanel title="Cannot load the projects" error />
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <header class="page-header"><h1>"Projects"</h1></header>
            <section class="panel empty-state"><p>"This server has no project yet."</p></section>
        }
        .into_any(),
        // The app is opening the first project.
        Some(Ok(_)) => view! { <p class="loading">"Opening the project…"</p> }.into_any(),
    }
    }
}
