-- Applications: one table for every kind, their frozen versions, their append-only history and
-- the counter behind application numbers.

CREATE TABLE applications (
    id                        UUID PRIMARY KEY,
    user_id                   UUID NOT NULL REFERENCES users (id),
    kind                      TEXT NOT NULL,
    status                    TEXT NOT NULL,
    exemption_status          TEXT,
    number                    TEXT UNIQUE,
    version                   INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every save of the data, so a submission knows it checked the latest edit.
    edits                     BIGINT NOT NULL DEFAULT 0,
    data                      JSONB NOT NULL,
    category                  TEXT,
    start_date                DATE,
    end_date                  DATE,
    revision_message          TEXT,
    cancellation_requested_at TIMESTAMPTZ,
    idempotency_key           TEXT,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    submitted_at              TIMESTAMPTZ,
    concluded_at              TIMESTAMPTZ
);
CREATE INDEX applications_by_user ON applications (user_id, created_at);
CREATE UNIQUE INDEX applications_idempotency ON applications (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE application_versions (
    application_id UUID NOT NULL REFERENCES applications (id),
    version        INTEGER NOT NULL,
    snapshot       JSONB NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, version)
);

CREATE TABLE application_events (
    id               BIGSERIAL PRIMARY KEY,
    application_id   UUID NOT NULL REFERENCES applications (id),
    at               TIMESTAMPTZ NOT NULL,
    actor_kind       TEXT NOT NULL,
    actor_id         UUID,
    event            TEXT NOT NULL,
    from_status      TEXT NOT NULL,
    from_exemption   TEXT,
    to_status        TEXT NOT NULL,
    to_exemption     TEXT,
    reason           TEXT,
    version          INTEGER NOT NULL
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);
CREATE FUNCTION application_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'application_events is append-only';
END;
$$;
CREATE TRIGGER application_events_are_append_only BEFORE UPDATE OR DELETE ON application_events
    FOR EACH ROW EXECUTE FUNCTION application_events_are_append_only();
CREATE TRIGGER application_events_are_append_only_truncate BEFORE TRUNCATE ON application_events
    FOR EACH STATEMENT EXECUTE FUNCTION application_events_are_append_only();

-- Application numbers come from a sequence: unique across instances and without a hot row that
-- every submission would have to lock.
CREATE SEQUENCE application_number_serial;
