//! Add New Database User / Edit User: the CERTIFICATE method, the name (typed, or from a dropped client
//! certificate), privileges, the clusters it may reach, and an optional expiry (temporary user).
//!
//! The core's rules run before anything is sent; what the server still refuses is shown on the field it
//! names (`username`, `roles[1].databaseName`, `scopes[0].name`, ...), the rest above the buttons.

use access_core::cluster::Cluster;
use access_core::database_user::{
    AwsIamType, DatabaseUser, LdapAuthType, OidcAuthType, ScopeType, UserScope, X509Type,
};
use access_core::edit_conflict::{reapply_user, user_changes};
use access_core::etag::of_database_user;
use access_core::field_issue::{FieldError, FieldIssue};
use access_core::privileges::validate_user_roles;
use access_core::time::format_rfc3339;
use leptos::prelude::*;

pub use super::lazy_user_dialog::DialogMode;

use super::client_certificate_drop::ClientCertificateDrop;
use super::common_name_field::{canonical_name, CommonNameField};
use super::privileges_field::{Privileges, PrivilegesField};
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::clock::now_unix;
use crate::edit_conflict::{is_stale, EditConflictPanel};
use crate::field_feedback::reveal_first_invalid;
use crate::form_dialog::{save_in_background, DialogActions};
use crate::modal::Modal;

/// The dialog, for [`reveal_first_invalid`].
const DIALOG_SELECTOR: &str = "[data-testid=user-dialog]";

/// The database of every certificate user.
pub const EXTERNAL: &str = "$external";

/// How long a temporary user lives, as Atlas offers it.
const TEMPORARY_FOR: [(&str, i64); 3] = [
    ("6 hours", 6 * 3600),
    ("1 day", 86_400),
    ("1 week", 7 * 86_400),
];

/// A save refused because the user changed meanwhile: the version the edit was based on, the edit, and
/// the version stored now.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    base: DatabaseUser,
    mine: DatabaseUser,
    current: DatabaseUser,
}

