-- Up Migration
-- moderation_events stays append-only, with one exception: an erasure request (privacy-repository.ts
-- eraseByEmail) must remove the personal data its rows quote. The first decision's `reasons` hold every
-- check's matches, e.g. "match": "victoria.victim@example.org", and a moderator's `note` may name the
-- author. Inside a transaction that set `moderation.erasing` to 'on' (set_config(..., true): that
-- transaction only), an UPDATE may change `reasons` and `note`; who did what and when stays as it was.
-- Deleting rows is still refused.
CREATE OR REPLACE FUNCTION moderation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('moderation.erasing', true) = 'on'
     AND NEW.id = OLD.id AND NEW.comment_id = OLD.comment_id
     AND NEW.from_status IS NOT DISTINCT FROM OLD.from_status AND NEW.to_status = OLD.to_status
     AND NEW.actor = OLD.actor AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'moderation_events is append-only';
END;
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION moderation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_events is append-only';
END;
$$;
