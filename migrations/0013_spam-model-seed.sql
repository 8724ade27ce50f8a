-- Up Migration
-- Which shipped model a stored one started from, and the version it had then: a newer shipped model
-- replaces a stored one that moderators have not taught since (ensureSpamModelSeeded), and leaves
-- one they have taught alone (`npm run model:replace` takes the new one and drops their lessons).
-- Models stored before this migration have no digest: the start treats them as untaught only when
-- their version is still 0 (as seeded).
ALTER TABLE spam_model ADD COLUMN seed_digest text, ADD COLUMN seed_version bigint;

-- Down Migration
ALTER TABLE spam_model DROP COLUMN seed_digest, DROP COLUMN seed_version;
