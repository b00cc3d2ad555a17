-- PostgreSQL twin of ../sqlite/0005_api_keys.sql (differences: see 0001_projects.sql; BLOB is BYTEA).
-- Programmatic API keys (HTTP Digest), their project roles and access lists; the secret that signs
-- Digest nonces. Conventions as in 0001_projects.sql.

-- A key. The private key is never stored: `ha1` is MD5(public_key:"MMS Public API":private_key), what
-- Digest verification needs; `private_key_tail` is its last 12 characters, shown masked as Atlas does.
CREATE TABLE api_keys (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    -- 8 lowercase letters, as Atlas's.
    public_key       TEXT COLLATE "C" NOT NULL UNIQUE,
    ha1              TEXT COLLATE "C" NOT NULL,
    private_key_tail TEXT COLLATE "C" NOT NULL,
    description      TEXT COLLATE "C" NOT NULL,
    created_at       TEXT COLLATE "C" NOT NULL,
    -- Who created it: a console account, another key (`apiKey:<public key>`), or `cli`.
    created_by       TEXT COLLATE "C" NOT NULL
);

-- A key's roles in a project (GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN, GROUP_READ_ONLY). A key with no
-- role left in any project is deleted.
CREATE TABLE api_key_roles (
    api_key_id TEXT COLLATE "C" NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    project_id TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role_name  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (api_key_id, project_id, role_name)
);

CREATE INDEX api_key_roles_by_project ON api_key_roles (project_id, api_key_id);

-- The addresses a key may be used from: CIDR blocks (a single address as /32 or /128), network
-- address canonical (host bits zero). None: from anywhere.
CREATE TABLE api_key_access_list (
    api_key_id TEXT COLLATE "C" NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    cidr_block TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (api_key_id, cidr_block)
);

-- One row: the HMAC-SHA256 key that signs Digest nonces, shared by every server on this database.
CREATE TABLE digest_nonce_secret (
    id     BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    secret BYTEA NOT NULL
);
