-- A day's enrolment counts of all pupils ride with its session counts, so that the day stage (which the live push waits
-- for) writes them without statements of their own: school_daily gains each school's (counted pupils with a possible
-- session, and the persistent and severe absentees among them, from pupil_daily by rollup_school_daily) and la_daily
-- their LA sums (topic '' only; enrolled_schools: the schools with an enrolment). The views below copy each row as it
-- is written into school_enrolments and la_enrolments (period 'day', topic ''), where every reader of enrolments finds
-- them, with its version: a copy is a projection of one row, so it is exact however the insert is cut into blocks.
ALTER TABLE school_daily ADD COLUMN IF NOT EXISTS enrolments UInt32;
ALTER TABLE school_daily ADD COLUMN IF NOT EXISTS persistent UInt32;
ALTER TABLE school_daily ADD COLUMN IF NOT EXISTS severe UInt32;
ALTER TABLE la_daily ADD COLUMN IF NOT EXISTS enrolled_schools UInt32;
ALTER TABLE la_daily ADD COLUMN IF NOT EXISTS enrolments UInt64;
ALTER TABLE la_daily ADD COLUMN IF NOT EXISTS persistent UInt64;
ALTER TABLE la_daily ADD COLUMN IF NOT EXISTS severe UInt64;

-- The schools' days rolled up before: their counts from school_enrolments, where the statements of the time wrote them
-- (the same version: the copy replaces the row), so that a day's LA sums recomputed later add up every school's.
INSERT INTO school_daily
SELECT d.date, d.urn, d.la_code, d.region_code, d.phase, d.possible, d.present, d.aea, d.authorised, d.unauthorised,
       d.late, d.reasons, d.computed_at, e.enrolments, e.persistent, e.severe
FROM school_daily AS d FINAL
GLOBAL LEFT JOIN
(
    SELECT start, urn, enrolments, persistent, severe
    FROM school_enrolments FINAL
    WHERE period = 'day' AND topic = '' AND cohort = ''
) AS e ON e.start = d.date AND e.urn = d.urn;

CREATE MATERIALIZED VIEW IF NOT EXISTS school_enrolments_of_days TO school_enrolments AS
SELECT 'day' AS period, date AS start, urn, la_code, region_code, phase, '' AS topic, '' AS cohort, enrolments,
       persistent, severe, computed_at
FROM school_daily;

CREATE MATERIALIZED VIEW IF NOT EXISTS la_enrolments_of_days TO la_enrolments AS
SELECT 'day' AS period, date AS start, la_code, region_code, phase, topic, cohort, enrolled_schools AS schools,
       enrolments, persistent, severe, computed_at
FROM la_daily
WHERE topic = '';
