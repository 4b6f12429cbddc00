-- Recompute la_daily's rows of all pupils (topic '') for whole days: rollup_la_daily for the topic '' alone, without
-- its breakdowns' branch (the day stage, which the live push waits for). Every school_daily row of the days added up
-- by LA and phase, a zero row for each of the days' current rows that no school row makes now, and a zero row of no
-- LA for each day, which says when it was last recomputed (the reconciliation reads it).
INSERT INTO la_daily
SELECT date, la_code, any(region_code), phase, '', '', sum(schools), sum(possible), sum(present), sum(aea),
       sum(authorised), sum(unauthorised), sum(late), sumMap(counts), {computed_at:DateTime64(6)}
FROM
(
    SELECT date, la_code, region_code, phase, toUInt32(1) AS schools, possible, present, aea, authorised, unauthorised,
           late, CAST(reasons, 'Map(LowCardinality(String), UInt64)') AS counts
    FROM school_daily FINAL
    WHERE date IN {dates:Array(Date)}
    UNION ALL
    SELECT date, la_code, region_code, phase, 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)')
    FROM la_daily FINAL
    WHERE topic = '' AND date IN {dates:Array(Date)} AND schools > 0
    UNION ALL
    SELECT arrayJoin({dates:Array(Date)}), '', '', '', 0, 0, 0, 0, 0, 0, 0, CAST(map(), 'Map(LowCardinality(String), UInt64)')
)
GROUP BY date, la_code, phase
SETTINGS do_not_merge_across_partitions_select_final = 1
