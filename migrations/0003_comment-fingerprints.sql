-- Up Migration
-- Body fingerprints for duplicate and campaign detection (src/moderation/fingerprint.ts), and
-- indexes for the history checks. Rows stored before this migration keep NULL fingerprints:
-- duplicates among them are still found by body; campaigns only among comments stored from now on.

ALTER TABLE comments
  -- SHA-256 prefix (16 bytes) of the normalized words: the same text after normalisation.
  ADD COLUMN body_hash     bytea,
  -- MinHash signature (16 int4) over word pairs; NULL for bodies under 8 words.
  ADD COLUMN body_minhash  integer[],
  -- Its locality-sensitive-hashing band keys (8 int4): near-identical bodies share at least one.
  ADD COLUMN body_lsh      integer[];

-- Duplicates (WordPress's rule): same article and body.
CREATE INDEX comments_article_body_hash_idx ON comments (article_id, body_hash);
-- Campaigns: same or near-identical bodies across authors, found through shared band keys.
CREATE INDEX comments_body_lsh_idx ON comments USING gin (body_lsh);
-- History: an email's approved and spam comments; earlier spam from an IP address or website.
CREATE INDEX comments_email_status_idx ON comments (lower(author_email), status);
CREATE INDEX comments_spam_ip_idx ON comments (ip, submitted_at) WHERE status = 'spam';
CREATE INDEX comments_spam_url_idx ON comments (author_url) WHERE status = 'spam';

-- Down Migration
DROP INDEX comments_spam_url_idx;
DROP INDEX comments_spam_ip_idx;
DROP INDEX comments_email_status_idx;
DROP INDEX comments_body_lsh_idx;
DROP INDEX comments_article_body_hash_idx;
ALTER TABLE comments DROP COLUMN body_lsh, DROP COLUMN body_minhash, DROP COLUMN body_hash;
