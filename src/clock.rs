//! The browser's clock, for inspecting certificates "now".

/// Seconds since the Unix epoch (UTC), as core's inspection takes it.
pub fn now_unix() -> i64 {
    // Date.now() is milliseconds since the epoch as an f64; whole seconds fit an i64 without loss.
    (js_sys::Date::now() / 1000.0).floor() as i64
}
