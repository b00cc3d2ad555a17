//! An in-page confirmation dialog (not `window.confirm`, which blocks the page and cannot be styled or
//! driven by the browser tests).

use leptos::prelude::*;

use crate::modal::Modal;

#[component]
pub fn ConfirmDialog(
    #[prop(into)] title: String,
    #[prop(into)] confirm_label: String,
    /// While the confirmed action runs: the buttons are disabled.
    #[prop(into)]
    busy: Signal<bool>,
    /// While true, Confirm is disabled (the body says why).
    #[prop(into, optional)]
    refused: Signal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <Modal
            role="alertdialog"
            labelled_by="confirm-dialog-title"
            described_by="confirm-dialog-body"
            test_id="confirm-dialog"
            busy
            on_close=on_cancel
        >
                <h2 id="confirm-dialog-title">{title}</h2>
                <div id="confirm-dialog-body" class="dialog-body">{children()}</div>
                <div class="dialog-actions">
                    <button
                        type="button"
                        class="button button-secondary"
                        // The safe choice has the focus when the dialog opens.
                        data-autofocus=""
                        data-testid="confirm-dialog-cancel"
                        disabled=busy
                        on:click=move |_| on_cancel.run(())
                    >
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="button button-danger"
                        data-testid="confirm-dialog-confirm"
                        disabled=move || busy.get() || refused.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        {confirm_label}
                    </button>
                </div>
        </Modal>
    }
}

/// The Confirm of a delete dialog: takes what `deleting` holds, runs `delete` on it with `busy` set,
/// closes the dialog and hands the item and the server's answer to `done`.
pub fn confirmed_delete<T, Fut>(
    deleting: RwSignal<Option<T>>,
    busy: RwSignal<bool>,
    delete: impl Fn(T) -> Fut + Send + Sync + 'static,
    done: impl Fn(T, Result<(), crate::api::ApiError>) + Clone + Send + Sync + 'static,
) -> Callback<()>
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), crate::api::ApiError>> + 'static,
{
    Callback::new(move |()| {
        let Some(item) = deleting.get_untracked() else {
            return;
        };
        busy.set(true);
        let deleted = delete(item.clone());
        let done = done.clone();
        leptos::task::spawn_local(async move {
            let result = deleted.await;
            busy.try_set(false);
            deleting.try_set(None);
            done(item, result);
        });
    })
}
