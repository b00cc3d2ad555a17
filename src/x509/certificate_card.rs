//! One certificate of a bundle, as a card: who it is, who issued it, how long it is valid, and what is
//! wrong with it.

use access_core::pem_bundle::{CertificateReport, WarningCode, EXPIRES_SOON_DAYS};
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use crate::copy_button::CopyButton;

#[component]
pub fn CertificateCard(
    certificate: CertificateReport,
    /// Title of the certificate of the bundle that issued this one (see `issued_by`).
    #[prop(default = None)]
    issuer_title: Option<String>,
    /// Shown as a "Remove" button on the card (in the editor).
    #[prop(default = None)]
    on_remove: Option<Callback<usize>>,
) -> impl IntoView {
    let c = certificate;
    let number = c.index + 1;
    let title = title(&c.subject);
    let validity = Validity::of(&c);
    let card_label = format!("Certificate {number}: {title}");
    let issued_by = match (c.self_signed, c.issued_by, issuer_title) {
        (true, _, _) => "Self-signed".to_owned(),
        (false, Some(index), Some(title)) => format!("Certificate {} ({title})", index + 1),
        (false, Some(index), None) => format!("Certificate {}", index + 1),
        (false, None, _) => "A CA outside this bundle".to_owned(),
    };
    let constraints = match (c.is_ca, c.path_len) {
        (true, Some(len)) => format!("CA, path length {len}"),
        (true, None) => "CA, no path length limit".to_owned(),
        (false, _) => "Not a CA".to_owned(),
    };
    let key = key_description(&c);
    let key_usage = if c.key_usage.is_empty() {
        "Not restricted (no keyUsage extension)".to_owned()
    } else {
        c.key_usage.join(", ")
    };
    // subjectAltName entries (`DNS:db.example.com, IP Address:192.0.2.1`), shown only when present.
    let alt_names = (!c.subject_alt_names.is_empty()).then(|| {
        c.subject_alt_names
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    });
    let lines = if c.line == c.end_line {
        format!("line {}", c.line)
    } else {
        format!("lines {}–{}", c.line, c.end_line)
    };
    let has_warnings = !c.warnings.is_empty();
    let warnings = c
        .warnings
        .iter()
        .map(|w| {
            let severe = matches!(w.code, WarningCode::Expired | WarningCode::NotACa);
            view! {
                <li class="warning" class:severe=severe data-testid="certificate-warning" data-code=code_name(w.code)>
                    {w.message.clone()}
                </li>
            }
        })
        .collect_view();
    let remove = on_remove.map(|on_remove| {
        let index = c.index;
        view! {
            <button
                type="button"
                class="button button-quiet button-small"
                data-testid="remove-certificate"
                aria-label=format!("Remove certificate {number} from the bundle")
                on:click=move |_| on_remove.run(index)
            >
                "Remove"
            </button>
        }
    });
    view! {
        <article
            class="certificate-card"
            class:expired=c.has_warning(WarningCode::Expired)
            class:has-warnings=has_warnings
            data-testid="certificate-card"
            data-index=c.index
            aria-label=card_label
        >
            <header class="card-header">
                <span class="card-number">{number}</span>
                <h3 class="card-title mono" data-testid="certificate-title">{title}</h3>
                <span class=format!("badge validity-{}", validity.class) data-testid="days-left">{validity.badge}</span>
                <span class="badge" class:badge-ca=c.is_ca class:badge-warning=!c.is_ca>
                    {if c.is_ca { "CA" } else { "Not a CA" }}
                </span>
                {remove}
            </header>
            <dl class="facts">
                <dt>"Subject"</dt>
                <dd class="mono" data-testid="certificate-subject">{c.subject.clone()}</dd>
                <dt>"Issuer"</dt>
                <dd class="mono" data-testid="certificate-issuer">{c.issuer.clone()}</dd>
                <dt>"Issued by"</dt>
                <dd data-testid="certificate-issued-by">{issued_by}</dd>
                <dt>"Not before"</dt>
                <dd class="mono" data-testid="certificate-not-before">{date_time(&c.not_before)}</dd>
                <dt>"Not after"</dt>
                <dd data-testid="certificate-not-after">
                    <span class="mono">{date_time(&c.not_after)}</span>
                    {validity.note.map(|note| view! { <span class=format!("validity-note validity-{}", validity.class)>{note}</span> })}
                </dd>
                <dt>"Serial"</dt>
                <dd class="with-copy">
                    <span class="mono" data-testid="certificate-serial">{c.serial.clone()}</span>
                    <CopyButton value=c.serial.clone() what="serial number" />
                </dd>
                <dt>"SHA-256"</dt>
                <dd class="with-copy">
                    <span class="mono fingerprint" data-testid="certificate-sha256">{breakable(&c.sha256_fingerprint)}</span>
                    <CopyButton value=c.sha256_fingerprint.clone() what="SHA-256 fingerprint" />
                </dd>
                <dt>"SHA-1"</dt>
                <dd class="with-copy">
                    <span class="mono fingerprint" data-testid="certificate-sha1">{breakable(&c.sha1_fingerprint)}</span>
                    <CopyButton value=c.sha1_fingerprint.clone() what="SHA-1 fingerprint" />
                </dd>
                <dt>"Public key"</dt>
                <dd data-testid="certificate-key">{key}</dd>
                <dt>"Signature"</dt>
                <dd class="mono" data-testid="certificate-signature">{c.signature_algorithm.clone()}</dd>
                <dt>"Basic constraints"</dt>
                <dd data-testid="certificate-ca">{constraints}</dd>
                <dt>"Key usage"</dt>
                <dd data-testid="certificate-key-usage">{key_usage}</dd>
                {alt_names.map(|names| view! {
                    <dt>"Alternative names"</dt>
                    <dd class="mono" data-testid="certificate-alt-names">{names}</dd>
                })}
                <dt>"In the text"</dt>
                <dd>{format!("Block {}, {lines}", c.block)}</dd>
            </dl>
            {has_warnings.then(|| view! { <ul class="warnings" aria-label="Warnings">{warnings}</ul> })}
        </article>
    }
}

