-- Applications: one table for every kind, their frozen versions, their append-only history and
-- the counter behind application numbers.

CREATE TABLE applications (
    id                        BLOB PRIMARY KEY,
    user_id                   BLOB NOT NULL REFERENCES users (id),
    kind                      TEXT NOT NULL,
    status                    TEXT NOT NULL,
    exemption_status          TEXT,
    number                    TEXT UNIQUE,
    -- The version being edited or evaluated; frozen copies are in application_versions.
    version                   INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every save of the data, so a submission knows it checked the latest edit.
    edits                     INTEGER NOT NULL DEFAULT 0,
    data                      TEXT NOT NULL,
    category                  TEXT,
    start_date                TEXT,
    end_date                  TEXT,
    revision_message          TEXT,
    cancellation_requested_at INTEGER,
    idempotency_key           TEXT,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    submitted_at              INTEGER,
    concluded_at              INTEGER
) STRICT;
CREATE INDEX applications_by_user ON applications (user_id, created_at);
CREATE UNIQUE INDEX applications_idempotency ON applications (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE application_versions (
    application_id BLOB NOT NULL REFERENCES applications (id),
    version        INTEGER NOT NULL,
    snapshot       TEXT NOT NULL,
    submitted_at   INTEGER NOT NULL,
    PRIMARY KEY (application_id, version)
) STRICT;

CREATE TABLE application_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id   BLOB NOT NULL REFERENCES applications (id),
    at               INTEGER NOT NULL,
    actor_kind       TEXT NOT NULL,
    actor_id         BLOB,
    event            TEXT NOT NULL,
    from_status      TEXT NOT NULL,
    from_exemption   TEXT,
    to_status        TEXT NOT NULL,
    to_exemption     TEXT,
    reason           TEXT,
    version          INTEGER NOT NULL
) STRICT;
CREATE INDEX application_events_by_application ON application_events (application_id, id);
CREATE TRIGGER application_events_are_append_only_update BEFORE UPDATE ON application_events
BEGIN
    SELECT RAISE(ABORT, 'application_events is append-only');
END;
CREATE TRIGGER application_events_are_append_only_delete BEFORE DELETE ON application_events
BEGIN
    SELECT RAISE(ABORT, 'application_events is append-only');
END;

-- Application numbers come from one counter, so they are unique and never reused.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, value) VALUES ('application_number', 0);
