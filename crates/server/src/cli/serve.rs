//! `access-console serve`: runs the server until Ctrl-C or SIGTERM, then stops it gracefully.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

use super::{exit, LogFormat, ServeArgs};
use crate::{MetricsExposure, ServeOptions};

pub fn run(args: ServeArgs) -> u8 {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    match args.log_format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
        // One object a line: `timestamp`, `level`, `target`, and the event's fields at the top level
        // (`message`, and for each request `request_id`, `method`, `route`, `status`, `latency_ms`,
        // `caller`).
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init(),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console serve: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async move {
        let options = ServeOptions {
            listen: args.listen,
            database_url: args.database_url,
            dist: args.dist.clone(),
            expiry_sweep_interval: std::time::Duration::from_secs(args.expiry_sweep_interval),
            alert_evaluation_interval: std::time::Duration::from_secs(args.alert_interval),
            cors_origins: args.cors_origins.clone(),
            api_key_rate_limit: args.api_key_rate_limit,
            max_concurrent_sign_ins: args.max_concurrent_sign_ins,
            sign_in_rate_limit: args.sign_in_rate_limit,
            public_url: args.public_url.clone(),
            allow_private_webhooks: args.allow_private_webhooks,
            metrics: match (args.no_metrics, args.metrics_listen) {
                (true, _) => MetricsExposure::Off,
                (false, Some(addr)) => MetricsExposure::Listen(addr),
                (false, None) => MetricsExposure::MainPort,
            },
        };
        let tls = args
            .tls_cert
            .clone()
            .zip(args.tls_key.clone())
            .map(|(cert, key)| crate::tls::TlsFiles { cert, key });
        let server = match crate::spawn_with_tls(options, tls).await {
            Ok(server) => server,
            Err(error) => {
                eprintln!("access-console serve: {error}");
                return exit::PROBLEMS;
            }
        };
        println!("Access Console listening on {}", server.url());
        println!("Database: {}", server.database());
        if let Some(url) = server.metrics_url() {
            println!("Metrics: {url}/metrics");
        }
        match &args.dist {
            Some(dist) => println!(
                "UI: {}",
                std::fs::canonicalize(dist)
                    .unwrap_or_else(|_| dist.clone())
                    .display()
            ),
            None => println!("UI: not served (start with --dist DIR to serve it); API only"),
        }
        if let Some(code) = server.setup_code() {
            println!(
                "No console account yet. Setup code: {code} (open {} to create the first owner with it, \
                 or run `access-console accounts create --owner --username NAME`)",
                server.url()
            );
        }
        println!("Press Ctrl-C to stop.");
        stop_signal().await;
        println!("Stopping: finishing requests in flight...");
        server.shutdown().await;
        println!("Stopped.");
        exit::OK
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
