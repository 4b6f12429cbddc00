// A data set query, EES's way: criteria over the rows an answer already shows, then sorts and a page. It only picks,
// orders and pages rows of the CSV export's answers (suppressed there): it works out no figure of its own, and it
// sorts by the values shown, never by what a `c` hides.
import type { EesRow } from '../contract/ees.js';
import {
  type Criteria,
  type CriteriaFacets,
  GEOGRAPHIC_LEVEL_CODES,
  type GeographicLevelCode,
  type LocationRef,
  MAX_CRITERIA_DEPTH,
  type QueryBody,
  type QueryResult,
  type Sort,
  type TimePeriod,
} from '../contract/open-data.js';
import type { Frame } from '../contract/vocabulary.js';
import {
  chronologicalKey,
  type DataSetSpec,
  filtersOf,
  INDICATORS,
  locationOf,
  type RowLocation,
  rowTimeKey,
  timePeriodOf,
} from './data-sets.js';

export interface FieldError {
  field: string;
  message: string;
}

/** A row with what criteria and sorts read of it. */
export interface QueryRow {
  row: EesRow;
  timePeriod: TimePeriod;
  timeKey: string;
  location: RowLocation;
  /** Filter id to option id. */
  filters: Record<string, string>;
}

export function queryRows(dataSet: DataSetSpec, rows: readonly EesRow[]): QueryRow[] {
  const filters = filtersOf(dataSet);
  return rows.map((row) => ({
    row,
    timePeriod: timePeriodOf(row),
    timeKey: rowTimeKey(dataSet.frame, row),
    location: locationOf(row),
    filters: Object.fromEntries(
      filters.flatMap((f) => {
        const option = f.optionOf(row);
        return option === undefined ? [] : [[f.id, option]];
      }),
    ),
  }));
}

/** How deep a criteria's and, or and not go (counted up to one past the limit: no deeper walk is needed). */
export function criteriaDepth(value: unknown, depth = 0): number {
  if (depth > MAX_CRITERIA_DEPTH || typeof value !== 'object' || value === null) return depth;
  const nested = ['and', 'or', 'not'].flatMap((k) => {
    const v = (value as Record<string, unknown>)[k];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  });
  return nested.reduce<number>((max, v) => Math.max(max, criteriaDepth(v, depth + 1)), depth);
}

/** What a data set's rows may be asked about: its options, locations and time periods. */
export interface Vocabulary {
  /** Whether a filter option id looks like one (a daily data set's dates are checked by their form). */
  isOption(id: string): boolean;
  isLocation(ref: LocationRef): boolean;
}

/** The criteria's mistakes, each with where it is (criteria.and.0.timePeriods.gte). */
export function checkCriteria(
  frame: Frame,
  vocabulary: Vocabulary,
  criteria: Criteria,
  path = 'criteria',
): FieldError[] {
  const errors: FieldError[] = [
    ...(criteria.and ?? []).flatMap((c, i) => checkCriteria(frame, vocabulary, c, `${path}.and.${i}`)),
    ...(criteria.or ?? []).flatMap((c, i) => checkCriteria(frame, vocabulary, c, `${path}.or.${i}`)),
    ...(criteria.not ? checkCriteria(frame, vocabulary, criteria.not, `${path}.not`) : []),
  ];
  const each = <T>(
    facet: Record<string, T | T[] | undefined> | undefined,
    name: string,
    check: (v: T, at: string) => void,
  ) => {
    for (const [op, value] of Object.entries(facet ?? {}))
      if (Array.isArray(value)) value.forEach((v, i) => check(v, `${path}.${name}.${op}.${i}`));
      else if (value !== undefined) check(value, `${path}.${name}.${op}`);
  };
  each(criteria.filters, 'filters', (id, at) => {
    if (!vocabulary.isOption(id))
      errors.push({
        field: at,
        message: `${quote(id)} is not an option of this data set's filters (its meta lists them)`,
      });
  });
  each(criteria.locations, 'locations', (ref, at) => {
    if (!vocabulary.isLocation(ref))
      errors.push({
        field: at,
        message: `${describeLocation(ref)} is not a location of this data set (its meta lists them)`,
      });
  });
  each(criteria.timePeriods, 'timePeriods', (period, at) => {
    if (chronologicalKey(frame, period) === undefined)
      errors.push({
        field: at,
        message: `${quote(`${period.period}|${period.code}`)} is not a time period of this data set: ${TIME_PERIOD_FORMS[frame]}`,
      });
  });
  return errors;
}

