// The JSON the API answers with, as zod schemas: the server's types and the OpenAPI document's response schemas are
// both made from them, and the client takes the types (type imports only: it bundles none of this file).
import { z } from 'zod';
import {
  BREAKDOWN_COLUMNS,
  COUNT_COLUMNS,
  DISTINCT_COLUMNS,
  GEOGRAPHY_COLUMNS,
  RATE_COLUMNS,
  REGISTER_COLUMNS,
  TIME_COLUMNS,
  type Cell,
  type EesRow,
} from './ees.js';
import { ATTENDANCE_BANDS, BREAKDOWN_NAMES, FRAMES, LEVELS, PHASE_NAMES } from './vocabulary.js';

export type { Cell, EesRow } from './ees.js';
export type { AttendanceBand, Breakdown, Frame, Level, Phase, PhaseName } from './vocabulary.js';

const EES_COLUMNS = [
  ...GEOGRAPHY_COLUMNS,
  ...TIME_COLUMNS,
  ...BREAKDOWN_COLUMNS,
  ...COUNT_COLUMNS,
  ...REGISTER_COLUMNS,
  ...DISTINCT_COLUMNS,
  ...RATE_COLUMNS,
];
const date = z.string().describe('YYYY-MM-DD');
const cell: z.ZodType<Cell> = z.union([z.number(), z.string(), z.null()]);
/** One row of EES columns (time_period, new_la_code, la_name, overall_absence_perc, ...). */
const eesRow: z.ZodType<EesRow> = z
  .partialRecord(z.enum(EES_COLUMNS), cell)
  .describe(
    'One row of EES columns: counts, unrounded rates (null without possible sessions), names and codes, or "c" where suppressed',
  );
const percent = z.number().nullable();

export const MeasuresResult = z.object({
  level: z.enum(LEVELS),
  from: date,
  to: date,
  frame: z.enum(FRAMES),
  columns: z.array(z.enum(EES_COLUMNS)).describe("The EES columns of the rows, in the order of DfE's file"),
  rows: z.array(eesRow),
});
export type MeasuresResult = z.infer<typeof MeasuresResult>;

export const Status = z.object({
  today: date,
  schoolDay: date.describe(
    "The school day registers are for now: today if it is a school day or registers for it have come, else the last school day before it (on a weekend or a holiday, that day's figures are the latest)",
  ),
  latestDate: date.nullable(),
  academicYearStart: date,
  schoolsInRegister: z.number().describe('Open schools in the school list (GIAS)'),
  schoolsSubmitted: z.object({ date: date.nullable(), count: z.number() }),
  authMode: z.enum(['dev', 'jwt']),
  pendingRollups: z.number().describe('Roll-up jobs not finished yet: the figures catch up when this is 0'),
});
export type Status = z.infer<typeof Status>;

export const Coverage = z.object({
  date: date.nullable().describe('The school day counted: the one asked for, else the latest with marks'),
  rows: z
    .array(
      z.object({
        laCode: z.string(),
        phase: z.string(),
        schools: z.number().describe('Open schools of this LA and phase in the school list (GIAS)'),
        submitted: z.number().describe('Of them, those with marks for the day'),
      }),
    )
    .describe('One row per LA and phase'),
});
export type Coverage = z.infer<typeof Coverage>;

export const LocalAuthority = z.object({
  code: z.string().describe('3-digit DfE code (old_la_code), as GIAS and scopes use it'),
  gss: z.string().describe('GSS code (new_la_code), as the boundaries use it'),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  geoNeighbours: z.array(z.string()),
  statNeighbours: z.array(z.string()),
});
export type LocalAuthority = z.infer<typeof LocalAuthority>;

// The LA strategic lead's workspace (/api/v1/las/:code/...).

export const RankedMeasure = z.enum(['overall_absence_perc', 'pa_perc']);
export type RankedMeasure = z.infer<typeof RankedMeasure>;

