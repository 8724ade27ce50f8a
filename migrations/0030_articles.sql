-- Up Migration
-- The article as a unit of moderation (issue 24): per-article settings (closed, pre-moderation,
-- closing after some days, a message above the form), surges, readers' reports and editors' picks.

-- Articles the service knows: created on a comment's first decision or by the CMS (PUT
-- /api/moderation/articles/:id). The id is the comments' article_id.
CREATE TABLE articles (
  id                text PRIMARY KEY,
  title             text,
  url               text,
  published_at      timestamptz,
  closed            boolean     NOT NULL DEFAULT false,
  premoderate       text        NOT NULL DEFAULT 'off' CHECK (premoderate IN ('off', 'all', 'links')),
  -- Null: the site-wide default (settings.closeAfterDays) applies.
  close_after_days  integer     CHECK (close_after_days IS NULL OR close_after_days >= 0),
  message           text,
  -- A surge (src/moderation/surge.ts): every new comment held until surge_until.
  surge_until       timestamptz,
  -- A moderator ended a surge early: no new surge before this (the wave that caused it is still counted).
  surge_quiet_until timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Each surge, as it happened: why, when, until when, and who ended it early.
CREATE TABLE article_surges (
  id          bigserial PRIMARY KEY,
  article_id  text        NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  started_at  timestamptz NOT NULL,
  until       timestamptz NOT NULL,
  reason      text        NOT NULL,
  ended_at    timestamptz,
  ended_by    text
);
CREATE INDEX article_surges_article_idx ON article_surges (article_id, id);

-- Readers' reports of published comments. No raw IP, email or reader id: keyed HMACs only.
CREATE TABLE comment_reports (
  id           bigserial PRIMARY KEY,
  comment_id   uuid        NOT NULL,
  reason       text        NOT NULL CHECK (reason IN ('spam', 'abusive', 'off_topic', 'other')),
  note         text,
  reader_hash  text        NOT NULL,
  ip_hash      text,
  -- How much the report counts (src/moderation/report-weight.ts): less for readers whose reports were dismissed.
  weight       real        NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  -- dismissed: a moderator kept the comment; upheld: a moderator took it down.
  resolution   text        CHECK (resolution IN ('dismissed', 'upheld')),
  resolved_by  text
);
-- One report per reader per comment.
CREATE UNIQUE INDEX comment_reports_reader_idx ON comment_reports (comment_id, reader_hash);
CREATE INDEX comment_reports_open_idx ON comment_reports (comment_id) WHERE resolved_at IS NULL;
CREATE INDEX comment_reports_ip_idx ON comment_reports (ip_hash) WHERE ip_hash IS NOT NULL;
CREATE INDEX comment_reports_reader_history_idx ON comment_reports (reader_hash) WHERE resolved_at IS NOT NULL;

-- Editors' picks.
ALTER TABLE comments ADD COLUMN featured_at timestamptz;
CREATE INDEX comments_featured_idx ON comments (article_id, featured_at DESC) WHERE featured_at IS NOT NULL;
-- The article view and the article list's counts.
CREATE INDEX comments_article_status_idx ON comments (article_id, status);

-- Down Migration
DROP INDEX comments_article_status_idx;
DROP INDEX comments_featured_idx;
ALTER TABLE comments DROP COLUMN featured_at;
DROP TABLE comment_reports;
DROP TABLE article_surges;
DROP TABLE articles;
