//! The signature worker (`crates/signature-worker`): certificate signatures checked in Wasm, off the first
//! load. It is started the first time a signature must be checked, and kept for the next ones.

use std::cell::RefCell;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Trunk's loader for the worker (index.html: `data-type="worker"`, `data-loader-shim`), next to
/// index.html.
const LOADER: &str = "./signature-worker_loader.js";

thread_local! {
    static STARTED: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// What the worker said about one CA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The CA's key verifies the certificate's signature.
    Verified,
    /// Checked: this CA's key did not sign it.
    Mismatch,
    /// Could not be checked (algorithm not supported, ...): why.
    NotChecked(String),
}

/// Checks `certificate` (DER) against each CA (DER), in order.
pub async fn check(certificate: &[u8], cas: &[Vec<u8>]) -> Result<Vec<SignatureCheck>, String> {
    let worker = worker().await?;
    let request = Array::new();
    request.push(&Uint8Array::from(certificate));
    for ca in cas {
        request.push(&Uint8Array::from(ca.as_slice()));
    }
    let answer = next_message(&worker);
    worker
        .post_message(&request)
        .map_err(|e| format!("the signature worker cannot be reached ({e:?})"))?;
    let answers = Array::from(&answer.await?);
    Ok(answers
        .iter()
        .map(|value| match value.as_string().as_deref() {
            Some("verified") => SignatureCheck::Verified,
            Some("mismatch") => SignatureCheck::Mismatch,
            Some(reason) => SignatureCheck::NotChecked(reason.to_owned()),
            None => SignatureCheck::NotChecked("no answer".to_owned()),
        })
        .collect())
}

/// The worker, started (and ready: it says so with a first, empty message) on first use.
async fn worker() -> Result<Worker, String> {
    if let Some(worker) = STARTED.with(|w| w.borrow().clone()) {
        return Ok(worker);
    }
    let worker = Worker::new(LOADER)
        .map_err(|e| format!("the signature worker cannot be started ({e:?})"))?;
    next_message(&worker).await?;
    STARTED.with(|w| *w.borrow_mut() = Some(worker.clone()));
    Ok(worker)
}

/// The data of the worker's next message, or why there will be none.
async fn next_message(worker: &Worker) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        let on_error = Closure::once_into_js(move |event: ErrorEvent| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&event.message()));
        });
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| {
        format!(
            "the signature worker failed: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )
    })
}
