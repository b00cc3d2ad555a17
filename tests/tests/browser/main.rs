//! Browser end-to-end tests: real Chromium (headless, over WebDriver) on the real server with a
//! temporary SQLite database, the UI as `trunk build --release` made it, and certificates made by the
//! openssl CLI. Run with `make test` (it builds the UI first), or `make ui && cargo test -p e2e`.

mod harness;

mod access;
mod access_check;
mod accessibility;
mod activity_alerts;
mod activity_feed;
mod alert_notifications;
mod api_keys;
mod app_shell;
mod browser_bench;
mod bundle_input;
mod bundle_saving;
mod clusters;
mod concurrent_edits;
mod custom_roles;
mod database_users;
mod drift;
mod expiry_timeline;
mod field_feedback;
mod first_load;
mod keyboard;
mod organizations;
mod responsive;
mod static_host;
mod ui_timing;
