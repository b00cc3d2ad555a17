//! Project → Alert Settings: the project's alert configurations (the CA-expiry one is created with the
//! first CA bundle: 30 days before, every 24 hours), each editable.

use leptos::prelude::*;

use crate::alerts::{AlertConfig, AlertConfigCard};
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;

#[component]
pub fn AlertSettingsPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let configs = RwSignal::new(None::<Result<Vec<AlertConfig>, ApiError>>);
    {
        let group_id = group_id.clone();
        leptos::task::spawn_local(async move {
            configs.try_set(Some(api.alert_configs(&group_id).await));
        });
    }
    let list = move || {
        match configs.get() {
        None => view! { <p class="loading" data-testid="loading">"Loading alert settings…"</p> }.into_any(),
        Some(Err(error)) => view! { <ApiErrorPanel title="The alert settings could not be read" error /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <section class="panel"><p class="empty-search" data-testid="alert-configs-empty">"No alert settings yet. Saving the project's first CA certificates creates the CA-expiry alert (30 days before, every 24 hours)."</p></section>
        }
        .into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|config| view! { <AlertConfigCard group_id=group_id.clone() config /> })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Alert Settings"</h1>
        </header>
        <div data-testid="alert-settings-page">{list}</div>
    }
}
