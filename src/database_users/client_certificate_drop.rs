//! Dropping (or picking) the user's client certificate fills in its name, and says which of the
//! project's CAs issued it — the signature checked in Wasm by the signature worker — or that none did,
//! or that it has expired. The file is read in the browser; nothing of it is sent.

use access_core::client_certificate::{self, ClientCertificate};
use access_core::pem_bundle::{self, WarningCode};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::common_name_field::canonical_name;
use crate::clock::now_unix;
use crate::signature_worker::{self, SignatureCheck};

/// A client certificate is a few KB; anything much larger is not one.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0;

#[derive(Debug, Clone, PartialEq)]
enum Issuer {
    /// No CA of the project has the certificate's issuer name.
    NoneMatches,
    Checking,
    /// The CA (its subject) whose key verifies the signature.
    Verified(String),
    /// CAs with the right name exist, but none of their keys signed it.
    NotSigned,
    /// The signature could not be checked: why.
    Unchecked(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Dropped {
    Read {
        file_name: String,
        certificate: Box<ClientCertificate>,
        issuer: Issuer,
    },
    Refused {
        file_name: String,
        message: String,
    },
}

#[component]
pub fn ClientCertificateDrop(
    /// The project's stored CA bundle (PEM).
    #[prop(into)]
    ca_bundle: Signal<String>,
    /// Called with the certificate's subject.
    on_subject: Callback<String>,
    /// The user's name as it stands: what was found about the certificate holds only while the name
    /// is the certificate's subject.
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let dragging = RwSignal::new(false);
    let dropped = RwSignal::new(None::<Dropped>);
    // The latest file wins when several are dropped in a row.
    let generation = StoredValue::new(0u32);

    let take = move |file: web_sys::File| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let bundle = ca_bundle.get_untracked();
        leptos::task::spawn_local(async move {
            let file_name = file.name();
            let outcome = read(&file, &bundle).await;
            let mut state = match outcome {
                Ok(certificate) => Dropped::Read {
                    file_name,
                    issuer: if certificate.issuer_candidates.is_empty() {
                        Issuer::NoneMatches
                    } else {
                        Issuer::Checking
                    },
                    certificate: Box::new(certificate),
                },
                Err(message) => Dropped::Refused { file_name, message },
            };
            if let Dropped::Read { certificate, .. } = &state {
                on_subject.run(certificate.report.subject.clone());
            }
            dropped.set(Some(state.clone()));
            if let Dropped::Read {
                certificate,
                issuer: issuer @ Issuer::Checking,
                ..
            } = &mut state
            {
                *issuer = check_issuer(certificate, &bundle).await;
                if generation.get_value() == mine {
                    dropped.set(Some(state));
                }
            }
        });
    };
    // Whether the typed name (as MongoDB will compare it) is still the dropped certificate's subject.
    let names_match = Memo::new(move |_| {
        dropped.with(|d| match d {
            Some(Dropped::Read { certificate, .. }) => name.with(|typed| {
                canonical_name(typed).as_deref() == Some(certificate.report.subject.as_str())
            }),
            _ => true,
        })
    });
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            take(file);
        }
    };
    let on_picked = move |_| {
        let Some(element) = input.get() else { return };
        let file = element.files().and_then(|f| f.get(0));
        element.set_value("");
        if let Some(file) = file {
            take(file);
        }
    };

    view! {
        <div class="field">
            <span class="field-label">"Client certificate (optional)"</span>
            <div
                class="drop-zone drop-zone-compact"
                class:dragging=dragging
                data-testid="client-cert-drop-zone"
                on:dragenter=move |ev| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragover=move |ev| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="drop-zone-text">
                    <strong>"Drop the user's certificate here"</strong>
                    <span class="drop-zone-or">" or "</span>
                </p>
                <button
                    type="button"
                    class="button button-secondary button-small"
                    data-testid="client-cert-upload"
                    on:click=move |_| {
                        if let Some(element) = input.get() {
                            element.click();
                        }
                    }
                >
                    "Choose file"
                </button>
                <input
                    node_ref=input
                    type="file"
                    class="visually-hidden"
                    data-testid="client-cert-file-input"
                    accept=".pem,.crt,.cer,.der"
                    tabindex="-1"
                    aria-label="Choose the user's client certificate"
                    on:change=on_picked
                />
                <p class="drop-zone-hint">"Its subject becomes the user's name. Read in your browser; not uploaded."</p>
            </div>
            {move || dropped.get().map(|d| match d {
                Dropped::Read { file_name, certificate, .. } if !names_match.get() => view! {
                    <NameChangedNotice file_name subject=certificate.report.subject.clone() />
                }
                .into_any(),
                d => view! { <DroppedCertificate dropped=d /> }.into_any(),
            })}
        </div>
    }
}

/// The name was changed after a certificate was dropped: its verdict is not shown for a name it does
/// not have.
#[component]
fn NameChangedNotice(file_name: String, subject: String) -> impl IntoView {
    view! {
        <div class="client-cert client-cert-stale" data-testid="client-cert-stale" role="status">
            <p>
                "The name no longer matches the subject of " <strong>{file_name}</strong> " ("
                <code>{subject}</code> "), so what was checked about that certificate says nothing about this name."
            </p>
            <p class="field-help">"Drop the user's certificate again, or type its subject exactly."</p>
        </div>
    }
}

