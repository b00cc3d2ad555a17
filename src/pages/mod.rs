//! The pages of the console, one per route.

mod advanced;
mod clusters;
mod database_access;
mod page_not_found;
mod start;

pub use advanced::AdvancedPage;
pub use clusters::ClustersPage;
pub use database_access::{DatabaseAccessPage, DatabaseAccessTab};
pub use page_not_found::PageNotFound;
pub use start::StartPage;
