//! Self-Managed X.509 Authentication: the toggle, the CA bundle editor and what it shows.

mod bundle_drop_zone;
mod bundle_editor;
mod bundle_file;
mod certificate_card;
mod certificate_list;
mod expired_notice;
mod expiry_timeline;
mod problem_list;
mod stored_bundle;
mod x509_toggle;

pub use bundle_drop_zone::BundleDropZone;
pub use bundle_editor::BundleEditor;
pub use bundle_file::{read as read_bundle_file, FileOutcome};
pub use certificate_card::code_name as warning_code_name;
pub use expiry_timeline::ExpiryTimeline;
pub use problem_list::ProblemList;
pub use stored_bundle::StoredBundle;
pub use x509_toggle::X509Toggle;
