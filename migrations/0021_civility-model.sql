-- Up Migration
-- The civility model (src/models/civility*.ts), stored like the spam model (0002, 0013, 0020) in tables
-- of its own: the same store (src/models/model-store.ts createModelStore) reads and teaches both.
-- Rows are `attribute|feature` (one weight per attribute head); lessons are moderators' "civil" and
-- "abusive" decisions, kept with their deltas so undo takes them back exactly.

CREATE TABLE civility_model (
  id              boolean PRIMARY KEY DEFAULT true CHECK (id),
  format          text             NOT NULL,
  feature_version integer          NOT NULL,
  tokenizer       jsonb            NOT NULL,
  bias            double precision NOT NULL,
  learning_rate   double precision NOT NULL,
  generation      integer          NOT NULL DEFAULT 1,
  version         bigint           NOT NULL DEFAULT 0,
  updated_at      timestamptz      NOT NULL DEFAULT now(),
  seed_digest     text,
  seed_version    bigint
);

CREATE TABLE civility_model_features (
  feature text             PRIMARY KEY,
  weight  double precision NOT NULL,
  seen    double precision NOT NULL,
  version bigint           NOT NULL DEFAULT 0,
  base    double precision NOT NULL DEFAULT 0,
  learnt  bigint           NOT NULL DEFAULT 0
);

CREATE INDEX civility_model_features_version_idx ON civility_model_features (version);

CREATE TABLE civility_model_lessons (
  key        text        PRIMARY KEY,
  label      text        NOT NULL CHECK (label IN ('civil', 'abusive')),
  version    bigint      NOT NULL,
  learned_at timestamptz NOT NULL DEFAULT now(),
  deltas     jsonb
);

-- Down Migration
DROP TABLE civility_model_lessons;
DROP TABLE civility_model_features;
DROP TABLE civility_model;
