-- Up Migration
-- Comments, the append-only moderation trail, and site settings.

CREATE TABLE comments (
  id            uuid PRIMARY KEY,
  article_id    text        NOT NULL,
  parent_id     uuid,
  author_name   text        NOT NULL,
  author_email  text        NOT NULL,
  author_url    text,
  body          text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('approved', 'pending', 'spam', 'rejected', 'trash')),
  score         double precision NOT NULL DEFAULT 0,
  -- Every check's result: [{check, verdict, score, reasons: [{code, message, field?, match?}], mode}]
  reasons       jsonb       NOT NULL DEFAULT '[]',
  ip            inet,
  user_agent    text,
  referrer      text,
  submitted_at  timestamptz NOT NULL,
  decided_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The reader listing: an article's approved comments in order.
CREATE INDEX comments_article_approved_idx ON comments (article_id, submitted_at, id) WHERE status = 'approved';
-- The review queue in order.
CREATE INDEX comments_pending_idx ON comments (submitted_at, id) WHERE status = 'pending';
CREATE INDEX comments_parent_idx ON comments (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_status_idx ON comments (status, submitted_at);
CREATE INDEX comments_email_idx ON comments (lower(author_email));
CREATE INDEX comments_ip_idx ON comments (ip) WHERE ip IS NOT NULL;

CREATE TABLE moderation_events (
  id           bigserial PRIMARY KEY,
  comment_id   uuid        NOT NULL,
  from_status  text,
  to_status    text        NOT NULL,
  -- 'system' for the worker's decision, 'moderator:<id>' or 'token:<id>' for people and scripts.
  actor        text        NOT NULL,
  reasons      jsonb       NOT NULL DEFAULT '[]',
  note         text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_events_comment_idx ON moderation_events (comment_id, id);
-- A comment has one first decision, however often its job runs.
CREATE UNIQUE INDEX moderation_events_first_idx ON moderation_events (comment_id) WHERE from_status IS NULL;

-- The trail is append-only: history that can be rewritten explains nothing.
CREATE FUNCTION moderation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_events is append-only';
END;
$$;
CREATE TRIGGER moderation_events_no_update BEFORE UPDATE OR DELETE ON moderation_events
  FOR EACH ROW EXECUTE FUNCTION moderation_events_append_only();

CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);

-- Down Migration
DROP TABLE settings;
DROP TRIGGER moderation_events_no_update ON moderation_events;
DROP FUNCTION moderation_events_append_only();
DROP TABLE moderation_events;
DROP TABLE comments;
