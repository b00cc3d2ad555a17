//! `access-console alerts check`: runs the alert evaluator once on a database and prints what it did.

use super::{exit, AlertsCheckArgs};
use crate::alerts::{evaluate_alerts, EvaluationReport, NotificationReport, Webhooks};
use crate::storage::{self, now_unix};

pub fn check(args: &AlertsCheckArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console alerts check: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async {
        let now = now_unix();
        let database = match storage::open(&args.database.url, now).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console alerts check: {error}");
                return exit::PROBLEMS;
            }
        };
        let result = evaluate_alerts(
            &database.pool,
            now,
            &Webhooks::new(args.allow_private_webhooks),
        )
        .await;
        database.pool.close().await;
        match result {
            Ok(report) => {
                if args.json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    );
                } else {
                    print!("{}", describe(&report));
                }
                exit::OK
            }
            Err(error) => {
                eprintln!("access-console alerts check: cannot evaluate alerts: {error}");
                exit::PROBLEMS
            }
        }
    })
}

/// The report as lines of text.
pub fn describe(report: &EvaluationReport) -> String {
    let mut out = format!(
        "Opened {}, closed {}, notified {}, retried {}.\n",
        report.opened.len(),
        report.closed.len(),
        report.notified.len(),
        report.retried.len()
    );
    for alert in &report.opened {
        out.push_str(&format!(
            "opened  {} {}: {} ({} days left, expires {})\n",
            alert.id,
            alert.event_type_name,
            alert.ca.subject,
            alert.ca.days_left,
            alert.ca.not_after
        ));
    }
    for alert in &report.closed {
        out.push_str(&format!(
            "closed  {} {}: {}\n",
            alert.id, alert.event_type_name, alert.ca.subject
        ));
    }
    let line = |what: &str, n: &NotificationReport| {
        let outcome = match (&n.error, n.status_code) {
            (Some(error), _) => format!("{}: {error}", n.status),
            (None, Some(code)) => format!("{} (HTTP {code})", n.status),
            (None, None) => n.status.clone(),
        };
        let retry = n
            .next_attempt_at
            .as_deref()
            .map(|at| format!("; retry at {at}"))
            .unwrap_or_default();
        format!(
            "{what} {} {} {} attempt {}: {outcome}{retry}\n",
            n.alert_id.as_deref().unwrap_or("-"),
            n.type_name,
            if n.target.is_empty() {
                "(no address)"
            } else {
                &n.target
            },
            n.attempt
        )
    };
    for n in &report.notified {
        out.push_str(&line("notified", n));
    }
    for n in &report.retried {
        out.push_str(&line("retried", n));
    }
    out
}
