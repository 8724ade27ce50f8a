-- Up Migration
-- Keys for the Perspective-compatible API (docs/perspective.md): shown once when created, stored
-- as their SHA-256 only (a key is 192 random bits, so a fast hash is enough), revocable.
CREATE TABLE perspective_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_hash     text        NOT NULL UNIQUE,
  -- The key's first characters, so an admin can tell keys apart in a listing.
  key_hint     text        NOT NULL,
  label        text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

-- Which civility lessons each key taught through comments:suggestscore, so revoking a key can take
-- them all back. Only the lesson's key is kept (a digest of the client's token), never the text.
CREATE TABLE perspective_lessons (
  lesson_key   text PRIMARY KEY,
  key_id       uuid        NOT NULL REFERENCES perspective_keys (id) ON DELETE CASCADE,
  label        text        NOT NULL CHECK (label IN ('civil', 'abusive')),
  taught_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX perspective_lessons_key_idx ON perspective_lessons (key_id, taught_at);

-- Down Migration
DROP TABLE perspective_lessons;
DROP TABLE perspective_keys;
