-- Up Migration
-- Every change to what readers see (an approved comment inserted, edited, un-approved or deleted)
-- is announced on the `comment_listings` channel with the article id, whoever made it: the worker,
-- a moderator, a script or a hand-written UPDATE. API processes LISTEN and keep each article's
-- listing version in memory until they hear of a change (src/db/listing-versions.ts), so an
-- unchanged listing is answered without a query. Statement-level triggers with transition tables:
-- one notification per article per statement (Postgres also folds repeats within a transaction),
-- and a worker's batch insert of many comments costs one trigger call, not one per row.
CREATE FUNCTION notify_listing_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('comment_listings', '*');
    RETURN NULL;
  END IF;
  -- A NOTIFY payload must stay under 8,000 bytes: an over-long id (the API allows 200 characters)
  -- says "every article" instead.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('comment_listings', CASE WHEN octet_length(article_id) > 1000 THEN '*' ELSE article_id END)
    FROM (SELECT DISTINCT article_id FROM new_rows WHERE status = 'approved') AS changed;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('comment_listings', CASE WHEN octet_length(article_id) > 1000 THEN '*' ELSE article_id END)
    FROM (SELECT DISTINCT article_id FROM old_rows WHERE status = 'approved') AS changed;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER comments_listing_insert AFTER INSERT ON comments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_listing_change();
CREATE TRIGGER comments_listing_update AFTER UPDATE ON comments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_listing_change();
CREATE TRIGGER comments_listing_delete AFTER DELETE ON comments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_listing_change();
CREATE TRIGGER comments_listing_truncate AFTER TRUNCATE ON comments
  FOR EACH STATEMENT EXECUTE FUNCTION notify_listing_change();

-- Down Migration
DROP TRIGGER comments_listing_truncate ON comments;
DROP TRIGGER comments_listing_delete ON comments;
DROP TRIGGER comments_listing_update ON comments;
DROP TRIGGER comments_listing_insert ON comments;
DROP FUNCTION notify_listing_change();
