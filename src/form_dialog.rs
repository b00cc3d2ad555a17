//! What the Add / Edit dialogs share: saving in the background, and the Cancel and Save buttons.

use std::future::Future;

use leptos::prelude::*;

use crate::api::ApiError;

/// Runs `save` with `saving` set, then hands the saved item (and whether it is new, i.e. not
/// `editing`) to `on_saved`, or the server's error to `on_error`.
pub fn save_in_background<T: 'static>(
    saving: RwSignal<bool>,
    editing: bool,
    save: impl Future<Output = Result<T, ApiError>> + 'static,
    on_saved: Callback<(T, bool)>,
    on_error: impl FnOnce(ApiError) + 'static,
) {
    saving.set(true);
    leptos::task::spawn_local(async move {
        let result = save.await;
        saving.try_set(false);
        match result {
            Ok(saved) => on_saved.run((saved, !editing)),
            Err(error) => on_error(error),
        }
    });
}

/// Cancel and Save (labelled `save_label`, "Saving…" meanwhile), both disabled while `saving`;
/// their test ids are `{test_id}-cancel` and `{test_id}-save`.
#[component]
pub fn DialogActions(
    test_id: &'static str,
    saving: RwSignal<bool>,
    save_label: &'static str,
    on_cancel: Callback<()>,
    on_save: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="dialog-actions">
            <button
                type="button"
                class="button button-secondary"
                data-testid=format!("{test_id}-cancel")
                disabled=saving
                on:click=move |_| on_cancel.run(())
            >
                "Cancel"
            </button>
            <button
                type="button"
                class="button button-primary"
                data-testid=format!("{test_id}-save")
                disabled=saving
                on:click=move |_| on_save()
            >
                {move || if saving.get() { "Saving…" } else { save_label }}
            </button>
        </div>
    }
}
