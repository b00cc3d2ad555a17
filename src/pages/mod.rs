//! The pages of the console, one per route.

mod activity_feed;
mod advanced;
mod alert_settings;
mod alerts;
mod api_keys;
mod clusters;
mod database_access;
mod member_certificate_drop;
mod org_api_keys;
pub(crate) mod organization;
mod organization_access;
mod page_not_found;
mod project_access;
mod project_settings;
mod sign_in;
mod start;

pub use activity_feed::ActivityFeedPage;
pub use advanced::AdvancedPage;
pub use alert_settings::AlertSettingsPage;
pub use alerts::AlertsPage;
pub use api_keys::{read_access_list, ApiKeysPage};
pub use clusters::ClustersPage;
pub use database_access::{DatabaseAccessPage, DatabaseAccessTab};
pub use org_api_keys::OrgApiKeysPage;
pub use organization::OrganizationPage;
pub use organization_access::OrganizationAccessPage;
pub use page_not_found::PageNotFound;
pub use project_access::ProjectAccessPage;
pub use project_settings::ProjectSettingsPage;
pub use sign_in::{SetupPage, SignInPage};
pub use start::StartPage;
