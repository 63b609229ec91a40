-- The queue's second filters, found by `izin-bench queue` over a million applications: a status
-- with a nationality or a category, and an officer's own applications in one status, each read
-- in queue order straight from an index. Reading the status's applications in order and keeping
-- the matches instead costs a heap fetch per application of that status until a page is full:
-- tens to hundreds of milliseconds for a rare nationality or category. The kind needs no index
-- of its own: with two kinds, a page is found after a few hundred rows.
CREATE INDEX applications_queue_by_nationality
    ON applications (authority, nationality, status, submitted_at, id)
    WHERE submitted_at IS NOT NULL;
CREATE INDEX applications_queue_by_category
    ON applications (authority, category, status, submitted_at, id)
    WHERE submitted_at IS NOT NULL;

-- Replaces (assigned_to, submitted_at, id): with the status beside the holder, "mine under
-- evaluation" is one range; "all of mine" is still found by the holder, then sorted.
DROP INDEX applications_queue_by_holder;
CREATE INDEX applications_queue_by_holder
    ON applications (authority, assigned_to, status, submitted_at, id)
    WHERE assigned_to IS NOT NULL AND submitted_at IS NOT NULL;
