//! One alert setting: its threshold, whether it is on, and where notifications go (EMAIL to an
//! address or GROUP to the project's members, both recorded only, or WEBHOOK: URL, optional signing
//! secret), each repeated every `intervalMin` while an alert is open. Saved with PUT; enabled/disabled
//! with PATCH; webhooks tried with "Test webhook". An email or webhook without its address is refused
//! as you type (core's `alert_notification`, the rule the server applies on save).

use access_core::alert_notification::{check_target, TargetError, EMAIL, GROUP, WEBHOOK};
use leptos::prelude::*;

use super::{AlertConfig, Notification, WebhookTest};
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Saved,
    Failed(&'static str, ApiError),
    Tested(WebhookTest),
}

/// What is wrong with the address of a notification, in the page's words.
fn target_error(n: &Notification) -> Option<TargetError> {
    check_target(
        &n.type_name,
        n.email_address.as_deref(),
        n.webhook_url.as_deref().or(n.webhook_host.as_deref()),
    )
    .err()
}

fn target_message(error: TargetError) -> &'static str {
    match error {
        TargetError::EmailAddressRequired => {
            "Enter the address to notify, or use \"+ Project members\" to notify the project's members."
        }
        TargetError::InvalidEmailAddress => "Enter an address like ops@example.com.",
        TargetError::WebhookUrlRequired => "Enter the URL to send the alert to.",
        TargetError::InvalidWebhookUrl => "Enter an http:// or https:// URL with a host.",
    }
}

fn notification(type_name: &str) -> Notification {
    Notification {
        type_name: type_name.to_owned(),
        interval_min: 1440,
        delay_min: 0,
        email_address: (type_name == EMAIL).then(String::new),
        webhook_url: (type_name == WEBHOOK).then(String::new),
        webhook_host: None,
        webhook_secret: None,
        webhook_secret_set: false,
    }
}

