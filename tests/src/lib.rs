//! Browser end-to-end tests live in `tests/browser/` (one test binary); this library is empty.
