//! What cannot be read in a bundle (or must not be sent, like a private key), block by block.

use access_core::pem_bundle::{Problem, ProblemCode};
use leptos::prelude::*;

#[component]
pub fn ProblemList(
    problems: Vec<Problem>,
    /// Whether these come from the browser's own reading (nothing sent) or from the server's answer.
    #[prop(default = false)]
    from_server: bool,
) -> impl IntoView {
    let count = problems.len();
    let heading = match (from_server, count) {
        (false, 1) => "1 problem: this bundle cannot be saved until it is fixed".to_owned(),
        (false, n) => format!("{n} problems: this bundle cannot be saved until they are fixed"),
        (true, 1) => "The server found 1 problem".to_owned(),
        (true, n) => format!("The server found {n} problems"),
    };
    let items = problems
        .into_iter()
        .map(|problem| {
            let place = place(&problem);
            let private_key = problem.code == ProblemCode::PrivateKey;
            // Core's messages start with where the problem is; under the private-key headline, which
            // already says it, the rest of the message is enough.
            let detail = match (&place, private_key) {
                (Some(place), true) => problem
                    .message
                    .as_str()
                    .strip_prefix(&format!("{place}: "))
                    .map(capitalized)
                    .unwrap_or_else(|| problem.message.clone()),
                _ => problem.message.clone(),
            };
            let headline = private_key.then(|| {
                let what = match place.as_deref() {
                    Some(place) => format!("Private key in {}", place.to_lowercase()),
                    None => "Private key".to_owned(),
                };
                let sent = if from_server {
                    "remove it"
                } else {
                    "remove it; it has not been sent anywhere"
                };
                view! { <strong class="problem-headline">{format!("{what}: {sent}.")}</strong> }
            });
            view! {
                <li
                    class="problem"
                    class:private-key=private_key
                    data-testid="problem"
                    data-code=code_name(problem.code)
                    data-block=problem.block
                    data-line=problem.line
                >
                    {headline}
                    <span class="problem-message">{detail}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="problem-list" role="alert" data-testid="problem-list">
            <h3 class="problem-list-heading">{heading}</h3>
            <ul>{items}</ul>
        </div>
    }
}

/// "Block 2 (line 14)", or nothing for a problem of the whole bundle.
fn place(problem: &Problem) -> Option<String> {
    match (problem.block, problem.line) {
        (0, 0) => None,
        (0, line) => Some(format!("Line {line}")),
        (block, 0) => Some(format!("Block {block}")),
        (block, line) => Some(format!("Block {block} (line {line})")),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn code_name(code: ProblemCode) -> &'static str {
    match code {
        ProblemCode::BadBase64 => "bad_base64",
        ProblemCode::MissingEnd => "missing_end",
        ProblemCode::MissingBegin => "missing_begin",
        ProblemCode::LabelMismatch => "label_mismatch",
        ProblemCode::NotACertificate => "not_a_certificate",
        ProblemCode::NotDer => "not_der",
        ProblemCode::PrivateKey => "private_key",
        ProblemCode::UnsupportedBlock => "unsupported_block",
        ProblemCode::NoCertificates => "no_certificates",
    }
}
