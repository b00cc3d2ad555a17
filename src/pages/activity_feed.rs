//! Project → Activity Feed: every change to the project, newest first, a page of 50 at a time from the
//! server (its paging and filters, so that it stays fast over any number of events).

use leptos::prelude::*;

use crate::activity::{Event, EventFilters, EventQuery, EventRow};
use crate::page_scope::{loaded_afresh, PageScope};
use crate::route;
use access_core::activity_filter::ActivityFilter;

const PER_PAGE: u64 = 50;

#[component]
pub fn ActivityFeedPage(project_name: Signal<Option<String>>) -> impl IntoView {
    let scope = PageScope::get();
    // The filters start from the route's query (a reload, a link) and are written back to it.
    let from_route = || EventQuery::from_filter(&ActivityFilter::from_query(&route::query()));
    let initial = from_route();
    let text = RwSignal::new(initial.text.clone());
    let query = RwSignal::new(EventQuery {
        text: String::new(),
        ..initial
    });
    let page_num = RwSignal::new(1_u64);

    // The typed text is one more filter, applied by the server over every event.
    let asked_for = Memo::new(move |_| {
        let mut q = query.get();
        q.text = text.get().trim().to_owned();
        q
    });
    Effect::new(move |_| route::replace_query(&asked_for.get().to_filter().to_query()));
    // A link to the feed with other filters (the sidebar's: none) while it is shown: the same page,
    // so it stays mounted and takes them.
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let wanted = from_route();
        if wanted != asked_for.get_untracked() {
            text.set(wanted.text.clone());
            query.set(EventQuery {
                text: String::new(),
                ..wanted
            });
        }
    });
    on_cleanup(move || handle.remove());
    // A new filter starts again at the first page.
    Effect::new(move |previous: Option<EventQuery>| {
        let now = asked_for.get();
        if previous.is_some_and(|p| p != now) {
            page_num.set(1);
        }
        now
    });
    // Each answer with what it answers (filters, page): the pager counts only the current one's events.
    let feed = LocalResource::new(move || {
        let (q, page) = (asked_for.get(), page_num.get());
        let (api, group_id) = scope.call();
        async move {
            let events = api.events(&group_id, &q, page, PER_PAGE).await?;
            Ok((q, page, events))
        }
    });
    let shown_count = move || {
        feed.with(|read| match read {
            Some(Ok((q, page, events)))
                if asked_for.with(|now| now == q) && page_num.get() == *page =>
            {
                events.len() as u64
            }
            _ => 0,
        })
    };
    let has_next = move || shown_count() == PER_PAGE;
    let summary = move || {
        let n = shown_count();
        let first = (page_num.get() - 1) * PER_PAGE;
        if n == 0 {
            format!("Page {}", page_num.get())
        } else {
            format!("Events {}–{}", first + 1, first + n)
        }
    };

    let list = move |(_, _, matching): (EventQuery, u64, Vec<Event>)| {
        if matching.is_empty() {
            return view! { <p class="empty-search" data-testid="events-empty">"No events match these filters."</p> }.into_any();
        }
        view! {
            <div class="table-scroll"><table class="table events-table" data-testid="events-table">
                <thead>
                    <tr>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"By"</th>
                        <th scope="col"><span class="visually-hidden">"Changes"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {matching.into_iter().map(|event| view! { <EventRow event /> }).collect_view()}
                </tbody>
            </table></div>
        }
        .into_any()
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Activity Feed"</h1>
        </header>
        <section class="panel" data-testid="activity-feed">
            <p class="panel-description">"Every change to this project's CA certificates, database users, custom roles, clusters and alert settings, newest first. The text filter finds a part of what changed (a user's name, a role, a cluster) or of who changed it."</p>
            <EventFilters query text />
            {loaded_afresh(feed, "Loading events…", "The activity feed could not be read", list)}
            <div class="pager">
                <span class="pager-summary" data-testid="events-page">{summary}</span>
                <button type="button" class="button button-secondary button-small" data-testid="events-previous"
                    disabled=move || page_num.get() <= 1
                    on:click=move |_| page_num.update(|p| *p = p.saturating_sub(1).max(1))>
                    "Previous"
                </button>
                <button type="button" class="button button-secondary button-small" data-testid="events-next"
                    disabled=move || !has_next()
                    on:click=move |_| page_num.update(|p| *p += 1)>
                    "Next"
                </button>
            </div>
        </section>
    }
}
