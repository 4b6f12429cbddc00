-- Recompute school_daily for the given (urn, date) slices from the latest marks of counted pupils (counted_years: years 1-11).
-- Every slice with any mark gets a row, so a recomputation always replaces the previous one.
INSERT INTO school_daily
SELECT
    m.date,
    m.urn,
    any(s.la_code),
    any(la.region_code),
    any(s.phase),
    countIf(m.counted AND m.category != 'not_possible') AS possible,
    countIf(m.counted AND m.category = 'present') AS present,
    countIf(m.counted AND m.category = 'aea') AS aea,
    countIf(m.counted AND m.category = 'authorised') AS authorised,
    countIf(m.counted AND m.category = 'unauthorised') AS unauthorised,
    countIf(m.counted AND m.code IN {late_codes:Array(String)}) AS late,
    sumMap(map(m.code, toUInt32(m.counted))) AS reasons,
    {computed_at:DateTime64(6)}
FROM
(
    SELECT urn, date, code, category, year_group IN {counted_years:Array(String)} AS counted
    FROM marks FINAL
    WHERE urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
      AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))
) AS m
LEFT JOIN (SELECT urn, la_code, phase FROM schools FINAL WHERE urn IN {urns:Array(UInt32)}) AS s ON s.urn = m.urn
LEFT JOIN local_authorities AS la ON la.la_code = s.la_code
GROUP BY m.date, m.urn
