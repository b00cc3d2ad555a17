//! New Project (the organization page): a name, checked as typed; on success the console reads its
//! projects again and opens the new one (its creator is its Project Owner).

use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::field_feedback::reveal_first_invalid;
use crate::form_dialog::{save_in_background, DialogActions};
use crate::modal::Modal;
use crate::project_name_field::{name_problem, name_refusal, ProjectNameField};

#[component]
pub fn NewProjectDialog(
    org_id: String,
    on_close: Callback<()>,
    /// The created project's id and name.
    on_created: Callback<(String, String)>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);

    let save = Callback::new(move |()| {
        let wanted = name.get_untracked();
        if let Some(problem) = name_problem(&wanted) {
            refused.set(Some(problem));
            reveal_first_invalid(".new-project-dialog");
            return;
        }
        failure.set(None);
        let (api, org_id) = (api.clone(), org_id.clone());
        save_in_background(
            saving,
            false,
            async move { api.create_project(&org_id, &wanted).await },
            Callback::new(move |(group, _)| {
                let group: access_core::api::Group = group;
                on_created.run((group.id, group.name));
            }),
            move |error| match name_refusal(&error) {
                Some(said) => {
                    refused.try_set(Some(said));
                    reveal_first_invalid(".new-project-dialog");
                }
                None => {
                    failure.try_set(Some(error));
                }
            },
        );
    });

    view! {
        <Modal labelled_by="new-project-title" test_id="new-project-dialog" busy=saving on_close>
            <form class="new-project-dialog" on:submit=move |ev| { ev.prevent_default(); save.run(()) }>
                <h2 id="new-project-title">"New Project"</h2>
                <p class="muted">"You become its Project Owner. Its CAs, database users, roles and alert settings start empty."</p>
                <ProjectNameField form="new-project" id="new-project-name" value=name refused autofocus=true />
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The project was not created" error /> })}
                <DialogActions test_id="new-project" saving save_label="Create Project"
                    on_cancel=on_close on_save=move || save.run(()) />
            </form>
        </Modal>
    }
}
