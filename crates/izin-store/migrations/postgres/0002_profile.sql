-- User Information: the four profile sections and the user's documents.

CREATE TABLE profiles (
    user_id         UUID PRIMARY KEY REFERENCES users (id),
    personal        JSONB NOT NULL DEFAULT '{}',
    contact         JSONB NOT NULL DEFAULT '{}',
    passport        JSONB NOT NULL DEFAULT '{}',
    education       JSONB NOT NULL DEFAULT '{}',
    verified        JSONB NOT NULL DEFAULT '[]',
    foreigner_id    TEXT,
    passport_number TEXT,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX profiles_by_foreigner_id ON profiles (foreigner_id);
CREATE INDEX profiles_by_passport_number ON profiles (passport_number);

CREATE TABLE documents (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       BYTEA NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    replaces     UUID
);
CREATE INDEX documents_by_user ON documents (user_id, created_at);

CREATE TABLE document_citations (
    document_id        UUID NOT NULL REFERENCES documents (id),
    application_id     UUID NOT NULL,
    application_number TEXT,
    frozen             BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (document_id, application_id)
);
CREATE INDEX document_citations_by_application ON document_citations (application_id);