/// The dialog as the pages module shows it: the user edited (its current version), the project's
/// custom role names and clusters read first (the Users tab's list needs none of them), then
/// [`UserDialog`].
#[component]
pub fn UserDialogLoader(
    group_id: String,
    /// The name of the user edited (in `$external`); none to add one.
    user: Option<String>,
    ca_bundle: String,
    on_close: Callback<()>,
    on_saved: Callback<(DatabaseUser, bool)>,
    on_reload: Callback<DatabaseUser>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let loaded = LocalResource::new({
        let group_id = group_id.clone();
        move || {
            let (api, group_id, user) = (api.clone(), group_id.clone(), user.clone());
            async move {
                let mode = match user {
                    Some(name) => {
                        DialogMode::Edit(api.database_user(&group_id, EXTERNAL, &name).await?)
                    }
                    None => DialogMode::Add,
                };
                let names = api.custom_role_names(&group_id).await?;
                let clusters = api.clusters(&group_id).await?;
                Ok::<_, ApiError>((mode, names, clusters))
            }
        }
    });
    view! {
        <Suspense>
            {move || loaded.get().map(|loaded| match loaded {
                Ok((mode, names, clusters)) => view! {
                    <UserDialog
                        mode
                        group_id=group_id.clone()
                        ca_bundle=ca_bundle.clone()
                        custom_role_names=names
                        clusters=clusters
                        on_close
                        on_saved
                        on_reload
                    />
                }
                .into_any(),
                Err(error) => view! {
                    <Modal labelled_by="user-dialog-error-title" test_id="user-dialog-error" on_close>
                        <h2 class="dialog-title" id="user-dialog-error-title">"The user cannot be opened"</h2>
                        <ApiErrorPanel title="Reading the user failed" error />
                        <div class="dialog-actions">
                            <button type="button" class="button button-secondary" data-autofocus
                                on:click=move |_| on_close.run(())>"Close"</button>
                        </div>
                    </Modal>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn UserDialog(
    mode: DialogMode,
    group_id: String,
    /// The project's stored CA bundle, for a dropped client certificate.
    #[prop(into)]
    ca_bundle: Signal<String>,
    #[prop(into)] custom_role_names: Signal<Vec<String>>,
    #[prop(into)] clusters: Signal<Vec<Cluster>>,
    on_close: Callback<()>,
    /// Called with the saved user and whether it was new.
    on_saved: Callback<(DatabaseUser, bool)>,
    /// "Reload" after a conflicting change: reopen the dialog on this (current) version.
    on_reload: Callback<DatabaseUser>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let existing = match &mode {
        DialogMode::Add => None,
        DialogMode::Edit(user) => Some(user.clone()),
    };
    let editing = existing.is_some();
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|u| u.username.clone())
            .unwrap_or_default(),
    );
    let privileges = Privileges::from_roles(
        existing
            .as_ref()
            .map(|u| u.roles.as_slice())
            .unwrap_or_default(),
        &custom_role_names.get_untracked(),
    );
    let scoped = RwSignal::new(existing.as_ref().is_some_and(|u| !u.scopes.is_empty()));
    let scopes = RwSignal::new(
        existing
            .as_ref()
            .map(|u| u.scopes.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let current_expiry = existing.as_ref().and_then(|u| u.delete_after_date.clone());
    // "" keeps the current expiry (or none); "never" removes it; else seconds from now.
    let temporary = RwSignal::new(String::new());
    let description = RwSignal::new(
        existing
            .as_ref()
            .and_then(|u| u.description.clone())
            .unwrap_or_default(),
    );
    let attempted = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_issues = RwSignal::new(Vec::<FieldIssue>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let conflict = RwSignal::new(None::<Conflict>);

    // The core's rules, as the user edits (shown once Save was tried).
    let local_issues = Memo::new(move |_| {
        let roles = privileges.roles();
        let names = custom_role_names.get();
        match validate_user_roles(&roles, &names) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(FieldError::to_issue).collect(),
        }
    });
    let shown_issues = Signal::derive(move || {
        let mut issues = if attempted.get() {
            local_issues.get()
        } else {
            Vec::new()
        };
        issues.extend(server_issues.get());
        issues
    });
    let name_error = Signal::derive(move || {
        server_issues.with(|issues| {
            issues
                .iter()
                .find(|i| i.field == "username")
                .map(|i| i.detail.clone())
        })
    });
    let other_issues = move || {
        server_issues.with(|issues| {
            issues
                .iter()
                .filter(|i| i.field != "username" && !i.field.starts_with("roles"))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    let build = {
        let existing = existing.clone();
        move || -> Option<DatabaseUser> {
            let username = canonical_name(&name.get_untracked())?;
            let scopes = if scoped.get_untracked() {
                scopes
                    .get_untracked()
                    .into_iter()
                    .map(|name| UserScope {
                        name,
                        scope_type: ScopeType::Cluster,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let delete_after_date = match temporary.get_untracked().as_str() {
                "" => current_expiry.clone(),
                "never" => None,
                seconds => seconds
                    .parse::<i64>()
                    .ok()
                    .map(|s| format_rfc3339(now_unix() + s)),
            };
            let description = description.get_untracked().trim().to_owned();
            Some(DatabaseUser {
                group_id: None,
                database_name: EXTERNAL.to_owned(),
                username,
                x509_type: X509Type::Customer,
                aws_iam_type: AwsIamType::None,
                ldap_auth_type: LdapAuthType::None,
                oidc_auth_type: OidcAuthType::None,
                roles: privileges.roles_untracked(),
                scopes,
                labels: existing
                    .as_ref()
                    .map(|u| u.labels.clone())
                    .unwrap_or_default(),
                description: (!description.is_empty()).then_some(description),
                delete_after_date,
                password: None,
            })
        }
    };

    // Sends `user`: a new one, or an edit of `base` (sent with `base`'s tag as If-Match). When `base`
    // changed meanwhile (412), reads the current version and shows the conflict.
    let submit = Callback::new(move |(user, base): (DatabaseUser, Option<DatabaseUser>)| {
        failure.set(None);
        conflict.set(None);
        let api = api.clone();
        let group_id = group_id.clone();
        let sent = user.clone();
        let base_sent = base.clone();
        let request = {
            let api = api.clone();
            let group_id = group_id.clone();
            async move {
                match &base_sent {
                    Some(base) => {
                        api.update_database_user(&group_id, &sent, &of_database_user(base))
                            .await
                    }
                    None => api.create_database_user(&group_id, &sent).await,
                }
            }
        };
        save_in_background(saving, editing, request, on_saved, move |error| {
            if let (true, Some(base)) = (is_stale(&error), base) {
                saving.try_set(true);
                leptos::task::spawn_local(async move {
                    let current = api
                        .database_user(&group_id, &base.database_name, &base.username)
                        .await;
                    saving.try_set(false);
                    match current {
                        Ok(current) => {
                            conflict.try_set(Some(Conflict {
                                base,
                                mine: user,
                                current,
                            }));
                        }
                        // Deleted meanwhile, or unreachable: say so.
                        Err(error) => {
                            failure.try_set(Some(error));
                        }
                    }
                });
                return;
            }
            let issues = error.field_issues().to_vec();
            let placed = !issues.is_empty();
            server_issues.try_set(issues);
            if placed {
                reveal_first_invalid(DIALOG_SELECTOR);
            }
            // An error the fields do not show (e.g. a duplicate name, X.509 off) goes above
            // the buttons too.
            if !placed
                || error.error_code() == Some(access_core::error_code::DUPLICATE_DATABASE_USERNAME)
            {
                failure.try_set(Some(error));
            }
        });
    });
    let existing_for_save = existing.clone();

    let save = move || {
        attempted.set(true);
        server_issues.set(Vec::new());
        failure.set(None);
        let Some(user) = build() else {
            server_issues.set(vec![FieldIssue {
                field: "username".into(),
                error_code: "INVALID_DN".into(),
                detail: "Enter the distinguished name of the user's certificate subject (or drop the certificate).".into(),
            }]);
            reveal_first_invalid(DIALOG_SELECTOR);
            return;
        };
        if !local_issues.get_untracked().is_empty() {
            reveal_first_invalid(DIALOG_SELECTOR);
            return;
        }
        submit.run((user, existing_for_save.clone()));
    };

    // "Apply my changes anyway": the edit applied to the current version, sent with its tag.
    let apply_anyway = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            submit.run((reapply_user(&c.base, &c.mine, &c.current), Some(c.current)));
        }
    });
    let reload = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            on_reload.run(c.current);
        }
    });
    let conflict_view = move || {
        conflict.get().map(|c| {
            let theirs = user_changes(&c.base, &c.current);
            let mine = user_changes(&c.base, &c.mine);
            view! {
                <EditConflictPanel what="This user" theirs mine busy=saving on_reload=reload on_apply=apply_anyway />
            }
        })
    };

    let title = if editing {
        "Edit Database User"
    } else {
        "Add New Database User"
    };

    view! {
        <Modal class="dialog dialog-wide" labelled_by="user-dialog-title" test_id="user-dialog" busy=saving on_close>
                <h2 id="user-dialog-title">{title}</h2>
                <div class="dialog-body user-form">
                    <div class="field">
                        <span class="field-label">"Authentication Method"</span>
                        <div class="segmented" role="radiogroup" aria-label="Authentication Method">
                            <span class="segment segment-selected" role="radio" aria-checked="true">"Certificate"</span>
                            <span class="segment segment-disabled" role="radio" aria-checked="false" aria-disabled="true"
                                title="This console manages users that authenticate with X.509 certificates from the project's own CAs.">
                                "Password"
                            </span>
                            <span class="segment segment-disabled" role="radio" aria-checked="false" aria-disabled="true"
                                title="This console manages users that authenticate with X.509 certificates from the project's own CAs.">
                                "AWS IAM · LDAP · OIDC"
                            </span>
                        </div>
                    </div>
                    <CommonNameField value=name read_only=editing server_error=name_error />
                    <ClusterMemberWarning name clusters />
                    {(!editing).then(|| view! {
                        <ClientCertificateDrop ca_bundle on_subject=Callback::new(move |subject: String| name.set(subject)) name />
                    })}
                    <PrivilegesField privileges custom_role_names issues=shown_issues />
                    <ScopesField scoped scopes clusters />
                    <div class="field">
                        <label class="field-label" for="user-temporary">"Temporary user"</label>
                        <select
                            id="user-temporary"
                            class="select"
                            data-testid="user-temporary"
                            on:change=move |ev| temporary.set(event_target_value(&ev))
                        >
                            {match existing.as_ref().and_then(|u| u.delete_after_date.clone()) {
                                Some(date) => view! {
                                    <option value="" selected=true>{format!("Keep: deleted after {date}")}</option>
                                    <option value="never">"Never delete (make permanent)"</option>
                                }.into_any(),
                                None => view! { <option value="" selected=true>"No: permanent user"</option> }.into_any(),
                            }}
                            {TEMPORARY_FOR
                                .iter()
                                .map(|(label, seconds)| view! { <option value=seconds.to_string()>{format!("Delete after {label}")}</option> })
                                .collect_view()}
                        </select>
                        <p class="field-help">"The server deletes a temporary user when its time is up, and records it in the activity feed."</p>
                    </div>
                    <div class="field">
                        <label class="field-label" for="user-description">"Description (optional)"</label>
                        <input
                            id="user-description"
                            class="text-input"
                            type="text"
                            maxlength="1024"
                            data-testid="user-description"
                            prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev))
                        />
                    </div>
                    {move || other_issues().into_iter().map(|i| view! {
                        <p class="field-error" data-testid="user-form-error" data-field=i.field.clone()>{format!("{}: {}", i.field, i.detail)}</p>
                    }).collect_view()}
                    {conflict_view}
                    {move || failure.get().map(|error| view! {
                        <ApiErrorPanel title=if editing { "The user was not saved" } else { "The user was not added" } error />
                    })}
                </div>
                <DialogActions
                    test_id="user-dialog"
                    saving
                    save_label=if editing { "Update User" } else { "Add User" }
                    on_cancel=on_close
                    on_save=save
                />
        </Modal>
    }
}

/// "Restrict access to specific clusters": the user's scopes.
#[component]
fn ScopesField(
    scoped: RwSignal<bool>,
    scopes: RwSignal<Vec<String>>,
    clusters: Signal<Vec<Cluster>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="user-scoped"
                    prop:checked=move || scoped.get()
                    disabled=move || clusters.with(Vec::is_empty) && !scoped.get()
                    on:change=move |ev| scoped.set(event_target_checked(&ev))
                />
                "Restrict access to specific clusters"
            </label>
            {move || if clusters.with(Vec::is_empty) {
                view! { <p class="field-help">"The project records no clusters: the user may connect to every cluster of the project."</p> }.into_any()
            } else if scoped.get() {
                view! {
                    <div class="scope-list">
                        {clusters.get().into_iter().map(|cluster| {
                            let name = cluster.name.clone();
                            let checked_name = name.clone();
                            view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        data-testid="user-scope"
                                        value=name.clone()
                                        prop:checked=move || scopes.with(|s| s.contains(&checked_name))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let name = name.clone();
                                            scopes.update(|s| {
                                                s.retain(|n| *n != name);
                                                if on { s.push(name); }
                                            });
                                        }
                                    />
                                    {cluster.name.clone()}
                                    <span class="muted">{format!(" · MongoDB {}", cluster.mongo_db_major_version)}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            } else {
                view! { <p class="field-help">"Every cluster of the project."</p> }.into_any()
            }}
        </div>
    }
}

/// The cluster-member rule (core `cluster_member`): a name with the same O, OU and DC as a cluster's
/// member certificates is taken by MongoDB as a cluster member, not as this user. A warning: the user may
/// still be saved.
#[component]
fn ClusterMemberWarning(name: RwSignal<String>, clusters: Signal<Vec<Cluster>>) -> impl IntoView {
    let found = Memo::new(move |_| {
        let typed = name.get();
        clusters.with(|clusters| {
            access_core::cluster_member::collisions_of_username(&typed, clusters)
                .iter()
                .map(access_core::cluster_member::MemberCollision::reason)
                .collect::<Vec<_>>()
        })
    });
    move || {
        let reasons = found.get();
        (!reasons.is_empty()).then(|| {
            view! {
                <div class="notice notice-warning" role="status" data-testid="cluster-member-warning">
                    {reasons.into_iter().map(|r| view! { <p>{r}</p> }).collect_view()}
                </div>
            }
        })
    }
}
