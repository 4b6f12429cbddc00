-- Each enrolment (school + pupil) over an academic year (academic_year 2025 = 2025/26): its counted (years 1-11)
-- possible and absent sessions, and its characteristics on its last counted day with a possible session. Recomputed
-- from pupil_daily for every school whose daily roll-ups change, so that persistent and severe absence over a whole
-- year, or the year to date, is read from one row per enrolment instead of one per pupil and day.
CREATE TABLE IF NOT EXISTS pupil_year
(
    academic_year UInt16,
    urn UInt32,
    pupil_key String,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    year_group LowCardinality(String),
    sex LowCardinality(String),
    fsm LowCardinality(String),
    sen LowCardinality(String),
    eal LowCardinality(String),
    ethnicity LowCardinality(String),
    cin LowCardinality(String),
    cla LowCardinality(String),
    lsoa LowCardinality(String),
    possible UInt16,
    absent UInt16,
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY academic_year
ORDER BY (academic_year, urn, pupil_key);
