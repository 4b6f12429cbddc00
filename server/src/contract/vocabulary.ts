// The product's words, each defined once: the server, the SQL statements' parameters and the client take them from
// here. Plain values and types only (no imports): the client bundles what it uses of this file.

// ── Levels: where a figure is for ────────────────────────────────────────────────────────────────────────────────

export const LEVELS = ['national', 'regional', 'la', 'school'] as const;
export type Level = (typeof LEVELS)[number];
/** A trust's live room carries only its schools' alerts (its figures are on the trust page). */
export const ROOM_LEVELS = [...LEVELS, 'trust'] as const;
export type RoomLevel = (typeof ROOM_LEVELS)[number];
/** England's GSS code: the code of the national level. */
export const NATIONAL_CODE = 'E92000001';

// ── Phases, as DfE's attendance statistics count them (server/src/reference/phase.ts maps GIAS fields to them) ───

/** The phases DfE publishes; Total is the three taken together. */
export const PUBLISHED_PHASES = ['Primary', 'Secondary', 'Special'] as const;
/** A school's phase: a published one, or Other (GIAS phases DfE's figures leave out). */
export const SCHOOL_PHASES = [...PUBLISHED_PHASES, 'Other'] as const;
export type Phase = (typeof SCHOOL_PHASES)[number];
/** What a `phase=` asks for: a school phase, or Total. */
export const PHASE_NAMES = [...SCHOOL_PHASES, 'Total'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

// ── Frames: how an answer's period is cut into rows ────────────────────────────────────────────────────────────

/**
 * period: one row for from-to; daily, weekly (week commencing Monday); weekday: the Monday..Friday pattern over the
 * period; half_term, term: one row per half term or term of the term calendar.
 */
export const FRAMES = ['period', 'weekly', 'daily', 'weekday', 'half_term', 'term'] as const;
export type Frame = (typeof FRAMES)[number];

/** The terms of an academic year, each of two half terms. */
export const TERMS = ['Autumn', 'Spring', 'Summer'] as const;
export type TermName = (typeof TERMS)[number];
/** `term=` values: spring, autumn-1 (in the academic year of today) or 2025-26-spring, 2025-26-autumn-1. */
export const TERM_SELECTOR = /^(?:(\d{4}-\d{2})-)?(autumn|spring|summer)(?:-([12]))?$/;

/** The periods a pupil's enrolment is counted over (persistent and severe absence): each a roll-up of its own. */
export const ENROLMENT_PERIODS = ['day', 'week', 'year', 'term', 'half_term', 'weekday'] as const;
export type EnrolmentPeriod = (typeof ENROLMENT_PERIODS)[number];

// ── Roles: who may see what (server/src/auth/access.ts holds the matrix) ──────────────────────────────────────────

export const ROLES = ['admin', 'dfe', 'ofsted', 'la', 'trust', 'school', 'submitter'] as const;
export type Role = (typeof ROLES)[number];

/** Each role in plain words, as a refusal or the role switcher names it ("signed in as a local authority user"). */
export const ROLE_NAMES: Record<Role, string> = {
  admin: 'an administrator',
  dfe: 'DfE',
  ofsted: 'Ofsted',
  la: 'a local authority user',
  trust: 'an academy trust user',
  school: 'a school user',
  submitter: 'a register submitter (a school’s software)',
};

/** What the audit log records (GET /api/v1/audit). */
export const AUDIT_ACTIONS = [
  'pupils.read',
  'pupils.export',
  'measures.export',
  'inspection.export',
  'data-sets.query',
  'data-sets.export',
  'audit.read',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

// ── Register codes (School Attendance (Pupil Registration) (England) Regulations 2024, plus legacy codes) ────────
// How DfE's measures count them: ingestion stores each mark's category from this table.

export type Category = 'present' | 'aea' | 'authorised' | 'unauthorised' | 'not_possible';

/** Each code's category and the column of DfE's EES file that counts it (null: not a possible session). */
export const REGISTER_CODE_TABLE = [
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
] as const satisfies readonly (readonly [string, Category, string | null])[];

export type RegisterCodeName = (typeof REGISTER_CODE_TABLE)[number][0];
/** An EES reason_* column: the sessions of one register code. */
export type ReasonColumn = Exclude<(typeof REGISTER_CODE_TABLE)[number][2], null>;

export interface RegisterCode {
  code: string;
  category: Category;
  /** The column of DfE's EES file that counts this code (null for codes that are not possible sessions). */
  reasonColumn: ReasonColumn | null;
}

export const REGISTER_CODES: ReadonlyMap<string, RegisterCode> = new Map(
  REGISTER_CODE_TABLE.map(([code, category, reasonColumn]) => [code, { code, category, reasonColumn }]),
);

/** The absence codes in plain words, as a pupil's reason in the support pack names them ("6 illness (I)"). */
export const ABSENCE_CODE_LABELS: Readonly<Record<string, string>> = {
  I: 'illness',
  M: 'medical or dental appointment',
  R: 'religious observance',
  S: 'study leave',
  T: 'mobile child (parent travelling)',
  E: 'suspended or excluded, no alternative provision',
  C: 'exceptional circumstances',
  C1: 'regulated performance or employment',
  J1: 'interview',
  C2: 'part-time timetable',
  H: 'holiday (authorised)',
  G: 'holiday not authorised',
  U: 'late after registers closed',
  O: 'unauthorised other',
  N: 'no reason yet',
};

// ── Attendance bands (DfE's guidance, "Working together to improve school attendance") ───────────────────────────
// By attendance over the period. The edges follow the measures: persistent absence is missing 10% or more (so
// attendance of exactly 90% is persistent), severe 50% or more (exactly 50% is severe); 95% exactly is in the top band.

export const ATTENDANCE_BANDS = ['expected', 'pa_risk', 'persistent', 'severe'] as const;
export type AttendanceBand = (typeof ATTENDANCE_BANDS)[number];
export const ATTENDANCE_BAND_LABELS: Record<AttendanceBand, string> = {
  expected: '95% and above',
  pa_risk: 'Over 90% to under 95%: at risk of persistent absence',
  persistent: 'Over 50% to 90%: persistent absence',
  severe: '50% and under: severe absence',
};

/** National curriculum year groups of compulsory school age: the pupils in DfE's published measures. */
export const COUNTED_YEAR_GROUPS: ReadonlySet<string> = new Set([
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '11',
]);
export const YEAR_GROUPS: ReadonlySet<string> = new Set(['N1', 'N2', 'R', ...COUNTED_YEAR_GROUPS, '12', '13', '14']);
/**
 * The codes of a late arrival, counted in late_sessions: before registers closed (present) and after (unauthorised).
 */
export const LATE_CODES: readonly RegisterCodeName[] = ['L', 'U'];

// ── Breakdowns: pupil characteristics in EES form (breakdown_topic, breakdown) ─────────────────────────────────────
// From the school census codes stored with each mark. Every value without a label here (not sent, or UNCL) is in
// the one "Unclassified" cohort.

interface BreakdownSpec {
  /** pupil_daily column (a fixed identifier, never user input). */
  column: string;
  /** EES breakdown_topic. */
  topic: string;
  /** As the dashboard names it. */
  name: string;
  labels: Record<string, string>;
}

export const BREAKDOWNS = {
  fsm: {
    column: 'fsm',
    topic: 'FSM',
    name: 'Free school meals',
    labels: { Y: 'FSM eligible', N: 'Not known to be FSM eligible' },
  },
  sen: {
    column: 'sen',
    topic: 'SEN',
    name: 'Special educational needs',
    labels: { E: 'EHC plan', K: 'SEN support', N: 'No SEN' },
  },
  year_group: {
    column: 'year_group',
    topic: 'Year group',
    name: 'Year group',
    labels: Object.fromEntries([...COUNTED_YEAR_GROUPS].map((year) => [year, `Year ${year}`])),
  },
  sex: { column: 'sex', topic: 'Sex', name: 'Sex', labels: { F: 'Female', M: 'Male' } },
  ethnicity: {
    column: 'ethnicity',
    topic: 'Ethnicity major',
    name: 'Ethnicity',
    labels: {
      WHIT: 'White',
      MIXD: 'Mixed',
      ASIA: 'Asian or Asian British',
      BLAC: 'Black or Black British',
      CHNE: 'Chinese',
      AOEG: 'Any other ethnic group',
    },
  },
  eal: {
    column: 'eal',
    topic: 'First language',
    name: 'First language',
    labels: { Y: 'Known or believed to be other than English', N: 'Known or believed to be English' },
  },
  cin: {
    column: 'cin',
    topic: 'Children in need',
    name: 'Children in need',
    labels: { Y: 'Child in need', N: 'Not child in need' },
  },
  cla: {
    column: 'cla',
    topic: 'Looked after',
    name: 'Looked after',
    labels: { Y: 'Looked after', N: 'Not looked after' },
  },
} satisfies Record<string, BreakdownSpec>;

export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_NAMES = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]];

export function breakdownColumns(
  breakdown: Breakdown | undefined,
  value: string,
): { breakdown_topic: string; breakdown: string } {
  if (!breakdown) return { breakdown_topic: 'Total', breakdown: 'Total' };
  const spec: BreakdownSpec = BREAKDOWNS[breakdown];
  return { breakdown_topic: spec.topic, breakdown: spec.labels[value] ?? 'Unclassified' };
}

// ── Inspection ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** A school inspected within this many calendar months is listed after the others: Ofsted has just seen it. */
export const RECENT_INSPECTION_MONTHS = 6;
