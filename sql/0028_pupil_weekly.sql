-- One row per pupil per school per week (Monday to Sunday), from pupil_daily: the counted possible and absent sessions
-- of its days, the last of them with a counted possible session (last_day; the zero date if none), and the census
-- values of that day. The enrolment counts of a long period (an academic year, a term, a half term) add up a pupil's
-- weeks that the period holds whole and the days of the others, instead of every day: a year's about 39 rows a pupil,
-- not 195. Recomputed with the week's enrolment counts, for the (school, week) pairs whose daily roll-ups changed.
CREATE TABLE IF NOT EXISTS pupil_weekly
(
    week Date,
    urn UInt32,
    pupil_key String,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    sessions UInt16,
    absences UInt16,
    last_day Date,
    year_group LowCardinality(String),
    sex LowCardinality(String),
    fsm LowCardinality(String),
    sen LowCardinality(String),
    eal LowCardinality(String),
    ethnicity LowCardinality(String),
    cin LowCardinality(String),
    cla LowCardinality(String),
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(week)
ORDER BY (urn, week, pupil_key);

-- The weeks of the daily roll-ups already computed (none on a new store), so that a longer period recomputed after
-- this migration finds every week of its pupils.
INSERT INTO pupil_weekly
SELECT toMonday(date) AS week, urn, pupil_key, any(la_code), any(region_code), any(phase),
       sumIf(possible, counted), sumIf(absent, counted), maxIf(date, counted AND possible > 0),
       argMaxIf(year_group, date, counted AND possible > 0),
       argMaxIf(sex, date, counted AND possible > 0),
       argMaxIf(fsm, date, counted AND possible > 0),
       argMaxIf(sen, date, counted AND possible > 0),
       argMaxIf(eal, date, counted AND possible > 0),
       argMaxIf(ethnicity, date, counted AND possible > 0),
       argMaxIf(cin, date, counted AND possible > 0),
       argMaxIf(cla, date, counted AND possible > 0),
       now64(6)
FROM pupil_daily FINAL
GROUP BY week, urn, pupil_key
-- A whole store at once: the aggregation spills to disk beyond 500 MB instead of holding every pupil-week in memory.
SETTINGS max_bytes_before_external_group_by = 500000000, do_not_merge_across_partitions_select_final = 1;
