-- Up Migration
-- Webhook endpoints registered by admins. The secret signs each delivery (HMAC-SHA256), so it is
-- kept as given (a hash could not sign); it is never shown again after registration.
CREATE TABLE webhook_endpoints (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url         text        NOT NULL,
  secret      text        NOT NULL,
  events      text[]      NOT NULL,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- The delivery log admins read: one row per delivery (its id is the X-Webhook-Id / body id), updated
-- at each attempt. Holds ids and outcomes only: no comment text or author data.
CREATE TABLE webhook_deliveries (
  id             uuid PRIMARY KEY,
  endpoint_id    uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event          text        NOT NULL,
  comment_id     uuid,
  status         text        NOT NULL CHECK (status IN ('retrying', 'delivered', 'failed', 'refused')),
  attempts       integer     NOT NULL DEFAULT 0,
  response_code  integer,
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC);

-- Integration settings admins change (one row): private webhook targets, the e-mail digest.
CREATE TABLE integration_settings (
  id                       boolean PRIMARY KEY DEFAULT true CHECK (id),
  webhooks_allow_private   boolean NOT NULL DEFAULT false,
  -- 0: an e-mail as soon as comments are held; N: at most one digest every N minutes.
  mail_digest_minutes      integer NOT NULL DEFAULT 0 CHECK (mail_digest_minutes BETWEEN 0 AND 1440),
  -- Held comments up to this time have been announced by e-mail.
  mail_notified_until      timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
INSERT INTO integration_settings (id) VALUES (true);

-- Moderators who opted in to e-mail about held comments (WordPress's moderation_notify).
ALTER TABLE moderators ADD COLUMN notify_held boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE moderators DROP COLUMN notify_held;
DROP TABLE integration_settings;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
