-- Session counts per school, day and pupil cohort: school_daily split by each breakdown (topic fsm, sen, year_group,
-- ...; cohort the pupils' census value that day, '' for unclassified), with pupils the counted pupils in the cohort.
-- Breakdowns of sessions read it instead of one row per pupil and day. Recomputed with the daily roll-ups, every cohort
-- of every topic written each time (pupils 0 where none), so that a recomputation replaces the whole of the last.
CREATE TABLE IF NOT EXISTS school_cohort_daily
(
    date Date,
    urn UInt32,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    topic LowCardinality(String),
    cohort LowCardinality(String),
    pupils UInt32,
    possible UInt32,
    present UInt32,
    aea UInt32,
    authorised UInt32,
    unauthorised UInt32,
    late UInt32,
    reasons Map(LowCardinality(String), UInt32),
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(date)
ORDER BY (topic, date, urn, cohort);
