//! An expiry timeline of the CAs in the stored bundle: one bar per CA from notBefore to notAfter, a
//! line for today, and the 30 days before expiry (the alert's default threshold) shaded.

use crate::clock::now_unix;
use access_core::pem_bundle;
use access_core::time::display_expiry;
use leptos::prelude::*;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 230.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 26.0;
const ROW: f64 = 26.0;
const THRESHOLD_DAYS: i64 = 30;

/// Unix seconds of an RFC 3339 time (the browser parses it).
fn unix(rfc3339: &str) -> Option<i64> {
    let millis = js_sys::Date::parse(rfc3339);
    millis.is_finite().then(|| (millis / 1000.0) as i64)
}

/// The first `CN=` of a subject, else the subject, shortened to fit the label column.
fn short_name(subject: &str) -> String {
    let name = subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))
        .unwrap_or(subject);
    if name.chars().count() > 30 {
        format!("{}…", name.chars().take(29).collect::<String>())
    } else {
        name.to_owned()
    }
}

#[component]
pub fn ExpiryTimeline(cas: String) -> impl IntoView {
    let now = now_unix();
    let report = pem_bundle::inspect_bundle(&cas, now);
    let spans: Vec<(String, String, i64, i64, i64)> = report
        .certificates
        .iter()
        .filter_map(|c| {
            Some((
                c.subject.clone(),
                c.not_after.clone(),
                unix(&c.not_before)?,
                unix(&c.not_after)?,
                c.days_left,
            ))
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    let threshold_end = now + THRESHOLD_DAYS * 86_400;
    let start = spans.iter().map(|s| s.2).min().unwrap_or(now).min(now);
    let end = spans
        .iter()
        .map(|s| s.3)
        .max()
        .unwrap_or(now)
        .max(threshold_end);
    let span = (end - start).max(1) as f64;
    let x = move |t: i64| LEFT + (t - start) as f64 / span * (WIDTH - LEFT - RIGHT);
    let height = TOP + ROW * spans.len() as f64 + 8.0;
    let (today, shade_end) = (x(now), x(threshold_end).max(x(now) + 2.0));
    let bars = spans
        .into_iter()
        .enumerate()
        .map(|(i, (subject, not_after, from, to, days_left))| {
            let y = TOP + ROW * i as f64;
            let state = if days_left < 0 {
                "expired"
            } else if days_left < THRESHOLD_DAYS {
                "expiring"
            } else {
                "valid"
            };
            let title = format!("{subject}: expires {}", display_expiry(&not_after, now_unix()));
            view! {
                <g class=format!("timeline-bar timeline-{state}") data-testid="timeline-bar" data-days-left=days_left.to_string()>
                    <title>{title}</title>
                    <text x="0" y=y + 17.0 class="timeline-label">{short_name(&subject)}</text>
                    <rect x=x(from) y=y + 6.0 width=(x(to) - x(from)).max(2.0) height="14" rx="3" />
                </g>
            }
        })
        .collect_view();
    let date = |t: i64| access_core::time::format_date(t);
    Some(view! {
        <figure class="expiry-timeline" data-testid="expiry-timeline">
            <figcaption>"CA expiry timeline"<span class="muted">{format!(" · shaded: the {THRESHOLD_DAYS} days before an alert's default threshold")}</span></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label="Validity of each CA certificate, with today and the 30-day alert window">
                <rect class="timeline-threshold" x=today y=TOP - 4.0 width=shade_end - today height=height - TOP data-testid="timeline-threshold" />
                <text x=LEFT y="12" class="timeline-axis">{date(start)}</text>
                <text x=WIDTH - RIGHT y="12" class="timeline-axis" text-anchor="end">{date(end)}</text>
                {bars}
                <line class="timeline-today" x1=today x2=today y1="16" y2=height data-testid="timeline-today" />
                <text x=today + 4.0 y=height - 2.0 class="timeline-axis timeline-today-label">"today"</text>
            </svg>
        </figure>
    })
}
