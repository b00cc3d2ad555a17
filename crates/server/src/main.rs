//! `access-console serve | inspect`: see `access-console --help`.

fn main() -> std::process::ExitCode {
    access_console::cli::main()
}
