-- Sign-in attempts refused by the throttle: a count per name and address (issue 14), not an event each.
CREATE TABLE sign_in_throttled (
    username_key TEXT NOT NULL,
    remote_addr  TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (username_key, remote_addr)
);
