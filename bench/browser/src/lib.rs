//! The work the browser benchmark times, in functions that build for `wasm32-unknown-unknown` (exported
//! to the page with wasm-bindgen) and natively (timed by the runner on the same machine), so both sides
//! run the same code.
//!
//! [`inspect`] is what the console does with a pasted bundle; the stages ([`Stage`]) split that work into
//! its parts (PEM decoding, DER decoding, name formatting, hashing) to show which part costs what.

use std::cell::RefCell;

use access_core::certificate::Certificate;
use access_core::dn;
use access_core::pem_bundle::{certificate_ders, inspect_bundle, BundleReport};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::wasm_bindgen;

/// Inspects `text` as the console does (`inspect_bundle`) and folds the fields the benchmark compares
/// (subject, issuer, validity, serial, SHA-256 fingerprint, basic constraints) into one number, so that
/// no part of the work can be optimised away.
#[wasm_bindgen]
pub fn inspect(text: &str, now: f64) -> u32 {
    checksum(&inspect_bundle(text, now as i64))
}

/// Takes `text` as [`inspect`] does (wasm-bindgen copies it from the JS string into Wasm memory as
/// UTF-8) and does nothing else: the cost of passing the bundle in.
#[wasm_bindgen]
pub fn receive(text: &str) -> u32 {
    text.len() as u32
}

/// The SHA-256 fingerprints of the certificates `inspect_bundle` reads in `text`, in order, one a line
/// (uppercase hex, colon-separated): what the page compares with the other library's.
#[wasm_bindgen]
pub fn sha256_fingerprints(text: &str, now: f64) -> String {
    inspect_bundle(text, now as i64)
        .certificates
        .iter()
        .map(|c| c.sha256_fingerprint.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The number of certificates and the lengths of the compared fields, wrapping.
pub fn checksum(report: &BundleReport) -> u32 {
    report
        .certificates
        .iter()
        .fold(report.certificates.len() as u32, |sum, c| {
            let lengths = c.subject.len()
                + c.issuer.len()
                + c.not_before.len()
                + c.not_after.len()
                + c.serial.len()
                + c.sha256_fingerprint.len();
            let constraints = u32::from(c.is_ca) + c.path_len.unwrap_or(0);
            sum.wrapping_mul(31)
                .wrapping_add(lengths as u32)
                .wrapping_add(constraints)
        })
}

/// One part of the work of [`inspect`], run over the bundle given to [`Bundle::new`].
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Text to the DER of each certificate: lines, PEM delimiters, base64.
    PemDecode = 0,
    /// `Certificate::from_der` on each DER: every field, names formatted (RFC 2253) and times read.
    DerDecode = 1,
    /// RFC 2253 formatting of each subject and issuer alone (part of `DerDecode`).
    NameFormatting = 2,
    /// SHA-256 of each DER.
    Sha256 = 3,
    /// SHA-1 of each DER (the report has both fingerprints).
    Sha1 = 4,
    /// All of `inspect_bundle`, the text already in Wasm memory (no copy from a JS string).
    InspectBundle = 5,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::PemDecode,
        Stage::DerDecode,
        Stage::NameFormatting,
        Stage::Sha256,
        Stage::Sha1,
        Stage::InspectBundle,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::PemDecode => "PEM decode (lines, base64)",
            Stage::DerDecode => "DER decode (Certificate::from_der, names included)",
            Stage::NameFormatting => "name formatting alone (RFC 2253, subject + issuer)",
            Stage::Sha256 => "SHA-256 of each certificate",
            Stage::Sha1 => "SHA-1 of each certificate",
            Stage::InspectBundle => "inspect_bundle, text already in Wasm memory",
        }
    }
}

/// A bundle prepared for [`Bundle::run`]: its text, the DER of each certificate, and the DER of each
/// subject and issuer name.
pub struct Bundle {
    text: String,
    now: i64,
    ders: Vec<Vec<u8>>,
    names: Vec<Vec<u8>>,
}

impl Bundle {
    pub fn new(text: &str, now: i64) -> Self {
        let ders = certificate_ders(text.as_bytes());
        let names = ders
            .iter()
            .filter_map(|der| Certificate::from_der(der).ok())
            .flat_map(|c| [c.subject.to_vec(), c.issuer.to_vec()])
            .collect();
        Self {
            text: text.to_owned(),
            now,
            ders,
            names,
        }
    }

    /// Runs `stage` once over the whole bundle; returns a number that depends on all of its output.
    pub fn run(&self, stage: Stage) -> u32 {
        match stage {
            Stage::PemDecode => certificate_ders(self.text.as_bytes())
                .iter()
                .fold(0u32, |sum, der| sum.wrapping_add(der.len() as u32)),
            Stage::DerDecode => self.ders.iter().fold(0u32, |sum, der| {
                let length = Certificate::from_der(der)
                    .map_or(0, |c| c.subject_name.len() + c.issuer_name.len());
                sum.wrapping_add(length as u32)
            }),
            Stage::NameFormatting => self.names.iter().fold(0u32, |sum, name| {
                let length = dn::rfc2253(name).map_or(0, |s| s.len());
                sum.wrapping_add(length as u32)
            }),
            Stage::Sha256 => self.ders.iter().fold(0u32, |sum, der| {
                sum.wrapping_add(u32::from(Sha256::digest(der)[0]))
            }),
            Stage::Sha1 => self.ders.iter().fold(0u32, |sum, der| {
                sum.wrapping_add(u32::from(Sha1::digest(der)[0]))
            }),
            Stage::InspectBundle => checksum(&inspect_bundle(&self.text, self.now)),
        }
    }

    pub fn certificates(&self) -> usize {
        self.ders.len()
    }
}

thread_local! {
    static PREPARED: RefCell<Option<Bundle>> = const { RefCell::new(None) };
}

/// Prepares `text` for [`run_stage`]; returns the number of certificate blocks found.
#[wasm_bindgen]
pub fn prepare(text: &str, now: f64) -> u32 {
    let bundle = Bundle::new(text, now as i64);
    let count = bundle.certificates() as u32;
    PREPARED.with(|prepared| *prepared.borrow_mut() = Some(bundle));
    count
}

/// Runs `stage` once over the bundle given to [`prepare`] (0 if none was).
#[wasm_bindgen]
pub fn run_stage(stage: Stage) -> u32 {
    PREPARED.with(|prepared| prepared.borrow().as_ref().map_or(0, |b| b.run(stage)))
}

/// The names of the stages, in [`Stage`] order, one a line.
#[wasm_bindgen]
pub fn stage_names() -> String {
    Stage::ALL
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join("\n")
}
