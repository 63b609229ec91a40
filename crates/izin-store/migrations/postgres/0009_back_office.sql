-- The back office: officers' sessions (separate from applicants'), the columns the work queue
-- filters, searches and orders on (copied from the frozen profile at each submission), who holds
-- an application, the officer's decision the applicant reads, a four-eyes proposal, internal
-- notes, and counts per status kept by triggers so the queue never counts a million rows.

CREATE TABLE officer_sessions (
    token_hash   BYTEA PRIMARY KEY,
    officer_id   UUID NOT NULL REFERENCES officers (id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX officer_sessions_by_officer ON officer_sessions (officer_id);

ALTER TABLE applications ADD COLUMN authority TEXT;
ALTER TABLE applications ADD COLUMN applicant_name TEXT;
-- search_key of "surname given names" and of "given names surname": a name search is a prefix
-- of either.
ALTER TABLE applications ADD COLUMN applicant_key TEXT;
ALTER TABLE applications ADD COLUMN applicant_key_given TEXT;
ALTER TABLE applications ADD COLUMN nationality TEXT;
ALTER TABLE applications ADD COLUMN foreigner_id TEXT;
ALTER TABLE applications ADD COLUMN passport_number TEXT;
ALTER TABLE applications ADD COLUMN assigned_to UUID REFERENCES officers (id);
ALTER TABLE applications ADD COLUMN decision JSONB;
ALTER TABLE applications ADD COLUMN proposal JSONB;

CREATE INDEX applications_queue ON applications (authority, submitted_at, id)
    WHERE submitted_at IS NOT NULL;
CREATE INDEX applications_queue_by_status ON applications (authority, status, submitted_at, id)
    WHERE submitted_at IS NOT NULL;
CREATE INDEX applications_queue_by_holder ON applications (assigned_to, submitted_at, id)
    WHERE assigned_to IS NOT NULL;
CREATE INDEX applications_by_passport ON applications (passport_number)
    WHERE passport_number IS NOT NULL;
CREATE INDEX applications_by_foreigner_id ON applications (foreigner_id)
    WHERE foreigner_id IS NOT NULL;
CREATE INDEX applications_by_name ON applications (applicant_key text_pattern_ops)
    WHERE applicant_key IS NOT NULL;
CREATE INDEX applications_by_given_name ON applications (applicant_key_given text_pattern_ops)
    WHERE applicant_key_given IS NOT NULL;

CREATE TABLE officer_notes (
    id             BIGSERIAL PRIMARY KEY,
    application_id UUID NOT NULL REFERENCES applications (id),
    officer_id     UUID NOT NULL REFERENCES officers (id),
    at             TIMESTAMPTZ NOT NULL,
    text           TEXT NOT NULL
);
CREATE INDEX officer_notes_by_application ON officer_notes (application_id, id);

-- Submitted applications per authority and status, in 16 stripes (by the application's id) so
-- that concurrent moves seldom wait on one counter row.
CREATE TABLE application_counts (
    authority TEXT NOT NULL,
    status    TEXT NOT NULL,
    stripe    SMALLINT NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (authority, status, stripe)
);

CREATE FUNCTION application_counts_add(authority TEXT, status TEXT, id UUID, delta BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO application_counts (authority, status, stripe, count)
    VALUES (authority, status, get_byte(uuid_send(id), 15) & 15, delta)
    ON CONFLICT (authority, status, stripe)
    DO UPDATE SET count = application_counts.count + EXCLUDED.count;
$$;

CREATE FUNCTION application_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.authority IS NOT NULL AND OLD.status <> 'DRAFT' THEN
        PERFORM application_counts_add(OLD.authority, OLD.status, OLD.id, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.authority IS NOT NULL AND NEW.status <> 'DRAFT' THEN
        PERFORM application_counts_add(NEW.authority, NEW.status, NEW.id, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
    FOR EACH ROW EXECUTE FUNCTION application_counts_follow();
CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION application_counts_follow();
CREATE TRIGGER application_counts_update AFTER UPDATE OF status, authority ON applications
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.authority IS DISTINCT FROM NEW.authority)
    EXECUTE FUNCTION application_counts_follow();
