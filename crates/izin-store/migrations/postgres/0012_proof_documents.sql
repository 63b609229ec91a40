-- Proof documents (seed §4.3): what an approval issues, the keys that sign them, and mail that
-- carries a stored file.

CREATE SEQUENCE document_number_serial;

-- Ed25519 keys that sign documents. The private half is sealed with a key from the settings or
-- a key file, so a copy of the database alone cannot forge a document. One key is current (no
-- retired_at); retired keys keep verifying what they signed.
CREATE TABLE signing_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  BYTEA NOT NULL,
    sealed_key  BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

CREATE TABLE proof_documents (
    id                UUID PRIMARY KEY,
    -- The application whose approval issued it.
    application_id    UUID NOT NULL REFERENCES applications (id),
    -- The application whose exemption it proves: itself, or the one a new card is about. Its
    -- exemption status (cancelled, expired) is the document's.
    subject_id        UUID NOT NULL REFERENCES applications (id),
    number            TEXT NOT NULL UNIQUE,
    verification_code TEXT NOT NULL,
    issued_at         TIMESTAMPTZ NOT NULL,
    -- The approval mail, sent with the PDF once it exists.
    mail              JSONB,
    -- The production job: retried with back-off, leased so one worker produces it.
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   TIMESTAMPTZ NOT NULL,
    lease_until       TIMESTAMPTZ,
    last_error        TEXT,
    -- What production fixed, as printed and signed.
    produced_at       TIMESTAMPTZ,
    storage_key       TEXT,
    sha256            TEXT,
    key_id            TEXT REFERENCES signing_keys (key_id),
    signed_payload    TEXT,
    valid_from        DATE,
    valid_until       DATE,
    -- What /verify may show: the holder's name, what the document grants, the photo's object.
    shown             JSONB,
    photo_key         TEXT,
    with_card         BOOLEAN NOT NULL DEFAULT FALSE,
    -- The card (seed §4.8): what it prints, where it goes, and when the officers printed it.
    card              JSONB,
    delivery_address  TEXT,
    printed_at        TIMESTAMPTZ,
    printed_by        UUID,
    replaced_by       UUID REFERENCES proof_documents (id)
);
CREATE INDEX proof_documents_by_application ON proof_documents (application_id);
CREATE INDEX proof_documents_by_subject ON proof_documents (subject_id);
CREATE INDEX proof_documents_due ON proof_documents (next_attempt_at) WHERE produced_at IS NULL;

-- A mail may carry one stored file (the Proof Document), read from the file store when sent.
ALTER TABLE outbox ADD COLUMN attachment JSONB;

-- The expiry job finds exemptions whose end date passed.
CREATE INDEX applications_active_exemptions ON applications (end_date)
    WHERE exemption_status = 'ACTIVE';

-- Cards in the post: one shipment per hand-over to the carrier (a returned card is re-shipped as a
-- new one), and every status report the carrier sent, once each.
CREATE SEQUENCE cargo_serial;
CREATE TABLE shipments (
    id               UUID PRIMARY KEY,
    document_id      UUID NOT NULL REFERENCES proof_documents (id),
    tracking_number  TEXT NOT NULL UNIQUE,
    address          TEXT NOT NULL,
    status           TEXT NOT NULL,
    status_at        TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       UUID,
    -- A returned shipment the officers sent again: the new one.
    reshipped_as     UUID REFERENCES shipments (id)
);
CREATE INDEX shipments_by_document ON shipments (document_id);
CREATE INDEX shipments_returned ON shipments (status_at) WHERE status = 'returned_to_sender' AND reshipped_as IS NULL;

CREATE TABLE shipment_events (
    notification_id  TEXT PRIMARY KEY,
    shipment_id      UUID NOT NULL REFERENCES shipments (id),
    status           TEXT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    -- Whether it moved the shipment on (a late report of an earlier status does not).
    applied          BOOLEAN NOT NULL
);
CREATE INDEX shipment_events_by_shipment ON shipment_events (shipment_id, at);

-- The print queue: produced cards not yet printed.
CREATE INDEX proof_documents_to_print ON proof_documents (produced_at)
    WHERE with_card AND printed_at IS NULL AND produced_at IS NOT NULL;
