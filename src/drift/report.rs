//! The differences: only in the project, only in the deployment (with Adopt), different, and the fix.

use access_core::custom_role::CustomDbRole;
use access_core::database_user::DatabaseUser;
use access_core::drift::{Detail, Drift, Entry, Kind, Side};
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::copy_button::CopyButton;

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::User => "User",
        Kind::Role => "Role",
    }
}

fn side(s: Side) -> &'static str {
    match s {
        Side::OnlyInProject => "only in the project",
        Side::OnlyInDeployment => "only in the deployment",
    }
}

fn detail_text(detail: &Detail) -> String {
    match detail {
        Detail::Action {
            side: s,
            action,
            resource,
        } => format!("{action} on {resource}: {}", side(*s)),
        Detail::Role { side: s, role } => format!("role {role}: {}", side(*s)),
    }
}

#[component]
pub fn DriftReport(drift: Drift, group_id: String) -> impl IntoView {
    if drift.is_empty() {
        return view! {
            <section class="panel" data-testid="drift-none">
                <p>"No drift: the deployment holds exactly the project's users and roles."</p>
            </section>
        }
        .into_any();
    }
    let only_project = drift.only_in_project.clone();
    let only_deployment = drift.only_in_deployment.clone();
    let different = drift.different.clone();
    let fix = drift.fix.clone();
    view! {
        <section class="panel drift-report" aria-labelledby="drift-result">
            <h2 id="drift-result">"Differences"</h2>
            <h3>{format!("Only in the project ({})", only_project.len())}</h3>
            <ul class="drift-list" data-testid="drift-only-project">
                {only_project
                    .into_iter()
                    .map(|e| view! { <li><span class="chip">{kind(e.kind)}</span>" "<code>{e.name}</code></li> })
                    .collect_view()}
            </ul>
            <h3>{format!("Only in the deployment ({})", only_deployment.len())}</h3>
            <ul class="drift-list" data-testid="drift-only-deployment">
                {only_deployment
                    .into_iter()
                    .map(|e| view! { <DeploymentOnlyItem entry=e group_id=group_id.clone() /> })
                    .collect_view()}
            </ul>
            <h3>{format!("In both, but different ({})", different.len())}</h3>
            <ul class="drift-list" data-testid="drift-different">
                {different
                    .into_iter()
                    .map(|d| {
                        view! {
                            <li>
                                <span class="chip">{kind(d.kind)}</span>" "<code>{d.name}</code>
                                <ul class="drift-details">
                                    {d.details.iter().map(|x| view! { <li>{detail_text(x)}</li> }).collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>"Export the fix"</h3>
            <p>"mongosh lines that bring the deployment back to the project (removals are comments):"</p>
            <div class="one-liner">
                <pre data-testid="drift-fix" tabindex="0" aria-label="The fix"><code>{fix.clone()}</code></pre>
                <CopyButton value=fix what="the fix" />
            </div>
        </section>
    }
    .into_any()
}

/// Whether adopting worked.
#[derive(Clone)]
enum Adopted {
    Done,
    Refused(ApiError),
}

/// A user or role only the deployment has, and "Adopt into the project" when it has a project form.
#[component]
fn DeploymentOnlyItem(entry: Entry, group_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let state = RwSignal::new(None::<Adopted>);
    let adopt_body = entry.adopt.clone();
    let entry_kind = entry.kind;
    let adopt = move |_| {
        let Some(body) = adopt_body.clone() else {
            return;
        };
        let api = api.clone();
        let group_id = group_id.clone();
        leptos::task::spawn_local(async move {
            let result = match entry_kind {
                Kind::User => match serde_json::from_value::<DatabaseUser>(body) {
                    Ok(user) => api.create_database_user(&group_id, &user).await.map(|_| ()),
                    Err(_) => return,
                },
                Kind::Role => match serde_json::from_value::<CustomDbRole>(body) {
                    Ok(role) => api.create_custom_role(&group_id, &role).await.map(|_| ()),
                    Err(_) => return,
                },
            };
            state.set(Some(match result {
                Ok(()) => Adopted::Done,
                Err(e) => Adopted::Refused(e),
            }));
        });
    };
    let can_adopt = entry.adopt.is_some();
    view! {
        <li>
            <span class="chip">{kind(entry.kind)}</span>" "<code>{entry.name.clone()}</code>
            {can_adopt
                .then(|| {
                    view! {
                        " "
                        <button
                            type="button"
                            class="button button-secondary button-small"
                            data-needs="database-access"
                            data-testid="drift-adopt"
                            disabled=move || matches!(state.get(), Some(Adopted::Done))
                            on:click=adopt.clone()
                        >
                            "Adopt into the project"
                        </button>
                    }
                })}
            {move || match state.get() {
                None => ().into_any(),
                Some(Adopted::Done) => view! { <span class="drift-adopted" role="status">" Adopted."</span> }.into_any(),
                Some(Adopted::Refused(error)) => view! {
                    <ApiErrorPanel title="It was not adopted" error />
                }
                .into_any(),
            }}
        </li>
    }
}
