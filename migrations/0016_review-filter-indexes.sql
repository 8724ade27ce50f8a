-- Up Migration
-- The review page's filters match loosely: an article id by its beginning ("budget" finds
-- "budget-2026"), an email or a name by any part of it, in any case ("ortiz" finds "Lena Ortiz",
-- "EXAMPLE.ORG" finds "lena@example.org"). Without these indexes each such filter reads every comment of
-- the tab (a million rows on a busy site).
--
-- Prefix: `article_id LIKE 'budget%'` can use a b-tree only with text_pattern_ops under a
-- non-C collation. Status first, as every queue query has `status = $1`.
CREATE INDEX comments_status_article_prefix_idx ON comments (status, article_id text_pattern_ops);

-- Substring, any case: `author_email ILIKE '%ortiz%' OR author_name ILIKE '%ortiz%'` uses trigrams
-- (patterns of 3 characters or more; shorter ones scan, which is what the old exact match did anyway).
-- One index over both columns; a search uses it for each side of the OR. Default fastupdate: the
-- filter is an occasional moderator search, and inserts (every comment) stay cheap.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX comments_author_trgm_idx ON comments USING gin (author_email gin_trgm_ops, author_name gin_trgm_ops);

-- Down Migration
DROP INDEX IF EXISTS comments_author_trgm_idx;
DROP INDEX IF EXISTS comments_status_article_prefix_idx;
