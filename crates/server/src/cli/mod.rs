//! The `access-console` command line: `serve`, `inspect`, `alerts check`, `accounts` and `api-keys`.

mod accounts;
mod alerts;
mod api_keys;
pub mod inspect;
mod serve;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Exit statuses of `access-console`.
pub mod exit {
    /// All went well; for `inspect`: every block of the bundle reads as a certificate.
    pub const OK: u8 = 0;
    /// `inspect`: the bundle has problems (a block that cannot be read, a private key, no certificate).
    /// `serve`: the server could not start.
    pub const PROBLEMS: u8 = 1;
    /// A usage error (clap's own errors exit 2 too) or a file that cannot be read.
    pub const USAGE: u8 = 2;
    /// `inspect --expires-within DAYS`: a certificate expires within DAYS days or has expired.
    pub const EXPIRING: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "access-console",
    version,
    about = "Access Console: who may connect to a MongoDB project with X.509 certificates, and what they may do."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (/api/atlas/v2) and the browser UI until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Inspect a bundle of CA certificates (PEM, or one DER certificate) as the server checks it before saving.
    #[command(after_help = "\
Exit status:
  0  every block of the bundle is a readable certificate
  1  the bundle has problems (unreadable block, private key, no certificate)
  2  usage error, or the file cannot be read
  3  --expires-within DAYS was given and a certificate expires within DAYS days or has expired
     (problems take precedence: 1)")]
    Inspect(InspectArgs),
    /// Alerts: `alerts check` runs the alert evaluator once (as the server does every few minutes).
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Console accounts: create the first owner, list accounts, set a forgotten password.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Programmatic API keys (HTTP Digest): create (prints the private key once), list, delete.
    #[command(subcommand, name = "api-keys")]
    ApiKeys(ApiKeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum ApiKeysCommand {
    /// Create a key with project roles; prints its public key and its private key, this once.
    /// Exit status 0; 2 for a wrong role, description or access list entry; 1 when the database fails.
    Create(ApiKeysCreateArgs),
    /// List the keys (public key, description, roles, access list; never a private key).
    List(ApiKeysListArgs),
    /// Delete a key by its public key (from every project). Exit status 1 when there is no such key.
    Delete(ApiKeysDeleteArgs),
}

#[derive(Debug, Args)]
pub struct ApiKeysCreateArgs {
    /// A project role: GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN or GROUP_READ_ONLY; repeatable.
    #[arg(long = "role", value_name = "ROLE", required = true)]
    pub roles: Vec<String>,
    /// What the key is for (1 to 250 characters).
    #[arg(long, value_name = "TEXT")]
    pub description: String,
    /// An IP address or CIDR block (IPv4 or IPv6) the key may be used from; repeatable. None: anywhere.
    #[arg(long = "access-list", value_name = "IP|CIDR")]
    pub access_list: Vec<String>,
    /// The project (group ID); default: the first project.
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
    /// Print the key as JSON (Atlas's shape, with `privateKey`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApiKeysListArgs {
    /// Only the keys of this project (group ID).
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
    /// Print the keys as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApiKeysDeleteArgs {
    /// The key's public key (8 lowercase letters).
    #[arg(value_name = "PUBLIC_KEY")]
    pub public_key: String,
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create a console account with a role in every project. The password is read from standard input
    /// with --password-stdin; otherwise a random one is made and printed once.
    Create(AccountsCreateArgs),
    /// List the console accounts and their project roles.
    List(AccountsListArgs),
    /// Set an account's password (every session of it is signed out).
    SetPassword(AccountsSetPasswordArgs),
}

#[derive(Debug, Args)]
pub struct AccountsCreateArgs {
    /// The account's name (letters, digits, . _ - @).
    #[arg(long)]
    pub username: String,
    /// Make the account a Project Owner (the same as --role GROUP_OWNER).
    #[arg(long, conflicts_with = "role")]
    pub owner: bool,
    /// The project role: GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN or GROUP_READ_ONLY.
    #[arg(long, value_name = "ROLE", default_value = "GROUP_READ_ONLY")]
    pub role: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct AccountsListArgs {
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct AccountsSetPasswordArgs {
    /// The account's name.
    #[arg(long)]
    pub username: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Evaluate the CA-expiry alerts once: open, notify (webhooks sent, emails recorded), retry, close;
    /// print what was done. Exit status 0, or 1 when the database cannot be opened.
    Check(AlertsCheckArgs),
}

#[derive(Debug, Args)]
pub struct AlertsCheckArgs {
    /// The database (as for `serve`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
    /// Print the report as JSON: {"opened", "closed", "notified", "retried"}.
    #[arg(long)]
    pub json: bool,
    /// Let webhooks reach loopback, private (RFC 1918), link-local, unique-local and other non-public
    /// addresses (on-premises receivers). Without it such a webhook is refused: "refused: private address".
    #[arg(long)]
    pub allow_private_webhooks: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The database: sqlite://path/to/file.db (the file and its directory are created when missing) or
    /// postgres://user:password@host:port/database (an existing database).
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://data/access-console.db"
    )]
    pub database_url: String,
    /// The browser UI built by Trunk (e.g. dist); without it only the API is served.
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,
    /// How often the CA-expiry alerts are evaluated (opened, re-notified, closed), in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::DEFAULT_ALERT_EVALUATION_INTERVAL.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub alert_interval: u64,
    /// How often temporary database users whose deleteAfterDate has passed are removed, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::DEFAULT_EXPIRY_SWEEP_INTERVAL.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub expiry_sweep_interval: u64,
    /// An origin (scheme://host[:port]) whose pages may call the API, e.g. the static host of the UI;
    /// repeatable. Without it no CORS headers are sent.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Serve HTTPS with this PEM certificate chain (server certificate first); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Requests per minute each API key may send; beyond, 429 with Retry-After.
    #[arg(long, value_name = "PER_MINUTE", default_value_t = crate::access::rate_limit::DEFAULT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub api_key_rate_limit: u32,
    /// At most this many password hashes (sign-ins, password changes) at once, each holding 19 MiB;
    /// a sign-in beyond is answered 429 SIGN_IN_BUSY. 0: one per core.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub max_concurrent_sign_ins: usize,
    /// Sign-in attempts per minute from one address; beyond, 429 with Retry-After.
    #[arg(long, value_name = "PER_MINUTE", default_value_t = crate::access::rate_limit::DEFAULT_SIGN_INS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_rate_limit: u32,
    /// Where clients reach the server (e.g. https://console.example.com behind a proxy): links in API
    /// answers start with it. Default: the listen address. The request's Host header is never used.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Let webhooks reach loopback, private (RFC 1918), link-local, unique-local and other non-public
    /// addresses (on-premises receivers). Without it such a webhook is refused: "refused: private address".
    #[arg(long)]
    pub allow_private_webhooks: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Print the report as JSON: {"certificates": [...], "problems": [...]}.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 3 when a certificate expires within DAYS days (or has expired).
    #[arg(long, value_name = "DAYS")]
    pub expires_within: Option<u32>,
    /// The bundle to read; - reads standard input.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
}

/// Runs the command line; clap's usage errors exit 2 (and `--help`/`--version` 0) by themselves.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => ExitCode::from(serve::run(args)),
        Command::Inspect(args) => ExitCode::from(inspect::run(&args)),
        Command::Alerts(AlertsCommand::Check(args)) => ExitCode::from(alerts::check(&args)),
        Command::Accounts(command) => ExitCode::from(accounts::run(&command)),
        Command::ApiKeys(command) => ExitCode::from(api_keys::run(&command)),
    }
}
