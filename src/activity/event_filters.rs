//! The feed's filters: event types (any of those ticked), a date range (UTC days) and a text filter.
//! The page keeps them in its route's query (core's `activity_filter`), so a reload or a link keeps them.

use access_core::activity::EVENT_TYPES;
use access_core::activity_filter::ActivityFilter;
use leptos::prelude::*;

/// What the server filters on: `eventType` (any of them; none: all), `minDate`, `maxDate`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    pub event_types: Vec<String>,
    /// RFC 3339: the start of the first day.
    pub min_date: Option<String>,
    /// RFC 3339: the end of the last day.
    pub max_date: Option<String>,
    /// Part of the target or of who made the change (the server's `text` filter).
    pub text: String,
}

impl EventQuery {
    /// The query of a filter read from the route (its days as the start and end of those days).
    pub fn from_filter(filter: &ActivityFilter) -> Self {
        Self {
            event_types: filter.event_types.clone(),
            min_date: filter.from.as_ref().map(|day| format!("{day}T00:00:00Z")),
            max_date: filter.to.as_ref().map(|day| format!("{day}T23:59:59Z")),
            text: filter.text.clone(),
        }
    }

    /// The filter, as the route keeps it.
    pub fn to_filter(&self) -> ActivityFilter {
        let day = |at: &Option<String>| at.as_deref().and_then(|a| a.get(..10)).map(str::to_owned);
        ActivityFilter {
            event_types: self.event_types.clone(),
            from: day(&self.min_date),
            to: day(&self.max_date),
            text: self.text.clone(),
        }
    }
}

#[component]
pub fn EventFilters(
    query: RwSignal<EventQuery>,
    /// Over the actor and the target of the events shown.
    text: RwSignal<String>,
) -> impl IntoView {
    // Names the types chosen (not only how many), so the feed says what it shows.
    let summary = move || query.with(|q| q.to_filter().event_types_summary());
    let boxes = EVENT_TYPES
        .iter()
        .map(|(name, label)| {
            let name = *name;
            let checked = move || query.with(|q| q.event_types.iter().any(|t| t == name));
            view! {
                <label class="checkbox event-type-option">
                    <input
                        type="checkbox"
                        data-testid="event-type-option"
                        data-event-type=name
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            query.update(|q| {
                                q.event_types.retain(|t| t != name);
                                if on {
                                    q.event_types.push(name.to_owned());
                                }
                            });
                        }
                    />
                    {*label}
                </label>
            }
        })
        .collect_view();
    let date = move |label: &'static str, testid: &'static str, end: bool| {
        let value = move || {
            query.with(|q| {
                let date = if end { &q.max_date } else { &q.min_date };
                date.as_deref()
                    .and_then(|d| d.get(..10))
                    .unwrap_or("")
                    .to_owned()
            })
        };
        view! {
            <label class="field-label event-date">
                {label}
                <input
                    type="date"
                    class="text-input"
                    data-testid=testid
                    prop:value=value
                    on:change=move |ev| {
                        let day = event_target_value(&ev);
                        let at = (!day.is_empty())
                            .then(|| format!("{day}T{}Z", if end { "23:59:59" } else { "00:00:00" }));
                        query.update(|q| if end { q.max_date = at } else { q.min_date = at });
                    }
                />
            </label>
        }
    };
    view! {
        <div class="toolbar event-filters" data-testid="event-filters">
            <details class="event-types">
                <summary class="select" data-testid="event-types-summary">
                    <span class="visually-hidden">"Event types: "</span>{summary}
                </summary>
                <div class="event-type-list">
                    {boxes}
                    <button type="button" class="button button-quiet button-small"
                        on:click=move |_| query.update(|q| q.event_types.clear())>"Clear"</button>
                </div>
            </details>
            {date("From", "event-min-date", false)}
            {date("To", "event-max-date", true)}
            <input
                type="search"
                class="text-input search"
                placeholder="Filter by target or actor"
                aria-label="Filter the events shown by target or actor"
                data-testid="event-text-filter"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
        </div>
    }
}
