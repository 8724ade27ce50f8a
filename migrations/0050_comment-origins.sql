-- Up Migration
-- Where an imported comment came from (npm run import -- wordpress|disqus FILE, src/import-export/).
-- One row per imported comment, keyed by its origin: the source system, the site (`--site`, '' by
-- default: keeps apart exports of different sites that reuse post URLs and ids, such as development
-- copies at http://localhost), the scope its id is unique in
-- (WordPress: the post's guid/link, because hand-edited and merged exports reuse comment ids across
-- posts; Disqus: '' since dsq:id is unique per forum) and the id itself. Re-running an import finds
-- the row and stores nothing twice. No personal data here: author, email and IP live in `comments`,
-- where erasure reaches them. The row outlives an erasure that deletes the comment (no foreign key,
-- on purpose): re-running the same import must not bring an erased comment back.
CREATE TABLE comment_origins (
  comment_id        uuid PRIMARY KEY,
  source            text        NOT NULL CHECK (source IN ('wordpress', 'disqus')),
  site              text        NOT NULL DEFAULT '',
  origin_scope      text        NOT NULL,
  origin_id         text        NOT NULL,
  -- The parent's origin id as the file said it (the comment's parent_id is null when it was not found).
  parent_origin_id  text,
  -- The article as the file named it (guid/link, Disqus thread link) and its title: for exports.
  article_key       text,
  article_title     text,
  -- WordPress comment_type: comment, pingback or trackback.
  comment_type      text        NOT NULL DEFAULT 'comment' CHECK (comment_type IN ('comment', 'pingback', 'trackback')),
  imported_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, site, origin_scope, origin_id)
);

-- Down Migration
DROP TABLE comment_origins;
