//! An organization's page (`#/orgs/{orgId}`): every project the account may see in it, from one
//! request (`GET /api/console/orgs/{orgId}/projects`: counts, soonest CA expiry, open alerts and the
//! account's role, per project), filtered by name in memory as the user types; and New Project for the
//! roles that may create one (`OrgRole::may_create_projects`).

use access_core::api::{Organization, ProjectSummary};
use access_core::pem_bundle::EXPIRES_SOON_DAYS;
use access_core::project_role::ProjectRole;
use access_core::time::{days_left_phrase, format_for_display, parse_rfc3339};
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::clock::now_unix;
use crate::lazy_page::TellConsole;
use crate::new_project_dialog::NewProjectDialog;
use crate::route::{self, OrgPage, Page, Route};
use crate::session::role_in_org;

#[derive(Debug, Clone, PartialEq)]
enum Loaded<T> {
    Loading,
    Failed(ApiError),
    Ready(T),
}

/// The soonest CA expiry as the console says it elsewhere (date, days left) and its colour class
/// (`validity-expired`, `validity-soon` within [`EXPIRES_SOON_DAYS`], `validity-valid`).
fn expiry(text: &str, now: i64) -> (String, String, &'static str) {
    let Some(until) = parse_rfc3339(text) else {
        return (text.to_owned(), String::new(), "validity-valid");
    };
    let class = if until <= now {
        "validity-expired"
    } else if until - now < EXPIRES_SOON_DAYS * 86_400 {
        "validity-soon"
    } else {
        "validity-valid"
    };
    (
        format_for_display(until),
        days_left_phrase(until, now),
        class,
    )
}

/// The tabs of an organization's pages (the console's sidebar is a project's).
#[component]
pub fn OrgTabs(org_id: String, current: OrgPage) -> impl IntoView {
    let tab = |page: OrgPage, test_id: &'static str| {
        let active = page == current;
        view! {
            <a class="tab" class:tab-active=active href=Route::org(org_id.clone(), page).href()
                aria-current=active.then_some("page") data-testid=test_id>
                {page.title()}
            </a>
        }
    };
    view! {
        <nav class="tabs org-tabs" aria-label="Organization">
            {tab(OrgPage::Projects, "tab-org-projects")}
            {tab(OrgPage::Access, "tab-org-access")}
            {tab(OrgPage::ApiKeys, "tab-org-api-keys")}
        </nav>
    }
}

