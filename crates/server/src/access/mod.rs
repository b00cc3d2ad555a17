//! Who is asking: authentication of API requests.

pub mod digest;
pub mod rate_limit;