const TIME_PERIOD_FORMS: Record<Frame, string> = {
  period: 'academic years, such as 2025/2026|AY',
  term: 'terms, such as 2025/2026|T1 (autumn), T2 (spring), T3 (summer)',
  weekly: "weeks, such as 2025|W37 (the year of the week's Monday)",
  daily: "weeks, such as 2025|W37 (the year of the week's Monday)",
  weekday: '',
  half_term: '',
};

const quote = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
const describeLocation = (ref: LocationRef) =>
  quote(
    `${ref.level}|${ref.id !== undefined ? 'id' : ref.code !== undefined ? 'code' : 'oldCode'}|${ref.id ?? ref.code ?? ref.oldCode}`,
  );

function locationMatches(ref: LocationRef, location: RowLocation): boolean {
  const id = location.ids[ref.level];
  if (id === undefined) return false;
  if (ref.oldCode !== undefined) return ref.level === 'LA' && location.oldCode === ref.oldCode;
  return id === (ref.id ?? ref.code);
}

function facetMatches<T>(
  facet: { eq?: T; notEq?: T; in?: T[]; notIn?: T[] } | undefined,
  matches: (value: T) => boolean,
): boolean {
  if (!facet) return true;
  return (
    (facet.eq === undefined || matches(facet.eq)) &&
    (facet.notEq === undefined || !matches(facet.notEq)) &&
    (facet.in === undefined || facet.in.some(matches)) &&
    (facet.notIn === undefined || !facet.notIn.some(matches))
  );
}

function facetsMatch(frame: Frame, facets: CriteriaFacets, r: QueryRow): boolean {
  const key = (period: TimePeriod) => chronologicalKey(frame, period)!;
  const time = facets.timePeriods;
  return (
    facetMatches(facets.filters, (id) => Object.values(r.filters).includes(id)) &&
    facetMatches(facets.geographicLevels, (level) => r.location.level === level) &&
    facetMatches(facets.locations, (ref) => locationMatches(ref, r.location)) &&
    facetMatches(time, (period) => key(period) === r.timeKey) &&
    (time?.gt === undefined || r.timeKey > key(time.gt)) &&
    (time?.gte === undefined || r.timeKey >= key(time.gte)) &&
    (time?.lt === undefined || r.timeKey < key(time.lt)) &&
    (time?.lte === undefined || r.timeKey <= key(time.lte))
  );
}

/**
 * The levels whose rows a criteria can match: those its geographicLevels allow, at its top and in its and (all the
 * others are read only to be left out).
 */
export function levelsAsked(criteria: Criteria | undefined): GeographicLevelCode[] {
  const levels = GEOGRAPHIC_LEVEL_CODES.filter((level) =>
    facetMatches(criteria?.geographicLevels, (asked) => asked === level),
  );
  const within = (criteria?.and ?? []).map(levelsAsked);
  return levels.filter((level) => within.every((allowed) => allowed.includes(level)));
}

/** Whether a row meets the criteria: its facets, and its conditions (and, or, not), all of them. */
export function matches(frame: Frame, criteria: Criteria, r: QueryRow): boolean {
  return (
    facetsMatch(frame, criteria, r) &&
    (criteria.and ?? []).every((c) => matches(frame, c, r)) &&
    (!criteria.or || criteria.or.some((c) => matches(frame, c, r))) &&
    (!criteria.not || !matches(frame, criteria.not, r))
  );
}

