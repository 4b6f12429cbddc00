-- A day's enrolment counts of each breakdown's cohorts ride with their session counts, as all pupils' do
-- (0030_day_enrolments.sql), so that the breakdowns stage writes them without statements of their own:
-- school_cohort_daily gains each school's (its counted pupils in the cohort with a possible session, and the persistent
-- and severe absentees among them, by rollup_school_cohort_daily) and la_daily's breakdown rows their LA sums
-- (enrolled_schools: the schools with an enrolment in the cohort). The views below copy each row as it is written into
-- school_enrolments and la_enrolments (period 'day'), where every reader of enrolments finds them, with its version.
ALTER TABLE school_cohort_daily ADD COLUMN IF NOT EXISTS enrolments UInt32;
ALTER TABLE school_cohort_daily ADD COLUMN IF NOT EXISTS persistent UInt32;
ALTER TABLE school_cohort_daily ADD COLUMN IF NOT EXISTS severe UInt32;

-- The schools' days rolled up before: their counts from school_enrolments, where the statements of the time wrote them
-- (the same version: the copy replaces the row), so that a day's LA sums recomputed later add up every school's. Only
-- the cohorts with an enrolment are looked up (the others' counts are zero): a smaller table to join.
INSERT INTO school_cohort_daily
SELECT c.date, c.urn, c.la_code, c.region_code, c.phase, c.topic, c.cohort, c.pupils, c.possible, c.present, c.aea,
       c.authorised, c.unauthorised, c.late, c.reasons, c.computed_at, e.enrolments, e.persistent, e.severe
FROM school_cohort_daily AS c FINAL
GLOBAL LEFT JOIN
(
    SELECT start, urn, topic, cohort, enrolments, persistent, severe
    FROM school_enrolments FINAL
    WHERE period = 'day' AND topic != '' AND enrolments > 0
) AS e ON e.start = c.date AND e.urn = c.urn AND e.topic = c.topic AND e.cohort = c.cohort;

CREATE MATERIALIZED VIEW IF NOT EXISTS school_enrolments_of_cohort_days TO school_enrolments AS
SELECT 'day' AS period, date AS start, urn, la_code, region_code, phase, topic, cohort, enrolments, persistent, severe,
       computed_at
FROM school_cohort_daily;

CREATE MATERIALIZED VIEW IF NOT EXISTS la_enrolments_of_cohort_days TO la_enrolments AS
SELECT 'day' AS period, date AS start, la_code, region_code, phase, topic, cohort, enrolled_schools AS schools,
       enrolments, persistent, severe, computed_at
FROM la_daily
WHERE topic != '';
