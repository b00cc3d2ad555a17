//! Who is asking: authentication of API requests.

pub mod api_key;
pub mod digest;
pub mod rate_limit;
