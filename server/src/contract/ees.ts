// The columns of DfE's EES "tidy" CSV, named and ordered as in DfE's own file (../shared/data/dfe/EES_ytd_data.csv),
// plus ours (school, frame and breakdown columns, distinct counts, persistent_absentees, severe_absentees and sa_perc);
// and their arithmetic: rates from summed counts.
import { REGISTER_CODES, type ReasonColumn, type RegisterCodeName } from './vocabulary.js';

export const GEOGRAPHY_COLUMNS = [
  'time_period',
  'time_identifier',
  'geographic_level',
  'country_code',
  'country_name',
  'region_code',
  'region_name',
  'new_la_code',
  'la_name',
  'old_la_code',
  'school_urn',
  'school_name',
  'education_phase',
] as const;

/** The frames' own time columns (after time_identifier): a day, a week, a weekday or a half term. */
export const TIME_COLUMNS = ['attendance_date', 'week_commencing', 'day_of_week', 'half_term'] as const;
export const BREAKDOWN_COLUMNS = ['breakdown_topic', 'breakdown'] as const;

const reason = (code: RegisterCodeName): { column: ReasonColumn; codes: string[] } => ({
  column: REGISTER_CODES.get(code)!.reasonColumn!,
  codes: [code],
});

/** reason_* columns in DfE's order; reason_present is the sum of the AM and PM present codes. */
export const REASON_COLUMNS: readonly { column: ReasonColumn | 'reason_present'; codes: string[] }[] = [
  reason('/'),
  reason('\\'),
  { column: 'reason_present', codes: ['/', '\\'] },
  ...(
    [
      'L',
      'I',
      'M',
      'R',
      'S',
      'T',
      'H',
      'E',
      'C',
      'C1',
      'J1',
      'C2',
      'B',
      'J',
      'P',
      'V',
      'W',
      'K',
      'G',
      'U',
      'O',
      'N',
    ] as const
  ).map(reason),
];

/** The session counts (and the school and pupil counts beside them), in DfE's order. */
export const SESSION_COUNT_COLUMNS = [
  'num_schools',
  'enrolments',
  'present_sessions',
  'overall_attendance',
  'approved_educational_activity',
  'overall_absence',
  'authorised_absence',
  'unauthorised_absence',
  'late_sessions',
  'possible_sessions',
] as const;
export type CountColumn =
  | (typeof SESSION_COUNT_COLUMNS)[number]
  | ReasonColumn
  | 'reason_present'
  | 'persistent_absentees'
  | 'severe_absentees';
export const COUNT_COLUMNS: readonly CountColumn[] = [
  ...SESSION_COUNT_COLUMNS,
  ...REASON_COLUMNS.map((r) => r.column),
  'persistent_absentees',
  'severe_absentees',
];

export type Counts = Record<CountColumn, number>;

/** Rates: numerator columns over possible_sessions x 100, named as DfE names them. */
export const SESSION_RATES = [
  ['attendance_perc', (c: Counts) => c.overall_attendance],
  ['overall_absence_perc', (c: Counts) => c.overall_absence],
  ['authorised_absence_perc', (c: Counts) => c.authorised_absence],
  ['unauthorised_absence_perc', (c: Counts) => c.unauthorised_absence],
  ['illness_perc', (c: Counts) => c.reason_i_authorised_illness],
  ['appointments_perc', (c: Counts) => c.reason_m_authorised_medical_dental],
  ['unauth_hol_perc', (c: Counts) => c.reason_g_unauthorised_holiday],
  ['unauth_oth_perc', (c: Counts) => c.reason_o_other_unauthorised],
  ['unauth_late_registers_closed_perc', (c: Counts) => c.reason_u_unauthorised_late_after_registers_closed],
  ['unauth_not_yet_perc', (c: Counts) => c.reason_n_no_reason_yet],
  ['auth_religious_perc', (c: Counts) => c.reason_r_authorised_religious_observance],
  ['auth_study_perc', (c: Counts) => c.reason_s_authorised_study_leave],
  ['auth_mob_perc', (c: Counts) => c.reason_t_authorised_mobile_child],
  ['auth_excluded_perc', (c: Counts) => c.reason_e_authorised_excluded],
  ['auth_performance_perc', (c: Counts) => c.reason_c1_authorised_regulated_performance],
  ['auth_interview_perc', (c: Counts) => c.reason_j1_authorised_interview],
  ['auth_part_time_perc', (c: Counts) => c.reason_c2_authorised_temp_reduced_timetable],
  ['auth_other_perc', (c: Counts) => c.reason_c_authorised_other],
] as const;

