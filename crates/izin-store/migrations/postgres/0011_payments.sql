-- Payments (seed §4.7): the notice an approval leaves, every receipt a payment channel reports
-- (matched or not: nothing is dropped), and the counters behind transaction reference numbers
-- and the foreigner IDs the authority assigns.

CREATE SEQUENCE payment_reference_serial;
-- The simulated migration registry assigns foreigner IDs from here (99 + seven digits + two
-- check digits); the start keeps clear of the numbers the fixtures and tests use.
CREATE SEQUENCE foreigner_id_serial START 5000000;

CREATE TABLE payment_notices (
    application_id        UUID PRIMARY KEY REFERENCES applications (id),
    reference_number      TEXT NOT NULL UNIQUE,
    authority             TEXT NOT NULL,
    foreigner_id          TEXT NOT NULL,
    foreigner_id_assigned BOOLEAN NOT NULL DEFAULT FALSE,
    noticed_at            TIMESTAMPTZ NOT NULL,
    -- The last day to pay (Türkiye's calendar).
    deadline              DATE NOT NULL,
    -- The amounts, each in the API's money shape with `paid` and its earlier year's rate.
    items                 JSONB NOT NULL,
    on_approval           TEXT,
    basis                 TEXT,
    reminded_at           TIMESTAMPTZ,
    rates_missing_for     INTEGER,
    expired_at            TIMESTAMPTZ,
    settled_at            TIMESTAMPTZ
);
CREATE INDEX payment_notices_by_payer ON payment_notices (foreigner_id);
CREATE INDEX payment_notices_open ON payment_notices (deadline)
    WHERE settled_at IS NULL AND expired_at IS NULL;

CREATE TABLE payment_receipts (
    id               UUID PRIMARY KEY,
    channel          TEXT NOT NULL,
    payment_id       TEXT UNIQUE,
    bank             TEXT,
    receipt_no       TEXT,
    reference_number TEXT,
    foreigner_id     TEXT NOT NULL,
    account_code     TEXT NOT NULL,
    -- Kuruş.
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    paid_at          TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    application_id   UUID REFERENCES applications (id),
    authority        TEXT,
    matched          BOOLEAN NOT NULL,
    unmatched_reason TEXT,
    recorded_by      UUID,
    note             TEXT,
    resolved_at      TIMESTAMPTZ,
    resolved_by      UUID,
    UNIQUE (bank, receipt_no)
);
CREATE INDEX payment_receipts_by_application ON payment_receipts (application_id);
CREATE INDEX payment_receipts_unresolved ON payment_receipts (received_at DESC, id DESC)
    WHERE NOT matched AND resolved_at IS NULL;

-- Whether a foreigner ID is taken (before the authority assigns one) looks registry records up
-- by their key whatever the registry.
CREATE INDEX registry_records_by_key ON registry_records (key);
