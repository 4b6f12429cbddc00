-- Recompute school_enrolments for the given (school, period start) pairs of one period ('day', 'week', 'year', 'term'
-- or 'half_term' of the term calendar, given as term_froms and term_tos, or 'weekday': one weekday's days of an
-- academic year, starting on its first such day) from pupil_daily. Per enrolment as over any period: its counted
-- possible and absent sessions, and under each breakdown the census value of its last counted day with a possible
-- session. The grid rows (zeros for every cohort of every topic) make each recomputation replace every row of the last
-- one, even a cohort that has emptied.
INSERT INTO school_enrolments
SELECT {period:String}, start, urn, anyIf(la_code, real), anyIf(region_code, real), anyIf(phase, real), topic, cohort,
       sum(enrolled), sum(persistent), sum(severe), {computed_at:DateTime64(6)}
FROM
(
    SELECT start, urn, 1 AS real, la_code, region_code, phase, tc.1 AS topic, tc.2 AS cohort,
           sessions > 0 AS enrolled, sessions > 0 AND absences * 10 >= sessions AS persistent, sessions > 0 AND absences * 2 >= sessions AS severe
    FROM
    (
        WITH addMonths(toStartOfYear(addMonths(date, 4)), -4) AS year_start
        SELECT multiIf({period:String} = 'day', date, {period:String} = 'week', toMonday(date),
                       {period:String} = 'year', year_start,
                       {period:String} = 'weekday', addDays(year_start, (toDayOfWeek(date) - toDayOfWeek(year_start) + 7) % 7),
                       arrayFirst((f, t) -> date BETWEEN f AND t, {term_froms:Array(Date)}, {term_tos:Array(Date)})) AS start,
               urn, pupil_key, any(la_code) AS la_code, any(region_code) AS region_code, any(phase) AS phase,
               sumIf(possible, counted) AS sessions, sumIf(absent, counted) AS absences,
               arrayZip(
                   ['', 'fsm', 'sen', 'year_group', 'sex', 'ethnicity', 'eal', 'cin', 'cla'],
                   ['',
                    argMaxIf(if(fsm IN {fsm:Array(String)}, fsm, ''), date, counted AND possible > 0),
                    argMaxIf(if(sen IN {sen:Array(String)}, sen, ''), date, counted AND possible > 0),
                    argMaxIf(if(year_group IN {year_group:Array(String)}, year_group, ''), date, counted AND possible > 0),
                    argMaxIf(if(sex IN {sex:Array(String)}, sex, ''), date, counted AND possible > 0),
                    argMaxIf(if(ethnicity IN {ethnicity:Array(String)}, ethnicity, ''), date, counted AND possible > 0),
                    argMaxIf(if(eal IN {eal:Array(String)}, eal, ''), date, counted AND possible > 0),
                    argMaxIf(if(cin IN {cin:Array(String)}, cin, ''), date, counted AND possible > 0),
                    argMaxIf(if(cla IN {cla:Array(String)}, cla, ''), date, counted AND possible > 0)]) AS cohorts
        FROM pupil_daily FINAL
        WHERE urn IN {urns:Array(UInt32)} AND date BETWEEN {from:Date} AND {to:Date}
        GROUP BY start, urn, pupil_key
        HAVING (urn, start) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})))
    )
    ARRAY JOIN cohorts AS tc
    UNION ALL
    SELECT s.2, s.1, 0, '', '', '', g.1, g.2, 0, 0, 0
    FROM (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})) AS s)
    ARRAY JOIN arrayZip({grid_topics:Array(String)}, {grid_cohorts:Array(String)}) AS g
)
GROUP BY start, urn, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