export const LaRanking = z.object({
  measure: RankedMeasure,
  position: z
    .number()
    .nullable()
    .describe("1 = the lowest absence in England; null when the LA's figure is suppressed or missing"),
  of: z.number().describe('LAs with a figure'),
  quartile: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
    .nullable()
    .describe('1 = the quarter of LAs with the lowest absence ... 4 = the highest'),
});
export type LaRanking = z.infer<typeof LaRanking>;

export const LaComparison = z.object({
  la: LocalAuthority,
  from: date,
  to: date,
  phase: z.enum(PHASE_NAMES),
  row: eesRow,
  region: eesRow,
  england: eesRow,
  statNeighbours: z
    .array(z.object({ la: LocalAuthority, closeness: z.number(), row: eesRow }))
    .describe("The 10 statistical neighbours (DfE 2025 set) in DfE's order of closeness"),
  statNeighbourGroup: z
    .object({ row: eesRow, las: z.number() })
    .describe('The statistical neighbours taken together (counts summed); `las` is how many had figures to add'),
  geoNeighbours: z.array(z.object({ la: LocalAuthority, row: eesRow })),
  rankings: z.array(LaRanking),
});
export type LaComparison = z.infer<typeof LaComparison>;

export const CohortGap = z.object({
  name: z
    .string()
    .describe('e.g. "FSM gap": overall absence of the first cohort minus the second, in percentage points'),
  cohorts: z.tuple([z.string(), z.string()]),
  la: percent,
  statNeighbours: percent,
  england: percent,
});
export type CohortGap = z.infer<typeof CohortGap>;

export const LaCohorts = z.object({
  la: LocalAuthority,
  from: date,
  to: date,
  breakdown: z.string(),
  topic: z.string(),
  cohorts: z.array(z.object({ breakdown: z.string(), la: eesRow, statNeighbours: eesRow, england: eesRow })),
  gaps: z.array(CohortGap),
});
export type LaCohorts = z.infer<typeof LaCohorts>;

export const LaSchool = z.object({
  urn: z.number(),
  name: z.string(),
  phase: z.string(),
  type: z.string(),
  trustCode: z.string(),
  trustName: z.string(),
  submittedLatest: z.boolean().describe('The school sent a register for the latest school day'),
  row: eesRow.nullable(),
  weekly: z
    .array(percent)
    .describe('Overall absence by week commencing (the `weeks` of the answer); null for a week without figures'),
  change: percent.describe('Overall absence in the last week minus the week before, in percentage points'),
});
export type LaSchool = z.infer<typeof LaSchool>;

export const LaSchools = z.object({
  la: LocalAuthority,
  from: date,
  to: date,
  latestDate: date.nullable(),
  weeks: z.array(date),
  schools: z.array(LaSchool),
});
export type LaSchools = z.infer<typeof LaSchools>;

const orSuppressed = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal('c')]);

export const Neighbourhood = z.object({
  name: z
    .string()
    .describe(
      "The area's name: the MSOA's as GIAS gives it (LSOAs grouped to the MSOA GIAS places them in), else its code; an " +
        'LSOA GIAS does not place stands alone under its GIAS name or its code',
    ),
  code: z
    .string()
    .nullable()
    .describe('The MSOA code (or the lone LSOA code); null for the merged small areas and pupils with no home area'),
  lsoas: z.array(z.string()),
  pupils: orSuppressed(z.number()).describe(
    'Pupils (enrolments) living there; "c" under 10 for viewers without pupil-level rights',
  ),
  possible_sessions: orSuppressed(z.number()),
  overall_absence_perc: orSuppressed(percent),
  pa_perc: orSuppressed(percent),
});
export type Neighbourhood = z.infer<typeof Neighbourhood>;

export const LaNeighbourhoods = z.object({
  la: LocalAuthority,
  from: date,
  to: date,
  suppressed: z.boolean().describe('True when small areas are shown as c to this viewer'),
  areas: z.array(Neighbourhood),
});
export type LaNeighbourhoods = z.infer<typeof LaNeighbourhoods>;

