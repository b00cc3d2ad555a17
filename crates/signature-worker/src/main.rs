//! The signature worker: answers "did this CA sign this certificate?" with the core's RustCrypto
//! verification, off the page's first load.
//!
//! Protocol (messages are JS arrays):
//! - on start the worker posts `[]` ("ready"): messages sent before the Wasm has started are lost;
//! - request: `[certificate: Uint8Array, ca0: Uint8Array, ca1: Uint8Array, ...]` (DER);
//! - answer: one string per CA, in order: `"verified"`, `"mismatch"` (checked, not this key), or the
//!   reason the signature could not be checked.

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(target_arch = "wasm32")]
fn main() {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
        let request = Array::from(&message.data());
        let bytes = |value: JsValue| {
            value
                .dyn_into::<Uint8Array>()
                .map(|array| array.to_vec())
                .unwrap_or_default()
        };
        let certificate = bytes(request.get(0));
        let answers = Array::new();
        for index in 1..request.length() {
            let ca = bytes(request.get(index));
            answers.push(&JsValue::from_str(&answer(&ca, &certificate)));
        }
        if let Err(error) = reply_scope.post_message(&answers) {
            web_sys::console::error_2(&"signature worker cannot answer".into(), &error);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    if let Err(error) = scope.post_message(&Array::new()) {
        web_sys::console::error_2(&"signature worker cannot start".into(), &error);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("signature-worker runs in the browser: Trunk builds it for wasm32 (see index.html)");
}

/// The answer for one CA.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn answer(ca_der: &[u8], certificate_der: &[u8]) -> String {
    match access_core::signature::verifies(ca_der, certificate_der) {
        Ok(true) => "verified".to_owned(),
        Ok(false) => "mismatch".to_owned(),
        Err(error) => error.to_string(),
    }
}
