-- Console accounts, their project roles, sign-in sessions and failed sign-ins (access control).
-- Same conventions as 0001: TEXT ids of 24 hex characters, RFC 3339 UTC times, no AUTOINCREMENT.

CREATE TABLE accounts (
    id            TEXT NOT NULL PRIMARY KEY,
    -- As typed at creation; unique without regard to case.
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    -- argon2id, in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- An account's role in a project: at most one per project (Atlas's project roles).
CREATE TABLE account_project_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role_name  TEXT NOT NULL CHECK (role_name IN ('GROUP_OWNER', 'GROUP_DATABASE_ACCESS_ADMIN', 'GROUP_READ_ONLY')),
    PRIMARY KEY (account_id, project_id)
);

-- A signed-in browser (or bearer client). Only the SHA-256 of the token is stored.
CREATE TABLE sessions (
    token_sha256 TEXT NOT NULL PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Sent back in X-CSRF-Token by the console for every change made with the session cookie.
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed sign-ins, for throttling (per username, whether or not the account exists).
CREATE TABLE sign_in_failures (
    username_key TEXT NOT NULL,
    remote_addr  TEXT NOT NULL,
    failed_at    TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_username ON sign_in_failures (username_key, failed_at);
