// The JSON shapes the API answers with, shared by the server and the Vue client (types only, no runtime code).
import type { Level } from './live/live-events.js';

/**
 * period: one row for from-to; daily, weekly (week commencing Monday); weekday: the Monday..Friday pattern over the
 * period; half_term, term: one row per half term or term of the term calendar.
 */
export type Frame = 'period' | 'daily' | 'weekly' | 'weekday' | 'half_term' | 'term';
export type PhaseName = 'Primary' | 'Secondary' | 'Special' | 'Other' | 'Total';

/** An EES cell: a count, an unrounded rate (null with no possible sessions), a name or code, or a symbol such as "c". */
export type Cell = number | string | null;
/** One row of EES columns (time_period, new_la_code, la_name, overall_absence_perc, ...). */
export type EesRow = Record<string, Cell>;

export interface MeasuresResult {
  level: Level;
  from: string;
  to: string;
  frame: Frame;
  columns: string[];
  rows: EesRow[];
}

export interface Status {
  today: string;
  latestDate: string | null;
  academicYearStart: string;
  schoolsInRegister: number;
  schoolsSubmitted: { date: string | null; count: number };
  authMode: 'dev' | 'jwt';
  /** Roll-up jobs not finished yet: the figures catch up when this is 0. */
  pendingRollups: number;
}

export interface LocalAuthority {
  /** 3-digit DfE code (old_la_code), as GIAS and scopes use it. */
  code: string;
  /** GSS code (new_la_code), as the boundaries use it. */
  gss: string;
  name: string;
  regionCode: string;
  regionName: string;
  geoNeighbours: string[];
  statNeighbours: string[];
}

// The LA strategic lead's workspace (/api/v1/las/:code/...).

export type RankedMeasure = 'overall_absence_perc' | 'pa_perc';

export interface LaRanking {
  measure: RankedMeasure;
  /** 1 = the lowest absence in England; null when the LA's figure is suppressed or missing. */
  position: number | null;
  /** LAs with a figure. */
  of: number;
  /** 1 = the quarter of LAs with the lowest absence ... 4 = the highest. */
  quartile: 1 | 2 | 3 | 4 | null;
}

export interface LaComparison {
  la: LocalAuthority;
  from: string;
  to: string;
  phase: PhaseName;
  row: EesRow;
  region: EesRow;
  england: EesRow;
  /** The 10 statistical neighbours (DfE 2025 set) in DfE's order of closeness. */
  statNeighbours: { la: LocalAuthority; closeness: number; row: EesRow }[];
  /** The statistical neighbours taken together (counts summed); `las` is how many had figures to add. */
  statNeighbourGroup: { row: EesRow; las: number };
  geoNeighbours: { la: LocalAuthority; row: EesRow }[];
  rankings: LaRanking[];
}

export interface CohortGap {
  /** e.g. "FSM gap": overall absence of the first cohort minus the second, in percentage points. */
  name: string;
  cohorts: [string, string];
  la: number | null;
  statNeighbours: number | null;
  england: number | null;
}

export interface LaCohorts {
  la: LocalAuthority;
  from: string;
  to: string;
  breakdown: string;
  topic: string;
  cohorts: { breakdown: string; la: EesRow; statNeighbours: EesRow; england: EesRow }[];
  gaps: CohortGap[];
}

export interface LaSchool {
  urn: number;
  name: string;
  phase: string;
  type: string;
  trustCode: string;
  trustName: string;
  /** The school sent a register for the latest school day. */
  submittedLatest: boolean;
  row: EesRow | null;
  /** Overall absence by week commencing (the `weeks` of the answer); null for a week without figures. */
  weekly: (number | null)[];
  /** Overall absence in the last week minus the week before, in percentage points. */
  change: number | null;
}

export interface LaSchools {
  la: LocalAuthority;
  from: string;
  to: string;
  latestDate: string | null;
  weeks: string[];
  schools: LaSchool[];
}

export interface Neighbourhood {
  /** The area's name (LSOAs grouped to their MSOA where the name is known), or the LSOA code. */
  name: string;
  lsoas: string[];
  /** Pupils (enrolments) living there; "c" under 10 for viewers without pupil-level rights. */
  pupils: number | 'c';
  possible_sessions: number | 'c';
  overall_absence_perc: number | null | 'c';
  pa_perc: number | null | 'c';
}

export interface LaNeighbourhoods {
  la: LocalAuthority;
  from: string;
  to: string;
  /** True when small areas are shown as c to this viewer. */
  suppressed: boolean;
  areas: Neighbourhood[];
}

/** Attendance targets an LA sets for its children with a social worker (the virtual school head's measures). */
export type TargetCohort = 'cin' | 'cla';

export interface LaTarget {
  cohort: TargetCohort;
  /** Attendance target in percent of possible sessions. */
  attendance: number;
  setBy: string;
  updatedAt: string;
}

// School views and Ofsted's inspection priorities.

export interface SchoolSummary {
  urn: number;
  name: string;
  laCode: string;
  laName: string;
  phase: string;
  type: string;
  trustCode: string;
  trustName: string;
  /** GIAS OfstedLastInsp (YYYY-MM-DD), null if not known. */
  ofstedLastInspection: string | null;
}

