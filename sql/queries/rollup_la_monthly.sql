-- Recompute la_monthly for whole months and the given topics from la_daily: every LA's days of the months added up, a
-- zero row for each of the months' current rows that no day makes now, and a zero row of no LA for each month and topic
-- that says when it was last recomputed (the reconciliation reads it). schools: the most schools of any one day.
INSERT INTO la_monthly
SELECT month, la_code, any(region_code), phase, topic, cohort, max(schools), sum(possible), sum(present), sum(aea),
       sum(authorised), sum(unauthorised), sum(late), sumMap(counts), {computed_at:DateTime64(6)}
FROM
(
    SELECT toStartOfMonth(date) AS month, la_code, region_code, phase, topic, cohort, schools,
           possible, present, aea, authorised, unauthorised, late, reasons AS counts
    FROM la_daily FINAL
    WHERE topic IN {topics:Array(String)} AND toStartOfMonth(date) IN {months:Array(Date)} AND schools > 0
    UNION ALL
    SELECT month, la_code, region_code, phase, topic, cohort, 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)')
    FROM la_monthly FINAL
    WHERE topic IN {topics:Array(String)} AND month IN {months:Array(Date)} AND schools > 0
    UNION ALL
    SELECT m, '', '', '', t, '', 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)')
    FROM (SELECT arrayJoin({months:Array(Date)}) AS m) ARRAY JOIN {topics:Array(String)} AS t
)
GROUP BY month, la_code, phase, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
