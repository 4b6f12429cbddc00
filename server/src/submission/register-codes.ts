// Register codes (School Attendance (Pupil Registration) (England) Regulations 2024, plus legacy codes) and how
// DfE's measures count them. The single source of truth: ingestion stores each mark's category from this table.

export type Category = 'present' | 'aea' | 'authorised' | 'unauthorised' | 'not_possible';

export interface RegisterCode {
  code: string;
  category: Category;
  /** The column of DfE's EES file that counts this code (null for codes that are not possible sessions). */
  reasonColumn: string | null;
}

const table: [string, Category, string | null][] = [
  ['/', 'present', 'reason_present_am'],
  ['\\', 'present', 'reason_present_pm'],
  ['L', 'present', 'reason_l_present_late_before_registers_closed'],
  ['K', 'aea', 'reason_k_aea_education_arranged_by_la'],
  ['V', 'aea', 'reason_v_aea_educational_visit_trip'],
  ['P', 'aea', 'reason_p_aea_approved_sporting_activity'],
  ['W', 'aea', 'reason_w_aea_work_experience'],
  ['B', 'aea', 'reason_b_aea_education_off_site'],
  ['J', 'aea', 'reason_j_aea_interview'],
  ['I', 'authorised', 'reason_i_authorised_illness'],
  ['M', 'authorised', 'reason_m_authorised_medical_dental'],
  ['R', 'authorised', 'reason_r_authorised_religious_observance'],
  ['S', 'authorised', 'reason_s_authorised_study_leave'],
  ['T', 'authorised', 'reason_t_authorised_mobile_child'],
  ['E', 'authorised', 'reason_e_authorised_excluded'],
  ['C', 'authorised', 'reason_c_authorised_other'],
  ['C1', 'authorised', 'reason_c1_authorised_regulated_performance'],
  ['J1', 'authorised', 'reason_j1_authorised_interview'],
  ['C2', 'authorised', 'reason_c2_authorised_temp_reduced_timetable'],
  ['H', 'authorised', 'reason_h_authorised_holiday'],
  ['G', 'unauthorised', 'reason_g_unauthorised_holiday'],
  ['U', 'unauthorised', 'reason_u_unauthorised_late_after_registers_closed'],
  ['O', 'unauthorised', 'reason_o_other_unauthorised'],
  ['N', 'unauthorised', 'reason_n_no_reason_yet'],
  ['D', 'not_possible', null],
  ['Q', 'not_possible', null],
  ['Y', 'not_possible', null],
  ['Y1', 'not_possible', null],
  ['Y2', 'not_possible', null],
  ['Y3', 'not_possible', null],
  ['Y4', 'not_possible', null],
  ['Y5', 'not_possible', null],
  ['Y6', 'not_possible', null],
  ['Y7', 'not_possible', null],
  ['#', 'not_possible', null],
  ['Z', 'not_possible', null],
  ['X', 'not_possible', null],
  ['F', 'not_possible', null],
];

export const REGISTER_CODES: ReadonlyMap<string, RegisterCode> = new Map(
  table.map(([code, category, reasonColumn]) => [code, { code, category, reasonColumn }]),
);

/** National curriculum year groups of compulsory school age: the pupils in DfE's published measures. */
export const COUNTED_YEAR_GROUPS: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
export const YEAR_GROUPS: ReadonlySet<string> = new Set(['N1', 'N2', 'R', ...COUNTED_YEAR_GROUPS, '12', '13', '14']);
/** The codes of a late arrival, counted in late_sessions: before registers closed (present) and after (unauthorised). */
export const LATE_CODES: readonly string[] = ['L', 'U'];
