//! Advanced (Security): Self-Managed X.509 Authentication, as in Atlas. The toggle turns it on (opens
//! the CA bundle editor) or off (after confirmation: DELETE); the settings icon reopens the stored
//! bundle for editing.

use access_core::api::{CaWarning, UserSecurity};
use leptos::prelude::*;

use crate::alerts::OpenAlertBanner;
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::ConfirmDialog;
use crate::x509::{BundleEditor, ExpiryTimeline, StoredBundle, X509Toggle};

/// The project's settings as last read from (or written to) the server.
#[derive(Debug, Clone, PartialEq)]
enum Settings {
    Loading,
    Failed(ApiError),
    Off,
    On { cas: String },
}

impl Settings {
    fn of(user_security: UserSecurity) -> Self {
        match user_security.customer_x509.cas {
            Some(cas) if !cas.trim().is_empty() => Settings::On { cas },
            _ => Settings::Off,
        }
    }
}

/// What the last action did, said once above the setting.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Saved {
        certificates: usize,
        warnings: Vec<CaWarning>,
    },
    TurnedOff,
    TurnOffFailed(ApiError),
}

#[component]
pub fn AdvancedPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let settings = RwSignal::new(Settings::Loading);
    let editing = RwSignal::new(false);
    // Bumped to reopen the editor on reloaded settings.
    let editor_generation = RwSignal::new(0u32);
    let confirming_off = RwSignal::new(false);
    let turning_off = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let load = {
        let api = api.clone();
        let group_id = group_id.clone();
        move || {
            settings.set(Settings::Loading);
            let api = api.clone();
            let group_id = group_id.clone();
            leptos::task::spawn_local(async move {
                let loaded = match api.user_security(&group_id).await {
                    Ok(user_security) => Settings::of(user_security),
                    Err(error) => Settings::Failed(error),
                };
                settings.try_set(loaded);
            });
        }
    };
    load();

    let stored_on = Memo::new(move |_| settings.with(|s| matches!(s, Settings::On { .. })));
    let toggle_on = Signal::derive(move || stored_on.get() || editing.get());
    let toggle_disabled = Signal::derive(move || {
        settings.with(|s| matches!(s, Settings::Loading | Settings::Failed(_))) || turning_off.get()
    });
    let on_toggle = Callback::new(move |()| {
        outcome.set(None);
        if !toggle_on.get_untracked() {
            editing.set(true);
        } else if stored_on.get_untracked() {
            confirming_off.set(true);
        } else {
            // On but never saved: nothing to delete.
            editing.set(false);
        }
    });

    let turn_off = {
        let api = api.clone();
        let group_id = group_id.clone();
        Callback::new(move |()| {
            if turning_off.get_untracked() {
                return;
            }
            turning_off.set(true);
            let api = api.clone();
            let group_id = group_id.clone();
            leptos::task::spawn_local(async move {
                // Off applies only to the settings as shown.
                let shown = settings.with_untracked(|s| match s {
                    Settings::On { cas } => Some(cas.clone()),
                    _ => None,
                });
                let tag = access_core::etag::of_user_security(shown.as_deref());
                let result = api.disable_x509(&group_id, &tag).await;
                turning_off.try_set(false);
                confirming_off.try_set(false);
                match result {
                    Ok(user_security) => {
                        settings.try_set(Settings::of(user_security));
                        editing.try_set(false);
                        outcome.try_set(Some(Outcome::TurnedOff));
                    }
                    Err(error) => {
                        if crate::edit_conflict::is_stale(&error) {
                            // Changed meanwhile: show what is stored now, so that a second try is informed.
                            if let Ok(current) = api.user_security(&group_id).await {
                                settings.try_set(Settings::of(current));
                            }
                        }
                        outcome.try_set(Some(Outcome::TurnOffFailed(error)));
                    }
                }
            });
        })
    };

    let on_saved = Callback::new(move |saved: UserSecurity| {
        let certificates = saved
            .customer_x509
            .cas
            .as_deref()
            .map(|cas| {
                access_core::pem_bundle::inspect_bundle(cas, crate::clock::now_unix())
                    .certificates
                    .len()
            })
            .unwrap_or(0);
        let warnings = saved.customer_x509.warnings.clone();
        settings.set(Settings::of(saved));
        editing.set(false);
        outcome.set(Some(Outcome::Saved {
            certificates,
            warnings,
        }));
    });
    let on_cancel = Callback::new(move |()| editing.set(false));
    let on_reload = Callback::new(move |current: UserSecurity| {
        settings.set(Settings::of(current));
        editor_generation.update(|g| *g += 1);
    });

    let body = {
        let group_id = group_id.clone();
        let load = load.clone();
        move || {
            if editing.get() {
                editor_generation.track();
                let stored = settings.with_untracked(|s| match s {
                    Settings::On { cas } => Some(cas.clone()),
                    _ => None,
                });
                let initial_text = stored.clone().unwrap_or_default();
                let group_id = group_id.clone();
                return view! { <BundleEditor group_id initial_text stored on_saved on_cancel on_reload /> }
                    .into_any();
            }
            match settings.get() {
                Settings::Loading => view! { <p class="loading" data-testid="loading">"Loading the settings…"</p> }.into_any(),
                Settings::Failed(error) => {
                    let load = load.clone();
                    // Trying again cannot find a project that does not exist.
                    let next = if error.error_code() == Some(access_core::error_code::GROUP_NOT_FOUND) {
                        view! { <a class="button button-secondary" href="#/">"Open the first project"</a> }.into_any()
                    } else {
                        view! { <button type="button" class="button button-secondary" on:click=move |_| load()>"Try again"</button> }
                            .into_any()
                    };
                    view! {
                        <ApiErrorPanel title="Cannot read this project's settings" error />
                        <div class="panel-next">{next}</div>
                    }
                    .into_any()
                }
                Settings::Off => view! {
                    <p class="setting-off" data-testid="x509-off">
                        "Off. Turn it on to add the certificates of the certificate authorities (CAs) that issue your database users' client certificates."
                    </p>
                }
                .into_any(),
                Settings::On { cas } => view! { <ExpiryTimeline cas=cas.clone() /> <StoredBundle cas /> }.into_any(),
            }
        }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Security")).unwrap_or_default()}</p>
            <h1>"Advanced"</h1>
        </header>
        <OpenAlertBanner group_id=group_id.clone() />
        <section class="panel" aria-labelledby="x509-title" data-testid="x509-panel">
            <div class="panel-header">
                <div class="panel-title">
                    <h2 id="x509-title">"Self-Managed X.509 Authentication"</h2>
                    <p class="panel-description">
                        "Let database users authenticate with X.509 client certificates from your own public key infrastructure (PKI). Provide the PEM-encoded certificates of the CAs that issue them; several CAs may be concatenated."
                    </p>
                </div>
                <div class="panel-controls">
                    <Show when=move || stored_on.get() && !editing.get()>
                        <button
                            type="button"
                            class="icon-button"
                            aria-label="Self-Managed X.509 Authentication settings: edit the CA certificates"
                            title="Edit the CA certificates"
                            data-testid="x509-settings" data-needs="database-access"
                            on:click=move |_| {
                                outcome.set(None);
                                editing.set(true);
                            }
                        >
                            <GearIcon />
                        </button>
                    </Show>
                    <X509Toggle on=toggle_on disabled=toggle_disabled on_toggle labelled_by="x509-title" />
                </div>
            </div>
            <div class="live-region" aria-live="polite" data-testid="x509-live">
                {move || outcome.get().map(|outcome| view! { <OutcomeBanner outcome /> })}
            </div>
            <div class="panel-body">{body}</div>
        </section>
        <Show when=move || confirming_off.get()>
            <ConfirmDialog
                title="Turn off Self-Managed X.509 Authentication?"
                confirm_label="Turn off"
                busy=turning_off
                on_confirm=turn_off
                on_cancel=Callback::new(move |()| confirming_off.set(false))
            >
                <p>
                    "The CA certificates are removed from this project. Database users who authenticate with client certificates issued by them can no longer connect."
                </p>
            </ConfirmDialog>
        </Show>
    }
}

