//! An address that names no page.

use leptos::prelude::*;

#[component]
pub fn PageNotFound(path: String) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>"Page not found"</h1>
        </header>
        <section class="panel" data-testid="page-not-found">
            <p>"There is no page at " <code class="mono">{path}</code> "."</p>
            <p><a href="#/">"Open the first project"</a></p>
        </section>
    }
}