/** Attendance targets an LA sets for its children with a social worker (the virtual school head's measures). */
export const TargetCohort = z.enum(['cin', 'cla']);
export type TargetCohort = z.infer<typeof TargetCohort>;

export const LaTarget = z.object({
  cohort: TargetCohort,
  attendance: z.number().describe('Attendance target in percent of possible sessions'),
  setBy: z.string(),
  updatedAt: z.string(),
});
export type LaTarget = z.infer<typeof LaTarget>;

// School views and Ofsted's inspection priorities.

export const SchoolSummary = z.object({
  urn: z.number(),
  name: z.string(),
  laCode: z.string(),
  laName: z.string(),
  phase: z.string(),
  type: z.string(),
  trustCode: z.string(),
  trustName: z.string(),
  ofstedLastInspection: date.nullable().describe('GIAS OfstedLastInsp, null if not known'),
});
export type SchoolSummary = z.infer<typeof SchoolSummary>;

// Weekly trends (school and trust pages): overall absence week by week, with the same weeks a year before.
const trendCell = cell.describe(
  'Overall absence %: a number; "c" where withheld to protect pupils\' privacy; null where there were no possible sessions',
);
const trendWeek = {
  week: date.describe(
    "Week commencing (Monday): Monday to Sunday as in DfE's weekly files; the first and last weeks hold only the days from `from` to `to`",
  ),
  lastYearWeek: date.describe('The week 52 weeks (364 days) earlier, the year before: the same weekdays'),
};
export const SchoolTrendWeek = z.object({
  ...trendWeek,
  school: trendCell,
  group: trendCell.describe(
    'The similar schools taken together, as `comparatorGroup` is shown (rates to 1 decimal place to most)',
  ),
  groupSchools: z.number().describe('Similar schools with figures that week'),
  la: trendCell.describe("The school's LA, schools of its phase"),
  england: trendCell.describe('England, schools of its phase'),
  lastYear: trendCell.describe("The school's own figure for `lastYearWeek`: null where it has no figures then"),
});
export type SchoolTrendWeek = z.infer<typeof SchoolTrendWeek>;

export const TrustTrendWeek = z.object({
  ...trendWeek,
  trust: trendCell.describe("The trust's primary, secondary and special schools together, those shown to the viewer"),
  england: trendCell.describe('England, all schools (Total)'),
  lastYear: trendCell.describe("The same schools' total for `lastYearWeek`: null where they have no figures then"),
});
export type TrustTrendWeek = z.infer<typeof TrustTrendWeek>;

export const SchoolOverview = z.object({
  school: SchoolSummary,
  from: date,
  to: date,
  profile: z
    .object({ pupils: z.number(), fsmPerc: z.number(), senPerc: z.number() })
    .nullable()
    .describe(
      'Compulsory-age pupils in the period and the shares FSM eligible and with SEN: what comparators are matched on',
    ),
  row: eesRow,
  comparatorGroup: z
    .object({ row: eesRow, schools: z.number(), method: z.string() })
    .describe('The similar schools taken together (counts summed); `schools` is how many had figures'),
  comparators: z
    .array(z.object({ school: SchoolSummary, distance: z.number(), row: eesRow }))
    .nullable()
    .describe('The similar schools one by one: for DfE, Ofsted and admin (others see the group only)'),
  la: eesRow,
  england: eesRow,
  weekdays: z.array(eesRow).describe('The Monday..Friday pattern over the period'),
});
export type SchoolOverview = z.infer<typeof SchoolOverview>;

export const SchoolWeekly = z.object({
  from: date,
  to: date,
  weekly: z
    .array(SchoolTrendWeek)
    .describe('Overall absence week by week over the period: the school, its similar schools, its LA and England'),
});
export type SchoolWeekly = z.infer<typeof SchoolWeekly>;

export const PriorityPart = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  contribution: z.number(),
});
export type PriorityPart = z.infer<typeof PriorityPart>;

