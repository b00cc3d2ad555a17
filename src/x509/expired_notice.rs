//! Flags expired certificates before anything is sent (the server, like Atlas, refuses a bundle that
//! holds one), and offers to drop them from the text.

use access_core::pem_bundle::CertificateReport;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

#[component]
pub fn ExpiredNotice(
    /// The expired certificates of the bundle.
    expired: Vec<CertificateReport>,
    on_remove_expired: Callback<()>,
) -> impl IntoView {
    let count = expired.len();
    let heading = if count == 1 {
        "1 certificate has expired".to_owned()
    } else {
        format!("{count} certificates have expired")
    };
    let which = expired
        .iter()
        .map(|c| {
            view! {
                <li>
                    {format!("Certificate {} ", c.index + 1)}
                    <span class="mono">{c.subject.clone()}</span>
                    {format!(", expired {}", display_rfc3339(&c.not_after))}
                </li>
            }
        })
        .collect_view();
    let button = if count == 1 {
        "Remove the expired certificate"
    } else {
        "Remove the expired certificates"
    };
    view! {
        <div class="notice notice-danger" role="alert" data-testid="expired-notice">
            <div class="notice-body">
                <h3>{heading}</h3>
                <p>"The server refuses a CA bundle that holds an expired certificate, as Atlas does. Remove it, or replace it with its renewed version."</p>
                <ul>{which}</ul>
            </div>
            <button
                type="button"
                class="button button-danger"
                data-testid="remove-expired"
                on:click=move |_| on_remove_expired.run(())
            >
                {button}
            </button>
        </div>
    }
}
