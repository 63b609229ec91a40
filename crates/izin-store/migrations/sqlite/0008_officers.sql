-- Officers of the authorities: separate from applicants' accounts (an applicant's session never
-- reaches an officer route). The TOTP secret is the second factor's shared key; the step last
-- used refuses a replayed code. Recovery codes are kept as SHA-256 hashes, each usable once.
CREATE TABLE officers (
    id             BLOB PRIMARY KEY,
    email          TEXT NOT NULL,
    email_key      TEXT NOT NULL UNIQUE,
    authority      TEXT NOT NULL CHECK (authority IN ('labour', 'migration')),
    roles          TEXT NOT NULL,
    totp_secret    BLOB NOT NULL,
    totp_last_step INTEGER,
    created_at     INTEGER NOT NULL,
    disabled_at    INTEGER
) STRICT;

CREATE TABLE officer_recovery_codes (
    officer_id BLOB NOT NULL REFERENCES officers (id),
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (officer_id, code_hash)
) STRICT;
