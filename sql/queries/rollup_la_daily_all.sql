-- Recompute la_daily's rows of all pupils (topic '') for whole days (the day stage, which the live push waits for):
-- every school_daily row of the days added up by LA and phase, its session counts and its day's enrolment counts (which
-- the view la_enrolments_of_days writes to la_enrolments, period 'day'; enrolled_schools: the schools with an
-- enrolment), a zero row for each of the days' current rows that no school row makes now, and a zero row of no LA for
-- each day, which says when it was last recomputed (the reconciliation reads it).
INSERT INTO la_daily
SELECT date, la_code, any(region_code), phase, '', '', sum(schools), sum(possible), sum(present), sum(aea),
       sum(authorised), sum(unauthorised), sum(late), sumMap(counts), {computed_at:DateTime64(6)}, sum(enrolled),
       sum(enrolments), sum(persistent), sum(severe)
FROM
(
    SELECT date, la_code, region_code, phase, toUInt32(1) AS schools, possible, present, aea, authorised, unauthorised,
           late, CAST(reasons, 'Map(LowCardinality(String), UInt64)') AS counts, toUInt32(enrolments > 0) AS enrolled,
           enrolments, persistent, severe
    FROM school_daily FINAL
    WHERE date IN {dates:Array(Date)}
    UNION ALL
    SELECT date, la_code, region_code, phase, 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)'),
           0, 0, 0, 0
    FROM la_daily FINAL
    WHERE topic = '' AND date IN {dates:Array(Date)} AND schools > 0
    UNION ALL
    SELECT arrayJoin({dates:Array(Date)}), '', '', '', 0, 0, 0, 0, 0, 0, 0,
           CAST(map(), 'Map(LowCardinality(String), UInt64)'), 0, 0, 0, 0
)
GROUP BY date, la_code, phase
SETTINGS do_not_merge_across_partitions_select_final = 1
