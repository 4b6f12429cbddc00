// The data sets: each a frame (year to date, term, week, day) and optionally a breakdown, over every academic year
// that marks may carry. What a data set is made of (its filters, indicators, time periods and locations, with their
// stable ids) is written here once, for the meta, the query and the CSV alike.
import { addDays, mondayOf } from '../common/dates.js';
import { DFE_COLUMNS, EXTRA_COLUMNS, GEOGRAPHY_COLUMNS, type EesColumn, type EesRow } from '../contract/ees.js';
import type { DataSetChanges, DataSetVersionSummary, GeographicLevelCode, TimePeriod } from '../contract/open-data.js';
import {
  type Breakdown,
  BREAKDOWN_NAMES,
  BREAKDOWNS,
  type Frame,
  type Level,
  NATIONAL_CODE,
  PHASE_NAMES,
  REGISTER_CODES,
} from '../contract/vocabulary.js';

export const DATA_SET_FRAMES = {
  ytd: { frame: 'period', title: 'year to date' },
  term: { frame: 'term', title: 'by term' },
  week: { frame: 'weekly', title: 'by week' },
  day: { frame: 'daily', title: 'by day' },
} as const satisfies Record<string, { frame: Frame; title: string }>;
type DataSetFrame = keyof typeof DATA_SET_FRAMES;

export interface DataSetSpec {
  id: string;
  frame: Frame;
  breakdown?: Breakdown;
  title: string;
  summary: string;
}

export const DATA_SETS: readonly DataSetSpec[] = (Object.keys(DATA_SET_FRAMES) as DataSetFrame[]).flatMap((name) =>
  [undefined, ...BREAKDOWN_NAMES].map((breakdown) => {
    const { frame, title } = DATA_SET_FRAMES[name];
    const by = breakdown ? `, by ${BREAKDOWNS[breakdown].name.toLowerCase()}` : '';
    return {
      id: breakdown ? `attendance-${name}-${breakdown.replace('_', '-')}` : `attendance-${name}`,
      frame,
      breakdown,
      title: `Pupil attendance in schools: ${title}${by}`,
      summary:
        `Live attendance of compulsory-age pupils in state-funded schools in England, ${title}${by}, for England, ` +
        'its regions and local authorities, by phase: revised as registers arrive and are amended, suppressed as ' +
        'every other answer of this service.',
    };
  }),
);
export const DATA_SET_BY_ID: ReadonlyMap<string, DataSetSpec> = new Map(DATA_SETS.map((d) => [d.id, d]));

export const LEVEL_OF: Record<GeographicLevelCode, Level> = { NAT: 'national', REG: 'regional', LA: 'la' };

// ── Versions: a data set's columns, ids and method; its figures are revised continually, as registers arrive ─────────

export const VERSIONS: readonly (Omit<
  DataSetVersionSummary,
  'timePeriods' | 'geographicLevels' | 'filters' | 'indicators'
> &
  Pick<DataSetChanges, 'majorChanges' | 'minorChanges'>)[] = [
  {
    version: '1.0',
    type: 'Major',
    status: 'Published',
    published: '2026-12-06T12:00:00+00:00',
    notes:
      "First version: DfE's EES columns, num_schools and enrolments as DfE's means of daily counts, our distinct " +
      'counts beside them; national, regional and LA figures by phase; suppressed as the CSV export.',
    majorChanges: {},
    minorChanges: {},
  },
];
export const LATEST_VERSION = VERSIONS.at(-1)!;

/** The version a dataSetVersion names: 1.0, 1.*, 1 or * (the latest); undefined when it names none. */
export function versionOf(asked?: string): (typeof VERSIONS)[number] | undefined {
  if (asked === undefined || asked === '*') return LATEST_VERSION;
  const [major, minor = '*'] = asked.split('.');
  return VERSIONS.filter((v) => {
    const [m, n] = v.version.split('.');
    return m === major && (minor === '*' || n === minor);
  }).at(-1);
}

// ── Filters ──────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface FilterSpec {
  id: string;
  column: EesColumn;
  label: string;
  hint: string;
  /** The option's id of a row's value; undefined when the row's value is no option. */
  optionOf(row: EesRow): string | undefined;
}

