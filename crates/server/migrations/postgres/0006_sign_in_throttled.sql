-- Sign-in attempts refused by the throttle: a count per name and address (issue 14), not an event each.
CREATE TABLE sign_in_throttled (
    username_key TEXT COLLATE "C" NOT NULL,
    remote_addr  TEXT COLLATE "C" NOT NULL,
    attempts     BIGINT NOT NULL,
    last_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (username_key, remote_addr)
);
