-- Recompute pupil_year for the given schools and academic year from pupil_daily: every enrolment with a day in the
-- year gets a row (possible 0 when none of its days is counted), so a recomputation always replaces the previous one.
INSERT INTO pupil_year
SELECT
    {academic_year:UInt16},
    urn,
    pupil_key,
    any(la_code),
    any(region_code),
    any(phase),
    argMaxIf(year_group, date, counted AND possible > 0),
    argMaxIf(sex, date, counted AND possible > 0),
    argMaxIf(fsm, date, counted AND possible > 0),
    argMaxIf(sen, date, counted AND possible > 0),
    argMaxIf(eal, date, counted AND possible > 0),
    argMaxIf(ethnicity, date, counted AND possible > 0),
    argMaxIf(cin, date, counted AND possible > 0),
    argMaxIf(cla, date, counted AND possible > 0),
    argMaxIf(lsoa, date, counted AND possible > 0),
    sumIf(possible, counted),
    sumIf(absent, counted),
    {computed_at:DateTime64(6)}
FROM pupil_daily FINAL
WHERE urn IN {urns:Array(UInt32)} AND date BETWEEN {from:Date} AND {to:Date}
GROUP BY urn, pupil_key
SETTINGS do_not_merge_across_partitions_select_final = 1
