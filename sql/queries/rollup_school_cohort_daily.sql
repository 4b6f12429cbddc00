-- Recompute school_cohort_daily for the given (urn, date) slices from pupil_daily: each counted pupil's sessions under
-- its census value of the day in every breakdown, with the cohort's day enrolment counts (a counted pupil with a
-- possible session is enrolled, persistent when absent from at least 10% of them, severe 50%), which its view
-- school_enrolments_of_cohort_days writes to school_enrolments (period 'day'); and a zero row for every cohort of every
-- topic (the grid), so that a recomputation replaces every row of the last one, even a cohort that has emptied.
INSERT INTO school_cohort_daily
SELECT date, urn, anyIf(la_code, pupils > 0), anyIf(region_code, pupils > 0), anyIf(phase, pupils > 0), topic, cohort,
       sum(pupils), sum(possible), sum(present), sum(aea), sum(authorised), sum(unauthorised), sum(late), sumMap(counts),
       {computed_at:DateTime64(6)}, sum(enrolled), sum(persistent), sum(severe)
FROM
(
    SELECT date, urn, la_code, region_code, phase, tc.1 AS topic, tc.2 AS cohort, 1 AS pupils,
           possible, present, aea, authorised, unauthorised, late, CAST(reasons, 'Map(LowCardinality(String), UInt32)') AS counts,
           possible > 0 AS enrolled, enrolled AND absent * 10 >= possible AS persistent,
           enrolled AND absent * 2 >= possible AS severe
    FROM pupil_daily FINAL
    ARRAY JOIN arrayZip(
        ['fsm', 'sen', 'year_group', 'sex', 'ethnicity', 'eal', 'cin', 'cla'],
        [if(fsm IN {fsm:Array(String)}, fsm, ''), if(sen IN {sen:Array(String)}, sen, ''),
         if(year_group IN {year_group:Array(String)}, year_group, ''), if(sex IN {sex:Array(String)}, sex, ''),
         if(ethnicity IN {ethnicity:Array(String)}, ethnicity, ''), if(eal IN {eal:Array(String)}, eal, ''),
         if(cin IN {cin:Array(String)}, cin, ''), if(cla IN {cla:Array(String)}, cla, '')]) AS tc
    WHERE counted AND urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
      AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))
    UNION ALL
    SELECT s.2, s.1, '', '', '', g.1, g.2, 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt32)'), 0, 0, 0
    FROM (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})) AS s)
    ARRAY JOIN arrayZip({grid_topics:Array(String)}, {grid_cohorts:Array(String)}) AS g
)
GROUP BY date, urn, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
