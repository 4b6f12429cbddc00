-- la_daily added up by calendar month (`month` its first day): a year's national, regional or LA sessions read 12 rows
-- per LA, phase and cohort rather than about 195. Recomputed from la_daily for whole months, right after the days it
-- changes, with zero rows for what moved away and a zero row of no LA that says when, like la_daily.
CREATE TABLE IF NOT EXISTS la_monthly
(
    month Date,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    topic LowCardinality(String),
    cohort LowCardinality(String),
    schools UInt32,
    possible UInt64,
    present UInt64,
    aea UInt64,
    authorised UInt64,
    unauthorised UInt64,
    late UInt64,
    reasons Map(LowCardinality(String), UInt64),
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYear(month)
ORDER BY (topic, month, la_code, phase, cohort)
-- A year's rows merged into one part once it has had no new rows for an hour, so that FINAL reads it without merging.
SETTINGS min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;
