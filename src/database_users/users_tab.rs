//! The Database Users tab: search, pages of users, Add / Edit / Delete.
//!
//! Every user of the project is read once, [`FETCH_SIZE`] per request (the first page shows as soon as
//! it arrives); the search box then filters in memory as the user types and only [`PAGE_SIZE`] rows are
//! rendered, so that 10,000 users stay fluid. Saved and deleted users update that list in place.

use access_core::database_user::DatabaseUser;
use leptos::prelude::*;

use super::lazy_user_dialog::{DialogMode, LazyUserDialog};
use super::user_table::UserTable;
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::route::{Page, Route};

/// Rows rendered per page.
pub const PAGE_SIZE: usize = 50;
/// Users per request while reading them all (the API's maximum).
const FETCH_SIZE: u64 = 500;

#[derive(Debug, Clone, PartialEq)]
enum Loading {
    InProgress,
    Done,
    Failed(ApiError),
}

/// What the last action did, said once above the table.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Added(String),
    Updated(String),
    Deleted(String),
    DeleteFailed(ApiError),
}

#[component]
pub fn DatabaseUsersTab(group_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let users = RwSignal::new(Vec::<DatabaseUser>::new());
    let loading = RwSignal::new(Loading::InProgress);
    // The stored CA bundle: None while loading, Some("") when self-managed X.509 is off.
    let ca_bundle = RwSignal::new(None::<String>);
    let dialog = RwSignal::new(None::<DialogMode>);
    let deleting = RwSignal::new(None::<DatabaseUser>);
    let delete_busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    {
        let api = api.clone();
        let group_id = group_id.clone();
        leptos::task::spawn_local(async move {
            let mut page_num = 1;
            loop {
                match api
                    .database_users(&group_id, page_num, FETCH_SIZE, "")
                    .await
                {
                    Ok(list) => {
                        let more = list.links.iter().any(|l| l.rel == "next");
                        if users.try_update(|all| all.extend(list.results)).is_none() {
                            return; // the tab was closed
                        }
                        if !more {
                            loading.try_set(Loading::Done);
                            return;
                        }
                        page_num += 1;
                    }
                    Err(error) => {
                        loading.try_set(Loading::Failed(error));
                        return;
                    }
                }
            }
        });
    }
    {
        let api = api.clone();
        let group_id = group_id.clone();
        leptos::task::spawn_local(async move {
            let bundle = api
                .user_security(&group_id)
                .await
                .map(|s| s.customer_x509.cas.unwrap_or_default())
                .unwrap_or_default();
            ca_bundle.try_set(Some(bundle));
        });
    }

    // Lower-case names, computed once per change of the list, not per keystroke.
    let folded = Memo::new(move |_| {
        users.with(|all| {
            all.iter()
                .map(|u| u.username.to_lowercase())
                .collect::<Vec<_>>()
        })
    });
    // Indexes of the users whose name contains the search text.
    let matching = Memo::new(move |_| {
        let needle = search.with(|s| s.trim().to_lowercase());
        folded.with(|names| {
            names
                .iter()
                .enumerate()
                .filter(|(_, name)| needle.is_empty() || name.contains(&needle))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });
    let shown = Memo::new(move |_| {
        let first = page.get() * PAGE_SIZE;
        matching.with(|indexes| {
            users.with(|all| {
                indexes
                    .iter()
                    .skip(first)
                    .take(PAGE_SIZE)
                    .filter_map(|i| all.get(*i).cloned())
                    .collect::<Vec<_>>()
            })
        })
    });
    let on_search = move |ev| {
        search.set(event_target_value(&ev));
        page.set(0);
    };

    let x509_on = Signal::derive(move || {
        ca_bundle.with(|b| b.as_ref().is_some_and(|b| !b.trim().is_empty()))
    });
    let x509_known = Signal::derive(move || ca_bundle.with(Option::is_some));
    let bundle_text = Signal::derive(move || ca_bundle.get().unwrap_or_default());
    let advanced = Route::project(group_id.clone(), Page::Advanced).href();

    let on_saved = Callback::new(move |(user, added): (DatabaseUser, bool)| {
        dialog.set(None);
        let name = user.username.clone();
        users.update(|all| {
            all.retain(|u| !(u.username == user.username && u.database_name == user.database_name));
            let at = all.partition_point(|u| u.username < user.username);
            all.insert(at, user);
        });
        outcome.set(Some(if added {
            Outcome::Added(name)
        } else {
            Outcome::Updated(name)
        }));
    });
    // After a conflicting change: the current version replaces the listed one, and the dialog reopens on it.
    let on_reload = Callback::new(move |user: DatabaseUser| {
        users.update(|all| {
            if let Some(listed) = all
                .iter_mut()
                .find(|u| u.username == user.username && u.database_name == user.database_name)
            {
                *listed = user.clone();
            }
        });
        dialog.set(Some(DialogMode::Edit(user)));
    });
    let confirm_delete = {
        let api = api.clone();
        let group_id = group_id.clone();
        let (api_done, group_done) = (api.clone(), group_id.clone());
        confirmed_delete(
            deleting,
            delete_busy,
            move |user: DatabaseUser| {
                let (api, group_id) = (api.clone(), group_id.clone());
                async move {
                    let tag = access_core::etag::of_database_user(&user);
                    api.delete_database_user(&group_id, &user.database_name, &user.username, &tag)
                        .await
                }
            },
            move |user: DatabaseUser, result: Result<(), ApiError>| {
                if result.as_ref().is_err_and(crate::edit_conflict::is_stale) {
                    // Changed since listed: show the current version, so that a second try is informed.
                    let (api, group_id, stale) =
                        (api_done.clone(), group_done.clone(), user.clone());
                    leptos::task::spawn_local(async move {
                        if let Ok(current) = api
                            .database_user(&group_id, &stale.database_name, &stale.username)
                            .await
                        {
                            users.try_update(|all| {
                                if let Some(listed) = all.iter_mut().find(|u| {
                                    u.username == current.username
                                        && u.database_name == current.database_name
                                }) {
                                    *listed = current;
                                }
                            });
                        }
                    });
                }
                let deleted = match result {
                    Ok(()) => true,
                    // Already gone (deleted elsewhere, or expired): the list should not show it.
                    Err(ref e)
                        if e.error_code() == Some(access_core::error_code::USERNAME_NOT_FOUND) =>
                    {
                        true
                    }
                    Err(_) => false,
                };
                if deleted {
                    users.try_update(|all| {
                        all.retain(|u| {
                            !(u.username == user.username && u.database_name == user.database_name)
                        })
                    });
                }
                outcome.try_set(Some(match result {
                    Ok(()) => Outcome::Deleted(user.username),
                    Err(error) => Outcome::DeleteFailed(error),
                }));
            },
        )
    };

    let summary = move || {
        let total = matching.with(Vec::len);
        if total == 0 {
            return String::new();
        }
        let first = page.get() * PAGE_SIZE + 1;
        let last = (first + PAGE_SIZE - 1).min(total);
        let still = if loading.get() == Loading::InProgress {
            " (reading more…)"
        } else {
            ""
        };
        format!("{first}–{last} of {total}{still}")
    };

    let table = {
        let advanced = advanced.clone();
        move || {
            if let Loading::Failed(error) = loading.get() {
                return view! { <ApiErrorPanel title="The database users could not be read" error /> }.into_any();
            }
            let rows = shown.get();
            if !rows.is_empty() {
                return view! {
                    <UserTable
                        users=rows
                        on_edit=Callback::new(move |user| { outcome.set(None); dialog.set(Some(DialogMode::Edit(user))) })
                        on_delete=Callback::new(move |user| { outcome.set(None); deleting.set(Some(user)) })
                    />
                }
                .into_any();
            }
            if loading.get() == Loading::InProgress {
                return view! { <p class="loading">"Loading database users…"</p> }.into_any();
            }
            if !search.with(|s| s.trim().is_empty()) {
                return view! {
                    <p class="empty-search" data-testid="users-no-match">
                        "No user's name contains “" {move || search.get()} "”."
                    </p>
                }
                .into_any();
            }
            let advanced = advanced.clone();
            view! {
                <div class="empty-state" data-testid="users-empty">
                    {move || if x509_known.get() && !x509_on.get() {
                        view! {
                            <h2>"Turn on self-managed X.509 first"</h2>
                            <p data-needs="database-access">
                                "Certificate users authenticate with client certificates issued by the project's own CAs. "
                                <a href=advanced.clone() data-testid="users-empty-advanced">"Turn on Self-Managed X.509 Authentication and add your CAs"</a>
                                ", then add users here."
                            </p>
                            <p data-role-hint="database-access">
                                "Certificate users authenticate with client certificates issued by the project's own CAs. A Project Owner or Project Database Access Admin can turn Self-Managed X.509 Authentication on and add users."
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <h2>"No database users yet"</h2>
                            <p data-needs="database-access">"Add a user named by the subject of its client certificate (type it, or drop the certificate), and choose what it may do."</p>
                            <p data-role-hint="database-access">"A Project Owner or Project Database Access Admin can add users."</p>
                        }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
    };

    view! {
        <section class="panel users-panel" data-testid="database-users">
            <div class="toolbar">
                <input
                    class="text-input search"
                    type="search"
                    placeholder="Search users by name"
                    aria-label="Search users by name"
                    data-testid="users-search"
                    prop:value=move || search.get()
                    on:input=on_search
                />
                <span class="toolbar-spacer"></span>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="add-user" data-needs="database-access"
                    disabled=move || !x509_on.get()
                    title=move || (!x509_on.get()).then_some("Turn on Self-Managed X.509 Authentication (Advanced) first")
                    on:click=move |_| { outcome.set(None); dialog.set(Some(DialogMode::Add)) }
                >
                    "+ Add New Database User"
                </button>
            </div>
            {move || (x509_known.get() && !x509_on.get() && users.with(|u| !u.is_empty())).then(|| view! {
                <div class="notice notice-info" data-testid="x509-off-notice">
                    <div class="notice-body">"Self-managed X.509 is off: these users cannot connect until it is turned on again."</div>
                </div>
            })}
            // A live region that stays on the page, so that what it comes to say is announced.
            <div class="live-region" aria-live="polite" data-testid="users-live">
            {move || outcome.get().map(|o| match o {
                Outcome::Added(name) => view! { <div class="notice notice-success" role="status" data-testid="users-outcome"><div class="notice-body">"Added " <code>{name}</code>"."</div></div> }.into_any(),
                Outcome::Updated(name) => view! { <div class="notice notice-success" role="status" data-testid="users-outcome"><div class="notice-body">"Updated " <code>{name}</code>"."</div></div> }.into_any(),
                Outcome::Deleted(name) => view! { <div class="notice notice-success" role="status" data-testid="users-outcome"><div class="notice-body">"Deleted " <code>{name}</code>"."</div></div> }.into_any(),
                Outcome::DeleteFailed(error) => view! { <ApiErrorPanel title="The user was not deleted" error /> }.into_any(),
            })}
            </div>
            {table}
            <div class="pager">
                <span class="pager-summary" data-testid="users-summary">{summary}</span>
                <button
                    type="button"
                    class="button button-secondary button-small"
                    data-testid="users-previous"
                    disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                >
                    "Previous"
                </button>
                <button
                    type="button"
                    class="button button-secondary button-small"
                    data-testid="users-next"
                    disabled=move || { (page.get() + 1) * PAGE_SIZE >= matching.with(Vec::len) }
                    on:click=move |_| page.update(|p| *p += 1)
                >
                    "Next"
                </button>
            </div>
        </section>
        {move || dialog.get().map(|mode| view! {
            <LazyUserDialog
                mode
                group_id=group_id.clone()
                ca_bundle=bundle_text.get_untracked()
                on_close=Callback::new(move |()| dialog.set(None))
                on_saved
                on_reload
            />
        })}
        {move || deleting.get().map(|user| view! {
            <ConfirmDialog
                title="Delete database user?"
                confirm_label="Delete User"
                busy=delete_busy
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p><code>{user.username.clone()}</code>" will no longer be able to connect with its certificate. This cannot be undone."</p>
            </ConfirmDialog>
        })}
    }
}