/// A colon-separated fingerprint that wraps only between bytes (`<wbr>` after each colon); its text
/// stays the fingerprint.
fn breakable(fingerprint: &str) -> impl IntoView {
    fingerprint
        .split_inclusive(':')
        .map(|part| view! { {part.to_owned()}<wbr /> })
        .collect_view()
}

/// The badge and note of a certificate's validity, and their colour class.
struct Validity {
    class: &'static str,
    badge: String,
    /// Said beside the dates when the badge alone does not say it.
    note: Option<String>,
}

impl Validity {
    fn of(c: &CertificateReport) -> Self {
        let days = c.days_left;
        if c.has_warning(WarningCode::Expired) {
            let ago = days.saturating_neg().saturating_sub(1);
            let note = match ago {
                ..=0 => "expired less than a day ago".to_owned(),
                1 => "expired 1 day ago".to_owned(),
                n => format!("expired {n} days ago"),
            };
            return Self {
                class: "expired",
                badge: "Expired".to_owned(),
                note: Some(note),
            };
        }
        if c.has_warning(WarningCode::NotYetValid) {
            return Self {
                class: "soon",
                badge: "Not yet valid".to_owned(),
                note: Some("not valid yet".to_owned()),
            };
        }
        let class = if days < EXPIRES_SOON_DAYS {
            "soon"
        } else {
            "valid"
        };
        let badge = match days {
            0 => "Expires today".to_owned(),
            1 => "1 day left".to_owned(),
            n => format!("{n} days left"),
        };
        Self {
            class,
            badge,
            note: None,
        }
    }
}

/// The console's one date format (`2026-01-02 03:04 UTC`).
fn date_time(rfc3339: &str) -> String {
    display_rfc3339(rfc3339)
}

fn key_description(c: &CertificateReport) -> String {
    let key = &c.public_key;
    match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", key.algorithm),
        (None, None) => key.algorithm.clone(),
    }
}

/// A card's title: the subject's first common name as people write it (unescaped: `Acme, Inc Root`),
/// or the whole subject when it has none; the escaped RFC 2253 form is in the Subject field.
pub fn title(subject: &str) -> String {
    access_core::dn::common_name_of_printed(subject).unwrap_or_else(|| subject.to_owned())
}

pub fn code_name(code: WarningCode) -> &'static str {
    match code {
        WarningCode::Expired => "expired",
        WarningCode::NotYetValid => "not_yet_valid",
        WarningCode::ExpiresSoon => "expires_soon",
        WarningCode::NotACa => "not_a_ca",
        WarningCode::WeakKey => "weak_key",
        WarningCode::WeakSignature => "weak_signature",
        WarningCode::Duplicate => "duplicate",
    }
}
