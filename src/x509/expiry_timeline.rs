//! An expiry timeline of the CAs in the stored bundle: one bar per CA from notBefore to notAfter, a
//! line for today, and the 30 days before expiry (the alert's default threshold) shaded.
//!
//! The axis is not linear: a ten-year CA beside one expiring next month would leave the 30-day window a
//! few pixels wide. The next year (or, when later, up to the soonest expiry) gets most of the width, to
//! scale; the years before today and after that are compressed into narrow bands on either side, marked
//! as breaks of the axis. Each CA is labelled by its common name as people write it (unescaped); the
//! escaped RFC 2253 subject is in the certificate's Subject field below.

use crate::clock::now_unix;
use access_core::dn::common_name_of_printed;
use access_core::pem_bundle;
use access_core::time::{display_expiry, format_date};
use leptos::prelude::*;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const ROW: f64 = 26.0;
const THRESHOLD_DAYS: i64 = 30;
const DAY: i64 = 86_400;
/// The stretch drawn to scale: at least the next year.
const NEAR_DAYS: i64 = 365;
/// Shares of the plot: the past (compressed), the near future (to scale), the far future (compressed).
const PAST_SHARE: f64 = 0.08;
const FAR_SHARE: f64 = 0.18;
/// A past shorter than this is not drawn.
const PAST_MIN_DAYS: i64 = 30;

/// Unix seconds of an RFC 3339 time (the browser parses it).
fn unix(rfc3339: &str) -> Option<i64> {
    let millis = js_sys::Date::parse(rfc3339);
    millis.is_finite().then(|| (millis / 1000.0) as i64)
}

/// The CA's common name unescaped (`Acme, Inc Root`), else its subject, shortened to fit the label
/// column.
fn short_name(subject: &str) -> String {
    let name = common_name_of_printed(subject).unwrap_or_else(|| subject.to_owned());
    if name.chars().count() > 26 {
        format!("{}…", name.chars().take(25).collect::<String>())
    } else {
        name
    }
}

/// Time to x: three linear pieces, `[start, now]`, `[now, near_end]`, `[near_end, end]`, each given its
/// share of the plot (a piece of no length gets none).
#[derive(Debug, Clone, Copy)]
struct Axis {
    start: i64,
    now: i64,
    near_end: i64,
    end: i64,
}

impl Axis {
    fn x(&self, t: i64) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        let past = if self.start < self.now {
            PAST_SHARE
        } else {
            0.0
        };
        let far = if self.near_end < self.end {
            FAR_SHARE
        } else {
            0.0
        };
        let near = 1.0 - past - far;
        let piece = |t: i64, from: i64, to: i64| {
            ((t.clamp(from, to) - from) as f64 / (to - from).max(1) as f64).clamp(0.0, 1.0)
        };
        let share = if t <= self.now {
            past * piece(t, self.start, self.now)
        } else if t <= self.near_end {
            past + near * piece(t, self.now, self.near_end)
        } else {
            past + near + far * piece(t, self.near_end, self.end)
        };
        LEFT + share * plot
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
    let threshold_end = now + THRESHOLD_DAYS * DAY;
    // The past is drawn only when it is long enough to matter (a bar that began earlier starts at the
    // left edge).
    let earliest = spans.iter().map(|s| s.2).min().unwrap_or(now);
    let start = if earliest < now - PAST_MIN_DAYS * DAY {
        earliest
    } else {
        now
    };
    let end = spans
        .iter()
        .map(|s| s.3)
        .max()
        .unwrap_or(now)
        .max(threshold_end);
    // The next year, or up to the soonest expiry still ahead when that is later.
    let soonest = spans.iter().map(|s| s.3).filter(|&t| t > now).min();
    let near_end = soonest.unwrap_or(now).max(now + NEAR_DAYS * DAY).min(end);
    let axis = Axis {
        start,
        now,
        near_end,
        end,
    };
    let x = move |t: i64| axis.x(t);
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
            let name = common_name_of_printed(&subject).unwrap_or(subject);
            let title = format!("{name}: expires {}", display_expiry(&not_after, now_unix()));
            view! {
                <g class=format!("timeline-bar timeline-{state}") data-testid="timeline-bar" data-days-left=days_left.to_string()>
                    <title>{title}</title>
                    <text x="0" y=y + 17.0 class="timeline-label" data-testid="timeline-label">{short_name(&name)}</text>
                    <rect x=x(from) y=y + 6.0 width=(x(to) - x(from)).max(2.0) height="14" rx="3" />
                </g>
            }
        })
        .collect_view();
    // A break of the axis: two slanted strokes where the scale changes.
    let axis_break = move |at: f64, testid: &'static str| {
        view! {
            <g class="timeline-break" data-testid=testid>
                <title>"The axis is compressed beyond this mark"</title>
                <path d=format!("M{} 24 L{} 14 M{} 24 L{} 14", at - 5.0, at - 1.0, at - 1.0, at + 3.0) />
                <line x1=at x2=at y1=TOP - 4.0 y2=height class="timeline-break-line" />
            </g>
        }
    };
    let far_break = (near_end < end).then(|| {
        let at = x(near_end);
        view! {
            {axis_break(at, "timeline-break")}
            <text x=at - 6.0 y="12" class="timeline-axis" text-anchor="end">{format_date(near_end)}</text>
        }
    });
    let past_break = (start < now).then(|| axis_break(today, "timeline-past-break"));
    Some(view! {
        <figure class="expiry-timeline" data-testid="expiry-timeline">
            <figcaption>
                "CA expiry timeline"
                <span class="muted">{format!(" · shaded: the {THRESHOLD_DAYS} days before an alert's default threshold · the next year to scale, the years before and after it compressed")}</span>
            </figcaption>
            <div class="timeline-scroll">
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label="Validity of each CA certificate, with today and the 30-day alert window; the next year is drawn to scale, the years before and after it compressed">
                <rect class="timeline-threshold" x=today y=TOP - 4.0 width=shade_end - today height=height - TOP data-testid="timeline-threshold" />
                {past_break}
                {far_break}
                <text x=LEFT y="12" class="timeline-axis">{format_date(start)}</text>
                <text x=WIDTH - RIGHT y="12" class="timeline-axis" text-anchor="end">{format_date(end)}</text>
                {bars}
                <line class="timeline-today" x1=today x2=today y1="16" y2=height data-testid="timeline-today" />
                <text x=today + 4.0 y=height - 2.0 class="timeline-axis timeline-today-label">"today"</text>
            </svg>
            </div>
        </figure>
    })
}