export const InspectionPriority = z.object({
  rank: z.number(),
  school: SchoolSummary,
  score: z.number(),
  why: z.string().describe('The top reasons, in words'),
  parts: z.array(PriorityPart),
  overall_absence_perc: percent,
  pa_perc: percent,
  sa_perc: percent,
  pupils: z.number().nullable().describe('Pupils (enrolments) this academic year: the size the score allows for'),
  ownWeight: z
    .number()
    .describe(
      "The share of the school's own overall absence in the score's figure, pupils / (pupils + k); the rest is its " +
        "phase's national rate (1: taken as it is)",
    ),
  recentlyInspected: z
    .boolean()
    .describe('Inspected on or after recentlyInspectedSince: listed after the others unless recentlyInspected=include'),
});
export type InspectionPriority = z.infer<typeof InspectionPriority>;

export const SizeAllowancePeriod = z.enum(['year', 'current', 'previous', 'lastYear']);
export type SizeAllowancePeriod = z.infer<typeof SizeAllowancePeriod>;
export const SizeAllowanceRate = z.enum(['overall_absence_perc', 'pa_perc', 'sa_perc']);
export type SizeAllowanceRate = z.infer<typeof SizeAllowanceRate>;
export const SizeAllowance = z.object({
  period: SizeAllowancePeriod.describe('The academic year to date, or one of the periods compared for the change'),
  measure: SizeAllowanceRate,
  phase: z.string(),
  national: z.number().describe("The phase's national rate in the period (its schools' counts pooled)"),
  pupils: z
    .number()
    .nullable()
    .describe(
      "k: a school's rate is taken as if k pupils at the national rate joined its own; 0: no pull (too few schools " +
        'to tell); null: the scatter is all chance (every school at the national rate)',
    ),
  schools: z.number().describe('Schools the fit was made over'),
});
export type SizeAllowance = z.infer<typeof SizeAllowance>;

const span = z.tuple([date, date]);
export const InspectionPriorities = z.object({
  from: date,
  to: date,
  periods: z
    .object({ current: span, previous: span, lastYear: span })
    .describe("The two periods compared for the change (this half term and the last), and last year's same weeks"),
  method: z.string(),
  sizeAllowances: z.array(SizeAllowance).describe("How far each phase's rates are pulled toward its national rate"),
  recentlyInspectedSince: date.describe('Schools inspected on or after this day count as recently inspected'),
  recentlyInspected: z.number().describe('Schools scored that were recently inspected (all of England)'),
  scored: z.number().describe('Schools scored (all of England), before the filters'),
  schools: z.array(InspectionPriority),
});
export type InspectionPriorities = z.infer<typeof InspectionPriorities>;

const band = z
  .enum(ATTENDANCE_BANDS)
  .describe(
    "DfE's attendance bands: expected (95% and above), pa_risk (over 90% to under 95%), persistent (over 50% to 90%), severe (50% and under)",
  );
const codeCounts = z.array(z.object({ code: z.string(), sessions: z.number() }));
const bandCounts = z.object(
  Object.fromEntries(ATTENDANCE_BANDS.map((b) => [b, z.number()])) as Record<
    (typeof ATTENDANCE_BANDS)[number],
    z.ZodNumber
  >,
);

