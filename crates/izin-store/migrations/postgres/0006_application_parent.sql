-- An application may be about another one of the same owner (a new card is about the
-- exemption whose card it replaces).
ALTER TABLE applications ADD COLUMN parent_id UUID REFERENCES applications (id);
CREATE INDEX applications_by_parent ON applications (parent_id) WHERE parent_id IS NOT NULL;
