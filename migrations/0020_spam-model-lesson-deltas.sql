-- Up Migration
-- Lessons that can be taken back exactly. A feature's weight is now its trained weight (`base`)
-- plus the sum of the lessons it carries, kept as an integer count of 1e-9 log-odds (`learnt`), so
-- adding and then subtracting a lesson returns `learnt` to the same integer and `weight` (always
-- recomputed as base + learnt * 1e-9) to the same value, whatever other lessons came in between.
-- Each lesson keeps its deltas, keyed by the decision (`review:<comment id>`), so an undo, a
-- restore or a "not spam" after "spam" subtracts exactly what that decision taught.
ALTER TABLE spam_model_features
  ADD COLUMN base double precision NOT NULL DEFAULT 0,
  ADD COLUMN learnt bigint NOT NULL DEFAULT 0;
UPDATE spam_model_features SET base = weight;
-- Lessons stored before this migration have no deltas: they cannot be taken back.
ALTER TABLE spam_model_lessons ADD COLUMN deltas jsonb;

-- Down Migration
ALTER TABLE spam_model_lessons DROP COLUMN deltas;
ALTER TABLE spam_model_features DROP COLUMN base, DROP COLUMN learnt;
