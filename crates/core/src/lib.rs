//! Access Console core: everything the browser, the server and the CLI must agree on.
//!
//! No I/O lives here, and the crate builds for `wasm32-unknown-unknown` as well as natively, so a rule
//! written here is the one rule that the UI checks as the user types and the server enforces on save.

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Every public item says what it is (issue 18): a contributor reads the rules here first.
#![deny(missing_docs)]

pub mod access_check;
pub mod access_list;
pub mod account;
pub mod activity;
pub mod activity_filter;
pub mod alert_notification;
pub mod api;
pub mod asn1;
mod base64;
pub mod bundle_limits;
pub mod catalog;
pub mod certificate;
pub mod client_certificate;
pub mod cluster;
pub mod cluster_member;
pub mod custom_role;
pub mod database_user;
pub mod dn;
pub mod drift;
pub mod edit_conflict;
pub mod error_code;
pub mod etag;
pub mod event_changes;
pub mod export;
pub mod field_issue;
pub mod names;
mod oid;
pub mod org_role;
pub mod pem_bundle;
pub mod privileges;
pub mod project_name;
pub mod project_role;
pub mod signature;
#[cfg(test)]
mod test_certificates;
pub mod time;
pub mod webhook_address;
