-- PostgreSQL twin of ../sqlite/0003_alerts.sql (differences: see 0001_projects.sql).
-- Alerts: alert configurations, the alerts they open, and the notifications sent for them.
-- Conventions as in 0001_projects.sql.

-- As in SQLite (where `events.seq` is MAX(seq) + 1 at each insert).
CREATE INDEX events_by_seq ON events (seq);
-- The activity feed filtered by event type, newest first.
CREATE INDEX events_by_project_type ON events (project_id, event_type_name, seq);
-- ... and by date range.
CREATE INDEX events_by_project_created ON events (project_id, created_at);

-- Alert configurations. Only `CA_EXPIRING` exists today: open an alert for each CA certificate of the
-- project's bundle with fewer than `threshold_days` days left.
CREATE TABLE alert_configs (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    project_id      TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    event_type_name TEXT COLLATE "C" NOT NULL,
    enabled         BOOLEAN NOT NULL,
    threshold_days  BIGINT NOT NULL,
    -- JSON array of notifications as the API takes them, webhook secrets included (never answered).
    notifications   TEXT COLLATE "C" NOT NULL,
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL
);

CREATE INDEX alert_configs_by_project ON alert_configs (project_id, created_at);

-- Alerts: one per configuration and CA certificate (SHA-256 fingerprint) while it is open.
CREATE TABLE alerts (
    id                      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    project_id              TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    alert_config_id         TEXT COLLATE "C" NOT NULL REFERENCES alert_configs (id) ON DELETE CASCADE,
    event_type_name         TEXT COLLATE "C" NOT NULL,
    -- OPEN or CLOSED.
    status                  TEXT COLLATE "C" NOT NULL,
    ca_subject              TEXT COLLATE "C" NOT NULL,
    ca_sha256               TEXT COLLATE "C" NOT NULL,
    ca_not_after            TEXT COLLATE "C" NOT NULL,
    -- As of the last evaluation.
    days_left               BIGINT NOT NULL,
    created_at              TEXT COLLATE "C" NOT NULL,
    updated_at              TEXT COLLATE "C" NOT NULL,
    last_notified_at        TEXT COLLATE "C",
    resolved_at             TEXT COLLATE "C",
    acknowledged_until      TEXT COLLATE "C",
    acknowledgement_comment TEXT COLLATE "C"
);

CREATE UNIQUE INDEX alerts_open_once ON alerts (alert_config_id, ca_sha256) WHERE status = 'OPEN';
CREATE INDEX alerts_by_project ON alerts (project_id, created_at);

-- One row per notification attempt. EMAIL notifications are recorded only (status RECORDED); a WEBHOOK
-- attempt is DELIVERED (2xx) or FAILED; a failed attempt with `next_attempt_at` is retried then (by the
-- evaluator), as a new row with `attempt` + 1. `alert_id` is NULL for a test webhook.
CREATE TABLE webhook_deliveries (
    id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    project_id         TEXT COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    alert_config_id    TEXT COLLATE "C" NOT NULL,
    alert_id           TEXT COLLATE "C" REFERENCES alerts (id) ON DELETE CASCADE,
    notification_index BIGINT NOT NULL,
    type_name          TEXT COLLATE "C" NOT NULL,
    -- The webhook URL or the email address (may be empty for an email notification without one).
    target             TEXT COLLATE "C" NOT NULL,
    -- The JSON body sent (or that would be sent, for an email).
    payload            TEXT COLLATE "C" NOT NULL,
    attempt            BIGINT NOT NULL,
    attempted_at       TEXT COLLATE "C" NOT NULL,
    status             TEXT COLLATE "C" NOT NULL,
    status_code        BIGINT,
    error              TEXT COLLATE "C",
    next_attempt_at    TEXT COLLATE "C"
);

CREATE INDEX webhook_deliveries_by_alert ON webhook_deliveries (alert_id, notification_index, attempted_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
