//! Organization Access (`#/orgs/{orgId}/access`): the organization's accounts and their organization
//! roles. An Organization Owner changes a role; the server refuses leaving the organization without an
//! owner (409 `LAST_ORG_OWNER`), and the page shows why.

use access_core::org_role::OrgRole;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use crate::api::{ApiError, OrgMember};
use crate::api_error_panel::ApiErrorPanel;
use crate::custom_roles::done;
use crate::page_scope::{loaded, PageScope};
use crate::pages::organization::OrgTabs;
use crate::route::OrgPage;
use crate::session::{role_in_org, CurrentSession};

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Changed(String),
    Refused(ApiError),
}

#[component]
pub fn OrganizationAccessPage() -> impl IntoView {
    let scope = PageScope::get();
    let session = expect_context::<CurrentSession>();
    let me = move || session.with(|s| s.as_ref().map(|s| s.account.username.clone()));
    let role = role_in_org(move || Some(scope.id()));
    let may_manage = move || role().is_some_and(OrgRole::may_manage_organization);
    let accounts = LocalResource::new(move || {
        let (api, org_id) = scope.call();
        async move { api.org_accounts(&org_id).await }
    });
    let outcome = RwSignal::new(None::<Outcome>);

    let change_role = move |name: String, new_role: OrgRole| {
        outcome.set(None);
        let (api, org_id) = scope.call();
        leptos::task::spawn_local(async move {
            outcome.try_set(Some(
                match api.set_org_role(&org_id, &name, new_role).await {
                    Ok(_) => Outcome::Changed(name),
                    Err(error) => Outcome::Refused(error),
                },
            ));
            // Read again either way: a refused change puts the select back to the stored role.
            accounts.refetch();
        });
    };

    let table = move |list: Vec<OrgMember>| {
        view! {
            <div class="table-scroll"><table class="table accounts-table" data-testid="org-accounts-table">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Organization Role"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|account| {
                        let name = account.username.clone();
                        let current = OrgRole::from_atlas_name(&account.org_role);
                        let is_me = me().as_deref() == Some(name.as_str());
                        let for_select = name.clone();
                        let label = current.map_or(account.org_role.clone(), |r| r.label().to_owned());
                        view! {
                            <tr data-testid="org-account-row" data-username=name.clone()>
                                <td><strong>{name.clone()}</strong>{is_me.then(|| view! { <span class="chip">"you"</span> })}</td>
                                <td>
                                    {if may_manage() {
                                        view! {
                                            <select class="select select-small" data-testid="org-role-select"
                                                aria-label=format!("Organization role of {name}")
                                                on:change=move |ev| {
                                                    if let Some(role) = OrgRole::from_atlas_name(&event_target_value(&ev)) {
                                                        change_role(for_select.clone(), role);
                                                    }
                                                }>
                                                {OrgRole::ALL.map(|r| view! {
                                                    <option value=r.atlas_name() selected=current == Some(r)>{r.label()}</option>
                                                })}
                                            </select>
                                        }
                                        .into_any()
                                    } else {
                                        view! { <span class="role-label" data-testid="org-role">{label}</span> }.into_any()
                                    }}
                                </td>
                                <td class="muted">{display_rfc3339(&account.created)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">"Organization"</p>
            <h1>"Organization Access"</h1>
        </header>
        <OrgTabs org_id=scope.id() current=OrgPage::Access />
        <section class="panel" data-testid="org-access-page">
            <p class="panel-description">
                <strong>"Organization Owner"</strong> ": everything, in every project. "
                <strong>"Organization Project Creator"</strong> ": creates projects, and owns those it creates. "
                <strong>"Organization Read Only"</strong> ": reads every project. "
                <strong>"Organization Member"</strong> ": sees only the projects where it has a project role (Project Access)."
            </p>
            <div class="live-region" aria-live="polite" data-testid="org-accounts-live">
                {move || outcome.get().map(|o| match o {
                    Outcome::Changed(name) => done("Changed the organization role of ", name, "org-accounts-outcome"),
                    Outcome::Refused(error) => view! { <ApiErrorPanel title="The role was not changed" error /> }.into_any(),
                })}
            </div>
            {loaded(accounts, "Loading accounts…", "The accounts could not be read", table)}
        </section>
    }
}
