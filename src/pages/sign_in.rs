//! Signing in, and creating the first owner when the console has no account yet.

use access_core::account::{validate_password, validate_username, MIN_PASSWORD_CHARS};
use leptos::prelude::*;

use crate::api::{Api, ApiError, Session};
use crate::api_error_panel::ApiErrorPanel;

/// The sign-in form. `notice` says why it is shown again (e.g. the session expired).
#[component]
pub fn SignInPage(
    on_signed_in: Callback<Session>,
    notice: Signal<Option<String>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        busy.set(true);
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let result = api
                .sign_in(username.get_untracked().trim(), &password.get_untracked())
                .await;
            busy.try_set(false);
            match result {
                Ok(session) => {
                    password.try_set(String::new());
                    on_signed_in.run(session);
                }
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <div class="gate">
            <form class="gate-card" data-testid="sign-in" on:submit=submit>
                <div class="gate-brand"><span class="brand-mark" aria-hidden="true"></span>"Access Console"</div>
                <h1>"Sign in"</h1>
                // Why the form is back, until this attempt says something newer.
                {move || failure.with(Option::is_none).then(|| notice.get()).flatten().map(|text| view! { <p class="notice notice-info" data-testid="sign-in-notice">{text}</p> })}
                <div class="field">
                    <label class="field-label" for="sign-in-username">"Username"</label>
                    <input id="sign-in-username" class="text-input" type="text" autocomplete="username" required
                        data-testid="sign-in-username" prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label class="field-label" for="sign-in-password">"Password"</label>
                    <input id="sign-in-password" class="text-input" type="password" autocomplete="current-password" required
                        data-testid="sign-in-password" prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="You are not signed in" error /> })}
                <button type="submit" class="button button-primary" data-testid="sign-in-submit" disabled=busy>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
                <p class="field-help">"No account? A project owner creates one under Project Access."</p>
            </form>
        </div>
    }
}

/// The first start: the first owner, with the setup code the server printed.
#[component]
pub fn SetupPage(on_signed_in: Callback<Session>) -> impl IntoView {
    let api = expect_context::<Api>();
    let code = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    // The rules of core, as the server checks them, shown as the owner types.
    let username_error = move || {
        let name = username.get();
        (!name.is_empty())
            .then(|| validate_username(name.trim()).err())
            .flatten()
            .map(|e| e.to_string())
    };
    let password_error = move || {
        let typed = password.get();
        (!typed.is_empty())
            .then(|| validate_password(&typed).err())
            .flatten()
            .map(|e| e.to_string())
    };
    let mismatch = move || {
        let (a, b) = (password.get(), repeated.get());
        (!b.is_empty() && a != b).then_some("The two passwords differ.")
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if username_error().is_some() || password_error().is_some() || mismatch().is_some() {
            return;
        }
        failure.set(None);
        busy.set(true);
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let result = api
                .set_up(
                    code.get_untracked().trim(),
                    username.get_untracked().trim(),
                    &password.get_untracked(),
                )
                .await;
            busy.try_set(false);
            match result {
                Ok(session) => on_signed_in.run(session),
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
        });
    };
    view! {
        <div class="gate">
            <form class="gate-card" data-testid="setup" on:submit=submit>
                <div class="gate-brand"><span class="brand-mark" aria-hidden="true"></span>"Access Console"</div>
                <h1>"Create the first owner"</h1>
                <p>"This console has no account yet. The first account is Project Owner of every project: it creates the others. The setup code is in the server's output (" <code>"Setup code: …"</code> "); it proves you run this server."</p>
                <div class="field">
                    <label class="field-label" for="setup-code">"Setup code"</label>
                    <input id="setup-code" class="text-input mono" type="text" autocomplete="off" spellcheck="false" required
                        placeholder="XXXX-XXXX-XXXX" data-testid="setup-code" prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label class="field-label" for="setup-username">"Username"</label>
                    <input id="setup-username" class="text-input" type="text" autocomplete="username" required
                        data-testid="setup-username" prop:value=move || username.get()
                        aria-invalid=move || username_error().is_some().then_some("true") aria-describedby="setup-username-error"
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                    <div id="setup-username-error">{move || username_error().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                </div>
                <div class="field">
                    <label class="field-label" for="setup-password">"Password"</label>
                    <input id="setup-password" class="text-input" type="password" autocomplete="new-password" required
                        data-testid="setup-password" prop:value=move || password.get()
                        aria-invalid=move || password_error().is_some().then_some("true") aria-describedby="setup-password-help setup-password-error"
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                    <p class="field-help" id="setup-password-help">{format!("At least {MIN_PASSWORD_CHARS} characters.")}</p>
                    <div id="setup-password-error">{move || password_error().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                </div>
                <div class="field">
                    <label class="field-label" for="setup-repeat">"Password again"</label>
                    <input id="setup-repeat" class="text-input" type="password" autocomplete="new-password" required
                        data-testid="setup-repeat" prop:value=move || repeated.get()
                        aria-invalid=move || mismatch().is_some().then_some("true") aria-describedby="setup-repeat-error"
                        on:input=move |ev| repeated.set(event_target_value(&ev)) />
                    <div id="setup-repeat-error">{move || mismatch().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The owner was not created" error /> })}
                <button type="submit" class="button button-primary" data-testid="setup-submit" disabled=busy>
                    "Create owner and sign in"
                </button>
            </form>
        </div>
    }
}
