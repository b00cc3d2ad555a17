//! What an editor shows when its save is refused because the resource changed since it was opened (412
//! `RESOURCE_CHANGED`): what changed, the user's own changes, and the two ways on: reload the current
//! version (dropping the edit) or apply the edit to it anyway. Nothing typed is lost until one is chosen.

use leptos::html;
use leptos::prelude::*;

use crate::api::ApiError;

/// Whether the server refused a write because the resource changed since the editor read it.
pub fn is_stale(error: &ApiError) -> bool {
    error.error_code() == Some(access_core::error_code::RESOURCE_CHANGED)
}

#[component]
pub fn EditConflictPanel(
    /// What was edited, e.g. "This user".
    what: &'static str,
    /// What changed between the version opened and the one stored now.
    theirs: Vec<String>,
    /// What the user changed in the editor.
    mine: Vec<String>,
    /// Disables the buttons (while a choice is being carried out).
    #[prop(into)]
    busy: Signal<bool>,
    on_reload: Callback<()>,
    on_apply: Callback<()>,
) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    // Shown below the form: bring it into view.
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            panel.scroll_into_view_with_bool(false);
        }
    });
    view! {
        <div class="notice notice-warning edit-conflict" role="alert" data-testid="edit-conflict" node_ref=panel>
            <div class="notice-body">
                <h3>{format!("{what} was changed by someone else since you opened it")}</h3>
                <p>"Nothing was saved. Changed meanwhile:"</p>
                <ul>
                    {theirs.is_empty().then(|| view! { <li>"nothing differs now: it was changed, then changed back"</li> })}
                    {theirs.into_iter().map(|c| view! { <li data-testid="edit-conflict-change">{c}</li> }).collect_view()}
                </ul>
                {(!mine.is_empty()).then(|| view! {
                    <p>"Your changes:"</p>
                    <ul>
                        {mine.into_iter().map(|c| view! { <li data-testid="edit-conflict-mine">{c}</li> }).collect_view()}
                    </ul>
                })}
                <div class="edit-conflict-actions">
                    <button
                        type="button"
                        class="button button-secondary button-small"
                        data-testid="edit-conflict-reload"
                        disabled=busy
                        on:click=move |_| on_reload.run(())
                    >
                        "Reload (discard my changes)"
                    </button>
                    <button
                        type="button"
                        class="button button-primary button-small"
                        data-testid="edit-conflict-apply"
                        disabled=busy
                        on:click=move |_| on_apply.run(())
                    >
                        "Apply my changes anyway"
                    </button>
                </div>
            </div>
        </div>
    }
}
