-- Recompute la_enrolments for whole periods of one kind (the given starts) and the given topics ('' for all pupils; the
-- breakdowns' names): every school's counts added up by LA, phase and cohort, and a zero row for each of the periods'
-- current rows that no school makes now, so that a recomputation replaces the last. A zero row of no LA (topic '') for
-- each period says when it was last recomputed, whatever the topics (the reconciliation reads it).
INSERT INTO la_enrolments
SELECT {period:String}, start, la_code, any(region_code), phase, topic, cohort, sum(schools), sum(enrolments),
       sum(persistent), sum(severe), {computed_at:DateTime64(6)}
FROM
(
    SELECT start, la_code, region_code, phase, topic, cohort, toUInt32(1) AS schools, enrolments, persistent, severe
    FROM school_enrolments FINAL
    WHERE period = {period:String} AND topic IN {topics:Array(String)} AND start IN {starts:Array(Date)} AND enrolments > 0
    UNION ALL
    SELECT start, la_code, region_code, phase, topic, cohort, 0, 0, 0, 0
    FROM la_enrolments FINAL
    WHERE period = {period:String} AND topic IN {topics:Array(String)} AND start IN {starts:Array(Date)} AND schools > 0
    UNION ALL
    SELECT arrayJoin({starts:Array(Date)}), '', '', '', '', '', 0, 0, 0, 0
)
GROUP BY start, la_code, phase, topic, cohort
SETTINGS do_not_merge_across_partitions_select_final = 1
