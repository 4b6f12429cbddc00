-- The (school, date) slices of the marks received before {until} (and from {since}, when given) on the given dates
-- whose roll-ups are older than their latest mark, or missing: one LEFT JOIN for each staleness check of the roll-up
-- catalogue (server/src/rollup/catalogue.ts), written in where this says {{joins}}, and a slice is stale where any
-- of them is ({{stale}}). Each check joins on the slice's day or its period's start (the columns day ... half_term
-- below, named as the catalogue's periods); a day outside every term (or half term) has the zero date there, and no
-- row of one to be stale. Oldest first.
SELECT m.urn AS urn, toString(m.date) AS date, toString(m.received) AS received,
       dateDiff('second', m.received, now64(6)) AS lag
FROM
(
    SELECT urn, date, max(received_at) AS received,
           date AS day,
           toMonday(date) AS week,
           addMonths(toStartOfYear(addMonths(date, 4)), -4) AS year,
           addDays(year, (toDayOfWeek(date) - toDayOfWeek(year) + 7) % 7) AS weekday,
           arrayFirst((f, t) -> date BETWEEN f AND t, {term_froms:Array(Date)}, {term_tos:Array(Date)}) AS term,
           arrayFirst((f, t) -> date BETWEEN f AND t, {half_term_froms:Array(Date)}, {half_term_tos:Array(Date)}) AS half_term
    FROM marks
    WHERE date IN {dates:Array(Date)} AND received_at < {until:DateTime64(6)} AND received_at >= {since:DateTime64(6)}
    GROUP BY urn, date
) AS m
{{joins}}
WHERE {{stale}}
ORDER BY m.received
