-- Attendance targets an LA sets for its children in need (cin) and looked after (cla); the latest one wins.
CREATE TABLE IF NOT EXISTS la_targets
(
    la_code LowCardinality(String),
    cohort LowCardinality(String),
    attendance Float64,
    set_by String,
    updated_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (la_code, cohort);
