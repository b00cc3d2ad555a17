//! The `access-console` command line: `serve`, `inspect`, `alerts check`, `accounts`, `api-keys`,
//! `migrate-db`, `check`, and `export`, `import` and `drift`.

mod accounts;
mod alerts;
mod api_keys;
mod check;
mod cli_error;
pub mod inspect;
mod migrate_db;
mod serve;
mod transfer;

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
    /// Copy every table of one database into another, empty one (SQLite to PostgreSQL or back), in one
    /// transaction, then check each table's row count and checksum. Stop the server first.
    /// Exit status 0; 1 when a database fails, the target is not empty, or a table differs after copying.
    #[command(name = "migrate-db")]
    MigrateDb(MigrateDbArgs),
    /// Access Check: would this client certificate (or distinguished name) connect to the project, as
    /// which database user, and may it run these actions?
    #[command(after_help = "\
Exit status:
  0  the certificate would connect and every action given is allowed
  1  it would not connect, or an action is denied (the report says why)
  2  usage error, unreadable file, unknown project, or a database error")]
    Check(CheckArgs),
    /// Export the project's access: a mongosh script, Terraform HCL, the CA bundle, a mongod.conf snippet,
    /// or the whole project as JSON. Exit status 0; 2 for a wrong format, cluster or project; 1 when the
    /// database fails or the project has no CA bundle to export.
    Export(ExportArgs),
    /// Make a project equal to a JSON export, in one transaction (--dry-run: list what would change).
    /// Exit status 0; 2 when the file cannot be read or breaks a rule (nothing is written); 1 when the
    /// database fails.
    Import(ImportArgs),
    /// Compare a deployment's users and roles (the output of the one-liner below) with the project.
    /// Exit status 0 without drift, 3 with drift, 2 when the file cannot be read.
    #[command(
        after_help = "The deployment's state comes from:\n  mongosh \"mongodb://HOST/?tls=true\" --quiet --tls ... --eval 'EJSON.stringify({users: db.getSiblingDB(\"$external\").getUsers(), roles: db.getSiblingDB(\"admin\").getRoles({showPrivileges: true, showBuiltinRoles: false})})' > deployment.json"
    )]
    Drift(DriftArgs),
}

/// Where `serve` and the other commands find the database when `--database-url` is not given.
const DEFAULT_DATABASE_URL: &str = "sqlite://data/access-console.db";

/// `--database-url` of every command that works on the server's database (all but `serve`, whose own
/// flag says more, `inspect` and `migrate-db`).
#[derive(Debug, Args)]
pub struct DatabaseArg {
    /// The database (as for `serve`).
    #[arg(
        long = "database-url",
        value_name = "URL",
        default_value = DEFAULT_DATABASE_URL
    )]
    pub url: String,
}

#[derive(Debug, Args)]
pub struct MigrateDbArgs {
    /// The database to copy from (as for `serve`), left unchanged but for migrations to this version.
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The database to copy into: an SQLite file (created when missing) or an existing PostgreSQL
    /// database, without any console data.
    #[arg(long, value_name = "URL")]
    pub to: String,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["cert", "username"])))]
pub struct CheckArgs {
    /// The project (group ID).
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: String,
    /// The client certificate (PEM or DER; - reads standard input). A private key in it is not read.
    #[arg(long, value_name = "FILE|-")]
    pub cert: Option<PathBuf>,
    /// A distinguished name instead of a certificate (RFC 2253, e.g. CN=app,O=Acme).
    #[arg(long, value_name = "DN")]
    pub username: Option<String>,
    /// The cluster to connect to (its scopes and MongoDB version apply).
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// An action (Atlas name, e.g. FIND); repeatable.
    #[arg(long = "action", value_name = "ACTION")]
    pub actions: Vec<String>,
    /// The database of the actions.
    #[arg(long, value_name = "DB")]
    pub db: Option<String>,
    /// The collection of the actions.
    #[arg(long, value_name = "COLLECTION", requires = "db")]
    pub collection: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArg,
    /// Print the answer as JSON (the API's shape).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project (group ID); default: the first project.
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    /// mongosh, terraform, ca-bundle, mongod-conf or json.
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// mongosh only: just the users that may use this cluster.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The project (group ID); default: the first project.
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    /// Only list what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// The JSON export; - reads standard input.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// The project (group ID); default: the first project.
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    /// Compare with the users of this cluster only.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The deployment's state; - reads standard input.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArg,
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
    /// Its role in the project's organization: ORG_MEMBER (only its projects), ORG_READ_ONLY (reads
    /// every project), ORG_GROUP_CREATOR or ORG_OWNER (everything in the organization).
    #[arg(long, value_name = "ROLE", default_value = "ORG_MEMBER")]
    pub org_role: String,
    #[command(flatten)]
    pub database: DatabaseArg,
    /// Print the key as JSON (Atlas's shape, with `privateKey`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApiKeysListArgs {
    /// Only the keys of this project (group ID).
    #[arg(long, value_name = "GROUP_ID")]
    pub group_id: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArg,
    /// Print the keys as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApiKeysDeleteArgs {
    /// The key's public key (8 lowercase letters).
    #[arg(value_name = "PUBLIC_KEY")]
    pub public_key: String,
    #[command(flatten)]
    pub database: DatabaseArg,
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
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct AccountsListArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct AccountsSetPasswordArgs {
    /// The account's name.
    #[arg(long)]
    pub username: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Evaluate the CA-expiry alerts once: open, notify (webhooks sent, emails recorded), retry, close;
    /// print what was done. Exit status 0, or 1 when the database cannot be opened.
    Check(AlertsCheckArgs),
}

#[derive(Debug, Args)]
pub struct AlertsCheckArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
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
        default_value = DEFAULT_DATABASE_URL
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
    /// How log lines are written to standard error: text (for people) or json (one object a line,
    /// for a log collector).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Serve GET /metrics (Prometheus) on this address only, instead of on the main port: a private
    /// address Prometheus reaches and clients do not (project names and CA subjects are in it).
    #[arg(long, value_name = "ADDR:PORT", conflicts_with = "no_metrics")]
    pub metrics_listen: Option<SocketAddr>,
    /// Neither serve GET /metrics nor record request metrics.
    #[arg(long)]
    pub no_metrics: bool,
}

/// `serve --log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
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
        Command::MigrateDb(args) => ExitCode::from(migrate_db::run(&args)),
        Command::Check(args) => ExitCode::from(check::run_check(&args)),
        Command::Export(args) => ExitCode::from(transfer::export(&args)),
        Command::Import(args) => ExitCode::from(transfer::import(&args)),
        Command::Drift(args) => ExitCode::from(transfer::drift(&args)),
    }
}
