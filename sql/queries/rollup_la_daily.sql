-- Recompute la_daily for whole days and the given breakdowns' topics, from school_cohort_daily's cohorts with pupils
-- (all pupils' rows, topic '', are rollup_la_daily_all's): every school row of the days added up by LA, phase and
-- cohort, its session counts and its day's enrolment counts (which the view la_enrolments_of_cohort_days writes to
-- la_enrolments, period 'day'; enrolled_schools: the schools with an enrolment in the cohort), and a zero row for each
-- of the days' current rows that no school row makes now, so that a recomputation replaces the last. A zero row of no
-- LA for each day and topic says when it was last recomputed, even a day without counted pupils (the reconciliation
-- reads it).
INSERT INTO la_daily
SELECT date, la_code, any(region_code), phase, topic, cohort, sum(schools), sum(possible), sum(present), sum(aea),
       sum(authorised), sum(unauthorised), sum(late), sumMap(counts), {computed_at:DateTime64(6)}, sum(enrolled),
       sum(enrolments), sum(persistent), sum(severe)
FROM
(
    SELECT date, la_code, region_code, phase, topic, cohort, toUInt32(1) AS schools, possible, present, aea, authorised,
           unauthorised, late, CAST(reasons, 'Map(LowCardinality(String), UInt64)') AS counts,
           toUInt32(enrolments > 0) AS enrolled, enrolments, persistent, severe
    FROM school_cohort_daily FINAL
    WHERE topic IN {topics:Array(String)} AND date IN {dates:Array(Date)} AND pupils > 0
    UNION ALL
    SELECT date, la_code, region_code, phase, topic, cohort, 0, 0, 0, 0, 0, 0, 0,
           CAST(map(), 'Map(LowCardinality(String), UInt64)'), 0, 0, 0, 0
    FROM la_daily FINAL
    WHERE topic IN {topics:Array(String)} AND date IN {dates:Array(Date)} AND schools > 0
    UNION ALL
    SELECT d, '', '', '', t, '', 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)'), 0, 0, 0, 0
    FROM (SELECT arrayJoin({dates:Array(Date)}) AS d) ARRAY JOIN {topics:Array(String)} AS t
)
GROUP BY date, la_code, phase, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
