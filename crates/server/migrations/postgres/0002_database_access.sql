-- PostgreSQL twin of ../sqlite/0002_database_access.sql (differences: see 0001_projects.sql).
-- Database Access: the project's clusters, custom roles and database users, and the activity feed.
-- Conventions as in 0001_projects.sql.

-- Clusters as far as roles care: a name and a MongoDB major version ("7.0").
CREATE TABLE clusters (
    project_id            TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name                  TEXT COLLATE "C" NOT NULL,
    mongodb_major_version TEXT COLLATE "C" NOT NULL,
    created_at            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, name)
);

-- Custom roles; `body` is the Atlas JSON of the role (`actions`, `inheritedRoles`), name excluded.
CREATE TABLE custom_roles (
    project_id TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role_name  TEXT COLLATE "C" NOT NULL,
    body       TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, role_name)
);

-- Database users. `username` is the canonical form (for certificate users: the RFC 2253 subject as
-- openssl prints it), so equal names collide on the primary key. `body` is the Atlas JSON of the user's
-- `scopes`, `labels` and `description`; roles are rows of database_user_roles (so that "which users
-- hold role X" is one indexed query). `delete_after` is the `deleteAfterDate` of a temporary user.
CREATE TABLE database_users (
    project_id    TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    database_name TEXT COLLATE "C" NOT NULL,
    username      TEXT COLLATE "C" NOT NULL,
    x509_type     TEXT COLLATE "C" NOT NULL,
    body          TEXT COLLATE "C" NOT NULL,
    delete_after  TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, database_name, username)
);

CREATE INDEX database_users_delete_after ON database_users (delete_after);
-- Lists are ordered by name.
CREATE INDEX database_users_by_name ON database_users (project_id, username, database_name);

-- One row per role granted to a user, in the order the user lists them.
CREATE TABLE database_user_roles (
    project_id      TEXT COLLATE "C" NOT NULL,
    database_name   TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    position        BIGINT NOT NULL,
    role_name       TEXT COLLATE "C" NOT NULL,
    role_database   TEXT COLLATE "C" NOT NULL,
    role_collection TEXT COLLATE "C",
    PRIMARY KEY (project_id, database_name, username, position),
    FOREIGN KEY (project_id, database_name, username)
        REFERENCES database_users (project_id, database_name, username) ON DELETE CASCADE
);

CREATE INDEX database_user_roles_by_role ON database_user_roles (project_id, role_name);
-- A page of users' roles, read by name range.
CREATE INDEX database_user_roles_by_name ON database_user_roles (project_id, username, database_name, position);

-- The activity feed: one row per change, written in the transaction of the change. Never updated.
-- `seq` orders events written in the same second.
CREATE TABLE events (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    seq             BIGINT NOT NULL,
    project_id      TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_at      TEXT COLLATE "C" NOT NULL,
    event_type_name TEXT COLLATE "C" NOT NULL,
    -- Who: a console user or API key once access control exists; "anonymous" until then, "system" for
    -- the server's own changes (expired temporary users).
    actor           TEXT COLLATE "C" NOT NULL,
    -- What the change was about, e.g. the username or role name.
    target          TEXT COLLATE "C" NOT NULL,
    -- JSON: {"before": ..., "after": ...} (either may be absent).
    detail          TEXT COLLATE "C" NOT NULL
);

CREATE INDEX events_by_project ON events (project_id, seq);

-- Where events.seq comes from (SQLite: MAX(seq) + 1 under its write lock).
CREATE SEQUENCE events_seq AS BIGINT;
