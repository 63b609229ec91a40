-- Payments (seed §4.7): the notice an approval leaves, every receipt a payment channel reports
-- (matched or not: nothing is dropped), and the counters behind transaction reference numbers
-- and the foreigner IDs the authority assigns.

INSERT INTO counters (name, value) VALUES ('payment_reference', 0);
-- The simulated migration registry assigns foreigner IDs from here (99 + seven digits + two
-- check digits); the start keeps clear of the numbers the fixtures and tests use.
INSERT INTO counters (name, value) VALUES ('foreigner_id', 4999999);

CREATE TABLE payment_notices (
    application_id        BLOB PRIMARY KEY REFERENCES applications (id),
    reference_number      TEXT NOT NULL UNIQUE,
    authority             TEXT NOT NULL,
    foreigner_id          TEXT NOT NULL,
    foreigner_id_assigned INTEGER NOT NULL DEFAULT 0,
    noticed_at            INTEGER NOT NULL,
    -- The last day to pay (Türkiye's calendar), YYYY-MM-DD.
    deadline              TEXT NOT NULL,
    -- The amounts, each in the API's money shape with `paid` and its earlier year's rate.
    items                 TEXT NOT NULL,
    on_approval           TEXT,
    basis                 TEXT,
    reminded_at           INTEGER,
    rates_missing_for     INTEGER,
    expired_at            INTEGER,
    settled_at            INTEGER
) STRICT;
CREATE INDEX payment_notices_by_payer ON payment_notices (foreigner_id);
CREATE INDEX payment_notices_open ON payment_notices (deadline)
    WHERE settled_at IS NULL AND expired_at IS NULL;

CREATE TABLE payment_receipts (
    id               BLOB PRIMARY KEY,
    channel          TEXT NOT NULL,
    payment_id       TEXT UNIQUE,
    bank             TEXT,
    receipt_no       TEXT,
    reference_number TEXT,
    foreigner_id     TEXT NOT NULL,
    account_code     TEXT NOT NULL,
    -- Kuruş.
    amount           INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    paid_at          INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    application_id   BLOB REFERENCES applications (id),
    authority        TEXT,
    matched          INTEGER NOT NULL,
    unmatched_reason TEXT,
    recorded_by      BLOB,
    note             TEXT,
    resolved_at      INTEGER,
    resolved_by      BLOB,
    UNIQUE (bank, receipt_no)
) STRICT;
CREATE INDEX payment_receipts_by_application ON payment_receipts (application_id);
CREATE INDEX payment_receipts_unresolved ON payment_receipts (received_at DESC, id DESC)
    WHERE NOT matched AND resolved_at IS NULL;

-- Whether a foreigner ID is taken (before the authority assigns one) looks registry records up
-- by their key whatever the registry.
CREATE INDEX registry_records_by_key ON registry_records (key);