#[component]
pub fn AlertConfigCard(group_id: String, config: AlertConfig) -> impl IntoView {
    let api = expect_context::<Api>();
    // A role that may not change alert settings reads them in fields it cannot edit.
    let may_change = crate::session::may(
        group_id.clone(),
        access_core::project_role::Permission::ManageProject,
    );
    let saved = RwSignal::new(config.clone());
    let draft = RwSignal::new(config);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    // Rows whose address was typed in, and whether Save was pressed: their errors show.
    let touched = RwSignal::new(Vec::<usize>::new());
    let attempted = RwSignal::new(false);
    let card_id = StoredValue::new(config_id_for_ids(&saved.get_untracked().id));
    let any_target_error =
        move || draft.with(|d| d.notifications.iter().any(|n| target_error(n).is_some()));
    // Rows are rebuilt only when notifications are added, removed or change type (not on each key).
    let shape = Memo::new(move |_| {
        draft.with(|d| {
            d.notifications
                .iter()
                .map(|n| n.type_name.clone())
                .collect::<Vec<_>>()
        })
    });
    let changed = move || draft.with(|d| saved.with(|s| d != s));
    let edit = move |f: Box<dyn Fn(&mut AlertConfig)>| draft.update(|d| f(d));

    let run = {
        let api = api.clone();
        let group_id = group_id.clone();
        move |action: &'static str| {
            let api = api.clone();
            let group_id = group_id.clone();
            busy.set(true);
            outcome.set(None);
            leptos::task::spawn_local(async move {
                let current = draft.get_untracked();
                let result = match action {
                    "save" => api.save_alert_config(&group_id, &current).await.map(Some),
                    "toggle" => {
                        let on = !saved.get_untracked().enabled;
                        api.enable_alert_config(&group_id, &current.id, on)
                            .await
                            .map(Some)
                    }
                    _ => match api.test_webhooks(&group_id, &current.id).await {
                        Ok(test) => {
                            outcome.try_set(Some(Outcome::Tested(test)));
                            Ok(None)
                        }
                        Err(error) => Err(error),
                    },
                };
                busy.try_set(false);
                match result {
                    Ok(Some(config)) => {
                        if action == "toggle" {
                            // Keep the other edits in progress.
                            draft.try_update(|d| d.enabled = config.enabled);
                            saved.try_update(|s| s.enabled = config.enabled);
                        } else {
                            saved.try_set(config.clone());
                            draft.try_set(config);
                            outcome.try_set(Some(Outcome::Saved));
                        }
                    }
                    Ok(None) => {}
                    Err(error) => {
                        let what = match action {
                            "save" => "The alert setting was not saved",
                            "toggle" => "The alert setting was not changed",
                            _ => "The webhook test could not run",
                        };
                        outcome.try_set(Some(Outcome::Failed(what, error)));
                    }
                }
            });
        }
    };
    let (save, toggle, test) = (run.clone(), run.clone(), run);

    let row = move |index: usize, type_name: String| {
        let get = move |f: fn(&Notification) -> String| {
            move || draft.with(|d| d.notifications.get(index).map(f).unwrap_or_default())
        };
        let set = move |f: fn(&mut Notification, String)| {
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                touched.update(|t| {
                    if !t.contains(&index) {
                        t.push(index);
                    }
                });
                edit(Box::new(move |d| {
                    if let Some(n) = d.notifications.get_mut(index) {
                        f(n, value.clone());
                    }
                }));
            }
        };
        let error_id = format!("{}-notification-{index}-error", card_id.get_value());
        let error = move || {
            let shown = attempted.get() || touched.with(|t| t.contains(&index));
            draft
                .with(|d| d.notifications.get(index).and_then(target_error))
                .filter(|_| shown)
        };
        let invalid = move || error().is_some().to_string();
        let error_view = {
            let error_id = error_id.clone();
            view! {
                <p class="field-error notification-error" id=error_id data-testid="notification-error"
                    hidden=move || error().is_none()>
                    {move || error().map(target_message)}
                </p>
            }
        };
        let target = if type_name == WEBHOOK {
            let secret_set = move || {
                draft.with(|d| {
                    d.notifications
                        .get(index)
                        .is_some_and(|n| n.webhook_secret_set)
                })
            };
            view! {
                <label class="field-label">"Webhook URL"
                    <input type="url" class="text-input mono" data-testid="webhook-url" placeholder="https://hooks.example.com/alerts"
                        required aria-describedby=error_id.clone() aria-invalid=invalid
                        prop:value=get(|n| n.webhook_url.clone().or_else(|| n.webhook_host.clone()).unwrap_or_default())
                        on:input=set(|n, v| n.webhook_url = Some(v)) />
                    {error_view}
                </label>
                <label class="field-label">"Secret (signs the body: HMAC-SHA256)"
                    <input type="password" class="text-input" data-testid="webhook-secret" autocomplete="new-password"
                        placeholder=move || if secret_set() { "(set: unchanged unless typed)" } else { "(none)" }
                        prop:value=get(|n| n.webhook_secret.clone().unwrap_or_default())
                        on:input=set(|n, v| n.webhook_secret = (!v.is_empty()).then_some(v)) />
                </label>
            }
            .into_any()
        } else if type_name == GROUP {
            view! {
                <p class="field-label notification-group" data-testid="group-target">
                    "Every member of the project (recorded only)"
                </p>
            }
            .into_any()
        } else {
            view! {
                <label class="field-label">"Email address (recorded only)"
                    <input type="email" class="text-input" data-testid="email-address" placeholder="ops@example.com"
                        required aria-describedby=error_id.clone() aria-invalid=invalid
                        prop:value=get(|n| n.email_address.clone().unwrap_or_default())
                        on:input=set(|n, v| n.email_address = Some(v)) />
                    {error_view}
                </label>
            }
            .into_any()
        };
        view! {
            <div class="notification-row" data-testid="notification-row" data-type=type_name.clone()>
                <span class="badge">{match type_name.as_str() { WEBHOOK => "Webhook", GROUP => "Project members", _ => "Email" }}</span>
                {target}
                <label class="field-label">"Every (minutes)"
                    <input type="number" min="5" class="text-input interval-input" data-testid="interval-min"
                        prop:value=get(|n| n.interval_min.to_string())
                        on:input=set(|n, v| n.interval_min = v.trim().parse().unwrap_or(0)) />
                </label>
                <button type="button" class="button button-quiet button-small danger-text" data-testid="notification-remove" data-needs="project"
                    on:click=move |_| {
                        edit(Box::new(move |d| { if index < d.notifications.len() { d.notifications.remove(index); } }));
                        touched.set(Vec::new());
                    }>
                    "Remove"
                </button>
            </div>
        }
    };

    let has_webhook =
        move || saved.with(|s| s.notifications.iter().any(|n| n.type_name == WEBHOOK));
    let outcome_view = move || {
        outcome.get().map(|o| match o {
        Outcome::Saved => view! {
            <div class="notice notice-success" role="status" data-testid="alert-config-saved"><div class="notice-body"><h3>"Saved."</h3></div></div>
        }.into_any(),
        Outcome::Failed(title, error) => view! { <ApiErrorPanel title error /> }.into_any(),
        Outcome::Tested(test) => view! {
            <div class="notice notice-info" role="status" data-testid="webhook-test-result">
                <div class="notice-body">
                    <h3>"Test webhook sent"</h3>
                    <ul>{test.results.into_iter().map(|r| {
                        let what = match (r.delivered, r.status_code, r.error) {
                            (true, Some(code), _) => format!("delivered: HTTP {code}"),
                            (true, None, _) => "delivered".to_owned(),
                            (false, Some(code), error) => format!("failed: HTTP {code}{}", error.map(|e| format!(" ({e})")).unwrap_or_default()),
                            (false, None, error) => format!("failed: {}", error.unwrap_or_else(|| "no answer".to_owned())),
                        };
                        view! { <li data-testid="webhook-test-line" data-delivered=r.delivered.to_string()><span class="mono">{r.webhook_url}</span>" → "{what}</li> }
                    }).collect_view()}</ul>
                </div>
            </div>
        }.into_any(),
    })
    };

    view! {
        <section class="panel alert-config" data-testid="alert-config" data-alert-config-id=move || saved.with(|s| s.id.clone())>
            <div class="panel-header">
                <div class="panel-title">
                    <h2>"CA certificate expiring"</h2>
                    <p class="panel-description">{move || saved.with(|s| format!(
                        "Opens an alert when a CA certificate of the project has fewer than {} days left. {}",
                        s.threshold.threshold,
                        if s.enabled { "On." } else { "Off: no alert opens." }
                    ))}</p>
                </div>
                <div class="panel-controls">
                    <button type="button" class="button button-secondary button-small" data-testid="alert-config-toggle" data-needs="project"
                        disabled=move || busy.get() on:click=move |_| toggle("toggle")>
                        {move || if saved.with(|s| s.enabled) { "Disable" } else { "Enable" }}
                    </button>
                </div>
            </div>
            <form class="alert-config-form" on:submit=move |ev| {
                ev.prevent_default();
                if any_target_error() {
                    // Refused here, as the server would: show every error and go to the first.
                    attempted.set(true);
                    crate::field_feedback::reveal_first_invalid(".alert-config-form");
                    return;
                }
                save("save")
            }>
                <fieldset class="plain-fieldset" disabled=move || !may_change.get() data-testid="alert-config-fields">
                <label class="field-label">"Days before expiry"
                    <input type="number" min="1" max="365" class="text-input interval-input" data-testid="threshold-days"
                        prop:value=move || draft.with(|d| d.threshold.threshold.to_string())
                        on:input=move |ev| {
                            let days = event_target_value(&ev).trim().parse().unwrap_or(0);
                            edit(Box::new(move |d| d.threshold.threshold = days));
                        } />
                </label>
                <h3 class="notifications-heading">"Notifications"</h3>
                <div class="notification-rows">
                    {move || shape.get().into_iter().enumerate().map(|(i, t)| row(i, t)).collect_view()}
                </div>
                <div class="toolbar">
                    <button type="button" class="button button-quiet button-small" data-testid="add-webhook" data-needs="project"
                        on:click=move |_| edit(Box::new(|d| d.notifications.push(notification(WEBHOOK))))>"+ Webhook"</button>
                    <button type="button" class="button button-quiet button-small" data-testid="add-email" data-needs="project"
                        on:click=move |_| edit(Box::new(|d| d.notifications.push(notification(EMAIL))))>"+ Email"</button>
                    <button type="button" class="button button-quiet button-small" data-testid="add-group" data-needs="project"
                        on:click=move |_| edit(Box::new(|d| d.notifications.push(notification(GROUP))))>"+ Project members"</button>
                    <span class="toolbar-spacer"></span>
                    {move || has_webhook().then(|| {
                        let test = test.clone();
                        view! {
                            <button type="button" class="button button-secondary" data-testid="test-webhook" data-needs="project"
                                disabled=move || busy.get() || changed()
                                title="Sends a test POST to each saved webhook now"
                                on:click=move |_| test("test")>"Test webhook"</button>
                        }
                    })}
                    <button type="submit" class="button button-primary" data-testid="alert-config-save" data-needs="project"
                        aria-disabled=move || any_target_error().to_string()
                        disabled=move || busy.get() || !changed()>"Save"</button>
                </div>
                </fieldset>
            </form>
            <div class="live-region" aria-live="polite" data-testid="alert-config-live">{outcome_view}</div>
        </section>
    }
}

/// A configuration's id as it may stand in an element id.
fn config_id_for_ids(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("alert-config-{safe}")
}
