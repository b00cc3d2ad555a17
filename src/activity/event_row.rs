//! One event of the feed: when, the sentence, who; on expand, what changed item by item (core's
//! `event_changes`: certificates added and removed, roles and fields), not the raw before/after JSON.

use access_core::activity::{event_type_label, sentence};
use access_core::event_changes::{changes, Change, ChangeKind};
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use super::Event;

fn change_view(change: Change) -> impl IntoView {
    let kind = match change.kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    };
    let value = match (change.before, change.after) {
        (Some(before), Some(after)) => view! {
            <del class="change-before">{before}</del>
            <span class="change-arrow" aria-hidden="true">" → "</span>
            <span class="visually-hidden">" to "</span>
            <ins class="change-after">{after}</ins>
        }
        .into_any(),
        (Some(before), None) => view! { <del class="change-before">{before}</del> }.into_any(),
        (None, Some(after)) => view! { <ins class="change-after">{after}</ins> }.into_any(),
        (None, None) => ().into_any(),
    };
    let (field, field_attribute) = (change.field.clone(), change.field);
    view! {
        <li class=format!("change change-{kind}") data-testid="event-change" data-kind=kind data-field=field_attribute>
            <span class="change-kind">{change.kind.label()}</span>
            <span class="change-field">{field}</span>
            <span class="change-value">{value}</span>
            {change.detail.map(|detail| view! { <span class="change-detail mono">{detail}</span> })}
        </li>
    }
}

#[component]
pub fn EventRow(event: Event) -> impl IntoView {
    let open = RwSignal::new(false);
    let text = sentence(&event.event_type_name, &event.target, &event.diff);
    let when = display_rfc3339(&event.created);
    let label = event_type_label(&event.event_type_name).to_owned();
    let list = changes(&event.event_type_name, &event.diff);
    let has_diff = !list.is_empty();
    let diff = move || {
        open.get().then(|| {
            view! {
                <tr class="event-diff" data-testid="event-diff">
                    <td colspan="4">
                        <ul class="change-list" aria-label="What changed">
                            {list.clone().into_iter().map(change_view).collect_view()}
                        </ul>
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
