// DfE's real 2025/26 year-to-date figures per LA and phase (derived into calibration.json from ../shared/data/dfe),
// which the simulated schools are calibrated to so that the simulated map resembles the real one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SimPhase = 'Primary' | 'Secondary' | 'Special';
export const SIM_PHASES: readonly SimPhase[] = ['Primary', 'Secondary', 'Special'];

export interface CalibrationRow {
  laGss: string;
  phase: SimPhase | 'Total';
  numSchools: number | null;
  enrolments: number | null;
  possibleSessions: number | null;
  overallAbsencePerc: number | null;
  authorisedAbsencePerc: number | null;
  unauthorisedAbsencePerc: number | null;
  paPerc: number | null;
  reasons: Record<string, number | null>;
}

/** What the generator needs for one LA and phase: rates as fractions, reason weights per register code. */
export interface Calibration {
  numSchools: number;
  enrolments: number;
  absence: number;
  persistentAbsence: number;
  /** Share of possible sessions per code, for absence and approved-activity codes, and late before close (L). */
  codeRates: Record<string, number>;
}

/** DfE's year-to-date rows per LA (and England, E92000001) and phase, Total included. */
export const DFE_FIGURES: readonly CalibrationRow[] = JSON.parse(
  readFileSync(join(process.cwd(), 'pipelines/simulator/calibration.json'), 'utf8'),
);
export const NATIONAL = 'E92000001';

const REASON_CODES: Record<string, string> = {
  reason_l_present_late_before_registers_closed: 'L',
  reason_i_authorised_illness: 'I',
  reason_m_authorised_medical_dental: 'M',
  reason_r_authorised_religious_observance: 'R',
  reason_s_authorised_study_leave: 'S',
  reason_t_authorised_mobile_child: 'T',
  reason_h_authorised_holiday: 'H',
  reason_e_authorised_excluded: 'E',
  reason_c_authorised_other: 'C',
  reason_c1_authorised_regulated_performance: 'C1',
  reason_j1_authorised_interview: 'J1',
  reason_c2_authorised_temp_reduced_timetable: 'C2',
  reason_b_aea_education_off_site: 'B',
  reason_j_aea_interview: 'J',
  reason_p_aea_approved_sporting_activity: 'P',
  reason_v_aea_educational_visit_trip: 'V',
  reason_w_aea_work_experience: 'W',
  reason_k_aea_education_arranged_by_la: 'K',
  reason_g_unauthorised_holiday: 'G',
  reason_u_unauthorised_late_after_registers_closed: 'U',
  reason_o_other_unauthorised: 'O',
  reason_n_no_reason_yet: 'N',
};

function usable(
  row: CalibrationRow | undefined,
): row is CalibrationRow & { possibleSessions: number; overallAbsencePerc: number; paPerc: number } {
  return !!row && row.possibleSessions !== null && row.overallAbsencePerc !== null && row.paPerc !== null;
}

const cache = new Map<string, Calibration>();

/** The LA's figures for a phase; where DfE suppressed them (one school), the national figures for the phase. */
export function calibrationFor(laGss: string, phase: SimPhase): Calibration {
  const key = `${laGss}|${phase}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const own = DFE_FIGURES.find((r) => r.laGss === laGss && r.phase === phase);
  const source = usable(own) ? own : DFE_FIGURES.find((r) => r.laGss === NATIONAL && r.phase === phase)!;
  if (!usable(source)) throw new Error(`No national calibration for ${phase}`);
  const codeRates: Record<string, number> = {};
  for (const [column, code] of Object.entries(REASON_CODES)) {
    // N ("no reason yet") in DfE's year to date is registers not yet completed: complete ones carry O instead.
    const target = code === 'N' ? 'O' : code;
    codeRates[target] = (codeRates[target] ?? 0) + (source.reasons[column] ?? 0) / source.possibleSessions;
  }
  // A suppressed LA (one school) keeps its school count; its pupils are taken at the national size of school.
  const numSchools = own?.numSchools ?? 0;
  const calibration = {
    numSchools,
    enrolments: own?.enrolments ?? numSchools * ((source.enrolments ?? 0) / (source.numSchools ?? 1)),
    absence: source.overallAbsencePerc / 100,
    persistentAbsence: source.paPerc / 100,
    codeRates,
  };
  cache.set(key, calibration);
  return calibration;
}
