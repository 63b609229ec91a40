-- The back office: officers' sessions (separate from applicants'), the columns the work queue
-- filters, searches and orders on (copied from the frozen profile at each submission), who holds
-- an application, the officer's decision the applicant reads, a four-eyes proposal, internal
-- notes, and counts per status kept by triggers so the queue never counts every row.

CREATE TABLE officer_sessions (
    token_hash   BLOB PRIMARY KEY,
    officer_id   BLOB NOT NULL REFERENCES officers (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT,
    user_agent   TEXT
) STRICT;
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
ALTER TABLE applications ADD COLUMN assigned_to BLOB REFERENCES officers (id);
ALTER TABLE applications ADD COLUMN decision TEXT;
ALTER TABLE applications ADD COLUMN proposal TEXT;

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
CREATE INDEX applications_by_name ON applications (applicant_key)
    WHERE applicant_key IS NOT NULL;
CREATE INDEX applications_by_given_name ON applications (applicant_key_given)
    WHERE applicant_key_given IS NOT NULL;

CREATE TABLE officer_notes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BLOB NOT NULL REFERENCES applications (id),
    officer_id     BLOB NOT NULL REFERENCES officers (id),
    at             INTEGER NOT NULL,
    text           TEXT NOT NULL
) STRICT;
CREATE INDEX officer_notes_by_application ON officer_notes (application_id, id);

-- Submitted applications per authority and status (one writer: one stripe is enough).
CREATE TABLE application_counts (
    authority TEXT NOT NULL,
    status    TEXT NOT NULL,
    stripe    INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (authority, status, stripe)
) STRICT;

CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
    WHEN NEW.authority IS NOT NULL AND NEW.status <> 'DRAFT'
BEGIN
    INSERT INTO application_counts (authority, status, stripe, count)
    VALUES (NEW.authority, NEW.status, 0, 1)
    ON CONFLICT (authority, status, stripe) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
    WHEN OLD.authority IS NOT NULL AND OLD.status <> 'DRAFT'
BEGIN
    UPDATE application_counts SET count = count - 1
     WHERE authority = OLD.authority AND status = OLD.status AND stripe = 0;
END;
CREATE TRIGGER application_counts_update_old AFTER UPDATE OF status, authority ON applications
    WHEN OLD.authority IS NOT NULL AND OLD.status <> 'DRAFT'
     AND (OLD.status IS NOT NEW.status OR OLD.authority IS NOT NEW.authority)
BEGIN
    UPDATE application_counts SET count = count - 1
     WHERE authority = OLD.authority AND status = OLD.status AND stripe = 0;
END;
CREATE TRIGGER application_counts_update_new AFTER UPDATE OF status, authority ON applications
    WHEN NEW.authority IS NOT NULL AND NEW.status <> 'DRAFT'
     AND (OLD.status IS NOT NEW.status OR OLD.authority IS NOT NEW.authority)
BEGIN
    INSERT INTO application_counts (authority, status, stripe, count)
    VALUES (NEW.authority, NEW.status, 0, 1)
    ON CONFLICT (authority, status, stripe) DO UPDATE SET count = count + 1;
END;
