//! "Drop a member certificate" in the Edit cluster dialog: fills the member certificate subject from a
//! cluster member's certificate file instead of copying it from openssl's output by hand.
//!
//! A member's file is often mongod's `certificateKeyFile`, the certificate and its private key in one
//! PEM file. Core reads the file in Wasm; only the subject of its first certificate (the member's own, the
//! chain follows it) is kept. The key is never read further, and nothing leaves the browser until Save,
//! which sends the subject alone.

use access_core::pem_bundle::{self, ProblemCode};
use leptos::prelude::*;

use crate::clock::now_unix;
use crate::x509::{read_bundle_file, BundleDropZone, FileOutcome};

/// What a dropped file gave: the subject to put in the field and what to tell, or why it gave none.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    Subject { subject: String, note: String },
    Refused(String),
}

/// Reads the member subject out of a file's PEM text.
fn read_member_subject(file_name: &str, text: &str) -> Reading {
    let report = pem_bundle::inspect_bundle(text, now_unix());
    let Some(first) = report.certificates.first() else {
        return Reading::Refused(format!("No certificate in {file_name}."));
    };
    let mut note = format!("Subject read from {file_name}");
    match report.certificates.len() - 1 {
        0 => {}
        1 => note.push_str(" (its first certificate; the one after it is its chain)"),
        others => note.push_str(&format!(
            " (its first certificate; the {others} after it are its chain)"
        )),
    }
    note.push('.');
    if report
        .problems
        .iter()
        .any(|p| p.code == ProblemCode::PrivateKey)
    {
        note.push_str(" The file's private key was not read and is never sent.");
    }
    Reading::Subject {
        subject: first.subject.clone(),
        note,
    }
}

#[component]
pub fn MemberCertificateDrop(
    /// The dialog's member subject field, set from the dropped file.
    subject: RwSignal<String>,
) -> impl IntoView {
    let reading = RwSignal::new(None::<Reading>);
    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        let Some(file) = files.into_iter().next() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let read = read_bundle_file(file, now_unix()).await;
            let result = match read.outcome {
                FileOutcome::Text { text, .. } => read_member_subject(&read.name, &text),
                FileOutcome::Refused { .. } => {
                    Reading::Refused(format!("{} is not a certificate.", read.name))
                }
            };
            if let Reading::Subject { subject: read, .. } = &result {
                subject.try_set(read.clone());
            }
            reading.try_set(Some(result));
        });
    });
    view! {
        <div class="member-certificate-drop" data-testid="cluster-member-drop">
            <BundleDropZone on_files />
            <div aria-live="polite">
                {move || reading.get().map(|r| match r {
                    Reading::Subject { note, .. } => view! { <p class="field-help" data-testid="cluster-member-drop-note">{note}</p> }.into_any(),
                    Reading::Refused(reason) => view! { <p class="field-error" data-testid="cluster-member-drop-error">{reason}</p> }.into_any(),
                })}
            </div>
        </div>
    }
}
