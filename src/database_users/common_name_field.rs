//! The user's name: the distinguished name of its certificate's subject, checked as it is typed, with
//! the form MongoDB will compare (openssl's) shown before saving when it differs from what was typed.

use access_core::dn::parse_dn;
use leptos::prelude::*;

/// What the typed name gives.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    Empty,
    Invalid {
        message: String,
        /// 0-based character position of the problem.
        position: usize,
    },
    Valid {
        canonical: String,
        changes: Vec<String>,
        /// Typed most significant attribute first (openssl's default or `/C=…/CN=…` form) and
        /// reversed into the order MongoDB compares.
        reversed: bool,
    },
}

fn read(typed: &str) -> Reading {
    if typed.trim().is_empty() {
        return Reading::Empty;
    }
    match parse_dn(typed) {
        Ok(dn) => Reading::Valid {
            canonical: dn.canonical().to_owned(),
            changes: dn.changes().iter().map(ToString::to_string).collect(),
            reversed: dn.reversed_from().is_some(),
        },
        Err(error) => Reading::Invalid {
            message: error.to_string(),
            position: error.position,
        },
    }
}

/// The canonical form of `typed`, when it is a valid name.
pub fn canonical_name(typed: &str) -> Option<String> {
    match read(typed) {
        Reading::Valid { canonical, .. } => Some(canonical),
        _ => None,
    }
}

#[component]
pub fn CommonNameField(
    value: RwSignal<String>,
    /// Editing an existing user: the name cannot change (as in Atlas).
    read_only: bool,
    /// What the server said about the name, if it refused it.
    #[prop(into)]
    server_error: Signal<Option<String>>,
) -> impl IntoView {
    let reading = Memo::new(move |_| value.with(|typed| read(typed)));
    let feedback = move || {
        match reading.get() {
        Reading::Empty => view! {
            <p class="field-help">
                "For example " <code>"CN=Jane Doe,OU=Billing,O=Acme,C=US"</code>
                " (openssl's " <code>"subject=C = US, …"</code> " and " <code>"/C=US/…"</code>
                " forms are read too), or drop the user's certificate below to fill it in."
            </p>
        }
        .into_any(),
        Reading::Invalid { message, position } => {
            let typed = value.get();
            let before: String = typed.chars().take(position).collect();
            let at: String = typed.chars().skip(position).take(1).collect();
            let after: String = typed.chars().skip(position + 1).collect();
            view! {
                <div class="field-error" data-testid="user-dn-error" role="alert">
                    <p>{message}</p>
                    <p class="dn-marked mono" aria-hidden="true">
                        {before}<mark>{if at.is_empty() { " ".to_owned() } else { at }}</mark>{after}
                    </p>
                </div>
            }
            .into_any()
        }
        Reading::Valid { canonical, changes, .. } if changes.is_empty() => view! {
            <p class="field-ok" data-testid="user-dn-ok">
                "Valid, and already in the form MongoDB compares: " <code data-testid="user-dn-canonical">{canonical}</code>
            </p>
        }
        .into_any(),
        Reading::Valid { canonical, changes, reversed } => view! {
            <div class="canonical-preview" data-testid="user-dn-preview" data-reversed=reversed.to_string()>
                <p>"Will be saved as " <code data-testid="user-dn-canonical">{canonical}</code></p>
                {reversed.then(|| view! {
                    <p class="field-warn" data-testid="user-dn-reversed">
                        <strong>"Order reversed. "</strong>
                        "This is the name MongoDB will see: the attributes were typed most significant first, as openssl prints them by default."
                    </p>
                })}
                <p class="field-help">
                    "MongoDB matches the certificate's subject exactly as openssl prints it, so the name is stored in that form:"
                </p>
                <ul class="change-list">
                    {changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <div class="field">
            <label class="field-label" for="user-dn">"Common Name (certificate subject, RFC 2253)"</label>
            <input
                id="user-dn"
                class="text-input mono"
                type="text"
                spellcheck="false"
                autocomplete="off"
                data-testid="user-dn-input"
                placeholder="CN=Jane Doe,OU=Billing,O=Acme,C=US"
                readonly=read_only
                aria-invalid=move || (matches!(reading.get(), Reading::Invalid { .. }) || server_error.with(Option::is_some)).then_some("true")
                aria-describedby=move || if server_error.with(Option::is_some) { "user-dn-feedback user-dn-server-error" } else { "user-dn-feedback" }
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {read_only.then(|| view! { <p class="field-help">"A user's name cannot change: delete the user and add a new one."</p> })}
            <div id="user-dn-feedback" aria-live="polite">{feedback}</div>
            {move || server_error.get().map(|e| view! { <p class="field-error" id="user-dn-server-error" data-testid="user-dn-server-error">{e}</p> })}
        </div>
    }
}