export type RateColumn = (typeof SESSION_RATES)[number][0] | 'pa_perc' | 'sa_perc';
export const RATE_COLUMNS: readonly RateColumn[] = [...SESSION_RATES.map(([name]) => name), 'pa_perc', 'sa_perc'];

/**
 * The school list's open schools and their pupils (GIAS's NumberOfPupils, every age): the coverage denominator, as
 * DfE's total_num_schools and total_enrolments.
 */
export const REGISTER_COLUMNS = ['total_num_schools', 'total_enrolments'] as const;
/**
 * Our distinct counts over the period (a school or an enrolment with a possible session in it), beside DfE's
 * num_schools and enrolments, which are means of the daily counts: pa_perc and sa_perc are over these enrolments.
 */
export const DISTINCT_COLUMNS = ['num_schools_distinct', 'enrolments_distinct'] as const;

export type EesColumn =
  | (typeof GEOGRAPHY_COLUMNS)[number]
  | (typeof REGISTER_COLUMNS)[number]
  | (typeof DISTINCT_COLUMNS)[number]
  | (typeof TIME_COLUMNS)[number]
  | (typeof BREAKDOWN_COLUMNS)[number]
  | CountColumn
  | RateColumn;

/** DfE's published columns, in the order of DfE's own file (time_identifier last, as there). */
export const DFE_COLUMNS: readonly EesColumn[] = [
  'time_period',
  ...GEOGRAPHY_COLUMNS.slice(2, 10),
  'education_phase',
  ...SESSION_COUNT_COLUMNS,
  ...REASON_COLUMNS.map((r) => r.column),
  ...REGISTER_COLUMNS,
  ...SESSION_RATES.map(([name]) => name),
  'pa_perc',
  'time_identifier',
];
/** Our columns after DfE's: the school, the breakdown and the distinct counts. */
export const EXTRA_COLUMNS = {
  school: ['school_urn', 'school_name'],
  breakdown: BREAKDOWN_COLUMNS,
  counts: [...DISTINCT_COLUMNS, 'persistent_absentees', 'severe_absentees', 'sa_perc'],
} as const satisfies Record<string, readonly EesColumn[]>;

/**
 * An EES cell: a count, an unrounded rate (null with no possible sessions), a name or code, or a symbol such as "c".
 */
export type Cell = number | string | null;
/**
 * One row of EES columns (time_period, new_la_code, la_name, overall_absence_perc, ...): a misspelt column fails tsc.
 */
export type EesRow = { [column in EesColumn]?: Cell };

/** Counts and rates of summed counts. Every rate is sessions / possible sessions x 100, never an average of rates. */
export function ratesOf(counts: Counts): EesRow {
  const rate = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);
  const row: EesRow = {};
  for (const column of COUNT_COLUMNS) row[column] = counts[column];
  for (const [name, numerator] of SESSION_RATES) row[name] = rate(numerator(counts), counts.possible_sessions);
  row.pa_perc = rate(counts.persistent_absentees, counts.enrolments);
  row.sa_perc = rate(counts.severe_absentees, counts.enrolments);
  return row;
}

/**
 * The measures of several rows taken together (a group of LAs, say): counts summed, rates worked out again from the
 * sums, never averaged. Rows suppressed or without possible sessions are left out; `rows` says how many were used.
 */
export function combine(rows: EesRow[]): { row: EesRow; rows: number } {
  const used = rows.filter((row) => typeof row.possible_sessions === 'number' && row.possible_sessions > 0);
  const counts = {} as Counts;
  for (const column of COUNT_COLUMNS) counts[column] = used.reduce((sum, row) => sum + Number(row[column] ?? 0), 0);
  return { row: ratesOf(counts), rows: used.length };
}
