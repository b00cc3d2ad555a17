//! The Drift page (Security → Drift): what a self-managed deployment holds against the project. One
//! entry component, [`DriftPage`], so that the module can later be loaded on demand.
//!
//! The person runs the one-liner the page shows, pastes its output, and sees what only the project has,
//! what only the deployment has (with "Adopt into the project", through the normal create API and its
//! rules), what differs down to the action and the inherited role, and the mongosh lines that fix the
//! deployment. Reading changes nothing.

mod report;

use access_core::drift::ONE_LINER;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::copy_button::CopyButton;
use report::DriftReport;

/// What comparing gave: the report, or why there is none.
#[derive(Clone)]
enum Outcome {
    Report(access_core::drift::Drift),
    NotJson(String),
    Refused(ApiError),
}

#[component]
pub fn DriftPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let pasted = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let compare = {
        let group_id = group_id.clone();
        move |_| {
            let text = pasted.get_untracked();
            let state: serde_json::Value = match serde_json::from_str(text.trim()) {
                Ok(state) => state,
                Err(e) => {
                    outcome.set(Some(Outcome::NotJson(format!(
                        "line {}, column {}: this is not JSON ({e}). Paste the whole output of the command above.",
                        e.line(),
                        e.column()
                    ))));
                    return;
                }
            };
            let api = api.clone();
            let group_id = group_id.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                outcome.set(Some(match api.drift(&group_id, &state).await {
                    Ok(drift) => Outcome::Report(drift),
                    Err(e) => Outcome::Refused(e),
                }));
                busy.set(false);
            });
        }
    };
    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Security")).unwrap_or_default()}</p>
            <h1>"Drift"</h1>
        </header>
        <section class="panel drift-input" aria-labelledby="drift-how">
            <h2 id="drift-how">"Compare a deployment with the project"</h2>
            <p>
                "Run this against the deployment (mongosh, with a certificate allowed to read users and roles), then paste what it prints. Nothing is changed by reading."
            </p>
            <div class="one-liner">
                <pre data-testid="drift-one-liner" tabindex="0" aria-label="The command"><code>{ONE_LINER}</code></pre>
                <CopyButton value=ONE_LINER.to_owned() what="the command" />
            </div>
            <label for="drift-paste">"The command's output"</label>
            <textarea
                id="drift-paste"
                class="drift-paste"
                rows="8"
                spellcheck="false"
                data-testid="drift-paste"
                prop:value=move || pasted.get()
                on:input=move |ev| pasted.set(event_target_value(&ev))
            ></textarea>
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="drift-compare"
                    disabled=move || busy.get() || pasted.with(|p| p.trim().is_empty())
                    on:click=compare
                >
                    {move || if busy.get() { "Comparing…" } else { "Compare" }}
                </button>
            </div>
        </section>
        {move || match outcome.get() {
            None => ().into_any(),
            Some(Outcome::NotJson(message)) => view! {
                <p class="field-error" role="alert" data-testid="drift-not-json">{message}</p>
            }
            .into_any(),
            Some(Outcome::Refused(error)) => view! {
                <ApiErrorPanel title="The deployment's state was not read" error />
            }
            .into_any(),
            Some(Outcome::Report(drift)) => view! {
                <DriftReport drift group_id=group_id.clone() />
            }
            .into_any(),
        }}
    }
}
