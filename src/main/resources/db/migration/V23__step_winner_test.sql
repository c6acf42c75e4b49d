-- A tested A/B step: its variants go to test_percent of the recipients first; the rest are enrolled
-- but get no message for the step until the decision, which then writes theirs on the winner's
-- version. decided_at is set once, by a conditional UPDATE, so two nodes cannot both decide.
CREATE TABLE step_test (
    step_id          BIGINT       NOT NULL PRIMARY KEY REFERENCES campaign_step (id) ON DELETE CASCADE,
    test_percent     INT          NOT NULL,
    test_wait        VARCHAR(40)  NOT NULL,   -- ISO-8601, counted from the step's first send
    winner_metric    VARCHAR(8)   NOT NULL,
    min_per_variant  INT          NOT NULL,
    fallback         VARCHAR(8)   NOT NULL,   -- FIRST or a variant label
    decided_at       TIMESTAMP WITH TIME ZONE,
    winner_index     INT,
    best_index       INT,
    fell_back        BOOLEAN,
    decision_rule    VARCHAR(400),
    notice           VARCHAR(1000),
    released         BIGINT,                  -- messages written for the rest at the decision
    CONSTRAINT step_test_percent CHECK (test_percent BETWEEN 1 AND 99),
    CONSTRAINT step_test_metric CHECK (winner_metric IN ('CLICK', 'BOOKING')),
    CONSTRAINT step_test_min CHECK (min_per_variant >= 1)
);

-- Each variant's numbers at the decision: the counters keep growing afterwards (the winner's with
-- the rest's messages), so what the decision saw is kept here.
CREATE TABLE step_test_arm (
    step_id        BIGINT NOT NULL REFERENCES step_test (step_id) ON DELETE CASCADE,
    variant_index  INT    NOT NULL,
    reached        BIGINT NOT NULL,
    successes      BIGINT NOT NULL,
    z              DOUBLE PRECISION,          -- the best against this variant; null for the best
    p_value        DOUBLE PRECISION,
    PRIMARY KEY (step_id, variant_index)
);
