-- Recompute pupil_daily for the given (urn, date) slices from the latest marks: each pupil's day grouped first, then
-- its school's LA, region and phase joined to the pupils' rows (half as many as the marks). A pupil's day holds at most
-- two marks (the latest of its AM and its PM), so its count per register code is a map of its one code or two codes,
-- made without summing maps.
INSERT INTO pupil_daily
SELECT p.date, p.urn, p.pupil_key, s.la_code, la.region_code, s.phase, p.counted, p.year_group, p.sex, p.fsm, p.sen,
       p.eal, p.ethnicity, p.cin, p.cla, p.lsoa, p.possible, p.absent, p.present, p.aea, p.authorised, p.unauthorised,
       p.late, p.reasons, {computed_at:DateTime64(6)}
FROM
(
    SELECT
        date,
        urn,
        pupil_key,
        max(year_group IN {counted_years:Array(String)}) AS counted,
        argMax(year_group, session) AS year_group,
        argMax(sex, session) AS sex,
        argMax(fsm, session) AS fsm,
        argMax(sen, session) AS sen,
        argMax(eal, session) AS eal,
        argMax(ethnicity, session) AS ethnicity,
        argMax(cin, session) AS cin,
        argMax(cla, session) AS cla,
        argMax(lsoa, session) AS lsoa,
        countIf(category != 'not_possible') AS possible,
        countIf(category IN ('authorised', 'unauthorised')) AS absent,
        countIf(category = 'present') AS present,
        countIf(category = 'aea') AS aea,
        countIf(category = 'authorised') AS authorised,
        countIf(category = 'unauthorised') AS unauthorised,
        countIf(code IN {late_codes:Array(String)}) AS late,
        if(min(code) = max(code), map(any(code), toUInt8(count())), map(min(code), toUInt8(1), max(code), toUInt8(1)))
            AS reasons
    FROM marks FINAL
    WHERE urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
      AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))
    GROUP BY date, urn, pupil_key
) AS p
LEFT JOIN (SELECT urn, la_code, phase FROM schools FINAL WHERE urn IN {urns:Array(UInt32)}) AS s ON s.urn = p.urn
LEFT JOIN local_authorities AS la ON la.la_code = s.la_code
SETTINGS prefer_column_name_to_alias = 1
