-- Up Migration
-- Moderator accounts, their sign-in sessions and API tokens, and the bodies moderators replaced.

CREATE TABLE moderators (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text        NOT NULL,
  name           text        NOT NULL DEFAULT '',
  role           text        NOT NULL CHECK (role IN ('admin', 'moderator')),
  -- scrypt$N$r$p$salt$hash (base64url); never the password itself.
  password_hash  text        NOT NULL,
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);
CREATE UNIQUE INDEX moderators_email_idx ON moderators (lower(email));

-- Server-side sessions: the cookie carries a random token, the table only its SHA-256.
CREATE TABLE moderator_sessions (
  token_hash     text PRIMARY KEY,
  moderator_id   uuid        NOT NULL REFERENCES moderators (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz
);
CREATE INDEX moderator_sessions_moderator_idx ON moderator_sessions (moderator_id);

-- Tokens for scripts (Authorization: Bearer …): shown once, stored hashed.
CREATE TABLE api_tokens (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  moderator_id   uuid        NOT NULL REFERENCES moderators (id) ON DELETE CASCADE,
  name           text        NOT NULL,
  token_hash     text        NOT NULL UNIQUE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz,
  revoked_at     timestamptz
);
CREATE INDEX api_tokens_moderator_idx ON api_tokens (moderator_id);

-- A body a moderator replaced by editing. Kept out of the append-only events so an erasure
-- request can still remove it.
CREATE TABLE comment_revisions (
  id          bigserial PRIMARY KEY,
  comment_id  uuid        NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
  body        text        NOT NULL,
  edited_by   text        NOT NULL,
  edited_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_revisions_comment_idx ON comment_revisions (comment_id, id);

-- Queue filters: by article, by score, and by submission time in every status.
CREATE INDEX comments_article_idx ON comments (article_id, submitted_at);
CREATE INDEX comments_status_score_idx ON comments (status, score DESC, submitted_at, id);

-- Down Migration
DROP INDEX comments_status_score_idx;
DROP INDEX comments_article_idx;
DROP TABLE comment_revisions;
DROP TABLE api_tokens;
DROP TABLE moderator_sessions;
DROP TABLE moderators;
