-- Up Migration
-- The trained spam model, shared by every worker: one header row and one row per feature.
-- Online learning adds to weights and counts (weight = weight + delta), so concurrent learners
-- never lose each other's updates. Workers poll `version` and re-read only the features whose
-- `version` is newer than the one they hold; `generation` changes when the whole model is replaced.

CREATE TABLE spam_model (
  id              boolean PRIMARY KEY DEFAULT true CHECK (id),
  format          text             NOT NULL,
  feature_version integer          NOT NULL,
  tokenizer       jsonb            NOT NULL,
  bias            double precision NOT NULL,
  learning_rate   double precision NOT NULL,
  generation      integer          NOT NULL DEFAULT 1,
  version         bigint           NOT NULL DEFAULT 0,
  updated_at      timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE spam_model_features (
  feature text             PRIMARY KEY,
  weight  double precision NOT NULL,
  -- Comments learnt that carried the feature: sets the size of its online-learning step.
  seen    double precision NOT NULL,
  version bigint           NOT NULL DEFAULT 0
);

CREATE INDEX spam_model_features_version_idx ON spam_model_features (version);

-- Lessons already learnt, by caller key (e.g. a moderator decision's id), so a retried job
-- does not teach the same comment twice.
CREATE TABLE spam_model_lessons (
  key        text        PRIMARY KEY,
  label      text        NOT NULL CHECK (label IN ('spam', 'ham')),
  version    bigint      NOT NULL,
  learned_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE spam_model_lessons;
DROP TABLE spam_model_features;
DROP TABLE spam_model;
