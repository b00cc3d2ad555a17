//! `access-console inspect [--json] [--expires-within DAYS] FILE|-`: the core report of a CA bundle, for
//! people (one section per certificate, then the problems, then a summary) or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};

use access_core::pem_bundle::{self, BundleReport, CertificateReport, WarningCode};

use super::{exit, InspectArgs};
use crate::storage::now_unix;

pub fn run(args: &InspectArgs) -> u8 {
    let shown_name = if args.file.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        args.file.display().to_string()
    };
    let bytes = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("access-console inspect: cannot read {shown_name}: {error}");
            return exit::USAGE;
        }
    };
    let report = pem_bundle::inspect_bytes(&bytes, now_unix());
    let within = args.expires_within.map(i64::from);
    let expiring: Vec<&CertificateReport> = match within {
        Some(days) => report
            .certificates
            .iter()
            .filter(|c| c.expires_within(days))
            .collect(),
        None => Vec::new(),
    };
    let output = if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => json + "\n",
            Err(error) => {
                eprintln!("access-console inspect: cannot write the report as JSON: {error}");
                return exit::PROBLEMS;
            }
        }
    } else {
        render(
            &shown_name,
            &report,
            within.map(|days| (days, expiring.as_slice())),
        )
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`| head`) is not worth a message.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("access-console inspect: cannot write the report: {error}");
        }
        return exit::USAGE;
    }
    if args.json {
        if let Some(days) = within {
            for c in &expiring {
                eprintln!("access-console inspect: {}", expiry_line(c, days));
            }
        }
    }
    if !report.problems.is_empty() {
        exit::PROBLEMS
    } else if !expiring.is_empty() {
        exit::EXPIRING
    } else {
        exit::OK
    }
}

const LABEL_WIDTH: usize = 12;
/// Long messages are wrapped at this width, continuation lines indented under their first line.
const TEXT_WIDTH: usize = 100;

