-- Keyed records of simulated registries that need no query beyond their key (the migration
-- authority's people by foreigner ID, and later ones): one table for all, the record as JSON,
-- so a new registry needs a port, a simulator and a fixture list, not new SQL.
CREATE TABLE registry_records (
    registry TEXT NOT NULL,
    key      TEXT NOT NULL,
    record   JSONB NOT NULL,
    PRIMARY KEY (registry, key)
);
