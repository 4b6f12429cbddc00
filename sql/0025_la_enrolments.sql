-- Enrolments and persistent and severe absentees per local authority, phase and period (day, week, academic year,
-- term, half term, weekday of the year), for all pupils (topic '', cohort '') and split by each breakdown:
-- school_enrolments added up over the LA's schools (an enrolment is one school's, so they add up), with schools the
-- number of schools with an enrolment. National, regional and LA figures read one row per LA and phase a period
-- whatever the number of schools. Recomputed for whole periods, every LA at once, like la_daily (zero rows for what
-- moved away, and a zero row of no LA that says when).
CREATE TABLE IF NOT EXISTS la_enrolments
(
    period LowCardinality(String),
    start Date,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    topic LowCardinality(String),
    cohort LowCardinality(String),
    schools UInt32,
    enrolments UInt64,
    persistent UInt64,
    severe UInt64,
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY (period, toYYYYMM(start))
ORDER BY (period, topic, start, la_code, phase, cohort)
-- A month's rows (a month of periods) merged into one part once it has had no new rows for an hour, so that FINAL
-- reads it without merging.
SETTINGS min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;
