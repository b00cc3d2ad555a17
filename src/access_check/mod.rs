//! Security → Database Access → Access Check: drop or paste a client certificate (or type a name), pick
//! the operation, and see each step a connection meets — certificate, client use, chain, user,
//! authorization — pass, warn or fail with its reason, and the grant paths.
//!
//! The answer comes from the server (`POST .../accessCheck`, debounced as the inputs change), which runs
//! core's `access_check` — the same code as the CLI. Not computed in Wasm: the page build has no
//! signature verification (its crypto lives in the worker), and the nearest-user search and the role
//! suggestions read every user and role of the project, which the page does not download.
//!
//! Only the certificates of the input are ever sent: a private key in a dropped file or pasted text is
//! dropped here, before the request is built. One entry component ([`AccessCheckTab`]), so the module can
//! later be loaded on demand.

mod certificate_input;
mod result;

use std::time::Duration;

use access_core::access_check::{AccessCheckAnswer, AccessCheckRequest};
use access_core::cluster::Cluster;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use certificate_input::{certificates_only, CertificateInput};
use result::CheckResult;

/// How long the inputs must stay still before the check is sent.
const DEBOUNCE: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Idle,
    Checking,
    Done(Box<AccessCheckAnswer>),
    Refused(ApiError),
}

/// The actions typed as `FIND, INSERT` (commas or spaces), upper-cased as Atlas names are.
fn actions_of(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|a| !a.is_empty())
        .map(str::to_ascii_uppercase)
        .collect()
}

fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[component]
pub fn AccessCheckTab(group_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let certificate = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let cluster = RwSignal::new(String::new());
    let actions = RwSignal::new(String::new());
    let database = RwSignal::new(String::new());
    let collection = RwSignal::new(String::new());
    let clusters = RwSignal::new(Vec::<Cluster>::new());
    let answer = RwSignal::new(Answer::Idle);
    let result_group = group_id.clone();
    let generation = StoredValue::new(0u32);

    {
        let api = api.clone();
        let group_id = group_id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(list) = api.clusters(&group_id).await {
                clusters.try_set(list);
            }
        });
    }

    // The request the inputs make; `None` while there is nothing to check.
    let request = Memo::new(move |_| {
        let pem = certificates_only(&certificate.get());
        let name = non_empty(username.get());
        if pem.is_none() && name.is_none() {
            return None;
        }
        Some(AccessCheckRequest {
            username: if pem.is_none() { name } else { None },
            certificate: pem,
            cluster: non_empty(cluster.get()),
            actions: actions_of(&actions.get()),
            database: non_empty(database.get()),
            collection: non_empty(collection.get()),
        })
    });

    Effect::new(move |_| {
        let Some(body) = request.get() else {
            answer.set(Answer::Idle);
            return;
        };
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        answer.set(Answer::Checking);
        let api = api.clone();
        let group_id = group_id.clone();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let result = api.access_check(&group_id, &body).await;
                    if generation.get_value() == mine {
                        answer.try_set(match result {
                            Ok(a) => Answer::Done(Box::new(a)),
                            Err(e) => Answer::Refused(e),
                        });
                    }
                });
            },
            DEBOUNCE,
        );
    });

    let text_field = |id: &'static str,
                      label: &'static str,
                      placeholder: &'static str,
                      value: RwSignal<String>| {
        view! {
            <div class="field">
                <label class="field-label" for=id>{label}</label>
                <input id=id class="text-input" type="text" autocomplete="off" spellcheck="false"
                    placeholder=placeholder data-testid=id
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };

    view! {
        <section class="panel access-check" data-testid="access-check">
            <p class="panel-description">
                "Will this client certificate get in, as which database user, and may it run this operation? \
                 Each step a connection meets is checked against the project's CAs, users and roles. Nothing is saved."
            </p>
            <div class="access-check-inputs">
                <CertificateInput certificate />
                <div class="access-check-fields">
                    {text_field("check-username", "Or a distinguished name", "CN=app,OU=billing,O=Acme", username)}
                    <div class="field">
                        <label class="field-label" for="check-cluster">"Cluster"</label>
                        <select id="check-cluster" class="select" data-testid="check-cluster"
                            prop:value=move || cluster.get()
                            on:change=move |ev| cluster.set(event_target_value(&ev))>
                            <option value="">"Any cluster"</option>
                            {move || clusters.get().into_iter().map(|c| {
                                let label = format!("{} (MongoDB {})", c.name, c.mongo_db_major_version);
                                view! { <option value=c.name.clone()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    {text_field("check-actions", "Actions", "FIND, INSERT", actions)}
                    {text_field("check-database", "Database", "sales", database)}
                    {text_field("check-collection", "Collection", "orders", collection)}
                </div>
            </div>
            <div class="access-check-answer" aria-live="polite" data-testid="access-check-answer">
                {move || match answer.get() {
                    Answer::Idle => view! {
                        <p class="muted">"Drop or paste a client certificate, or type a distinguished name."</p>
                    }.into_any(),
                    Answer::Checking => view! { <p class="loading">"Checking…"</p> }.into_any(),
                    Answer::Refused(error) => view! { <ApiErrorPanel title="The check could not run" error /> }.into_any(),
                    Answer::Done(a) => view! { <CheckResult answer=*a group_id=result_group.clone() /> }.into_any(),
                }}
            </div>
        </section>
    }
}
