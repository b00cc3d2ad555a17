//! Project → Activity Feed: every change to the project, newest first, a page of 50 at a time from the
//! server (its paging and filters, so that it stays fast over any number of events).

use leptos::prelude::*;

use crate::activity::{Event, EventFilters, EventQuery, EventRow};
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;

const PER_PAGE: u64 = 50;

#[derive(Debug, Clone, PartialEq)]
enum FeedState {
    Loading,
    Failed(ApiError),
    Loaded(Vec<Event>),
}

#[component]
pub fn ActivityFeedPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let query = RwSignal::new(EventQuery::default());
    let text = RwSignal::new(String::new());
    let page_num = RwSignal::new(1_u64);
    let feed = RwSignal::new(FeedState::Loading);

    // The typed text is one more filter, applied by the server over every event.
    let asked_for = Memo::new(move |_| {
        let mut q = query.get();
        q.text = text.get().trim().to_owned();
        q
    });
    // A new filter starts again at the first page.
    Effect::new(move |previous: Option<EventQuery>| {
        let now = asked_for.get();
        if previous.is_some_and(|p| p != now) {
            page_num.set(1);
        }
        now
    });
    // Each answer is shown only if it is still the one asked for last.
    let asked = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let q = asked_for.get();
        let page = page_num.get();
        let api = api.clone();
        let group_id = group_id.clone();
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        feed.set(FeedState::Loading);
        leptos::task::spawn_local(async move {
            let result = api.events(&group_id, &q, page, PER_PAGE).await;
            if asked.try_get_value() == Some(ticket) {
                feed.try_set(match result {
                    Ok(events) => FeedState::Loaded(events),
                    Err(error) => FeedState::Failed(error),
                });
            }
        });
    });

    let shown_count = move || {
        feed.with(|f| match f {
            FeedState::Loaded(events) => events.len() as u64,
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

    let list = move || match feed.get() {
        FeedState::Loading => {
            view! { <p class="loading" data-testid="loading">"Loading events…"</p> }.into_any()
        }
        FeedState::Failed(error) => {
            view! { <ApiErrorPanel title="The activity feed could not be read" error /> }.into_any()
        }
        FeedState::Loaded(matching) => {
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
        }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Activity Feed"</h1>
        </header>
        <section class="panel" data-testid="activity-feed">
            <p class="panel-description">"Every change to this project's CA certificates, database users, custom roles, clusters and alert settings, newest first. The text filter finds a part of what changed (a user's name, a role, a cluster) or of who changed it."</p>
            <EventFilters query text />
            {list}
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
