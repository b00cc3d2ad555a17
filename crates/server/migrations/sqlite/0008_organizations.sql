-- Organizations: the owner of projects, with organization roles for accounts and API keys (issue 15).
-- Conventions as in 0001_projects.sql. `projects.org_id` (there since 0001) names the organization; SQLite
-- cannot add a foreign key to an existing column, so the server keeps it right (every project is created
-- in an organization that exists, and an organization is never deleted while it has projects).

CREATE TABLE organizations (
    id         TEXT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- An account's role in an organization: at most one. ORG_MEMBER sees only the projects where it has a
-- project role; ORG_OWNER and ORG_READ_ONLY reach into every project of the organization.
CREATE TABLE account_org_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role_name  TEXT NOT NULL CHECK (role_name IN ('ORG_OWNER', 'ORG_GROUP_CREATOR', 'ORG_READ_ONLY', 'ORG_MEMBER')),
    PRIMARY KEY (account_id, org_id)
);
CREATE INDEX account_org_roles_by_org ON account_org_roles (org_id, account_id);

-- An API key belongs to one organization (as in Atlas), with one organization role there.
ALTER TABLE api_keys ADD COLUMN org_id TEXT;
ALTER TABLE api_keys ADD COLUMN org_role TEXT NOT NULL DEFAULT 'ORG_MEMBER';

-- Organization events (project created, renamed, deleted; a member's organization role changed).
CREATE TABLE org_events (
    id              TEXT NOT NULL PRIMARY KEY,
    seq             INTEGER NOT NULL,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- The project the event is about, if any (kept after the project is deleted).
    group_id        TEXT,
    created_at      TEXT NOT NULL,
    event_type_name TEXT NOT NULL,
    actor           TEXT NOT NULL,
    target          TEXT NOT NULL,
    detail          TEXT NOT NULL
);
CREATE INDEX org_events_by_org ON org_events (org_id, seq);

-- The upgrade from one implicit organization: every organization id the projects name becomes an
-- organization ("Organization 0"); every account with a project role becomes ORG_MEMBER there, and the
-- first owner (the oldest account that is Project Owner somewhere) ORG_OWNER; every API key belongs to the
-- organization of its projects.
INSERT INTO organizations (id, name, created_at)
SELECT org_id, 'Organization 0', MIN(created_at) FROM projects GROUP BY org_id;

INSERT INTO account_org_roles (account_id, org_id, role_name)
SELECT DISTINCT r.account_id, p.org_id, 'ORG_MEMBER'
FROM account_project_roles r JOIN projects p ON p.id = r.project_id;

UPDATE account_org_roles SET role_name = 'ORG_OWNER'
WHERE account_id = (
    SELECT a.id FROM accounts a
    WHERE EXISTS (SELECT 1 FROM account_project_roles r WHERE r.account_id = a.id AND r.role_name = 'GROUP_OWNER')
    ORDER BY a.created_at, a.id LIMIT 1
);

UPDATE api_keys SET org_id = (
    SELECT p.org_id FROM api_key_roles r JOIN projects p ON p.id = r.project_id
    WHERE r.api_key_id = api_keys.id ORDER BY p.created_at, p.id LIMIT 1
);
