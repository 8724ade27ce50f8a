-- Up Migration
-- Akismet-compatible API keys: one per site (blog URL), shown once, stored as SHA-256 (the key has
-- 128 random bits, so a fast hash is enough), revocable.
CREATE TABLE akismet_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  blog        text        NOT NULL,
  key_hash    text        NOT NULL UNIQUE,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- What comment-check decided, under the guid it answered with, so submit-spam / submit-ham can
-- correct the record. No text, author, email or IP is kept: the submit calls send the comment
-- again (Akismet's contract), and the lesson is taught from what they send. Rows older than the
-- retention (docs/integrations.md) are deleted by the API.
CREATE TABLE akismet_checks (
  guid        uuid PRIMARY KEY,
  key_id      uuid        NOT NULL REFERENCES akismet_keys (id) ON DELETE CASCADE,
  status      text        NOT NULL,
  score       real        NOT NULL,
  is_test     boolean     NOT NULL DEFAULT false,
  -- spam / ham once the site reported it (submit-spam / submit-ham), else null.
  reported    text CHECK (reported IN ('spam', 'ham')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  reported_at timestamptz
);
CREATE INDEX akismet_checks_created_idx ON akismet_checks (created_at);

-- Down Migration
DROP TABLE akismet_checks;
DROP TABLE akismet_keys;
