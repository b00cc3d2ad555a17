//! A small "Copy" button that puts a value (a fingerprint, a serial) on the clipboard.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// How long "Copied" stays on the button.
const FEEDBACK_MS: u64 = 1500;

#[component]
pub fn CopyButton(
    /// What is copied.
    value: String,
    /// What it is, for screen readers: "Copy {what}".
    what: &'static str,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let copy = move |_| {
        let value = value.clone();
        leptos::task::spawn_local(async move {
            let outcome = match write_to_clipboard(&value).await {
                Ok(()) => CopyState::Copied,
                Err(why) => {
                    leptos::logging::warn!("cannot copy the {what}: {why}");
                    CopyState::Failed
                }
            };
            state.try_set(outcome);
            set_timeout(
                move || {
                    state.try_set(CopyState::Idle);
                },
                std::time::Duration::from_millis(FEEDBACK_MS),
            );
        });
    };
    let label = move || match state.get() {
        CopyState::Idle => "Copy",
        CopyState::Copied => "Copied",
        CopyState::Failed => "Copy failed",
    };
    view! {
        <button
            type="button"
            class="copy-button"
            class:copied=move || state.get() == CopyState::Copied
            class:failed=move || state.get() == CopyState::Failed
            aria-label=format!("Copy {what}")
            title=move || match state.get() {
                CopyState::Failed => "The browser refused access to the clipboard (it needs HTTPS or localhost).",
                _ => "Copy to the clipboard",
            }
            on:click=copy
        >
            {label}
        </button>
    }
}

async fn write_to_clipboard(value: &str) -> Result<(), String> {
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined outside secure contexts (plain HTTP on another host).
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok())
        .ok_or("the clipboard is only available on HTTPS or localhost")?;
    JsFuture::from(clipboard.write_text(value))
        .await
        .map(|_| ())
        .map_err(|error| format!("{error:?}"))
}
