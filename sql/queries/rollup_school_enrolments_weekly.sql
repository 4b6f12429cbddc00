-- Recompute school_enrolments of whole weeks (period 'week', starting on Mondays) for the given (school, week) pairs and
-- every topic ('' for all pupils; the breakdowns' names). There an enrolment is one row, a pupil's week in pupil_weekly,
-- so no grouping per pupil is needed, as rollup_school_enrolments needs for longer periods. Each row: its counted
-- possible and absent sessions, persistent and severe absence, and under each breakdown the census value of its last
-- counted day with a possible session; the same rows rollup_school_enrolments writes for such a period. The grid rows
-- (zeros for every cohort of every topic) make each recomputation replace every row of the last one, even a cohort
-- that has emptied.
INSERT INTO school_enrolments
SELECT 'week', start, urn, anyIf(la_code, real), anyIf(region_code, real), anyIf(phase, real), topic, cohort,
       sum(enrolled), sum(persistent), sum(severe), {computed_at:DateTime64(6)}
FROM
(
    SELECT start, urn, 1 AS real, la_code, region_code, phase, tc.1 AS topic, tc.2 AS cohort,
           sessions > 0 AS enrolled, sessions > 0 AND absences * 10 >= sessions AS persistent,
           sessions > 0 AND absences * 2 >= sessions AS severe
    FROM
    (
        SELECT week AS start, urn, la_code, region_code, phase, sessions, absences, last_day,
               year_group, sex, fsm, sen, eal, ethnicity, cin, cla
        FROM pupil_weekly FINAL
        WHERE urn IN {urns:Array(UInt32)} AND week IN {weeks:Array(Date)}
    )
    ARRAY JOIN arrayZip(
        ['', 'fsm', 'sen', 'year_group', 'sex', 'ethnicity', 'eal', 'cin', 'cla'],
        ['',
         if(last_day != toDate(0) AND fsm IN {fsm:Array(String)}, fsm, ''),
         if(last_day != toDate(0) AND sen IN {sen:Array(String)}, sen, ''),
         if(last_day != toDate(0) AND year_group IN {year_group:Array(String)}, year_group, ''),
         if(last_day != toDate(0) AND sex IN {sex:Array(String)}, sex, ''),
         if(last_day != toDate(0) AND ethnicity IN {ethnicity:Array(String)}, ethnicity, ''),
         if(last_day != toDate(0) AND eal IN {eal:Array(String)}, eal, ''),
         if(last_day != toDate(0) AND cin IN {cin:Array(String)}, cin, ''),
         if(last_day != toDate(0) AND cla IN {cla:Array(String)}, cla, '')]) AS tc
    WHERE (urn, start) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})))
    UNION ALL
    SELECT s.2, s.1, 0, '', '', '', g.1, g.2, 0, 0, 0
    FROM (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})) AS s)
    ARRAY JOIN arrayZip({grid_topics:Array(String)}, {grid_cohorts:Array(String)}) AS g
)
GROUP BY start, urn, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
