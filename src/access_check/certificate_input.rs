//! The certificate of the check: dropped or uploaded (the Advanced page's drop zone) or pasted. Only its
//! certificates are sent: a private key in the input is never put into the request, and a dropped file's
//! key never even reaches the text area.

use access_core::pem_bundle::{self, ProblemCode};
use leptos::prelude::*;

use crate::clock::now_unix;
use crate::x509::{read_bundle_file, BundleDropZone, FileOutcome};

/// The PEM of the certificates in `text` (nothing else of it: no key), `None` when it holds none.
pub fn certificates_only(text: &str) -> Option<String> {
    let ders = pem_bundle::certificate_ders(text.as_bytes());
    (!ders.is_empty()).then(|| ders.iter().map(|der| pem_bundle::der_to_pem(der)).collect())
}

fn holds_private_key(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
        && pem_bundle::inspect_bundle(text, 0)
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::PrivateKey)
}

#[component]
pub fn CertificateInput(
    /// The text area's content (what [`certificates_only`] keeps of it is checked).
    certificate: RwSignal<String>,
) -> impl IntoView {
    let file_note = RwSignal::new(None::<String>);
    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        let Some(file) = files.into_iter().next() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let read = read_bundle_file(file, now_unix()).await;
            let (kept, note) = match read.outcome {
                FileOutcome::Text { text, .. } => match certificates_only(&text) {
                    Some(pem) if holds_private_key(&text) => (
                        pem,
                        format!(
                            "Read {}: its private key was left out and is never sent.",
                            read.name
                        ),
                    ),
                    Some(pem) => (pem, format!("Read {}.", read.name)),
                    None => (String::new(), format!("No certificate in {}.", read.name)),
                },
                FileOutcome::Refused { .. } => (
                    String::new(),
                    format!("{} is not a certificate.", read.name),
                ),
            };
            certificate.set(kept);
            file_note.set(Some(note));
        });
    });
    let text_note = move || {
        let text = certificate.get();
        if text.trim().is_empty() {
            None
        } else if certificates_only(&text).is_none() {
            Some("No certificate in the text yet.")
        } else if holds_private_key(&text) {
            Some("The private key in the text is left out: only the certificate is sent.")
        } else {
            None
        }
    };
    view! {
        <div class="access-check-certificate">
            <BundleDropZone on_files />
            <div class="field">
                <label class="field-label" for="check-certificate">"Client certificate (PEM)"</label>
                <textarea id="check-certificate" class="text-input bundle-text" rows="6" spellcheck="false"
                    placeholder="-----BEGIN CERTIFICATE-----" data-testid="check-certificate"
                    prop:value=move || certificate.get()
                    on:input=move |ev| { file_note.set(None); certificate.set(event_target_value(&ev)) }></textarea>
            </div>
            {move || file_note.get().map(|n| view! { <p class="field-help" data-testid="check-certificate-note">{n}</p> })}
            {move || text_note().map(|n| view! { <p class="field-warn" data-testid="check-certificate-warning">{n}</p> })}
            <button type="button" class="button button-quiet button-small" data-testid="check-clear"
                on:click=move |_| { certificate.set(String::new()); file_note.set(None); }>
                "Clear certificate"
            </button>
        </div>
    }
}
