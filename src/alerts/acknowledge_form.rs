//! Acknowledge an open alert: no notification until then. For 24 hours, or until the end of a day (UTC).

use access_core::time::format_rfc3339;
use leptos::prelude::*;

use super::Alert;
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::clock::now_unix;

#[component]
pub fn AcknowledgeForm(
    group_id: String,
    alert_id: String,
    on_done: Callback<Alert>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let for_a_day = RwSignal::new(true);
    let day = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let until = if for_a_day.get_untracked() {
            format_rfc3339(now_unix() + 86_400)
        } else {
            format!("{}T23:59:59Z", day.get_untracked())
        };
        busy.set(true);
        failure.set(None);
        let api = api.clone();
        let (group_id, alert_id) = (group_id.clone(), alert_id.clone());
        leptos::task::spawn_local(async move {
            let result = api
                .acknowledge_alert(&group_id, &alert_id, &until, &comment.get_untracked())
                .await;
            busy.try_set(false);
            match result {
                Ok(alert) => on_done.run(alert),
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <form class="acknowledge-form" data-testid="acknowledge-form" on:submit=submit>
            <div class="segmented" role="radiogroup" aria-label="Acknowledge for">
                <label class="checkbox">
                    <input type="radio" name="ack-for" data-testid="ack-24h" prop:checked=move || for_a_day.get()
                        on:change=move |_| for_a_day.set(true) />
                    "For 24 hours"
                </label>
                <label class="checkbox">
                    <input type="radio" name="ack-for" data-testid="ack-until" prop:checked=move || !for_a_day.get()
                        on:change=move |_| for_a_day.set(false) />
                    "Until"
                </label>
                <input type="date" class="text-input" aria-label="Acknowledge until (UTC day)" data-testid="ack-date"
                    disabled=move || for_a_day.get()
                    prop:value=move || day.get()
                    on:input=move |ev| day.set(event_target_value(&ev)) />
            </div>
            <input type="text" class="text-input" placeholder="Comment (optional)" data-testid="ack-comment"
                prop:value=move || comment.get()
                on:input=move |ev| comment.set(event_target_value(&ev)) />
            <button type="submit" class="button button-primary button-small" data-testid="ack-confirm"
                disabled=move || busy.get() || (!for_a_day.get() && day.get().is_empty())>
                "Acknowledge"
            </button>
            <button type="button" class="button button-quiet button-small" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            {move || failure.get().map(|error| view! { <ApiErrorPanel title="The alert was not acknowledged" error /> })}
        </form>
    }
}
