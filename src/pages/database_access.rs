//! Database Access: the project's database users (coming with the database-users issue).

use leptos::prelude::*;

use crate::route::{Page, Route};

#[component]
pub fn DatabaseAccessPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let advanced = Route::project(group_id, Page::Advanced).href();
    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Security")).unwrap_or_default()}</p>
            <h1>"Database Access"</h1>
        </header>
        <section class="panel empty-state" data-testid="database-access-coming-soon">
            <h2>"Database users are coming soon"</h2>
            <p>
                "Here you will add database users that authenticate with X.509 client certificates and choose what they may do. "
                "First, trust the certificate authorities that issue those certificates under "
                <a href=advanced>"Advanced → Self-Managed X.509 Authentication"</a>"."
            </p>
        </section>
    }
}