/// `text` wrapped at word boundaries to fit [`TEXT_WIDTH`] when it starts at column `indent`; single
/// words longer than a line (fingerprints, names) are kept whole.
fn wrap(text: &str, indent: usize) -> String {
    let room = TEXT_WIDTH.saturating_sub(indent).max(40);
    let mut out = String::with_capacity(text.len() + 16);
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > room {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// The report for people. `expiry` is `--expires-within DAYS` and the certificates it catches.
pub fn render(
    name: &str,
    report: &BundleReport,
    expiry: Option<(i64, &[&CertificateReport])>,
) -> String {
    let mut out = String::new();
    let total = report.certificates.len();
    let _ = writeln!(
        out,
        "{name}: {}, {}",
        count(total, "certificate"),
        count(report.problems.len(), "problem")
    );
    for c in &report.certificates {
        out.push('\n');
        certificate(&mut out, c, report);
    }
    if !report.problems.is_empty() {
        let _ = writeln!(out, "\nProblems");
        for p in &report.problems {
            let code = serde_json::to_value(p.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(out, "  {}", wrap(&format!("[{code}] {}", p.message), 4));
        }
    }
    out.push('\n');
    summary(&mut out, report, expiry);
    out
}

fn certificate(out: &mut String, c: &CertificateReport, report: &BundleReport) {
    let total = report.certificates.len();
    let _ = writeln!(
        out,
        "Certificate {} of {total} (block {}, line {})",
        c.index + 1,
        c.block,
        c.line
    );
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = writeln!(
            out,
            "  {label:<LABEL_WIDTH$}{}",
            wrap(value, 2 + LABEL_WIDTH)
        );
    };
    field(out, "Subject", shown(&c.subject));
    let issuer = if c.self_signed {
        format!("{} (self-signed)", shown(&c.issuer))
    } else {
        match c.issued_by.and_then(|i| report.certificates.get(i)) {
            Some(parent) => format!(
                "{} (certificate {} of this bundle)",
                shown(&c.issuer),
                parent.index + 1
            ),
            None => shown(&c.issuer).to_owned(),
        }
    };
    field(out, "Issuer", &issuer);
    field(
        out,
        "Valid",
        &format!(
            "{} to {} ({})",
            c.not_before,
            c.not_after,
            days_left(c.days_left)
        ),
    );
    field(out, "Serial", &c.serial);
    field(out, "SHA-256", &c.sha256_fingerprint);
    field(out, "Key", &key(c));
    field(out, "Signature", &c.signature_algorithm);
    let ca = match (c.is_ca, c.path_len) {
        (true, Some(n)) => format!("yes (path length {n})"),
        (true, None) => "yes".to_owned(),
        (false, _) => "no".to_owned(),
    };
    field(out, "CA", &ca);
    if !c.key_usage.is_empty() {
        field(out, "Key usage", &c.key_usage.join(", "));
    }
    if !c.subject_alt_names.is_empty() {
        let names: Vec<String> = c
            .subject_alt_names
            .iter()
            .map(ToString::to_string)
            .collect();
        field(out, "Alt names", &names.join(", "));
    }
    if c.warnings.is_empty() {
        field(out, "Warnings", "none");
    } else {
        for (i, w) in c.warnings.iter().enumerate() {
            let code = serde_json::to_value(w.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            field(
                out,
                if i == 0 { "Warnings" } else { "" },
                &format!("[{code}] {}", w.message),
            );
        }
    }
}

fn summary(out: &mut String, report: &BundleReport, expiry: Option<(i64, &[&CertificateReport])>) {
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for w in report.certificates.iter().flat_map(|c| &c.warnings) {
        let code = serde_json::to_value(w.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        *by_code.entry(code).or_default() += 1;
    }
    let verdict = if report.problems.is_empty() {
        "every block is a readable certificate"
    } else {
        "the bundle has problems (see above)"
    };
    let _ = writeln!(
        out,
        "Summary: {}, {}: {verdict}.",
        count(report.certificates.len(), "certificate"),
        count(report.problems.len(), "problem"),
    );
    if !by_code.is_empty() {
        let parts: Vec<String> = by_code
            .iter()
            .map(|(code, n)| format!("{n} {code}"))
            .collect();
        let _ = writeln!(out, "Warnings: {}.", parts.join(", "));
    }
    let attention: Vec<String> = report
        .certificates
        .iter()
        .filter_map(validity_note)
        .collect();
    if !attention.is_empty() {
        let _ = writeln!(out, "Validity to check:");
        for line in attention {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some((days, expiring)) = expiry {
        let within = count(usize::try_from(days).unwrap_or(0), "day");
        if expiring.is_empty() {
            let _ = writeln!(out, "No certificate expires within {within}.");
        } else {
            let numbers: Vec<String> = expiring.iter().map(|c| (c.index + 1).to_string()).collect();
            let (verb, have) = if expiring.len() == 1 {
                ("expires", "has")
            } else {
                ("expire", "have")
            };
            let _ = writeln!(
                out,
                "{} {verb} within {within} or {have} expired: {}.",
                count(expiring.len(), "certificate"),
                numbers.join(", ")
            );
        }
    }
}

/// "Certificate 17, line 411: expired on ... (subject)" for a certificate that is expired, expiring
/// soon or not valid yet.
fn validity_note(c: &CertificateReport) -> Option<String> {
    let state = if c.has_warning(WarningCode::Expired) {
        format!("expired on {}", c.not_after)
    } else if c.has_warning(WarningCode::ExpiresSoon) {
        format!("expires on {}, {}", c.not_after, days_left(c.days_left))
    } else if c.has_warning(WarningCode::NotYetValid) {
        format!("not valid before {}", c.not_before)
    } else {
        return None;
    };
    Some(format!(
        "Certificate {}, line {}: {state} ({})",
        c.index + 1,
        c.line,
        shown(&c.subject)
    ))
}

fn expiry_line(c: &CertificateReport, days: i64) -> String {
    let when = if c.days_left < 0 {
        "has expired".to_owned()
    } else {
        format!("expires within {days} days")
    };
    format!(
        "Certificate {} ({}, line {}) {when}: not after {}.",
        c.index + 1,
        shown(&c.subject),
        c.line,
        c.not_after
    )
}

fn shown(name: &str) -> &str {
    if name.is_empty() {
        "(empty name)"
    } else {
        name
    }
}

fn days_left(days: i64) -> String {
    match days {
        ..=-1 => "expired".to_owned(),
        0 => "less than a day left".to_owned(),
        1 => "1 day left".to_owned(),
        n => format!("{n} days left"),
    }
}

fn key(c: &CertificateReport) -> String {
    let k = &c.public_key;
    match (&k.curve, k.bits) {
        (Some(curve), Some(bits)) => format!("{} {curve} ({bits} bits)", k.algorithm),
        (Some(curve), None) => format!("{} {curve}", k.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", k.algorithm),
        (None, None) => k.algorithm.clone(),
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
