-- Proof documents (seed §4.3): what an approval issues, the keys that sign them, and mail that
-- carries a stored file.

INSERT INTO counters (name, value) VALUES ('document_number', 0);

-- Ed25519 keys that sign documents. The private half is sealed with a key from the settings or
-- a key file, so a copy of the database alone cannot forge a document. One key is current (no
-- retired_at); retired keys keep verifying what they signed.
CREATE TABLE signing_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  BLOB NOT NULL,
    sealed_key  BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER
) STRICT;
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

CREATE TABLE proof_documents (
    id                BLOB PRIMARY KEY,
    -- The application whose approval issued it.
    application_id    BLOB NOT NULL REFERENCES applications (id),
    -- The application whose exemption it proves: itself, or the one a new card is about. Its
    -- exemption status (cancelled, expired) is the document's.
    subject_id        BLOB NOT NULL REFERENCES applications (id),
    number            TEXT NOT NULL UNIQUE,
    verification_code TEXT NOT NULL,
    issued_at         INTEGER NOT NULL,
    -- The approval mail, sent with the PDF once it exists.
    mail              TEXT,
    -- The production job: retried with back-off, leased so one worker produces it.
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    lease_until       INTEGER,
    last_error        TEXT,
    -- What production fixed, as printed and signed.
    produced_at       INTEGER,
    storage_key       TEXT,
    sha256            TEXT,
    key_id            TEXT REFERENCES signing_keys (key_id),
    signed_payload    TEXT,
    valid_from        TEXT,
    valid_until       TEXT,
    -- What /verify may show: the holder's name, what the document grants, the photo's object.
    shown             TEXT,
    photo_key         TEXT,
    with_card         INTEGER NOT NULL DEFAULT 0,
    -- The card (seed §4.8): what it prints, where it goes, and when the officers printed it.
    card              TEXT,
    delivery_address  TEXT,
    printed_at        INTEGER,
    printed_by        BLOB,
    replaced_by       BLOB REFERENCES proof_documents (id)
) STRICT;
CREATE INDEX proof_documents_by_application ON proof_documents (application_id);
CREATE INDEX proof_documents_by_subject ON proof_documents (subject_id);
CREATE INDEX proof_documents_due ON proof_documents (next_attempt_at) WHERE produced_at IS NULL;

-- A mail may carry one stored file (the Proof Document), read from the file store when sent.
ALTER TABLE outbox ADD COLUMN attachment TEXT;

-- The expiry job finds exemptions whose end date passed.
CREATE INDEX applications_active_exemptions ON applications (end_date)
    WHERE exemption_status = 'ACTIVE';

-- Cards in the post: one shipment per hand-over to the carrier (a returned card is re-shipped as a
-- new one), and every status report the carrier sent, once each.
INSERT INTO counters (name, value) VALUES ('cargo_serial', 0);
CREATE TABLE shipments (
    id               BLOB PRIMARY KEY,
    document_id      BLOB NOT NULL REFERENCES proof_documents (id),
    tracking_number  TEXT NOT NULL UNIQUE,
    address          TEXT NOT NULL,
    status           TEXT NOT NULL,
    status_at        INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    created_by       BLOB,
    -- A returned shipment the officers sent again: the new one.
    reshipped_as     BLOB REFERENCES shipments (id)
) STRICT;
CREATE INDEX shipments_by_document ON shipments (document_id);
CREATE INDEX shipments_returned ON shipments (status_at) WHERE status = 'returned_to_sender' AND reshipped_as IS NULL;

CREATE TABLE shipment_events (
    notification_id  TEXT PRIMARY KEY,
    shipment_id      BLOB NOT NULL REFERENCES shipments (id),
    status           TEXT NOT NULL,
    at               INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    -- Whether it moved the shipment on (a late report of an earlier status does not).
    applied          INTEGER NOT NULL
) STRICT;
CREATE INDEX shipment_events_by_shipment ON shipment_events (shipment_id, at);

-- The print queue: produced cards not yet printed.
CREATE INDEX proof_documents_to_print ON proof_documents (produced_at)
    WHERE with_card = 1 AND printed_at IS NULL AND produced_at IS NOT NULL;
