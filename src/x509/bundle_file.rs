//! A file dropped or uploaded into the bundle editor: read in the browser, turned into PEM text for the
//! text area (a DER `.cer` becomes its PEM form), or refused with core's explanation. Nothing is sent.

use access_core::pem_bundle::{self, Problem};
use wasm_bindgen_futures::JsFuture;

/// The largest file read: the server's request body limit (4 MiB); a bundle of 140 CAs is about 220 KB.
const MAX_FILE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// What a file gave.
#[derive(Debug, Clone, PartialEq)]
pub enum FileOutcome {
    /// PEM text to add to the text area, and how many certificates core read in it.
    Text { text: String, certificates: usize },
    /// Nothing usable: why, in core's words (or the browser's).
    Refused {
        problems: Vec<Problem>,
        reason: Option<String>,
    },
}

/// One line about a file, shown under the drop zone.
#[derive(Debug, Clone, PartialEq)]
pub struct FileNote {
    pub name: String,
    pub outcome: FileOutcome,
}

/// Reads `file` and makes PEM text of it.
pub async fn read(file: web_sys::File, now: i64) -> FileNote {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        // Whole MiB, rounded up (no float formatting: it costs 10 KB of wasm).
        let mib = (file.size() / 1024.0 / 1024.0).ceil() as u64;
        let reason = format!(
            "the file is over {} MiB; a CA bundle is at most 4 MiB (is this the right file?)",
            mib.saturating_sub(1)
        );
        return FileNote {
            name,
            outcome: FileOutcome::Refused {
                problems: Vec::new(),
                reason: Some(reason),
            },
        };
    }
    let outcome = match JsFuture::from(file.array_buffer()).await {
        Ok(buffer) => from_bytes(&js_sys::Uint8Array::new(&buffer).to_vec(), now),
        Err(error) => FileOutcome::Refused {
            problems: Vec::new(),
            reason: Some(format!("the browser could not read it ({error:?})")),
        },
    };
    FileNote { name, outcome }
}

/// PEM text of a file's bytes: PEM text as it is (UTF-8, or UTF-16 with a byte order mark as Windows
/// writes it), a DER certificate converted to PEM; anything else refused with core's reading of it.
fn from_bytes(bytes: &[u8], now: i64) -> FileOutcome {
    let report = pem_bundle::inspect_bytes(bytes, now);
    let certificates = report.certificates.len();
    if let Some(text) = pem_bundle::file_text(bytes) {
        return FileOutcome::Text { text, certificates };
    }
    // Not text: core read it as one DER certificate, or says what it is instead.
    if certificates == 1 && report.problems.is_empty() {
        return FileOutcome::Text {
            text: pem_bundle::der_to_pem(bytes),
            certificates,
        };
    }
    FileOutcome::Refused {
        problems: report.problems,
        reason: None,
    }
}
