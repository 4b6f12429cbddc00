-- Recompute school_enrolments for the given (school, period start) pairs of one period ('day', 'week', 'year', 'term'
-- or 'half_term' of the term calendar, given as term_froms and term_tos, or 'weekday': one weekday's days of an
-- academic year, starting on its first such day). Per enrolment as over any period: its counted possible and absent
-- sessions, and under each breakdown the census value of its last counted day with a possible session. A pupil's
-- weeks that a period holds whole are read from pupil_weekly (weeks), its other days from pupil_daily (days): a year
-- is about 39 rows a pupil, not 195. A row's census values are taken as one number (census: a byte a breakdown, its
-- labelled value's place in the breakdown's list, 0 for unclassified), so the last counted day's values are found
-- once, not once a breakdown (0.75-0.93x the statement's time at the end of a year: docs/benchmarks.md). The grid rows
-- (zeros for every cohort of every topic) make each recomputation replace every row of the last one, even a cohort
-- that has emptied.
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
               argMaxIf(bitShiftLeft(toUInt64(transform(fsm, {fsm:Array(String)}, arrayEnumerate({fsm:Array(String)}), 0)), 0) +
                        bitShiftLeft(toUInt64(transform(sen, {sen:Array(String)}, arrayEnumerate({sen:Array(String)}), 0)), 8) +
                        bitShiftLeft(toUInt64(transform(year_group, {year_group:Array(String)}, arrayEnumerate({year_group:Array(String)}), 0)), 16) +
                        bitShiftLeft(toUInt64(transform(sex, {sex:Array(String)}, arrayEnumerate({sex:Array(String)}), 0)), 24) +
                        bitShiftLeft(toUInt64(transform(ethnicity, {ethnicity:Array(String)}, arrayEnumerate({ethnicity:Array(String)}), 0)), 32) +
                        bitShiftLeft(toUInt64(transform(eal, {eal:Array(String)}, arrayEnumerate({eal:Array(String)}), 0)), 40) +
                        bitShiftLeft(toUInt64(transform(cin, {cin:Array(String)}, arrayEnumerate({cin:Array(String)}), 0)), 48) +
                        bitShiftLeft(toUInt64(transform(cla, {cla:Array(String)}, arrayEnumerate({cla:Array(String)}), 0)), 56),
                        last_day, last_day != toDate(0)) AS census,
               arrayZip(
                   ['', 'fsm', 'sen', 'year_group', 'sex', 'ethnicity', 'eal', 'cin', 'cla'],
                   ['',
                    arrayConcat([''], {fsm:Array(String)})[bitAnd(bitShiftRight(census, 0), 255) + 1],
                    arrayConcat([''], {sen:Array(String)})[bitAnd(bitShiftRight(census, 8), 255) + 1],
                    arrayConcat([''], {year_group:Array(String)})[bitAnd(bitShiftRight(census, 16), 255) + 1],
                    arrayConcat([''], {sex:Array(String)})[bitAnd(bitShiftRight(census, 24), 255) + 1],
                    arrayConcat([''], {ethnicity:Array(String)})[bitAnd(bitShiftRight(census, 32), 255) + 1],
                    arrayConcat([''], {eal:Array(String)})[bitAnd(bitShiftRight(census, 40), 255) + 1],
                    arrayConcat([''], {cin:Array(String)})[bitAnd(bitShiftRight(census, 48), 255) + 1],
                    arrayConcat([''], {cla:Array(String)})[bitAnd(bitShiftRight(census, 56), 255) + 1]]) AS cohorts
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
