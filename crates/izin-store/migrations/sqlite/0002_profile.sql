-- User Information: the four profile sections and the user's documents.

CREATE TABLE profiles (
    user_id         BLOB PRIMARY KEY REFERENCES users (id),
    personal        TEXT NOT NULL DEFAULT '{}',
    contact         TEXT NOT NULL DEFAULT '{}',
    passport        TEXT NOT NULL DEFAULT '{}',
    education       TEXT NOT NULL DEFAULT '{}',
    verified        TEXT NOT NULL DEFAULT '[]',
    -- Copies for lookups by officers and registries.
    foreigner_id    TEXT,
    passport_number TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX profiles_by_foreigner_id ON profiles (foreigner_id);
CREATE INDEX profiles_by_passport_number ON profiles (passport_number);

CREATE TABLE documents (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       BLOB NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    replaces     BLOB
) STRICT;
CREATE INDEX documents_by_user ON documents (user_id, created_at);

-- Which applications use a document; a frozen citation (a submitted application) makes the
-- document immutable.
CREATE TABLE document_citations (
    document_id        BLOB NOT NULL REFERENCES documents (id),
    application_id     BLOB NOT NULL,
    application_number TEXT,
    frozen             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, application_id)
) STRICT;
CREATE INDEX document_citations_by_application ON document_citations (application_id);