const PHASE_OPTIONS = PHASE_NAMES.map((phase) => ({ id: `phase-${phase.toLowerCase()}`, label: phase }));
const PHASE_FILTER: FilterSpec = {
  id: 'education_phase',
  column: 'education_phase',
  label: 'Education phase',
  hint: 'Total is Primary, Secondary and Special; Other (pupil referral units, alternative provision, ...) is apart',
  optionOf: (row) => PHASE_OPTIONS.find((o) => o.label === row.education_phase)?.id,
};

function breakdownOptions(breakdown: Breakdown): { id: string; label: string }[] {
  const labels: Record<string, string> = BREAKDOWNS[breakdown].labels;
  return [
    ...Object.entries(labels).map(([code, label]) => ({ id: `${breakdown}-${code.toLowerCase()}`, label })),
    { id: `${breakdown}-unclassified`, label: 'Unclassified' },
  ];
}

function breakdownFilter(breakdown: Breakdown): FilterSpec {
  const options = breakdownOptions(breakdown);
  return {
    id: breakdown,
    column: 'breakdown',
    label: BREAKDOWNS[breakdown].name,
    hint: `breakdown_topic ${BREAKDOWNS[breakdown].topic}; a cohort of fewer than 10 pupils is left out`,
    optionOf: (row) => options.find((o) => o.label === row.breakdown)?.id,
  };
}

const DATE_FILTER: FilterSpec = {
  id: 'attendance_date',
  column: 'attendance_date',
  label: 'Date',
  hint: 'the school day (YYYY-MM-DD) within its week',
  optionOf: (row) => (typeof row.attendance_date === 'string' ? row.attendance_date : undefined),
};

export function filtersOf(dataSet: DataSetSpec): FilterSpec[] {
  return [
    PHASE_FILTER,
    ...(dataSet.breakdown ? [breakdownFilter(dataSet.breakdown)] : []),
    ...(dataSet.frame === 'daily' ? [DATE_FILTER] : []),
  ];
}

/** A filter's options, but for the dates of a daily data set, which are those its rows have. */
export function optionsOf(
  filter: FilterSpec,
  dataSet: DataSetSpec,
  rows: readonly EesRow[],
): { id: string; label: string }[] {
  if (filter.id === 'education_phase') return PHASE_OPTIONS;
  if (filter.id === dataSet.breakdown) return breakdownOptions(dataSet.breakdown);
  const dates = [...new Set(rows.map((row) => filter.optionOf(row)).filter((d) => d !== undefined))].sort();
  return dates.map((d) => ({ id: d, label: d }));
}

// ── Indicators ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** The time, area and phase columns: not indicators. */
const NOT_INDICATORS = new Set<EesColumn>(GEOGRAPHY_COLUMNS);
/** The indicators: DfE's figures in DfE's order, then ours; an indicator's id is its column. */
export const INDICATOR_COLUMNS: readonly EesColumn[] = [
  ...DFE_COLUMNS.filter((c) => !NOT_INDICATORS.has(c)),
  ...EXTRA_COLUMNS.counts,
];

const LABELS: Partial<Record<EesColumn, string>> = {
  num_schools: 'Number of schools (mean of daily counts)',
  enrolments: 'Enrolments (mean of daily counts)',
  num_schools_distinct: 'Number of schools (distinct over the period)',
  enrolments_distinct: 'Enrolments (distinct over the period)',
  total_num_schools: 'Open schools in the school list',
  total_enrolments: 'Pupils of the open schools in the school list',
  attendance_perc: 'Attendance rate',
  overall_absence_perc: 'Overall absence rate',
  authorised_absence_perc: 'Authorised absence rate',
  unauthorised_absence_perc: 'Unauthorised absence rate',
  pa_perc: 'Persistent absence rate (10% or more of sessions missed)',
  sa_perc: 'Severe absence rate (50% or more of sessions missed)',
  reason_present: 'Present (AM and PM)',
};

function labelOf(column: EesColumn): string {
  if (LABELS[column]) return LABELS[column];
  const code = [...REGISTER_CODES.entries()].find(([, c]) => c.reasonColumn === column);
  if (code) {
    const prefix = `reason_${code[0].toLowerCase()}_`;
    const words = (column.startsWith(prefix) ? column.slice(prefix.length) : column.slice('reason_'.length)).replace(
      /_/g,
      ' ',
    );
    return `Sessions coded ${code[0]}: ${words}`;
  }
  const words = column.replace(/_perc$/, '').replace(/_/g, ' ');
  return `${words[0].toUpperCase()}${words.slice(1)}${column.endsWith('_perc') ? ' rate' : ''}`;
}

