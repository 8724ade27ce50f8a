-- Up Migration
-- comments_email_idx (lower(author_email)) is the leading column of comments_email_status_idx
-- (lower(author_email), status), which serves every look-up by email (history checks, privacy
-- export and erasure) as well. Each index costs every insert: the worker's backlog drain stores
-- comments in batches, and this one bought no query anything.
DROP INDEX IF EXISTS comments_email_idx;

-- Down Migration
CREATE INDEX IF NOT EXISTS comments_email_idx ON comments (lower(author_email));
