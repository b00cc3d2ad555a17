//! Access Console server: the Atlas Admin API v2 subset over SQLite, and the static UI.
