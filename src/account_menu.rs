//! The top bar's right end: who is signed in, their role in this project, and Sign out.

use leptos::prelude::*;

use crate::api::Api;
use crate::route::Route;
use crate::session::{role_in_project, CurrentSession};

#[component]
pub fn AccountMenu(route: Memo<Route>, on_signed_out: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();
    let session = expect_context::<CurrentSession>();
    let busy = RwSignal::new(false);
    let username = move || session.with(|s| s.as_ref().map(|s| s.account.username.clone()));
    let project_role = role_in_project(move || route.with(|r| r.group_id().map(str::to_owned)));
    let role = move || project_role().map(|r| r.label());
    let sign_out = move |_| {
        busy.set(true);
        let api = api.clone();
        leptos::task::spawn_local(async move {
            // Signed out here whatever the answer: the session is forgotten by this browser.
            if let Err(error) = api.sign_out().await {
                leptos::logging::warn!("Access Console: sign-out: {error}");
            }
            busy.try_set(false);
            on_signed_out.run(());
        });
    };
    view! {
        <div class="account-menu" data-testid="account-menu">
            <span class="account-name" data-testid="account-name">{username}</span>
            {move || role().map(|label| view! { <span class="account-role" data-testid="account-project-role">{label}</span> })}
            <button type="button" class="button button-small button-on-dark" data-testid="sign-out" disabled=busy on:click=sign_out>
                "Sign out"
            </button>
        </div>
    }
}
