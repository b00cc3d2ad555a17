//! The "Self-Managed X.509 Authentication" on/off switch.

use leptos::prelude::*;

#[component]
pub fn X509Toggle(
    #[prop(into)] on: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
    /// Asked to change; the page decides (turning off asks for confirmation first).
    on_toggle: Callback<()>,
    /// Id of the element that names the setting.
    labelled_by: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="button"
            role="switch"
            class="switch"
            class:on=on
            aria-checked=move || if on.get() { "true" } else { "false" }
            aria-labelledby=labelled_by
            data-testid="x509-toggle" data-needs="database-access"
            disabled=disabled
            on:click=move |_| on_toggle.run(())
        >
            <span class="switch-track" aria-hidden="true">
                <span class="switch-thumb"></span>
            </span>
            <span class="switch-state" aria-hidden="true">{move || if on.get() { "ON" } else { "OFF" }}</span>
        </button>
    }
}