/** One pupil at a school over a period: for the school itself, its trust and its LA only. */
export const PupilRecord = z.object({
  upn: z.string().nullable().describe('The UPN, decrypted for this response; null if it was never received'),
  name: z
    .string()
    .nullable()
    .describe(
      "The name in the school's own registers (optional column name), decrypted for this response; null if none",
    ),
  yearGroup: z.string(),
  sex: z.string(),
  fsm: z.string(),
  sen: z.string(),
  eal: z.string(),
  ethnicity: z.string(),
  cin: z.string(),
  cla: z.string(),
  compulsoryAge: z.boolean().describe('Years 1-11: the pupils the published measures count'),
  possibleSessions: z.number(),
  absentSessions: z.number(),
  absencePerc: z.number(),
  attendancePerc: z.number().describe('100 - absencePerc'),
  band,
  persistent: z.boolean(),
  severe: z.boolean(),
  recentAbsencePerc: percent.describe('Absence over the last four weeks of the period (null without sessions)'),
  earlierAbsencePerc: percent.describe('Absence before the last four weeks of the period (null without sessions)'),
  previousAbsencePerc: percent.describe(
    'Absence over the four weeks before the last four (from previousFrom; null without sessions)',
  ),
  trend: percent.describe('recentAbsencePerc - previousAbsencePerc, percentage points (null if either is)'),
  absenceCodes: codeCounts.describe('Absent sessions in the period by register code, most first'),
  recentAbsenceCodes: codeCounts.describe('The same over the last four weeks'),
  standOutDays: z
    .array(z.object({ day: z.string(), possible: z.number(), absent: z.number() }))
    .describe(
      'Days of the week missed more than the others: 3 sessions or more missed on it, at least twice the share of the other days',
    ),
  reason: z.string().describe('The codes, the days and the trend in words'),
  attendanceThenPerc: percent.describe(
    'Attendance from `from` to the day before `since` (the last meeting); null without sessions then',
  ),
  bandThen: band.nullable(),
  attendanceChange: percent.describe('attendancePerc - attendanceThenPerc, percentage points'),
  warnings: z
    .array(z.enum(['below_threshold', 'on_course_for_pa']))
    .describe(
      'Early warning (server/src/pupils/early-warning.ts): attendance under the threshold over the last four weeks, or on course for persistent absence',
    ),
  atRisk: z.boolean().describe('Any warning'),
});
export type PupilRecord = z.infer<typeof PupilRecord>;

export const SchoolPupils = z.object({
  school: SchoolSummary,
  from: date,
  to: date,
  recentFrom: date,
  previousFrom: date.describe('The first day of the four weeks before the last four'),
  since: date.describe('The last meeting: then is from `from` to the day before it'),
  threshold: z.number().describe('Attendance threshold (percent) for the at-risk rule'),
  pupils: z.array(PupilRecord),
  bands: z
    .array(z.object({ band, pupils: z.number(), pupilsThen: z.number() }))
    .describe('Pupils of compulsory school age per band, now and at the last meeting'),
  cohorts: z
    .array(
      z.object({
        breakdown: z.enum(BREAKDOWN_NAMES),
        breakdownName: z.string(),
        value: z.string().describe('The cohort, as EES names it (FSM eligible, Year 5, Unclassified)'),
        pupils: z.number(),
        bands: bandCounts,
        atRisk: z.number(),
      }),
    )
    .describe('Pupils of compulsory school age by each characteristic: per band and at risk'),
});
export type SchoolPupils = z.infer<typeof SchoolPupils>;

export const TrustOverview = z.object({
  trustCode: z.string(),
  trustName: z.string(),
  from: date,
  to: date,
  total: eesRow.describe("The trust's schools in primary, secondary and special phases taken together (DfE's Total)"),
  england: eesRow,
  schools: z.array(
    z.object({
      school: SchoolSummary,
      row: eesRow.nullable(),
      weekly: z.array(trendCell).describe("The school's overall absence in each week of `weekly`, in order"),
    }),
  ),
  weekly: z.array(TrustTrendWeek).describe('Overall absence week by week over the period: the trust and England'),
});
export type TrustOverview = z.infer<typeof TrustOverview>;

/** A named group of schools in an attendance programme from a start date. */
export const Programme = z.object({
  id: z.string(),
  name: z.string(),
  startDate: date,
  urns: z.array(z.number()),
  createdBy: z.string(),
  createdRole: z.string(),
  createdAt: z.string(),
});
export type Programme = z.infer<typeof Programme>;

const beforeAfter = z.object({ before: percent, after: percent, change: percent });
/** A measure before and after the start, for the programme's schools and their matched comparators (pooled counts). */
export const ProgrammeMeasure = z.object({
  key: z.enum(['overall_absence_perc', 'pa_perc']),
  label: z.string(),
  programme: beforeAfter,
  comparison: beforeAfter,
  difference: percent.describe(
    "Difference in differences, percentage points: the programme's change less the comparators'. Negative is better",
  ),
});
export type ProgrammeMeasure = z.infer<typeof ProgrammeMeasure>;

