//! The CA bundle saved for the project, as the server returned it, read again in the browser.

use access_core::pem_bundle;
use leptos::prelude::*;

use super::certificate_list::CertificateList;
use super::ProblemList;
use crate::clock::now_unix;

#[component]
pub fn StoredBundle(cas: String) -> impl IntoView {
    let report = pem_bundle::inspect_bundle(&cas, now_unix());
    let count = report.certificates.len();
    let summary = match count {
        1 => "1 CA certificate is trusted.".to_owned(),
        n => format!("{n} CA certificates are trusted."),
    };
    let warned = report
        .certificates
        .iter()
        .filter(|c| !c.warnings.is_empty())
        .count();
    view! {
        <div class="stored-bundle" data-testid="stored-bundle">
            <p class="stored-summary">
                <span data-testid="stored-summary">{summary}</span>
                " Client certificates they issued may authenticate this project's database users. "
                {(warned > 0).then(|| view! { <span class="stored-warned">{format!("{warned} with warnings below.")}</span> })}
            </p>
            {(!report.problems.is_empty()).then(|| view! { <ProblemList problems=report.problems.clone() from_server=true /> })}
            <div class="certificate-list">
                <CertificateList certificates=report.certificates />
            </div>
        </div>
    }
}