export const INDICATORS = INDICATOR_COLUMNS.map((column) => ({
  id: column,
  column,
  label: labelOf(column),
  unit: column.endsWith('_perc') ? ('%' as const) : ('' as const),
  decimalPlaces: column.endsWith('_perc') || column === 'num_schools' || column === 'enrolments' ? 1 : 0,
}));

// ── Time periods ────────────────────────────────────────────────────────────────────────────────────────────────────

const TERM_CODES: Record<string, string> = { 'Autumn term': 'T1', 'Spring term': 'T2', 'Summer term': 'T3' };

/** A row's time period as EES writes it: 2025/2026 AY, 2025/2026 T1, 2025 W37. */
export function timePeriodOf(row: EesRow): TimePeriod {
  const identifier = String(row.time_identifier);
  const week = /^Week (\d+)$/.exec(identifier);
  if (week) return { period: String(row.time_period), code: `W${week[1]}` };
  const year = Math.floor(Number(row.time_period) / 100);
  return { period: `${year}/${year + 1}`, code: TERM_CODES[identifier] ?? 'AY' };
}

export function timePeriodLabel({ period, code }: TimePeriod): string {
  if (code === 'AY') return `${period.slice(0, 5)}${period.slice(7)}`;
  if (code.startsWith('T'))
    return `${period.slice(0, 5)}${period.slice(7)} ${['Autumn', 'Spring', 'Summer'][Number(code[1]) - 1]} term`;
  return `${period} Week ${code.slice(1)}`;
}

/**
 * A time period's place in time, as text that sorts chronologically (the first day of the academic year, with the
 * term's number; a week's Monday); undefined when it is no time period a data set of the frame has.
 */
export function chronologicalKey(frame: Frame, { period, code }: TimePeriod): string | undefined {
  if (frame === 'weekly' || frame === 'daily') {
    const week = /^W([1-9]|[1-4]\d|5[0-3])$/.exec(code);
    if (!week || !/^\d{4}$/.test(period)) return undefined;
    const year = Number(period);
    // Written as DfE writes it: the year of the week's Monday, so Week 1 may be the week of 29 December.
    const lateWeekOne = mondayOf(`${year + 1}-01-04`);
    if (week[1] === '1' && lateWeekOne.startsWith(`${year}-`)) return lateWeekOne;
    const monday = addDays(mondayOf(`${year}-01-04`), 7 * (Number(week[1]) - 1));
    return monday.startsWith(`${year}-`) ? monday : undefined;
  }
  const years = /^(\d{4})\/(\d{4})$/.exec(period);
  if (!years || Number(years[2]) !== Number(years[1]) + 1) return undefined;
  if (frame === 'period') return code === 'AY' ? `${years[1]}-09-01` : undefined;
  return /^T[123]$/.test(code) ? `${years[1]}-09-01#${code[1]}` : undefined;
}

/** The key a row sorts by in time (its week's Monday for a day). */
export function rowTimeKey(frame: Frame, row: EesRow): string {
  if (frame === 'daily') return mondayOf(String(row.attendance_date));
  return chronologicalKey(frame, timePeriodOf(row)) ?? '';
}

// ── Locations ───────────────────────────────────────────────────────────────────────────────────────────────────────

export interface RowLocation {
  level: GeographicLevelCode;
  /** Level code to the location's id: the row's and those above it. */
  ids: Partial<Record<GeographicLevelCode, string>>;
  oldCode: string;
}

const LEVEL_CODES: Record<string, GeographicLevelCode> = { National: 'NAT', Regional: 'REG', 'Local authority': 'LA' };

/** Where a row is: a location's id is its GSS code (England's E92000001, a region's, an LA's new code). */
export function locationOf(row: EesRow): RowLocation {
  const level = LEVEL_CODES[String(row.geographic_level)];
  const ids: RowLocation['ids'] = { NAT: NATIONAL_CODE };
  if (level !== 'NAT') ids.REG = String(row.region_code);
  if (level === 'LA') ids.LA = String(row.new_la_code);
  return { level, ids, oldCode: String(row.old_la_code ?? '') };
}
