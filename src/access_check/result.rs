//! The answer: each step with pass / warn / fail and its reason, then the grant paths (linked to the
//! user and the roles), the denials with what would grant them, or the effective privileges.

use access_core::access_check::{AccessCheckAnswer, Authorization, NearUser, Outcome, Step};
use leptos::prelude::*;

use crate::route::{Page, Route};

fn step_label(step: &Step) -> &'static str {
    use access_core::access_check::StepKind as K;
    match step.step {
        K::Certificate => "Certificate",
        K::ClientUse => "Client use",
        K::Chain => "Chain",
        K::ClusterMember => "Cluster member",
        K::User => "Database user",
        K::Authorization => "Authorization",
    }
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Warn => "warn",
        Outcome::Fail => "fail",
    }
}

#[component]
fn StepRow(step: Step) -> impl IntoView {
    let word = outcome_word(step.result);
    let code = serde_json::to_value(step.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let label = step_label(&step);
    view! {
        <li class=format!("check-step check-{word}") data-testid="check-step" data-step=label data-result=word data-code=code>
            <span class=format!("badge check-badge check-badge-{word}")>{word.to_uppercase()}</span>
            <strong class="check-step-name">{label}</strong>
            <span class="check-step-detail">{step.detail}</span>
        </li>
    }
}

/// A path `[username, "role@db", ...]`: the user links to Database Users, each role to MongoDB Roles.
#[component]
fn GrantPath(path: Vec<String>, group_id: String) -> impl IntoView {
    let users = Route::project(group_id.clone(), Page::DatabaseAccess).href();
    let roles = Route::project(group_id, Page::CustomRoles).href();
    let last = path.len().saturating_sub(1);
    path.into_iter()
        .enumerate()
        .map(|(i, link)| {
            let href = if i == 0 { users.clone() } else { roles.clone() };
            view! {
                <a class="mono" href=href data-testid="grant-link">{link}</a>
                {(i < last).then_some(" → ")}
            }
        })
        .collect_view()
}

#[component]
fn AuthorizationDetails(authorization: Authorization, group_id: String) -> impl IntoView {
    let grants = authorization.grants.clone();
    let suggestions = authorization.suggestions.clone();
    view! {
        {(!grants.is_empty()).then(|| view! {
            <h3 class="panel-title">"Granted by"</h3>
            <ul class="check-grants" data-testid="check-grants">
                {grants.into_iter().map(|g| view! {
                    <li data-testid="check-grant">
                        <strong>{g.action}</strong>" on "<span class="mono">{g.resource}</span>": "
                        <GrantPath path=g.path group_id=group_id.clone() />
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!authorization.missing.is_empty()).then(|| view! {
            <h3 class="panel-title">"Denied"</h3>
            <ul class="check-denials" data-testid="check-denials">
                {authorization.missing.into_iter().map(|m| {
                    let roles: Vec<String> = suggestions.iter().filter(|s| s.action == m.action)
                        .map(|s| format!("{}@{}{}", s.role, s.db, if s.built_in { "" } else { " (custom)" })).collect();
                    view! {
                        <li data-testid="check-denial">
                            {m.detail}
                            {(!m.held.is_empty()).then(|| view! { <span class="muted">" Held there: "{m.held.join(", ")}"."</span> })}
                            {(!roles.is_empty()).then(|| view! { <span>" Would be granted by: "<span class="mono">{roles.join(", ")}</span>"."</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn NearestUsers(users: Vec<NearUser>) -> impl IntoView {
    view! {
        <h3 class="panel-title">"Nearest users"</h3>
        <ul class="check-nearest" data-testid="check-nearest">
            {users.into_iter().map(|u| view! {
                <li><span class="mono">{u.username}</span>" — "{u.detail}</li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn CheckResult(answer: AccessCheckAnswer, group_id: String) -> impl IntoView {
    let verdict = if answer.connects_and_allowed {
        ("notice notice-success", "Connects and is allowed.")
    } else {
        ("notice notice-danger", "Would be refused.")
    };
    let privileges = answer.effective_privileges.clone();
    view! {
        <div class=verdict.0 role="status" data-testid="check-verdict" data-allowed=answer.connects_and_allowed.to_string()>
            <strong>{verdict.1}</strong>
            {answer.username.map(|u| view! { " Username: "<span class="mono" data-testid="check-username">{u}</span> })}
        </div>
        <ol class="check-steps" data-testid="check-steps">
            {answer.steps.into_iter().map(|step| view! { <StepRow step /> }).collect_view()}
        </ol>
        {(!answer.nearest_users.is_empty()).then(|| view! { <NearestUsers users=answer.nearest_users.clone() /> })}
        {answer.authorization.map(|authorization| view! { <AuthorizationDetails authorization group_id=group_id.clone() /> })}
        {(!privileges.is_empty()).then(|| view! {
            <h3 class="panel-title">"Effective privileges"</h3>
            <div class="table-scroll"><table class="table effective-table" data-testid="check-privileges">
                <thead><tr><th scope="col">"Action"</th><th scope="col">"Resource"</th><th scope="col">"Granted by"</th></tr></thead>
                <tbody>
                    {privileges.into_iter().map(|p| view! {
                        <tr>
                            <td class="mono">{p.action}</td>
                            <td class="mono">{p.resource}</td>
                            <td><GrantPath path=p.path group_id=group_id.clone() /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        })}
    }
}