#[component]
pub fn OrganizationPage(org_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let tell = TellConsole::from_context();
    let org = RwSignal::new(None::<Organization>);
    let projects = RwSignal::new(Loaded::<Vec<ProjectSummary>>::Loading);
    let filter = RwSignal::new(String::new());
    let creating = RwSignal::new(false);
    let role = {
        let org_id = org_id.clone();
        role_in_org(move || Some(org_id.clone()))
    };
    let may_create = move || role().is_some_and(|r| r.may_create_projects());

    {
        let (api, org_id) = (api.clone(), org_id.clone());
        leptos::task::spawn_local(async move {
            if let Ok(found) = api.org(&org_id).await {
                org.try_set(Some(found));
            }
        });
    }
    {
        let (api, org_id) = (api.clone(), org_id.clone());
        leptos::task::spawn_local(async move {
            projects.try_set(match api.org_projects(&org_id).await {
                Ok(list) => Loaded::Ready(list),
                Err(error) => Loaded::Failed(error),
            });
        });
    }

    let now = now_unix();
    // The rows shown: every project whose name holds the filter (any case).
    let shown = Memo::new(move |_| {
        let wanted = filter.with(|f| f.trim().to_lowercase());
        projects.with(|p| match p {
            Loaded::Ready(list) => list
                .iter()
                .filter(|p| wanted.is_empty() || p.name.to_lowercase().contains(&wanted))
                .cloned()
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    });
    let total = move || {
        projects.with(|p| match p {
            Loaded::Ready(list) => list.len(),
            _ => 0,
        })
    };

    let row = move |p: ProjectSummary| {
        let href = Route::project(p.id.clone(), Page::DatabaseAccess).href();
        let role = ProjectRole::from_atlas_name(&p.role_name)
            .map_or(p.role_name.clone(), |r| r.label().to_owned());
        let soonest = match &p.soonest_ca_expiry {
            Some(text) => {
                let (date, left, class) = expiry(text, now);
                view! {
                    <span class=format!("badge {class}") data-testid="project-expiry-left">{left}</span>
                    " " <span class="muted nowrap" data-testid="project-expiry">{date}</span>
                }
                .into_any()
            }
            None => view! { <span class="muted">"—"</span> }.into_any(),
        };
        view! {
            <tr data-testid="org-project-row" data-group-id=p.id.clone()>
                <td><a href=href data-testid="org-project-link">{p.name.clone()}</a></td>
                <td class="numeric" data-testid="project-users">{p.database_user_count}</td>
                <td class="numeric" data-testid="project-roles">{p.custom_role_count}</td>
                <td class="numeric" data-testid="project-cas">{p.ca_count}</td>
                <td>{soonest}</td>
                <td class="numeric" data-testid="project-alerts">
                    {if p.open_alert_count > 0 {
                        view! { <span class="badge badge-warning">{p.open_alert_count}</span> }.into_any()
                    } else {
                        view! { <span class="muted">"0"</span> }.into_any()
                    }}
                </td>
                <td data-testid="project-role">{role}</td>
            </tr>
        }
    };

    let table = move || {
        match projects.get() {
        Loaded::Loading => view! { <p class="loading">"Loading projects…"</p> }.into_any(),
        Loaded::Failed(error) => view! { <ApiErrorPanel title="The projects could not be read" error /> }.into_any(),
        Loaded::Ready(list) if list.is_empty() => view! {
            <p class="empty-state" data-testid="org-projects-empty">"No project you may see yet."</p>
        }
        .into_any(),
        Loaded::Ready(_) => view! {
            <div class="table-scroll"><table class="table org-projects-table" data-testid="org-projects-table">
                <thead>
                    <tr>
                        <th scope="col">"Project"</th>
                        <th scope="col" class="numeric">"Database Users"</th>
                        <th scope="col" class="numeric">"Custom Roles"</th>
                        <th scope="col" class="numeric">"CAs"</th>
                        <th scope="col">"Soonest CA Expiry"</th>
                        <th scope="col" class="numeric">"Open Alerts"</th>
                        <th scope="col">"Your Role"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || shown.get() key=|p| (p.id.clone(), p.name.clone()) children=row />
                </tbody>
            </table></div>
        }
        .into_any(),
    }
    };

    let on_created = Callback::new(move |(id, _name): (String, String)| {
        creating.set(false);
        if let Some(tell) = tell {
            tell.projects_changed();
        }
        route::navigate(&Route::project(id, Page::DatabaseAccess));
    });

    view! {
        <header class="page-header page-header-with-actions">
            <div>
                <p class="page-eyebrow">"Organization"</p>
                <h1 data-testid="org-name">{move || org.get().map(|o| o.name).unwrap_or_else(|| "Projects".to_owned())}</h1>
            </div>
            <Show when=may_create>
                <button type="button" class="button button-primary" data-testid="new-project"
                    on:click=move |_| creating.set(true)>
                    "+ New Project"
                </button>
            </Show>
        </header>
        <OrgTabs org_id=org_id.clone() current=OrgPage::Projects />
        <section class="panel" data-testid="org-page">
            <div class="toolbar">
                <label class="visually-hidden" for="org-projects-filter">"Find a project by name"</label>
                <input id="org-projects-filter" class="text-input search" type="search" placeholder="Find a project"
                    autocomplete="off" spellcheck="false" data-testid="org-projects-filter"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev)) />
                <span class="muted" data-testid="org-projects-summary" aria-live="polite">
                    {move || format!("{} of {} projects", shown.with(Vec::len), total())}
                </span>
            </div>
            {table}
        </section>
        {
            let org_id = org_id.clone();
            move || creating.get().then(|| view! {
                <NewProjectDialog org_id=org_id.clone() on_close=Callback::new(move |()| creating.set(false)) on_created />
            })
        }
    }
}