export interface SchoolOverview {
  school: SchoolSummary;
  from: string;
  to: string;
  /** Compulsory-age pupils in the period and the shares FSM eligible and with SEN: what comparators are matched on. */
  profile: { pupils: number; fsmPerc: number; senPerc: number } | null;
  row: EesRow;
  /** The similar schools taken together (counts summed); `schools` is how many had figures. */
  comparatorGroup: { row: EesRow; schools: number; method: string };
  /** The similar schools one by one: for DfE, Ofsted and admin (others see the group only). */
  comparators: { school: SchoolSummary; distance: number; row: EesRow }[] | null;
  la: EesRow;
  england: EesRow;
  /** The Monday..Friday pattern over the period. */
  weekdays: EesRow[];
}

export interface PriorityPart {
  key: string;
  label: string;
  value: number | null;
  contribution: number;
}

export interface InspectionPriority {
  rank: number;
  school: SchoolSummary;
  score: number;
  /** The top reasons, in words. */
  why: string;
  parts: PriorityPart[];
  overall_absence_perc: number | null;
  pa_perc: number | null;
  sa_perc: number | null;
}

export interface InspectionPriorities {
  from: string;
  to: string;
  /** The two periods compared for the change (this half term and the last), and last year's same weeks. */
  periods: { current: [string, string]; previous: [string, string]; lastYear: [string, string] };
  method: string;
  /** Schools scored (all of England), before the filters. */
  scored: number;
  schools: InspectionPriority[];
}

/** One pupil at a school over a period: for the school itself, its trust and its LA only. */
export interface PupilRecord {
  /** The UPN, decrypted for this response; null if it was never received. */
  upn: string | null;
  yearGroup: string;
  sex: string;
  fsm: string;
  sen: string;
  eal: string;
  ethnicity: string;
  cin: string;
  cla: string;
  /** Years 1-11: the pupils the published measures count. */
  compulsoryAge: boolean;
  possibleSessions: number;
  absentSessions: number;
  absencePerc: number;
  persistent: boolean;
  severe: boolean;
  /** Absence over the last four weeks of the period, and before them (null without sessions). */
  recentAbsencePerc: number | null;
  earlierAbsencePerc: number | null;
  /** Early warning (server/src/pupils/early-warning.ts): attendance under the threshold over the last four weeks, or on course for persistent absence. */
  warnings: ('below_threshold' | 'on_course_for_pa')[];
  /** Any warning. */
  atRisk: boolean;
}

export interface SchoolPupils {
  school: SchoolSummary;
  from: string;
  to: string;
  recentFrom: string;
  /** Attendance threshold (percent) for the at-risk rule. */
  threshold: number;
  pupils: PupilRecord[];
}

export interface TrustOverview {
  trustCode: string;
  trustName: string;
  from: string;
  to: string;
  /** The trust's schools in primary, secondary and special phases taken together (DfE's Total), and England's. */
  total: EesRow;
  england: EesRow;
  schools: { school: SchoolSummary; row: EesRow | null }[];
}

/** A named group of schools in an attendance programme from a start date. */
export interface Programme {
  id: string;
  name: string;
  startDate: string;
  urns: number[];
  createdBy: string;
  createdRole: string;
  createdAt: string;
}

/** A measure before and after the start, for the programme's schools and their matched comparators (pooled counts). */
export interface ProgrammeMeasure {
  key: 'overall_absence_perc' | 'pa_perc';
  label: string;
  programme: { before: number | null; after: number | null; change: number | null };
  comparison: { before: number | null; after: number | null; change: number | null };
  /** Difference in differences, percentage points: the programme's change less the comparators'. Negative is better. */
  difference: number | null;
}

export interface ProgrammeEvaluation {
  programme: Programme;
  before: { from: string; to: string };
  after: { from: string; to: string };
  method: string;
  caveats: string[];
  measures: ProgrammeMeasure[];
  /** Overall absence week by week (week commencing Monday), each group's counts pooled; null where a group has none. */
  weeks: { weekCommencing: string; programme: number | null; comparison: number | null }[];
  /** Each programme school with its matched comparator; the comparator is named only to those who may see it. */
  pairs: {
    school: SchoolSummary;
    comparator: SchoolSummary | null;
    distance: number;
    before: { school: number | null; comparator: number | null };
    after: { school: number | null; comparator: number | null };
  }[];
  /** Programme schools with no profile or no figures before the start: not in the evaluation. */
  unmatched: SchoolSummary[];
}

/** Early warning: a school whose absence today is far above what its own recent history predicts for the weekday. */
export interface SchoolAlert {
  school: SchoolSummary;
  date: string;
  todayPerc: number;
  expectedPerc: number;
  /** Percentage points above the expectation that count as unusual (3 standard deviations, at least 5). */
  marginPp: number;
}

/** Early warning: how many of a school's pupils are at risk (any pupil warning) as of the day. */
export interface PupilAlert {
  school: SchoolSummary;
  /** null where the count is under 10 and the viewer has no pupil-level rights to the school. */
  atRisk: number | null;
}

export interface Alerts {
  date: string;
  schools: SchoolAlert[];
  /** Schools with pupils at risk, most first: with an LA (la=), or a school's or trust's own. */
  pupils: PupilAlert[];
  /** The attendance threshold of the pupil rule (percent). */
  threshold: number;
}

/** One line of the audit log (GET /api/v1/audit). */
export interface AuditEntry {
  /** ISO 8601, UTC. */
  at: string;
  subject: string;
  role: string;
  scope: string;
  action: string;
  /** The path and query asked for. */
  resource: string;
  rows: number;
  ip: string;
}
