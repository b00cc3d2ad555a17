//! Access Console core: everything the browser, the server and the CLI must agree on.
//!
//! No I/O lives here, and the crate builds for `wasm32-unknown-unknown` as well as natively, so a rule
//! written here is the one rule that the UI checks as the user types and the server enforces on save.

pub mod api;
pub mod pem_bundle;
mod base64;
pub mod certificate;
pub mod dn;
mod oid;
pub mod signature;
pub mod time;
pub mod tlv;
#[cfg(test)]
mod test_certificates;
pub mod catalog;
pub mod cluster;
pub mod field_issue;
pub mod names;
pub mod custom_role;
pub mod database_user;
pub mod privileges;
