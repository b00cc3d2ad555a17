//! The console's Wasm module, the first load: see the library's documentation (`src/lib.rs`).

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

fn main() {
    access_console_ui::start_console();
}
