//! What a page of the pages module works in, and the one way it reads from the server.
//!
//! [`PageScope`] (the API client and the id of the page's project or organization) is provided by
//! context when the page is mounted (`lazy_page/mount.rs`); it is `Copy`, so a closure takes it as it is.
//! A page reads with a `LocalResource` ([`Read`], keyed on what it depends on), shows it with [`loaded`]
//! (a `Transition`: "Loading…" until the first answer, the previous answer kept while it is read again)
//! and calls `refetch()` after each write; a failed read is shown by the one error view,
//! [`ApiErrorPanel`].

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;

/// The API client and the id of the page's project (or organization).
#[derive(Clone, Copy)]
pub struct PageScope {
    api: StoredValue<Api>,
    id: StoredValue<String>,
}

impl PageScope {
    /// Provides the scope to the page mounted under the current owner.
    pub fn provide(api: Api, id: String) {
        provide_context(PageScope {
            api: StoredValue::new(api),
            id: StoredValue::new(id),
        });
    }

    /// The scope of the page being built.
    pub fn get() -> Self {
        expect_context()
    }

    /// The project's (or organization's) id.
    pub fn id(self) -> String {
        self.id.get_value()
    }

    /// The client and the id, owned, for an `async move` block.
    pub fn call(self) -> (Api, String) {
        (self.api.get_value(), self.id.get_value())
    }
}

/// What a page reads from the server.
pub type Read<T> = LocalResource<Result<T, ApiError>>;

/// `read` in a `Transition`: `loading` until the first answer, then `view` of it, or the error (titled
/// `failed`); while it is read again (after a write) the previous answer stays on screen.
pub fn loaded<T, V>(
    read: Read<T>,
    loading: &'static str,
    failed: &'static str,
    view: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + Send + 'static,
{
    shown(answer(read, failed, view), loading, Keep::PreviousAnswer)
}

/// As [`loaded`], but in a `Suspense`: each new key (a filter, a page) shows `loading` again, so what
/// is on screen always answers what was asked.
pub fn loaded_afresh<T, V>(
    read: Read<T>,
    loading: &'static str,
    failed: &'static str,
    view: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + Send + 'static,
{
    shown(answer(read, failed, view), loading, Keep::Nothing)
}

/// The view of a read's answer, type-erased so that every page shares one `Transition` (and one
/// `Suspense`) in the Wasm.
type Answer = Arc<dyn Fn() -> Suspend<AnyView> + Send + Sync>;

/// What stays on screen while a read is read again.
enum Keep {
    PreviousAnswer,
    Nothing,
}

fn shown(answer: Answer, loading: &'static str, keep: Keep) -> AnyView {
    let fallback = move || view! { <p class="loading" data-testid="loading">{loading}</p> };
    let children = move || answer();
    match keep {
        Keep::PreviousAnswer => view! { <Transition fallback>{children}</Transition> }.into_any(),
        Keep::Nothing => view! { <Suspense fallback>{children}</Suspense> }.into_any(),
    }
}

fn answer<T, V>(
    read: Read<T>,
    failed: &'static str,
    view: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> Answer
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + Send + 'static,
{
    Arc::new(move || {
        let view = view.clone();
        Suspend::new(async move {
            match read.await {
                Ok(value) => view(value).into_any(),
                Err(error) => view! { <ApiErrorPanel title=failed error /> }.into_any(),
            }
        })
    })
}