#[component]
fn DroppedCertificate(dropped: Dropped) -> impl IntoView {
    match dropped {
        Dropped::Refused { file_name, message } => view! {
            <div class="client-cert client-cert-refused" data-testid="client-cert-refused" role="alert">
                <strong>{file_name}</strong>": "{message}
            </div>
        }
        .into_any(),
        Dropped::Read {
            file_name,
            certificate,
            issuer,
        } => {
            let report = &certificate.report;
            let validity = if report.has_warning(WarningCode::Expired) {
                Some((
                    "bad",
                    format!(
                        "Expired on {}: MongoDB refuses it, the user cannot connect with this certificate.",
                        report.not_after
                    ),
                ))
            } else if report.has_warning(WarningCode::NotYetValid) {
                Some((
                    "warn",
                    format!(
                        "Not valid before {}: the user cannot connect with it until then.",
                        report.not_before
                    ),
                ))
            } else {
                None
            };
            let validity_line = validity.map(|(tone, text)| {
                view! { <li class=format!("client-cert-{tone}") data-testid="client-cert-validity">{text}</li> }
            });
            let valid_until = format!(
                "Valid until {} ({} days left).",
                report.not_after, report.days_left
            );
            let expired = report.has_warning(WarningCode::Expired);
            let issuer_line = match issuer {
                Issuer::NoneMatches => view! {
                    <li class="client-cert-bad" data-testid="client-cert-issuer" data-verdict="none">
                        "None of the project's CAs issued it (its issuer is " <code>{report.issuer.clone()}</code>
                        "): MongoDB will refuse it until that CA is added under Advanced → Self-Managed X.509 Authentication."
                    </li>
                }
                .into_any(),
                Issuer::Checking => view! {
                    <li data-testid="client-cert-issuer" data-verdict="checking">"Checking the signature against the project's CAs…"</li>
                }
                .into_any(),
                Issuer::Verified(subject) => view! {
                    <li class="client-cert-good" data-testid="client-cert-issuer" data-verdict="verified">
                        "Issued by the project's CA " <code>{subject}</code> " (signature verified in your browser)."
                    </li>
                }
                .into_any(),
                Issuer::NotSigned => view! {
                    <li class="client-cert-bad" data-testid="client-cert-issuer" data-verdict="not-signed">
                        "A CA of the project has its issuer's name (" <code>{report.issuer.clone()}</code>
                        "), but its key did not sign this certificate: it comes from another CA with the same name."
                    </li>
                }
                .into_any(),
                Issuer::Unchecked(reason) => view! {
                    <li class="client-cert-warn" data-testid="client-cert-issuer" data-verdict="unchecked">
                        "Its issuer's name matches a CA of the project, but the signature could not be checked: " {reason}
                    </li>
                }
                .into_any(),
            };
            let key_note = certificate.private_key_in_file.then(|| view! {
                <li class="client-cert-warn" data-testid="client-cert-key-note">
                    "The file also holds a private key: it was not read and is not sent anywhere. Keep it secret."
                </li>
            });
            view! {
                <div class="client-cert" data-testid="client-cert">
                    <p class="client-cert-title"><strong>{file_name}</strong>": subject " <code data-testid="client-cert-subject">{report.subject.clone()}</code></p>
                    <ul class="client-cert-facts">
                        {issuer_line}
                        {validity_line}
                        {(!expired).then(|| view! { <li>{valid_until}</li> })}
                        {key_note}
                    </ul>
                </div>
            }
            .into_any()
        }
    }
}

async fn read(file: &web_sys::File, bundle: &str) -> Result<ClientCertificate, String> {
    if file.size() > MAX_FILE_BYTES {
        return Err("the file is over 1 MiB: it is not a client certificate.".to_owned());
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("the browser could not read it ({e:?})"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    client_certificate::read_client_certificate(&bytes, bundle, now_unix())
        .map_err(|e| e.to_string())
}

async fn check_issuer(certificate: &ClientCertificate, bundle: &str) -> Issuer {
    let cas = client_certificate::ca_certificates(bundle);
    let candidates: Vec<Vec<u8>> = certificate
        .issuer_candidates
        .iter()
        .filter_map(|i| cas.get(*i).cloned())
        .collect();
    let answers = match signature_worker::check(&certificate.der, &candidates).await {
        Ok(answers) => answers,
        Err(reason) => return Issuer::Unchecked(reason),
    };
    let subjects = pem_bundle::inspect_bundle(bundle, now_unix()).certificates;
    let mut unchecked = None;
    for (candidate, answer) in certificate.issuer_candidates.iter().zip(answers) {
        match answer {
            SignatureCheck::Verified => {
                let subject = subjects
                    .get(*candidate)
                    .map(|c| c.subject.clone())
                    .unwrap_or_default();
                return Issuer::Verified(subject);
            }
            SignatureCheck::Mismatch => {}
            SignatureCheck::NotChecked(reason) => unchecked = Some(reason),
        }
    }
    unchecked.map_or(Issuer::NotSigned, Issuer::Unchecked)
}
