//! The Activity Feed: the project's events, newest first, each as a sentence with its diff on demand.

mod event_filters;
mod event_row;

pub use event_filters::{EventFilters, EventQuery};
pub use event_row::EventRow;

pub use access_core::api::Event;
