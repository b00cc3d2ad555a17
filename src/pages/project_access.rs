//! Project → Project Access: the console accounts with a role in this project. Owners add accounts,
//! change their role and remove them; everyone else sees who has access.

use access_core::account::{validate_new_account, MIN_PASSWORD_CHARS};
use access_core::field_issue::{FieldError, FieldIssue};
use access_core::project_role::ProjectRole;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use crate::api::{Account, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::custom_roles::done;
use crate::field_feedback::{errors_id, reveal_first_invalid};
use crate::page_scope::{loaded, PageScope};
use crate::session::CurrentSession;

/// The add form, for the ids of its fields' errors.
const FORM: &str = "account-form";

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Added(String),
    Changed(String),
    Deleted(String),
    Refused(ApiError),
}

#[component]
pub fn ProjectAccessPage(project_name: Signal<Option<String>>) -> impl IntoView {
    let scope = PageScope::get();
    let session = expect_context::<CurrentSession>();
    let me = move || session.with(|s| s.as_ref().map(|s| s.account.username.clone()));
    let accounts = LocalResource::new(move || {
        let (api, group_id) = scope.call();
        async move { api.accounts(&group_id).await }
    });
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(ProjectRole::ReadOnly);
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let adding = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let deleting = RwSignal::new(None::<String>);
    let delete_busy = RwSignal::new(false);

    let add = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            outcome.set(None);
            let (name, secret, chosen) = (
                username.get_untracked().trim().to_owned(),
                password.get_untracked(),
                role.get_untracked(),
            );
            if let Err(errors) = validate_new_account(&name, &secret, chosen.atlas_name()) {
                issues.set(errors.iter().map(FieldError::to_issue).collect());
                reveal_first_invalid(".account-form");
                return;
            }
            issues.set(Vec::new());
            adding.set(true);
            let (api, group_id) = scope.call();
            leptos::task::spawn_local(async move {
                let result = api.create_account(&group_id, &name, &secret, chosen).await;
                adding.try_set(false);
                match result {
                    Ok(account) => {
                        username.try_set(String::new());
                        password.try_set(String::new());
                        outcome.try_set(Some(Outcome::Added(account.username)));
                        accounts.refetch();
                    }
                    Err(error) => {
                        let placed = error.field_issues().to_vec();
                        if placed.is_empty() {
                            outcome.try_set(Some(Outcome::Refused(error)));
                        } else {
                            reveal_first_invalid(".account-form");
                        }
                        issues.try_set(placed);
                    }
                }
            });
        }
    };

    let change_role = move |name: String, new_role: ProjectRole| {
        outcome.set(None);
        let (api, group_id) = scope.call();
        leptos::task::spawn_local(async move {
            outcome.try_set(Some(
                match api.set_account_role(&group_id, &name, new_role).await {
                    Ok(_) => Outcome::Changed(name),
                    Err(error) => Outcome::Refused(error),
                },
            ));
            accounts.refetch();
        });
    };

    let confirm_delete = confirmed_delete(
        deleting,
        delete_busy,
        move |name: String| {
            let (api, group_id) = scope.call();
            async move { api.delete_account(&group_id, &name).await }
        },
        move |name, result| {
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Deleted(name),
                Err(error) => Outcome::Refused(error),
            }));
            accounts.refetch();
        },
    );

    let field_errors = move |field: &'static str| {
        let errors = move || {
            issues.with(|all| {
                all.iter()
                    .filter(|i| i.field == field)
                    .map(|i| view! { <p class="field-error" data-testid="account-error" data-field=field>{i.detail.clone()}</p> })
                    .collect_view()
            })
        };
        view! { <div id=errors_id(FORM, field) class="field-errors">{errors}</div> }
    };
    let invalid = move |field: &'static str| {
        move || {
            issues
                .with(|all| all.iter().any(|i| i.field == field))
                .to_string()
        }
    };

    let table = move |list: Vec<Account>| {
        let group_id = scope.id();
        view! {
            <div class="table-scroll"><table class="table accounts-table" data-testid="accounts-table">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Project Role"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|account| {
                        let name = account.username.clone();
                        let current = account.role_in(&group_id);
                        let is_me = me().as_deref() == Some(name.as_str());
                        let for_select = name.clone();
                        let for_delete = name.clone();
                        view! {
                            <tr data-testid="account-row" data-username=name.clone()>
                                <td><strong>{name.clone()}</strong>{is_me.then(|| view! { <span class="chip">"you"</span> })}</td>
                                <td>
                                    <span class="role-label" data-testid="account-role">{current.map(|r| r.label()).unwrap_or("—")}</span>
                                    <select class="select select-small" data-needs="project" data-testid="account-role-select"
                                        aria-label=format!("Project role of {name}")
                                        on:change=move |ev| {
                                            if let Some(role) = ProjectRole::from_atlas_name(&event_target_value(&ev)) {
                                                change_role(for_select.clone(), role);
                                            }
                                        }>
                                        {ProjectRole::ALL.map(|r| view! {
                                            <option value=r.atlas_name() selected=current == Some(r)>{r.label()}</option>
                                        })}
                                    </select>
                                </td>
                                <td class="muted">{display_rfc3339(&account.created)}</td>
                                <td class="row-actions">
                                    <button type="button" class="button button-quiet button-small danger-text" data-needs="project"
                                        data-testid="account-delete"
                                        on:click=move |_| { outcome.set(None); deleting.set(Some(for_delete.clone())) }>
                                        "Remove"
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Project Access"</h1>
        </header>
        <section class="panel" data-testid="project-access-page">
            <p class="panel-description">
                "Who may use this console for the project. " <strong>"Project Owner"</strong> ": everything. "
                <strong>"Project Database Access Admin"</strong> ": database users, custom roles and the X.509 CAs. "
                <strong>"Project Read Only"</strong> ": reads only. Programs use API keys with the same roles."
            </p>
            <form class="account-form" data-needs="project" on:submit=add>
                <div class="field">
                    <label class="field-label" for="account-username">"Username"</label>
                    <input id="account-username" aria-describedby=errors_id(FORM, "username") aria-invalid=invalid("username") class="text-input" type="text" autocomplete="off" spellcheck="false"
                        data-testid="account-username" prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                    {field_errors("username")}
                </div>
                <div class="field">
                    <label class="field-label" for="account-password">"Initial password"</label>
                    <input id="account-password" aria-describedby=errors_id(FORM, "password") aria-invalid=invalid("password") class="text-input" type="password" autocomplete="new-password"
                        placeholder=format!("{MIN_PASSWORD_CHARS}+ characters")
                        data-testid="account-password" prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                    {field_errors("password")}
                </div>
                <div class="field">
                    <label class="field-label" for="account-role">"Project role"</label>
                    <select id="account-role" aria-describedby=errors_id(FORM, "roleName") aria-invalid=invalid("roleName") class="select" data-testid="account-role-new"
                        on:change=move |ev| {
                            if let Some(r) = ProjectRole::from_atlas_name(&event_target_value(&ev)) { role.set(r) }
                        }>
                        {ProjectRole::ALL.map(|r| view! {
                            <option value=r.atlas_name() selected=move || role.get() == r>{r.label()}</option>
                        })}
                    </select>
                    {field_errors("roleName")}
                </div>
                <button type="submit" class="button button-primary" data-testid="add-account" disabled=adding>
                    "+ Add Account"
                </button>
            </form>
            // A live region that stays on the page, so that what it comes to say is announced.
            <div class="live-region" aria-live="polite" data-testid="accounts-live">
            {move || outcome.get().map(|o| match o {
                Outcome::Added(name) => done("Added the account ", name, "accounts-outcome"),
                Outcome::Changed(name) => done("Changed the role of ", name, "accounts-outcome"),
                Outcome::Deleted(name) => done("Removed the account ", name, "accounts-outcome"),
                Outcome::Refused(error) => view! { <ApiErrorPanel title="The change was not made" error /> }.into_any(),
            })}
            </div>
            <div class="accounts-list">{loaded(accounts, "Loading accounts…", "The accounts could not be read", table)}</div>
        </section>
        {move || deleting.get().map(|name| view! {
            <ConfirmDialog
                title="Remove account?"
                confirm_label="Remove"
                busy=delete_busy
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p><code>{name}</code> " will no longer be able to sign in; their sessions end now."</p>
            </ConfirmDialog>
        })}
    }
}
