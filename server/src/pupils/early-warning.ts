// Early warning for a pupil (DfE's guidance: spot patterns early; one trust steps in when a pupil dips below 97%).
// Two rules, each explainable on its own:
//   below_threshold   attendance over the last four weeks under the threshold (default 97%, AT_RISK_ATTENDANCE);
//   on_course_for_pa  not persistently absent over the period yet, but absent from 10% or more of sessions over the
//                     last four weeks: if that goes on, the period's rate reaches 10% too.

export type PupilWarning = 'below_threshold' | 'on_course_for_pa';

export interface PupilSessions {
  possible: number;
  absent: number;
  recentPossible: number;
  recentAbsent: number;
}

/** Persistent absence: absent from at least this share of possible sessions (DfE). */
export const PERSISTENT_PERC = 10;
/** The last four weeks. */
export const RECENT_DAYS = 28;

export function pupilWarnings(s: PupilSessions, threshold: number): PupilWarning[] {
  if (s.recentPossible <= 0) return [];
  const recentAbsence = (s.recentAbsent / s.recentPossible) * 100;
  const warnings: PupilWarning[] = [];
  if (100 - recentAbsence < threshold) warnings.push('below_threshold');
  if ((s.absent / s.possible) * 100 < PERSISTENT_PERC && recentAbsence >= PERSISTENT_PERC)
    warnings.push('on_course_for_pa');
  return warnings;
}
