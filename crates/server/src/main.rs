//! `access-console serve | inspect`: see `access-console --help`.

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

fn main() -> std::process::ExitCode {
    access_console::cli::main()
}
