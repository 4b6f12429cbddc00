-- Recompute school_daily for the given (urn, date) slices: the session counts of counted pupils' marks (counted_years:
-- years 1-11; reasons, one count per register code) from the latest marks, and the day's enrolment counts from the
-- pupils' rows of the day in pupil_daily (recomputed just before), which its view school_enrolments_of_days writes to
-- school_enrolments (period 'day', topic ''): a counted pupil with a possible session is enrolled, persistent when
-- absent from at least 10% of them, severe 50%. Every slice with any mark gets a row, so a recomputation always
-- replaces the previous one.
INSERT INTO school_daily
SELECT d.date, d.urn, s.la_code, la.region_code, s.phase, d.possible, d.present, d.aea, d.authorised, d.unauthorised,
       d.late, d.reasons, {computed_at:DateTime64(6)}, e.enrolments, e.persistent, e.severe
FROM
(
    SELECT
        date,
        urn,
        countIf(counted AND category != 'not_possible') AS possible,
        countIf(counted AND category = 'present') AS present,
        countIf(counted AND category = 'aea') AS aea,
        countIf(counted AND category = 'authorised') AS authorised,
        countIf(counted AND category = 'unauthorised') AS unauthorised,
        countIf(counted AND code IN {late_codes:Array(String)}) AS late,
        sumMap(map(code, toUInt32(counted))) AS reasons
    FROM
    (
        SELECT urn, date, code, category, year_group IN {counted_years:Array(String)} AS counted
        FROM marks FINAL
        WHERE urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
          AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))
    )
    GROUP BY date, urn
) AS d
LEFT JOIN
(
    SELECT date, urn, countIf(sessions > 0) AS enrolments, countIf(sessions > 0 AND absences * 10 >= sessions) AS persistent,
           countIf(sessions > 0 AND absences * 2 >= sessions) AS severe
    FROM
    (
        SELECT date, urn, if(counted, possible, 0) AS sessions, if(counted, absent, 0) AS absences
        FROM pupil_daily FINAL
        WHERE urn IN {urns:Array(UInt32)} AND date IN {dates:Array(Date)}
          AND (urn, date) IN (SELECT arrayJoin(arrayZip({slice_urns:Array(UInt32)}, {slice_dates:Array(Date)})))
    )
    GROUP BY date, urn
) AS e ON e.date = d.date AND e.urn = d.urn
LEFT JOIN (SELECT urn, la_code, phase FROM schools FINAL WHERE urn IN {urns:Array(UInt32)}) AS s ON s.urn = d.urn
LEFT JOIN local_authorities AS la ON la.la_code = s.la_code
SETTINGS do_not_merge_across_partitions_select_final = 1
