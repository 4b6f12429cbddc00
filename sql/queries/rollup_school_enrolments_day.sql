-- Recompute the day's enrolment counts of all pupils (school_enrolments, period 'day', topic '') for the given
-- (school, day) pairs: the rows rollup_school_enrolments_single writes for the day and topic '', without its weeks'
-- branch and its breakdowns (the day stage, which the live push waits for). A pupil's day is one pupil_daily row: its
-- counted possible and absent sessions, persistent and severe absence. The zero row of each pair makes a
-- recomputation replace the last one's row even where no pupil is enrolled any more.
INSERT INTO school_enrolments
SELECT {period:String}, start, urn, anyIf(la_code, real), anyIf(region_code, real), anyIf(phase, real), '', '',
       sum(enrolled), sum(persistent), sum(severe), {computed_at:DateTime64(6)}
FROM
(
    SELECT date AS start, urn, 1 AS real, la_code, region_code, phase,
           sessions > 0 AS enrolled, sessions > 0 AND absences * 10 >= sessions AS persistent,
           sessions > 0 AND absences * 2 >= sessions AS severe
    FROM
    (
        SELECT date, urn, la_code, region_code, phase, if(counted, possible, 0) AS sessions,
               if(counted, absent, 0) AS absences
        FROM pupil_daily FINAL
        WHERE urn IN {urns:Array(UInt32)} AND date IN {days:Array(Date)}
    )
    WHERE (urn, start) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})))
    UNION ALL
    SELECT s.2, s.1, 0, '', '', '', 0, 0, 0
    FROM (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})) AS s)
)
GROUP BY start, urn
SETTINGS do_not_merge_across_partitions_select_final = 1
