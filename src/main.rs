//! Access Console in the browser: a Leptos (CSR) single-page app, built by Trunk into `dist/`.
//!
//! Start-up: read `config.json` (beside `index.html`) for the API base address, then mount the app.
//! Everything the user sees is a small component named for it; every call to the server goes through
//! [`api`].

mod account_menu;
mod activity;
mod alerts;
mod api;
mod api_error_panel;
mod app;
mod clock;
mod config;
mod confirm_dialog;
mod copy_button;
mod custom_roles;
mod database_users;
mod edit_conflict;
mod form_dialog;
mod modal;
mod pages;
mod project_menu;
mod route;
mod session;
mod sidebar;
mod signature_worker;
mod x509;

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // Leptos's executor starts with the mount; until then, wasm-bindgen's runs the start-up.
    wasm_bindgen_futures::spawn_local(async {
        let config = config::ConsoleConfig::load().await;
        leptos::mount::mount_to_body(move || view! { <app::App config /> });
    });
}
