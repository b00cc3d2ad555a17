//! Editing the project's CA bundle: drop, upload or paste PEM; every change is read at once in the
//! browser by core's `inspect_bundle`, one card per certificate and every problem with its block and
//! line. Save sends the text (PATCH) only when core found no problem: a private key, in particular,
//! never leaves the browser.

use access_core::api::UserSecurity;
use access_core::edit_conflict::bundle_changes;
use access_core::etag::of_user_security;
use access_core::pem_bundle::{self, BundleReport, WarningCode};
use leptos::prelude::*;

use super::bundle_drop_zone::BundleDropZone;
use super::bundle_file::{self, FileNote, FileOutcome};
use super::certificate_list::CertificateList;
use super::expired_notice::ExpiredNotice;
use super::ProblemList;
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::clock::now_unix;
use crate::edit_conflict::{is_stale, EditConflictPanel};

/// A save refused because the stored bundle changed meanwhile: the bundle the edit was based on, the
/// text being saved, and the bundle stored now (`None`: X.509 off).
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    base: Option<String>,
    mine: String,
    current: Option<String>,
}

#[component]
pub fn BundleEditor(
    group_id: String,
    /// The text to start from: the stored bundle, or nothing.
    initial_text: String,
    /// The stored bundle the editor opened with (`None`: X.509 off); a save applies only to it.
    stored: Option<String>,
    on_saved: Callback<UserSecurity>,
    on_cancel: Callback<()>,
    /// "Reload" after a conflicting change: reopen the editor on these (current) settings.
    on_reload: Callback<UserSecurity>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let base = StoredValue::new(stored);
    let conflict = RwSignal::new(None::<Conflict>);
    let text = RwSignal::new(initial_text);
    let report = Memo::new(move |_| text.with(|t| pem_bundle::inspect_bundle(t, now_unix())));
    let blank = Memo::new(move |_| text.with(|t| t.trim().is_empty()));
    let file_notes = RwSignal::new(Vec::<FileNote>::new());
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<ApiError>);

    let set_text = move |new_text: String| {
        server_error.set(None);
        text.set(new_text);
    };

    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        leptos::task::spawn_local(async move {
            let now = now_unix();
            let mut notes = Vec::with_capacity(files.len());
            for file in files {
                let note = bundle_file::read(file, now).await;
                if let FileOutcome::Text { text: added, .. } = &note.outcome {
                    let mut combined = text.get_untracked();
                    append(&mut combined, added);
                    set_text(combined);
                }
                notes.push(note);
            }
            file_notes.try_set(notes);
        });
    });

    let remove = Callback::new(move |index: usize| {
        let kept =
            pem_bundle::without_certificates(&text.get_untracked(), &report.get_untracked(), |c| {
                c.index == index
            });
        set_text(kept);
    });
    let remove_expired = Callback::new(move |()| {
        let kept =
            pem_bundle::without_certificates(&text.get_untracked(), &report.get_untracked(), |c| {
                c.has_warning(WarningCode::Expired)
            });
        set_text(kept);
    });

    // Sends `cas` with the tag of the bundle the edit is based on; when that changed meanwhile (412),
    // reads the current settings and shows the conflict.
    let submit = Callback::new(move |cas: String| {
        saving.set(true);
        server_error.set(None);
        conflict.set(None);
        let api = api.clone();
        let group_id = group_id.clone();
        let based_on = base.get_value();
        leptos::task::spawn_local(async move {
            let tag = of_user_security(based_on.as_deref());
            let result = api.save_cas(&group_id, &cas, &tag).await;
            match result {
                Ok(saved) => {
                    saving.try_set(false);
                    on_saved.run(saved);
                }
                Err(error) if is_stale(&error) => {
                    let current = api.user_security(&group_id).await;
                    saving.try_set(false);
                    match current {
                        Ok(current) => {
                            conflict.try_set(Some(Conflict {
                                base: based_on,
                                mine: cas,
                                current: current.customer_x509.cas,
                            }));
                        }
                        Err(error) => {
                            server_error.try_set(Some(error));
                        }
                    }
                }
                Err(error) => {
                    saving.try_set(false);
                    server_error.try_set(Some(error));
                }
            }
        });
    });
    // "Apply my changes anyway": the same text, now based on the current bundle.
    let apply_anyway = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            base.set_value(c.current);
            submit.run(c.mine);
        }
    });
    let reload = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            let mut settings = UserSecurity::default();
            settings.customer_x509.cas = c.current;
            on_reload.run(settings);
        }
    });
    let conflict_view = move || {
        conflict.get().map(|c| {
            let now = now_unix();
            let theirs = bundle_changes(c.base.as_deref(), c.current.as_deref(), now);
            let mine = bundle_changes(c.base.as_deref(), Some(&c.mine), now);
            view! {
                <EditConflictPanel what="The CA bundle" theirs mine busy=saving on_reload=reload on_apply=apply_anyway />
            }
        })
    };

    let save = {
        move |_| {
            if saving.get_untracked() {
                return;
            }
            let cas = text.get_untracked();
            // Read again at the moment of sending: nothing is sent while core finds a problem.
            if !sendable(&pem_bundle::inspect_bundle(&cas, now_unix())) {
                return;
            }
            submit.run(cas);
        }
    };

    let can_save = move || !blank.get() && report.with(sendable) && !saving.get();
    let save_hint = move || {
        if blank.get() {
            return Some("Paste, drop or upload the PEM certificates of your CAs.".to_owned());
        }
        report.with(|r| {
            if !r.problems.is_empty() {
                Some("Fix the problems above to save; nothing has been sent.".to_owned())
            } else if r.certificates.is_empty() {
                Some("No certificate to save.".to_owned())
            } else {
                None
            }
        })
    };

    let problems = move || {
        let problems = report.with(|r| r.problems.clone());
        (!blank.get() && !problems.is_empty()).then(|| view! { <ProblemList problems /> })
    };
    let expired = move || {
        let expired: Vec<_> = report.with(|r| r.expired().cloned().collect());
        (!expired.is_empty())
            .then(|| view! { <ExpiredNotice expired on_remove_expired=remove_expired /> })
    };
    let summary = move || {
        report.with(|r| {
            let certificates = r.certificates.len();
            let warned = r
                .certificates
                .iter()
                .filter(|c| !c.warnings.is_empty())
                .count();
            let mut parts = vec![match certificates {
                1 => "1 certificate".to_owned(),
                n => format!("{n} certificates"),
            }];
            if warned > 0 {
                parts.push(format!("{warned} with warnings"));
            }
            if !r.problems.is_empty() {
                parts.push(match r.problems.len() {
                    1 => "1 problem".to_owned(),
                    n => format!("{n} problems"),
                });
            }
            parts.join(" · ")
        })
    };
    let cards = move || {
        let certificates = report.with(|r| r.certificates.clone());
        view! { <CertificateList certificates on_remove=Some(remove) /> }
    };
    let notes = move || {
        let notes = file_notes.get();
        (!notes.is_empty()).then(|| {
            view! {
                <ul class="file-notes" data-testid="file-notes">
                    {notes.into_iter().map(|note| view! { <FileNoteLine note /> }).collect_view()}
                </ul>
            }
        })
    };

    view! {
        <div class="bundle-editor" data-testid="bundle-editor">
            <BundleDropZone on_files />
            {notes}
            <div class="field">
                <div class="field-label-row">
                    <label for="bundle-text">"CA certificates (PEM)"</label>
                    <button
                        type="button"
                        class="button button-quiet button-small"
                        data-testid="bundle-clear"
                        disabled=move || blank.get()
                        on:click=move |_| {
                            file_notes.set(Vec::new());
                            set_text(String::new());
                        }
                    >
                        "Clear"
                    </button>
                </div>
                <textarea
                    id="bundle-text"
                    class="bundle-text mono"
                    data-testid="bundle-text"
                    rows="8"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----"
                    aria-describedby="bundle-text-help"
                    prop:value=move || text.get()
                    on:input:target=move |ev| set_text(ev.target().value())
                ></textarea>
                <p id="bundle-text-help" class="field-help">
                    "Paste one or more PEM certificates. Users can authenticate with client certificates issued by any of these CAs; a project alert is due 30 days before a CA expires."
                </p>
            </div>
            {problems}
            {expired}
            <Show when=move || !blank.get()>
                <div class="bundle-summary" data-testid="bundle-summary">{summary}</div>
                <div class="certificate-list">{cards}</div>
            </Show>
            {conflict_view}
            {move || server_error.get().map(|error| view! { <ApiErrorPanel title="The CA certificates were not saved" error /> })}
            <div class="editor-actions">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="bundle-save"
                    disabled=move || !can_save()
                    on:click=save
                >
                    {move || if saving.get() { "Saving…" } else { "Save" }}
                </button>
                <button
                    type="button"
                    class="button button-secondary"
                    data-testid="bundle-cancel"
                    disabled=move || saving.get()
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
                {move || save_hint().map(|hint| view! { <span class="save-hint" data-testid="save-hint">{hint}</span> })}
            </div>
        </div>
    }
}

/// What may be sent: at least one certificate and no problem of any kind (a private key is one).
/// Expired certificates are flagged but do not block: the server answers for them, as Atlas does.
fn sendable(report: &BundleReport) -> bool {
    report.problems.is_empty() && !report.certificates.is_empty()
}

/// `addition` after `text`, on a line of its own.
fn append(text: &mut String, addition: &str) {
    if text.trim().is_empty() {
        text.clear();
    } else if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(addition);
}

#[component]
fn FileNoteLine(note: FileNote) -> impl IntoView {
    match note.outcome {
        FileOutcome::Text { certificates, .. } => {
            let what = match certificates {
                0 => "no certificate found in it".to_owned(),
                1 => "1 certificate".to_owned(),
                n => format!("{n} certificates"),
            };
            view! {
                <li class="file-note" data-testid="file-note">
                    "Added " <span class="mono">{note.name}</span> ": " {what}
                </li>
            }
            .into_any()
        }
        FileOutcome::Refused { problems, reason } => view! {
            <li class="file-note file-note-refused" data-testid="file-note">
                "Not added: " <span class="mono">{note.name}</span>
                {reason.map(|r| format!(": {r}."))}
                <ul>{problems.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}</ul>
            </li>
        }
        .into_any(),
    }
}
