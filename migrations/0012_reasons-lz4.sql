-- Up Migration
-- Every comment stores every check's result (`reasons`, about 1.7 kB as jsonb), which takes its row
-- past the TOAST threshold, so Postgres compresses it on every insert. pglz, the default, cost the
-- backlog drain about 20 us of Postgres CPU per comment more than lz4 (3,000 bench rows: 216-228 ms
-- with pglz, 156-159 ms with lz4); lz4 also decompresses faster for the moderators' views. Existing
-- values stay as they are (both are read). Only where this Postgres was built with lz4.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE comments ALTER COLUMN reasons SET COMPRESSION lz4;
  END IF;
END
$$;

-- Down Migration
ALTER TABLE comments ALTER COLUMN reasons SET COMPRESSION default;
