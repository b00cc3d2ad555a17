//! One event of the feed: when, the sentence, who; the diff (before and after, as JSON) on expand.

use access_core::activity::{event_type_label, sentence};
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use super::Event;

#[component]
pub fn EventRow(event: Event) -> impl IntoView {
    let open = RwSignal::new(false);
    let text = sentence(&event.event_type_name, &event.target, &event.diff);
    let when = display_rfc3339(&event.created);
    let label = event_type_label(&event.event_type_name).to_owned();
    let side = |key: &str| {
        event
            .diff
            .get(key)
            .filter(|v| !v.is_null())
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
    };
    let (before, after) = (side("before"), side("after"));
    let has_diff = before.is_some() || after.is_some();
    let diff = move || {
        open.get().then(|| {
            let column = |title: &'static str, json: Option<String>| {
                view! {
                    <div class="diff-side">
                        <h4>{title}</h4>
                        <pre class="diff-json mono">{json.unwrap_or_else(|| "(none)".to_owned())}</pre>
                    </div>
                }
            };
            view! {
                <tr class="event-diff" data-testid="event-diff">
                    <td colspan="4">
                        <div class="diff-columns">
                            {column("Before", before.clone())}
                            {column("After", after.clone())}
                        </div>
                    </td>
                </tr>
            }
        })
    };
    view! {
        <tr data-testid="event-row" data-event-type=event.event_type_name.clone()>
            <td class="event-time mono" data-testid="event-time">{when}</td>
            <td>
                <span class="event-sentence" data-testid="event-sentence">{text}</span>
                <span class="event-type muted">{label}</span>
            </td>
            <td class="mono" data-testid="event-actor">{event.username.clone()}</td>
            <td class="row-actions">
                {has_diff.then(|| view! {
                    <button
                        type="button"
                        class="button button-quiet button-small"
                        data-testid="event-expand"
                        aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        {move || if open.get() { "Hide changes" } else { "Show changes" }}
                    </button>
                })}
            </td>
        </tr>
        {diff}
    }
}
