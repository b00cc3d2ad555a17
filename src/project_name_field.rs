//! A project's name as it is typed (New Project, Project Settings' rename): core's
//! `validate_project_name` says what is wrong at the field as the user types, and the server's refusal
//! of the name (400 `INVALID_GROUP_NAME` with `errors[].field` "name", 409 `GROUP_ALREADY_EXISTS`) is
//! shown at the same place.

use access_core::project_name::validate_project_name;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::field_feedback::errors_id;

/// The server's refusal of the name, if it is about the name (a broken rule or a name already taken,
/// each with `errors[].field = "name"`); else the page shows it as a whole.
pub fn name_refusal(error: &ApiError) -> Option<String> {
    error
        .field_issues()
        .iter()
        .find(|i| i.field == "name")
        .map(|issue| issue.detail.clone())
}

/// What is wrong with `name` by core's rule, as the field says it (none: it may be saved).
pub fn name_problem(name: &str) -> Option<String> {
    validate_project_name(name).err().map(|error| {
        let text = error.to_string();
        let mut chars = text.chars();
        chars.next().map_or_else(String::new, |first| {
            format!("{}{}.", first.to_uppercase(), chars.as_str())
        })
    })
}

/// The name field: `value` as typed, `refused` the server's word on the last save (cleared on input).
#[component]
pub fn ProjectNameField(
    /// The form's name, for the id of the errors' element.
    form: &'static str,
    /// The input's id and test id.
    id: &'static str,
    value: RwSignal<String>,
    refused: RwSignal<Option<String>>,
    /// Whether the field is focused when its dialog opens.
    #[prop(optional)]
    autofocus: bool,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    // Nothing is said of an untouched empty field; as soon as it was typed in, the rule speaks.
    let touched = RwSignal::new(false);
    let problem = move || {
        refused.get().or_else(|| {
            touched
                .get()
                .then(|| value.with(|v| name_problem(v)))
                .flatten()
        })
    };
    let errors = errors_id(form, "name");
    view! {
        <div class="field">
            <label class="field-label" for=id>"Project name"</label>
            <input
                id=id
                class="text-input"
                type="text"
                autocomplete="off"
                spellcheck="false"
                maxlength="200"
                data-testid=id
                data-autofocus=autofocus.then_some("")
                aria-describedby=errors.clone()
                aria-invalid=move || problem().is_some().to_string()
                disabled=disabled
                prop:value=move || value.get()
                on:input=move |ev| {
                    touched.set(true);
                    refused.set(None);
                    value.set(event_target_value(&ev));
                }
            />
            <p class="field-help">"1 to 64 letters, digits, spaces, - and _."</p>
            <div id=errors class="field-errors">
                {move || problem().map(|p| view! { <p class="field-error" data-testid="project-name-error" data-field="name">{p}</p> })}
            </div>
        </div>
    }
}
