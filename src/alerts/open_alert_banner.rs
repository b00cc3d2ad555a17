//! On the Advanced page: a warning while the project has an open CA-expiry alert.

use crate::clock::now_unix;
use access_core::time::display_expiry;
use leptos::prelude::*;

use crate::api::Api;
use crate::route::{Page, Route};

#[component]
pub fn OpenAlertBanner(group_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let href = Route::project(group_id.clone(), Page::Alerts).href();
    let alerts = LocalResource::new(move || {
        let (api, group_id) = (api.clone(), group_id.clone());
        async move { api.open_alerts(&group_id).await.unwrap_or_default() }
    });
    move || {
        let open = alerts.get().unwrap_or_default();
        let soonest = open.iter().min_by_key(|a| a.ca.days_left)?.clone();
        let heading = match open.len() {
            1 => "1 open alert: a CA certificate expires soon".to_owned(),
            n => format!("{n} open alerts: CA certificates expire soon"),
        };
        Some(view! {
            <div class="notice notice-warning" role="status" data-testid="open-alert-banner">
                <div class="notice-body">
                    <h3>{heading}</h3>
                    <p>
                        <span class="mono">{soonest.ca.subject}</span>
                        {format!(" expires {}.", display_expiry(&soonest.ca.not_after, now_unix()))}
                        " Replace it before it expires, or clients it issued can no longer connect. "
                    </p>
                </div>
                <a class="button button-secondary" href=href.clone() data-testid="open-alerts-link">"See alerts"</a>
            </div>
        })
    }
}
