-- Up Migration
-- Sign-in looks accounts up by `email_key`, the address as src/accounts/email-key.ts normalises it
-- (NFKC, lower case, NFKC), the same key its attempt counters use, instead of Postgres's lower(),
-- which follows the collation and matched "ADMİN@EXAMPLE.ORG" (U+0130) to admin@example.org.
-- Accounts are only ever created with ASCII addresses (the API and ADMIN_EMAIL accept no others),
-- for which this backfill and the application's key agree.
ALTER TABLE moderators ADD COLUMN email_key text;
UPDATE moderators SET email_key = normalize(lower(normalize(btrim(email), NFKC)), NFKC);
ALTER TABLE moderators ALTER COLUMN email_key SET NOT NULL;
CREATE UNIQUE INDEX moderators_email_key_idx ON moderators (email_key);

-- Down Migration
DROP INDEX moderators_email_key_idx;
ALTER TABLE moderators DROP COLUMN email_key;
