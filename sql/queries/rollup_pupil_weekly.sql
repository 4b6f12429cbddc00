-- Recompute pupil_weekly for the given (school, week) pairs (slice_starts are Mondays) from pupil_daily: each pupil's
-- counted possible and absent sessions of the week, its last day with a counted possible session, and the census
-- values of that day.
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
       {computed_at:DateTime64(6)}
FROM pupil_daily FINAL
WHERE urn IN {urns:Array(UInt32)} AND date BETWEEN {from:Date} AND {to:Date}
GROUP BY week, urn, pupil_key
HAVING (urn, week) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_starts:Array(Date)})))
SETTINGS do_not_merge_across_partitions_select_final = 1
