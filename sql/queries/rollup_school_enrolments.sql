-- Recompute school_enrolments for the given (school, period start) pairs of one period ('day', 'week', 'year', 'term'
-- or 'half_term' of the term calendar, given as term_froms and term_tos, or 'weekday': one weekday's days of an
-- academic year, starting on its first such day). Per enrolment as over any period: its counted possible and absent
-- sessions, and under each breakdown the census value of its last counted day with a possible session. A pupil's
-- weeks that a period holds whole are read from pupil_weekly (weeks), its other days from pupil_daily (days): a year
-- is about 39 rows a pupil, not 195. The grid rows (zeros for every cohort of every topic) make each recomputation
-- replace every row of the last one, even a cohort that has emptied.
INSERT INTO school_enrolments
SELECT {period:String}, start, urn, anyIf(la_code, real), anyIf(region_code, real), anyIf(phase, real), topic, cohort,
       sum(enrolled), sum(persistent), sum(severe), {computed_at:DateTime64(6)}
FROM
(
    SELECT start, urn, 1 AS real, la_code, region_code, phase, tc.1 AS topic, tc.2 AS cohort,
           sessions > 0 AS enrolled, sessions > 0 AND absences * 10 >= sessions AS persistent, sessions > 0 AND absences * 2 >= sessions AS severe
    FROM
    (
        WITH addMonths(toStartOfYear(addMonths(day, 4)), -4) AS year_start
        SELECT multiIf({period:String} = 'day', day, {period:String} = 'week', toMonday(day),
                       {period:String} = 'year', year_start,
                       {period:String} = 'weekday', addDays(year_start, (toDayOfWeek(day) - toDayOfWeek(year_start) + 7) % 7),
                       arrayFirst((f, t) -> day BETWEEN f AND t, {term_froms:Array(Date)}, {term_tos:Array(Date)})) AS start,
               urn, pupil_key, any(la_code) AS la_code, any(region_code) AS region_code, any(phase) AS phase,
               sum(counted_possible) AS sessions, sum(counted_absent) AS absences,
               arrayZip(
                   ['', 'fsm', 'sen', 'year_group', 'sex', 'ethnicity', 'eal', 'cin', 'cla'],
                   ['',
                    argMaxIf(if(fsm IN {fsm:Array(String)}, fsm, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(sen IN {sen:Array(String)}, sen, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(year_group IN {year_group:Array(String)}, year_group, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(sex IN {sex:Array(String)}, sex, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(ethnicity IN {ethnicity:Array(String)}, ethnicity, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(eal IN {eal:Array(String)}, eal, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(cin IN {cin:Array(String)}, cin, ''), last_day, last_day != toDate(0)),
                    argMaxIf(if(cla IN {cla:Array(String)}, cla, ''), last_day, last_day != toDate(0))]) AS cohorts
        FROM
        (
            SELECT week AS day, urn, pupil_key, la_code, region_code, phase, sessions AS counted_possible, absences AS counted_absent,
                   last_day, year_group, sex, fsm, sen, eal, ethnicity, cin, cla
            FROM pupil_weekly FINAL
            WHERE urn IN {urns:Array(UInt32)} AND week IN {weeks:Array(Date)}
            UNION ALL
            SELECT date, urn, pupil_key, la_code, region_code, phase, if(counted, possible, 0), if(counted, absent, 0),
                   if(counted AND possible > 0, date, toDate(0)), year_group, sex, fsm, sen, eal, ethnicity, cin, cla
            FROM pupil_daily FINAL
            WHERE urn IN {urns:Array(UInt32)} AND date IN {days:Array(Date)}
        )
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
