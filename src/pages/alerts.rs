//! Project → Alerts: the open CA-expiry alerts, with the CA, its days left and a link to the Advanced
//! page where it is replaced; each can be acknowledged (no notification until then).

use crate::clock::now_unix;
use access_core::time::{display_expiry, display_rfc3339};
use leptos::prelude::*;

use crate::alerts::{AcknowledgeForm, Alert};
use crate::page_scope::{loaded, PageScope};
use crate::route::{Page, Route};

#[component]
pub fn AlertsPage(project_name: Signal<Option<String>>) -> impl IntoView {
    let scope = PageScope::get();
    let alerts = LocalResource::new(move || {
        let (api, group_id) = scope.call();
        async move { api.open_alerts(&group_id).await }
    });
    let acknowledging = RwSignal::new(None::<String>);
    let advanced = Route::project(scope.id(), Page::Advanced).href();
    // The acknowledged alert as the server answered it (it stays open).
    let on_done = Callback::new(move |updated: Alert| {
        acknowledging.set(None);
        alerts.update(|answer| {
            if let Some(Ok(list)) = answer {
                for alert in list.iter_mut().filter(|a| a.id == updated.id) {
                    *alert = updated.clone();
                }
            }
        });
    });
    let on_cancel = Callback::new(move |()| acknowledging.set(None));

    let row = move |alert: Alert| {
        let id = alert.id.clone();
        let ack_id = alert.id.clone();
        let days = alert.ca.days_left;
        let acknowledged = alert.acknowledged_until.clone().map(|until| {
            let comment = alert.acknowledgement_comment.clone().map(|c| format!(" · {c}")).unwrap_or_default();
            view! { <span class="badge" data-testid="alert-acknowledged">{format!("Acknowledged until {}{comment}", display_rfc3339(&until))}</span> }
        });
        view! {
            <li class="alert-item" data-testid="alert-row" data-alert-id=alert.id.clone()>
                <div class="alert-main">
                    <span class="badge badge-warning">"CA expiring"</span>
                    <span class="mono alert-subject" data-testid="alert-subject">{alert.ca.subject.clone()}</span>
                    <span class="alert-days" data-testid="alert-days-left">
                        {if days < 0 { "expired".to_owned() } else if days == 1 { "1 day left".to_owned() } else { format!("{days} days left") }}
                    </span>
                </div>
                <p class="alert-facts muted">
                    {format!("Expires {} · opened {}", display_expiry(&alert.ca.not_after, now_unix()), display_rfc3339(&alert.created))}
                    {alert.last_notified.clone().map(|at| format!(" · last notified {}", display_rfc3339(&at)))}
                    " · SHA-256 " <span class="mono">{alert.ca.sha256.get(..23).unwrap_or(&alert.ca.sha256).to_owned()}"…"</span>
                </p>
                <div class="alert-actions">
                    {acknowledged}
                    <a class="button button-secondary button-small" href=advanced.clone() data-testid="alert-advanced-link">"Replace the CA on the Advanced page"</a>
                    <button type="button" class="button button-secondary button-small" data-testid="alert-acknowledge" data-needs="project"
                        on:click=move |_| acknowledging.set(Some(id.clone()))>
                        "Acknowledge"
                    </button>
                </div>
                {move || (acknowledging.get().as_deref() == Some(ack_id.as_str())).then(|| view! {
                    <AcknowledgeForm group_id=scope.id() alert_id=ack_id.clone() on_done on_cancel />
                })}
            </li>
        }
    };

    let list = move |list: Vec<Alert>| {
        if list.is_empty() {
            return view! { <p class="empty-search" data-testid="alerts-empty">"No open alerts. An alert opens when a CA certificate of the project comes within its alert setting's threshold of expiring."</p> }.into_any();
        }
        view! { <ul class="alert-list" data-testid="alert-list">{list.into_iter().map(row.clone()).collect_view()}</ul> }.into_any()
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Alerts"</h1>
        </header>
        <section class="panel" data-testid="alerts-page">
            <p class="panel-description">"Open alerts: CA certificates of this project that expire within the threshold of an alert setting. Notifications repeat at each setting's interval until the CA is replaced or removed, or the alert is acknowledged."</p>
            {loaded(alerts, "Loading alerts…", "The alerts could not be read", list)}
        </section>
    }
}