const fromTo = z.object({ from: date, to: date });
export const ProgrammeEvaluation = z.object({
  programme: Programme,
  before: fromTo,
  after: fromTo,
  method: z.string(),
  caveats: z.array(z.string()),
  measures: z.array(ProgrammeMeasure),
  weeks: z
    .array(z.object({ weekCommencing: date, programme: percent, comparison: percent }))
    .describe(
      "Overall absence week by week (week commencing Monday), each group's counts pooled; null where a group has none",
    ),
  pairs: z
    .array(
      z.object({
        school: SchoolSummary,
        comparator: SchoolSummary.nullable(),
        distance: z.number(),
        before: z.object({ school: percent, comparator: percent }),
        after: z.object({ school: percent, comparator: percent }),
      }),
    )
    .describe(
      'Each programme school with its matched comparator; the comparator is named only to those who may see it',
    ),
  unmatched: z
    .array(SchoolSummary)
    .describe('Programme schools with no profile or no figures before the start: not in the evaluation'),
});
export type ProgrammeEvaluation = z.infer<typeof ProgrammeEvaluation>;

/** Early warning: a school whose absence today is far above what its own recent history predicts for the weekday. */
export const SchoolAlert = z.object({
  school: SchoolSummary,
  date,
  todayPerc: z.number(),
  expectedPerc: z.number(),
  marginPp: z
    .number()
    .describe('Percentage points above the expectation that count as unusual (3 standard deviations, at least 5)'),
});
export type SchoolAlert = z.infer<typeof SchoolAlert>;

/** Early warning: how many of a school's pupils are at risk (any pupil warning) as of the day. */
export const PupilAlert = z.object({
  school: SchoolSummary,
  atRisk: z
    .number()
    .nullable()
    .describe('null where the count is under 10 and the viewer has no pupil-level rights to the school'),
});
export type PupilAlert = z.infer<typeof PupilAlert>;

export const Alerts = z.object({
  date,
  schools: z.array(SchoolAlert),
  pupils: z
    .array(PupilAlert)
    .describe("Schools with pupils at risk, most first: with an LA (la=), or a school's or trust's own"),
  threshold: z.number().describe('The attendance threshold of the pupil rule (percent)'),
});
export type Alerts = z.infer<typeof Alerts>;

/** The LA boundaries (GET /api/v1/reference/boundaries): ONS GeoJSON, features keyed by GSS code. */
export const BoundaryCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string(), name: z.string() }),
      geometry: z.unknown(),
    }),
  ),
});
export type BoundaryCollection = z.infer<typeof BoundaryCollection>;

/** What a register file's upload is answered with (202): all its rows are stored, or none (then a 400 says why). */
export const SubmissionReceipt = z
  .object({
    submissionId: z.string(),
    rows: z.number(),
    schools: z.number(),
    dates: z.array(date),
    duplicate: z.boolean().describe('True when the same file had already been accepted: nothing was stored again'),
  })
  .describe('Stored in ClickHouse');
export type SubmissionReceipt = z.infer<typeof SubmissionReceipt>;

/** What a GIAS upload is answered with. */
export const SchoolsUploadResult = z.object({
  inserted: z.number(),
  updated: z.number(),
  total: z.number(),
  skipped: z
    .array(z.object({ line: z.number(), message: z.string() }))
    .describe("Rows left out, with why (an LA outside England's 153, no URN): first 100"),
  skippedCount: z.number(),
});
export type SchoolsUploadResult = z.infer<typeof SchoolsUploadResult>;

/** One line of the audit log (GET /api/v1/audit). */
export const AuditEntry = z.object({
  at: z.string().describe('ISO 8601, UTC'),
  subject: z.string(),
  role: z.string(),
  scope: z.string(),
  action: z.string(),
  resource: z.string().describe('The path and query asked for'),
  rows: z.number(),
  ip: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