/** The sorts' and indicators' mistakes. */
export function checkSortsAndIndicators(
  dataSet: DataSetSpec,
  body: Pick<QueryBody, 'sorts' | 'indicators'>,
): FieldError[] {
  const filters = new Set(filtersOf(dataSet).map((f) => f.id));
  const indicators = new Set<string>(INDICATORS.map((i) => i.id));
  const errors: FieldError[] = [];
  (body.indicators ?? []).forEach((id, i) => {
    if (!indicators.has(id))
      errors.push({
        field: `indicators.${i}`,
        message: `${quote(id)} is not an indicator of this data set (its meta lists them)`,
      });
  });
  (body.sorts ?? []).forEach((sort, i) => {
    const [kind, id] = sort.field.split('|');
    if ((kind === 'filter' && !filters.has(id)) || (kind === 'indicator' && !indicators.has(id)))
      errors.push({
        field: `sorts.${i}.field`,
        message: `${quote(sort.field)}: this data set has no ${kind} ${quote(id)}`,
      });
  });
  return errors;
}

/** A value as EES gives it: a number written out, or a symbol (c, x; z for a rate without possible sessions). */
export function valueOf(cell: EesRow[keyof EesRow]): string {
  return cell === null || cell === undefined ? 'z' : String(cell);
}

function comparator(
  sort: Sort,
  optionOrder: (filter: string, option: string) => number,
): (a: QueryRow, b: QueryRow) => number {
  const [kind, id] = sort.field.split('|');
  const sign = sort.direction === 'Asc' ? 1 : -1;
  const compare = (x: string | number, y: string | number) => (x < y ? -sign : x > y ? sign : 0);
  if (kind === 'timePeriod') return (a, b) => compare(a.timeKey, b.timeKey);
  if (kind === 'geographicLevel')
    return (a, b) =>
      compare(GEOGRAPHIC_LEVEL_CODES.indexOf(a.location.level), GEOGRAPHIC_LEVEL_CODES.indexOf(b.location.level));
  if (kind === 'location') {
    const level = id as RowLocation['level'];
    return (a, b) => compare(a.location.ids[level] ?? '', b.location.ids[level] ?? '');
  }
  if (kind === 'filter')
    return (a, b) => compare(optionOrder(id, a.filters[id] ?? ''), optionOrder(id, b.filters[id] ?? ''));
  // Numbers in order; symbols (c, x, z) after them, whichever the direction: what they hide plays no part.
  return (a, b) => {
    const [x, y] = [a.row[id as keyof EesRow], b.row[id as keyof EesRow]];
    const [xn, yn] = [typeof x === 'number', typeof y === 'number'];
    if (xn && yn) return compare(x as number, y as number);
    if (xn !== yn) return xn ? -1 : 1;
    return valueOf(x) < valueOf(y) ? -1 : valueOf(x) > valueOf(y) ? 1 : 0;
  };
}

export interface Page {
  results: QueryResult[];
  totalResults: number;
  totalPages: number;
}

/** The rows the criteria match, sorted (by default the time period, latest first) and paged. */
export function answer(
  dataSet: DataSetSpec,
  rows: readonly QueryRow[],
  body: QueryBody,
  optionOrder: (filter: string, option: string) => number,
): Page {
  const matched = body.criteria ? rows.filter((r) => matches(dataSet.frame, body.criteria!, r)) : [...rows];
  const sorts = (body.sorts?.length ? body.sorts : [{ field: 'timePeriod', direction: 'Desc' as const }]).map((s) =>
    comparator(s, optionOrder),
  );
  // Array.prototype.sort is stable: rows that tie keep the export's order (area, bucket, phase, cohort).
  matched.sort((a, b) => {
    for (const compare of sorts) {
      const c = compare(a, b);
      if (c) return c;
    }
    return 0;
  });
  const indicators = body.indicators?.length ? body.indicators : INDICATORS.map((i) => i.id);
  const start = (body.page - 1) * body.pageSize;
  return {
    totalResults: matched.length,
    totalPages: Math.ceil(matched.length / body.pageSize),
    results: matched.slice(start, start + body.pageSize).map((r) => ({
      timePeriod: r.timePeriod,
      geographicLevel: r.location.level,
      locations: r.location.ids as Record<string, string>,
      filters: r.filters,
      values: Object.fromEntries(indicators.map((id) => [id, valueOf(r.row[id as keyof EesRow])])),
    })),
  };
}
