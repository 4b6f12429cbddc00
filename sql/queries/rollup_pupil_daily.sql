-- Recompute pupil_daily for the given (urn, date) slices from the latest marks.
INSERT INTO pupil_daily
SELECT
    m.date,
    m.urn,
    m.pupil_key,
    any(s.la_code),
    any(la.region_code),
    any(s.phase),
    max(m.year_group IN {counted_years:Array(String)}) AS counted,
    argMax(m.year_group, m.session),
    argMax(m.sex, m.session),
    argMax(m.fsm, m.session),
    argMax(m.sen, m.session),
    argMax(m.eal, m.session),
    argMax(m.ethnicity, m.session),
    argMax(m.cin, m.session),
    argMax(m.cla, m.session),
    argMax(m.lsoa, m.session),
    countIf(m.category != 'not_possible') AS possible,
    countIf(m.category IN ('authorised', 'unauthorised')) AS absent,
    countIf(m.category = 'present'),
    countIf(m.category = 'aea'),
    countIf(m.category = 'authorised'),
    countIf(m.category = 'unauthorised'),
    countIf(m.code IN {late_codes:Array(String)}),
    sumMap(map(m.code, toUInt8(1))),
    {computed_at:DateTime64(6)}
FROM (SELECT * FROM marks FINAL WHERE urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
      AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))) AS m
LEFT JOIN (SELECT urn, la_code, phase FROM schools FINAL WHERE urn IN {urns:Array(UInt32)}) AS s ON s.urn = m.urn
LEFT JOIN local_authorities AS la ON la.la_code = s.la_code
GROUP BY m.date, m.urn, m.pupil_key
