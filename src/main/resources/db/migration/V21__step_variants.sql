-- A/B variants of a campaign step: 2 to 4 arms, each a pinned template version and a share of the
-- step's (non-holdout) recipients. A step without rows here sends its own template as before.
-- The message row's template_version_id says which arm a person got, so the report counters,
-- already keyed by template version, count each arm without a column of their own.
CREATE TABLE step_variant (
    step_id          BIGINT NOT NULL REFERENCES campaign_step (id) ON DELETE CASCADE,
    variant_index    INT    NOT NULL,  -- 0 = A, the step's own template
    template_id      BIGINT NOT NULL REFERENCES template (id),
    template_version INT    NOT NULL,
    split_percent    INT    NOT NULL,
    PRIMARY KEY (step_id, variant_index),
    CONSTRAINT step_variant_split CHECK (split_percent BETWEEN 1 AND 99),
    -- Two arms on one version could not be told apart in the counters.
    CONSTRAINT step_variant_version_once UNIQUE (step_id, template_id, template_version)
);
