// DfE's reason_* columns (../shared/data/dfe/EES_ytd_data.csv) by register code, written out for the tests from
// DOMAIN.md and DfE's file, independently of the server's own table.
export const REASON_COLUMNS: readonly [code: string, column: string][] = [
  ['/', 'reason_present_am'], ['\\', 'reason_present_pm'], ['L', 'reason_l_present_late_before_registers_closed'],
  ['I', 'reason_i_authorised_illness'], ['M', 'reason_m_authorised_medical_dental'], ['R', 'reason_r_authorised_religious_observance'],
  ['S', 'reason_s_authorised_study_leave'], ['T', 'reason_t_authorised_mobile_child'], ['H', 'reason_h_authorised_holiday'],
  ['E', 'reason_e_authorised_excluded'], ['C', 'reason_c_authorised_other'], ['C1', 'reason_c1_authorised_regulated_performance'],
  ['J1', 'reason_j1_authorised_interview'], ['C2', 'reason_c2_authorised_temp_reduced_timetable'], ['B', 'reason_b_aea_education_off_site'],
  ['J', 'reason_j_aea_interview'], ['P', 'reason_p_aea_approved_sporting_activity'], ['V', 'reason_v_aea_educational_visit_trip'],
  ['W', 'reason_w_aea_work_experience'], ['K', 'reason_k_aea_education_arranged_by_la'], ['G', 'reason_g_unauthorised_holiday'],
  ['U', 'reason_u_unauthorised_late_after_registers_closed'], ['O', 'reason_o_other_unauthorised'], ['N', 'reason_n_no_reason_yet'],
];
