//! The cards of a bundle's certificates, in bundle order.

use access_core::pem_bundle::CertificateReport;
use leptos::prelude::*;

use super::certificate_card::CertificateCard;

#[component]
pub fn CertificateList(
    certificates: Vec<CertificateReport>,
    #[prop(default = None)] on_remove: Option<Callback<usize>>,
) -> impl IntoView {
    let titles: Vec<String> = certificates
        .iter()
        .map(|c| super::certificate_card::title(&c.subject))
        .collect();
    certificates
        .into_iter()
        .map(|certificate| {
            let issuer_title = certificate.issued_by.and_then(|i| titles.get(i).cloned());
            view! { <CertificateCard certificate issuer_title on_remove /> }
        })
        .collect_view()
}