#[component]
fn OutcomeBanner(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Saved {
            certificates,
            warnings,
        } => {
            let what = match certificates {
                1 => "1 CA certificate".to_owned(),
                n => format!("{n} CA certificates"),
            };
            let warnings = warnings
                .into_iter()
                .map(|w| {
                    view! {
                        <li data-code=crate::x509::warning_code_name(w.code)>
                            {format!("Certificate {} ", w.certificate + 1)}
                            <span class="mono">{w.subject}</span>
                            {format!(": {}", w.message)}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="notice notice-success" role="status" data-testid="x509-saved">
                    <div class="notice-body">
                        <h3>{format!("Saved: {what} trusted for this project.")}</h3>
                        <ul class="saved-warnings">{warnings}</ul>
                    </div>
                </div>
            }
            .into_any()
        }
        Outcome::TurnedOff => view! {
            <div class="notice notice-info" role="status" data-testid="x509-turned-off">
                <div class="notice-body">
                    <h3>"Self-Managed X.509 Authentication is off."</h3>
                    <p>"The CA certificates were removed from this project."</p>
                </div>
            </div>
        }
        .into_any(),
        Outcome::TurnOffFailed(error) => {
            view! { <ApiErrorPanel title="Self-Managed X.509 Authentication is still on" error /> }
                .into_any()
        }
    }
}

#[component]
fn GearIcon() -> impl IntoView {
    view! {
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                fill="currentColor"
                d="M19.14 12.94a7.5 7.5 0 0 0 .05-.94 7.5 7.5 0 0 0-.05-.94l2.03-1.58a.5.5 0 0 0 .12-.64l-1.92-3.32a.5.5 0 0 0-.61-.22l-2.39.96a7.1 7.1 0 0 0-1.62-.94l-.36-2.54a.5.5 0 0 0-.5-.42h-3.84a.5.5 0 0 0-.5.42l-.36 2.54c-.59.24-1.13.56-1.62.94l-2.39-.96a.5.5 0 0 0-.61.22L2.66 8.84a.5.5 0 0 0 .12.64l2.03 1.58a7.5 7.5 0 0 0 0 1.88l-2.03 1.58a.5.5 0 0 0-.12.64l1.92 3.32c.13.22.39.3.61.22l2.39-.96c.49.38 1.03.7 1.62.94l.36 2.54c.05.24.26.42.5.42h3.84c.25 0 .46-.18.5-.42l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.48 0 .61-.22l1.92-3.32a.5.5 0 0 0-.12-.64l-2.03-1.58zM12 15.5A3.5 3.5 0 1 1 12 8.5a3.5 3.5 0 0 1 0 7z"
            />
        </svg>
    }
}
