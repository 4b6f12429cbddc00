// Column names and order of the EES "tidy" CSV, as in DfE's own file (../shared/data/dfe/EES_ytd_data.csv),
// plus persistent_absentees, severe_absentees and sa_perc.
import { REGISTER_CODES } from '../submission/register-codes.js';

export const GEOGRAPHY_COLUMNS = [
  'time_period', 'time_identifier', 'geographic_level', 'country_code', 'country_name', 'region_code', 'region_name',
  'new_la_code', 'la_name', 'old_la_code', 'school_urn', 'school_name', 'education_phase',
] as const;

/** reason_* columns in DfE's order; reason_present is the sum of the AM and PM present codes. */
export const REASON_COLUMNS: readonly { column: string; codes: string[] }[] = [
  { column: 'reason_present_am', codes: ['/'] },
  { column: 'reason_present_pm', codes: ['\\'] },
  { column: 'reason_present', codes: ['/', '\\'] },
  ...['L', 'I', 'M', 'R', 'S', 'T', 'H', 'E', 'C', 'C1', 'J1', 'C2', 'B', 'J', 'P', 'V', 'W', 'K', 'G', 'U', 'O', 'N'].map((code) => ({
    column: REGISTER_CODES.get(code)!.reasonColumn!,
    codes: [code],
  })),
];

export const COUNT_COLUMNS = [
  'num_schools', 'enrolments', 'present_sessions', 'overall_attendance', 'approved_educational_activity', 'overall_absence',
  'authorised_absence', 'unauthorised_absence', 'late_sessions', 'possible_sessions',
  ...REASON_COLUMNS.map((r) => r.column), 'persistent_absentees', 'severe_absentees',
] as const;

/** Rates: numerator columns over possible_sessions x 100, named as DfE names them. */
export const SESSION_RATES: readonly [string, (c: Record<string, number>) => number][] = [
  ['attendance_perc', (c) => c.overall_attendance],
  ['overall_absence_perc', (c) => c.overall_absence],
  ['authorised_absence_perc', (c) => c.authorised_absence],
  ['unauthorised_absence_perc', (c) => c.unauthorised_absence],
  ['illness_perc', (c) => c.reason_i_authorised_illness],
  ['appointments_perc', (c) => c.reason_m_authorised_medical_dental],
  ['unauth_hol_perc', (c) => c.reason_g_unauthorised_holiday],
  ['unauth_oth_perc', (c) => c.reason_o_other_unauthorised],
  ['unauth_late_registers_closed_perc', (c) => c.reason_u_unauthorised_late_after_registers_closed],
  ['unauth_not_yet_perc', (c) => c.reason_n_no_reason_yet],
  ['auth_religious_perc', (c) => c.reason_r_authorised_religious_observance],
  ['auth_study_perc', (c) => c.reason_s_authorised_study_leave],
  ['auth_mob_perc', (c) => c.reason_t_authorised_mobile_child],
  ['auth_excluded_perc', (c) => c.reason_e_authorised_excluded],
  ['auth_performance_perc', (c) => c.reason_c1_authorised_regulated_performance],
  ['auth_interview_perc', (c) => c.reason_j1_authorised_interview],
  ['auth_part_time_perc', (c) => c.reason_c2_authorised_temp_reduced_timetable],
  ['auth_other_perc', (c) => c.reason_c_authorised_other],
];

export const RATE_COLUMNS = [...SESSION_RATES.map(([name]) => name), 'pa_perc', 'sa_perc'] as const;

