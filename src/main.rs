//! The console's Wasm module, the first load: see the library's documentation (`src/lib.rs`).

fn main() {
    access_console_ui::start_console();
}
