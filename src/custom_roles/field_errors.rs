//! Rule errors under the field they name: the core's (live, once the field was touched or Save was
//! tried) and the server's (placed by `errors[].field`).

use access_core::cluster::Cluster;
use access_core::custom_role::CustomDbRole;
use access_core::field_issue::FieldIssue;
use leptos::prelude::*;

use crate::field_feedback::errors_id;

/// The form name of the role dialog's error ids ([`errors_id`]): a field names its errors' element in
/// `aria-describedby`.
pub const DIALOG_FORM: &str = "role-dialog";

/// What the dialog's parts share.
#[derive(Clone, Copy)]
pub struct DialogContext {
    /// The project's stored custom roles.
    pub roles: StoredValue<Vec<CustomDbRole>>,
    pub clusters: StoredValue<Vec<Cluster>>,
    /// The role's name as typed (the rules need it for cycles).
    pub name: RwSignal<String>,
    /// The core's verdict on the dialog as it stands, with row paths (`rows[0].targets[1].db`).
    pub issues: Memo<Vec<FieldIssue>>,
    /// What the server refused on the last save, placed on row paths where possible.
    pub server_issues: RwSignal<Vec<FieldIssue>>,
    /// Save was tried: every error shows.
    pub attempted: RwSignal<bool>,
}

impl DialogContext {
    /// Whether any error (shown or not yet) concerns `field`.
    pub fn has_error(&self, field: &str) -> bool {
        self.issues.with(|i| i.iter().any(|i| i.field == field))
            || self
                .server_issues
                .with(|i| i.iter().any(|i| i.field == field))
    }
}

/// The errors at `field` (and, with `nested`, at paths under it: `field[...]`, `field.x`), in an element
/// whose id is `errors_id(DIALOG_FORM, field)`.
#[component]
pub fn FieldErrors(
    ctx: DialogContext,
    #[prop(into)] field: Signal<String>,
    /// Whether the core's errors show yet (the field was touched).
    #[prop(into)]
    shown: Signal<bool>,
    #[prop(optional)] nested: bool,
    test_id: &'static str,
) -> impl IntoView {
    let matching = move |issue: &FieldIssue, field: &str| {
        issue.field == field
            || (nested
                && issue
                    .field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.')))
    };
    let id = move || errors_id(DIALOG_FORM, &field.get());
    let errors = move || {
        let field = field.get();
        let mut found: Vec<FieldIssue> = Vec::new();
        if shown.get() || ctx.attempted.get() {
            ctx.issues
                .with(|all| found.extend(all.iter().filter(|i| matching(i, &field)).cloned()));
        }
        ctx.server_issues
            .with(|all| found.extend(all.iter().filter(|i| matching(i, &field)).cloned()));
        found
            .into_iter()
            .map(|i| {
                view! {
                    <p class="field-error" data-testid=test_id data-field=i.field data-error-code=i.error_code>
                        {i.detail}
                    </p>
                }
            })
            .collect_view()
    };
    view! { <div id=id>{errors}</div> }
}
