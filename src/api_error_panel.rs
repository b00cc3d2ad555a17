//! A failed call to the server, shown as it happened: the server's own words (`detail`), the request,
//! the HTTP status and `errorCode`, and, for a refused CA bundle, its problems block by block.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::x509::ProblemList;

#[component]
pub fn ApiErrorPanel(
    /// What failed, e.g. "The CA certificates were not saved".
    #[prop(into)]
    title: String,
    error: ApiError,
) -> impl IntoView {
    let code = error.error_code().map(str::to_owned);
    let (status, problems) = match &error {
        ApiError::Refused { body, .. } => (
            Some(format!(
                "HTTP {} {} · {}",
                body.error, body.reason, body.error_code
            )),
            body.problems.clone(),
        ),
        ApiError::Status {
            status,
            status_text,
            ..
        } => (Some(format!("HTTP {status} {status_text}")), Vec::new()),
        ApiError::UnexpectedBody { status, .. } => (Some(format!("HTTP {status}")), Vec::new()),
        ApiError::Unreachable { .. } => (None, Vec::new()),
    };
    let request = error.request().to_owned();
    view! {
        <div class="notice notice-danger" role="alert" data-testid="api-error" data-error-code=code>
            <div class="notice-body">
                <h3>{title}</h3>
                <p data-testid="api-error-detail">{error.to_string()}</p>
                <p class="api-error-meta">
                    <span class="mono">{request}</span>
                    {status.map(|s| view! { " → " <span class="mono" data-testid="api-error-status">{s}</span> })}
                </p>
                {(!problems.is_empty()).then(|| view! { <ProblemList problems from_server=true /> })}
            </div>
        </div>
    }
}
