//! Access Console in the browser: a Leptos (CSR) single-page app, built by Trunk into `dist/`.
//!
//! One library, two Wasm modules (see [`lazy_page`]): the console (`src/main.rs`: sign-in, the frame and
//! Database Access, everything the first page a signed-in user sees needs) and the pages most sessions
//! never open (`src/bin/access-console-pages.rs`), loaded the first time one of them is opened. Each binary
//! links only what its entry point reaches, so the split is decided by which entry point names a page.
//!
//! Start-up: read `config.json` (beside `index.html`) for the API base address, then mount the app.
//! Everything the user sees is a small component named for it; every call to the server goes through
//! [`api`].

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod access_check;
mod account_menu;
mod activity;
mod alerts;
mod api;
mod api_error_panel;
mod api_key_dialog;
mod app;
mod clock;
mod config;
mod confirm_dialog;
mod copy_button;
mod custom_roles;
mod database_users;
mod drift;
mod edit_conflict;
mod export_menu;
mod field_feedback;
mod form_dialog;
pub mod lazy_page;
mod modal;
mod new_project_dialog;
mod page_scope;
mod pages;
mod project_menu;
mod project_name_field;
mod route;
mod session;
mod sidebar;
mod signature_worker;
mod x509;

use leptos::prelude::*;

/// The console's entry point (`src/main.rs`).
pub fn start_console() {
    console_error_panic_hook::set_once();
    // Leptos's executor starts with the mount; until then, wasm-bindgen's runs the start-up.
    wasm_bindgen_futures::spawn_local(async {
        let config = config::ConsoleConfig::load().await;
        leptos::mount::mount_to_body(move || view! { <app::App config /> });
    });
}
