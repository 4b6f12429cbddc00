-- Session counts per local authority, phase and day, for all pupils (topic '', cohort '') and split by each breakdown
-- (topic fsm, sen, ...): school_daily and school_cohort_daily added up over the LA's schools, with schools the number
-- of school rows added. National, regional and LA figures read about 600 rows a day (150 LAs, 4 phases) whatever the
-- number of schools. Recomputed for whole days: every LA's rows of the day from its schools' rows, and a zero row for
-- each of the day's previous rows that no school row makes now (a school moved LA or phase, a cohort emptied), so that
-- a recomputation replaces the whole of the last one.
CREATE TABLE IF NOT EXISTS la_daily
(
    date Date,
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
PARTITION BY toYYYYMM(date)
ORDER BY (topic, date, la_code, phase, cohort)
-- A month's rows (a month of periods) merged into one part once it has had no new rows for an hour, so that FINAL
-- reads it without merging.
SETTINGS min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;
