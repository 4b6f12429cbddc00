-- Enrolments (school + pupil with a possible session) of counted pupils, and the persistent (>= 10%) and severe
-- (>= 50%) absentees among them, per school and per day, week (Monday to Sunday) or academic year (1 September to
-- 31 August): for all pupils (topic '') and split by each breakdown (topic fsm, sen, year_group, ...; cohort the census
-- value, '' for unclassified). An enrolment is one school's, so these counts add up across schools: the national,
-- regional and LA figures for a day, a week or a year read one row per school, whatever the number of pupils and days.
-- Recomputed from pupil_daily for every school-period whose daily roll-ups change, every cohort of every topic written
-- each time (zeros included), so that a recomputation replaces the whole of the previous one.
CREATE TABLE IF NOT EXISTS school_enrolments
(
    period LowCardinality(String),
    start Date,
    urn UInt32,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    topic LowCardinality(String),
    cohort LowCardinality(String),
    enrolments UInt32,
    persistent UInt32,
    severe UInt32,
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY (period, toYYYYMM(start))
ORDER BY (period, topic, start, urn, cohort);
