import { Inject, Injectable } from '@nestjs/common';
import type { EesRow, Frame, MeasuresResult, PhaseName } from '../api-contract.js';
import { requireAccess, seesAllPupils, seesEverySchool, seesPupils, seesPupilsInLa, type SchoolRef } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { academicYearPeriod, academicYearStart, eesWeek, todayInLondon } from '../common/dates.js';
import { invalid } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { NATIONAL_CODE, type Level } from '../live/live-events.js';
import { LA_BY_CODE, LOCAL_AUTHORITIES, REGIONS } from '../reference/local-authorities.js';
import { PHASES } from '../reference/phase.js';
import { SchoolsRepository, type RegisteredSchool } from '../reference/schools.repository.js';
import { findTerm, type TermSpan } from '../reference/term-calendar.js';
import { breakdownColumns, type Breakdown } from './breakdowns.js';
import { COUNT_COLUMNS, GEOGRAPHY_COLUMNS, RATE_COLUMNS, REASON_COLUMNS, SESSION_RATES } from './ees-columns.js';
import { secondarySuppression, type SumGroup } from './suppression.js';
import { MeasuresRepository, type EnrolmentCounts, type MeasuresFilter, type SessionCounts } from './measures.repository.js';


export interface MeasuresQuery {
  level: Level;
  from?: string;
  to?: string;
  /** A term or half term of the calendar (TERM_SELECTOR): sets from and to to its first and last day. */
  term?: string;
  frame?: Frame;
  phase?: PhaseName;
  /** Region GSS code (regional), 3-digit LA code (la), URN (school). */
  code?: string;
  /** Split the pupils by one characteristic (EES breakdown_topic / breakdown). */
  breakdown?: Breakdown;
  /** At school level: only the schools of this LA (3-digit code). */
  la?: string;
  /** Only these LAs (LA level) or schools (URNs, school level): a neighbour or comparator group; not offered over HTTP. */
  areas?: string[];
}


const SUPPRESSED = 'c';
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** A cohort or school cell of fewer enrolments is shown as c to viewers without pupil-level rights (docs/measures.md). */
export const MIN_CELL = 10;
const PHASE_ORDER: PhaseName[] = ['Primary', 'Secondary', 'Special', 'Other', 'Total'];
/** Codes, dates and census values in code-point order: localeCompare (ICU) took a fifth of a 153-LA answer's time. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one query layer behind the CSV export, the JSON endpoints and the live pushes: they cannot disagree. */
@Injectable()
export class MeasuresService {
  constructor(
    private readonly repository: MeasuresRepository,
    private readonly register: SchoolsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async measures(query: MeasuresQuery, viewer?: Principal): Promise<MeasuresResult> {
    const { from, to } = this.dates(query);
    const frame = query.frame ?? 'period';
    const { terms: wholeTerms, halfTerms } = this.config.termCalendar;
    const terms = (frame === 'term' ? wholeTerms : frame === 'half_term' ? halfTerms : undefined)?.filter((t) => t.from <= to && t.to >= from);
    const scope = await this.scopeFilter(query, viewer);
    // Which cells are hidden must not depend on which rows were asked for, or asking for fewer would reveal them: the
    // pattern is worked out over every geography the hidden cells could be subtracted from (suppression.ts).
    const protect = !seesAllPupils(viewer) && (query.level !== 'national' || !!query.breakdown);
    const areas = protect ? await this.widened(query.level, scope) : scope;
    const filter: MeasuresFilter = {
      from,
      to,
      ...(query.level === 'school' ? await this.bySchool(areas) : areas),
      ...(terms && { termFroms: terms.map((t) => t.from), termTos: terms.map((t) => t.to) }),
    };
    const [sessions, enrolments] = await Promise.all([
      this.repository.sessions(query.level, frame, filter, query.breakdown),
      this.repository.enrolments(query.level, frame, filter, query.breakdown),
    ]);
    const groups = mergeCounts(sessions, enrolments);
    if (frame === 'period' && !query.code && !query.areas && !query.breakdown && query.level !== 'school') {
      for (const geo of allGeographies(query.level)) if (!groups.has(key(geo, '', 'Total', ''))) groups.set(key(geo, '', 'Total', ''), emptyCounts(geo, '', 'Total', ''));
    }
    const schools = query.level === 'school' ? await this.register.register() : new Map<number, RegisteredSchool>();
    const hidden = protect ? await this.hidden(query, groups, schools, viewer) : new Set<string>();
    const rows = [...groups]
      .filter(([, g]) => (!query.phase || g.phase === query.phase) && asked(query.level, scope, g.geo, schools.get(Number(g.geo))))
      .sort(([, a], [, b]) => byCode(a.geo, b.geo) || byCode(a.bucket, b.bucket) || PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) || byCode(a.cohort, b.cohort))
      .map(([k, g]) => {
        const school = schools.get(Number(g.geo));
        // Object.assign, not a literal of spreads: with ~70 columns a row the spreads took 10 times as long.
        const row: EesRow = Object.assign(
          geography(query.level, g.geo, school),
          timeColumns(frame, from, g.bucket, terms?.find((t) => t.from === g.bucket)),
          { education_phase: g.phase },
          breakdownColumns(query.breakdown, g.cohort),
          measuresOf(g),
        );
        return hidden.has(k) ? suppress(row) : row;
      });
    return { level: query.level, from, to, frame, columns: columnsFor(frame), rows };
  }

  /** The filter grown to every sibling of the asked-for rows: all LAs or regions, or every school of their LAs. */
  private async widened(level: Level, scope: Scope): Promise<Scope> {
    if (level === 'la' || level === 'regional') return {};
    if (level !== 'school' || (!scope.urns && !scope.trustCode)) return scope;
    const schools = [...(await this.register.register()).values()];
    const ofScope = scope.urns ? schools.filter((s) => scope.urns!.includes(s.urn)) : schools.filter((s) => s.trustCode === scope.trustCode);
    return { laCodes: [...new Set(ofScope.map((s) => s.laCode))] };
  }

  /**
   * A school-level filter by LA or trust as the register's schools of it: the school roll-ups are ordered by school, so
   * a query reads only their rows (and a school's rows are its own, whichever LA it was in when they were written).
   */
  private async bySchool(scope: Scope): Promise<Scope> {
    if (!scope.laCodes && scope.trustCode === undefined) return scope;
    const urns = scope.urns && new Set(scope.urns);
    const schools = [...(await this.register.register()).values()].filter(
      (s) => (!urns || urns.has(s.urn)) && (!scope.laCodes || scope.laCodes.includes(s.laCode)) && (scope.trustCode === undefined || s.trustCode === scope.trustCode),
    );
    return { urns: schools.map((s) => s.urn) };
  }

  /**
   * The cells hidden from a viewer (docs/measures.md#suppression). First the pattern for a viewer with no pupil-level
   * rights: an LA with one school (in the phase) in the register; any cohort or school cell of fewer than MIN_CELL
   * enrolments; then secondary suppression over every total they add up to. Then the viewer sees again the cells they
   * have pupil-level rights to.
   */
  private async hidden(query: MeasuresQuery, groups: Map<string, Group>, schools: ReadonlyMap<number, RegisteredSchool>, viewer?: Principal): Promise<Set<string>> {
    const register = query.level === 'la' ? registerCounts(await this.register.register()) : undefined;
    const primary = new Set<string>();
    for (const [k, g] of groups) {
      const small = (!!query.breakdown || query.level === 'school') && g.enrolments < MIN_CELL;
      if (small || register?.get(`${g.geo}|${g.phase}`) === 1) primary.add(k);
    }
    const parentOf = (geo: string): string => {
      if (query.level === 'school') return schools.get(Number(geo))?.laCode ?? '';
      if (query.level === 'la') return LA_BY_CODE.get(geo)?.regionCode ?? '';
      return '';
    };
    const sums = new Map<string, SumGroup>();
    const addTo = (id: string, cell: string, total?: string) => {
      const group = sums.get(id) ?? { cells: [], total };
      group.cells.push(cell);
      sums.set(id, group);
    };
    for (const [k, g] of groups) {
      if (query.breakdown) addTo(`cohorts|${g.geo}|${g.bucket}|${g.phase}`, k);
      if (g.phase !== 'Total' && g.phase !== 'Other') addTo(`phases|${g.geo}|${g.bucket}|${g.cohort}`, k, groups.has(key(g.geo, g.bucket, 'Total', g.cohort)) ? key(g.geo, g.bucket, 'Total', g.cohort) : undefined);
      if (query.level !== 'national') addTo(`areas|${parentOf(g.geo)}|${g.bucket}|${g.phase}|${g.cohort}`, k);
    }
    const hidden = secondarySuppression(primary, [...sums.values()], (k) => groups.get(k)!.enrolments);
    for (const k of hidden) {
      const geo = groups.get(k)!.geo;
      const rights =
        query.level === 'school' ? seesPupils(viewer, schoolRef(Number(geo), schools.get(Number(geo)))) : query.level === 'la' && seesPupilsInLa(viewer, geo);
      if (rights) hidden.delete(k);
    }
    return hidden;
  }

  /** The days a query covers: a named term's, or from-to (by default the academic year to date). */
  private dates(query: MeasuresQuery): { from: string; to: string } {
    const today = todayInLondon();
    if (query.term) {
      const term = findTerm(this.config.termCalendar, query.term, today);
      if (term) return { from: term.from, to: term.to };
      const years = [...new Set(this.config.termCalendar.terms.map((t) => t.academicYear))].join(', ');
      throw invalid([{ field: 'term', message: `The term calendar has no ${query.term} (it covers ${years}): name a term of those years, such as 2025-26-autumn` }]);
    }
    const to = query.to ?? today;
    return { from: query.from ?? academicYearStart(to), to };
  }

  /** The areas and schools asked for, narrowed to those the viewer may see one by one (401/403 if none). */
  private async scopeFilter(query: MeasuresQuery, viewer?: Principal): Promise<Scope> {
    const filter: Scope = {};
    if (query.code && query.level === 'regional') filter.regionCode = query.code;
    if (query.code && query.level === 'la') filter.laCodes = [query.code];
    if (query.code && query.level === 'school') filter.urns = [Number(query.code)];
    if (query.la && query.level === 'school') filter.laCodes = [query.la];
    if (query.areas && query.level === 'la') filter.laCodes = query.areas;
    if (query.areas && query.level === 'school') filter.urns = query.areas.map(Number);
    if (query.level !== 'school' || seesEverySchool(viewer) || seesAllPupils(viewer)) return filter;
    const message = 'school-level figures are for DfE, Ofsted, and a school, its trust and its LA';
    requireAccess(viewer?.role === 'la' || viewer?.role === 'school' || viewer?.role === 'trust', viewer, message);
    if (viewer!.scope === '*') return filter;
    const scope = viewer!.scope;
    if (query.la) requireAccess(viewer!.role === 'la' && scope.includes(query.la), viewer, message);
    if (query.code) {
      const school = (await this.register.register()).get(Number(query.code));
      requireAccess(seesPupils(viewer, schoolRef(Number(query.code), school)), viewer, message);
    }
    if (viewer!.role === 'la') return { ...filter, laCodes: filter.laCodes ? filter.laCodes.filter((code) => scope.includes(code)) : scope };
    if (viewer!.role === 'school') return { ...filter, urns: (filter.urns ?? scope.map(Number)).filter((urn) => scope.includes(String(urn))) };
    requireAccess(scope.length === 1, viewer, 'a trust user follows one trust');
    return { ...filter, trustCode: scope[0] };
  }
}

/** The areas or schools asked for or seen: an LA, region, schools or (school level) a trust. */
type Scope = Omit<MeasuresFilter, 'from' | 'to'> & { trustCode?: string };
function schoolRef(urn: number, school?: RegisteredSchool): SchoolRef {
  return { urn, laCode: school?.laCode ?? '', trustCode: school?.trustCode ?? '' };
}

/** Schools in the register per LA and phase ('Total' = Primary + Secondary + Special). */
function registerCounts(register: ReadonlyMap<number, RegisteredSchool>): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const s of register.values()) {
    const phase = ['Primary', 'Secondary', 'Special'].includes(s.phase) ? s.phase : 'Other';
    add(`${s.laCode}|${phase}`);
    if (phase !== 'Other') add(`${s.laCode}|Total`);
  }
  return counts;
}

/** Is the row one of those asked for (the query may have been widened to work out suppression)? */
function asked(level: Level, scope: Scope, geo: string, school?: RegisteredSchool): boolean {
  if (level === 'regional') return scope.regionCode === undefined || scope.regionCode === geo;
  if (level === 'la') return !scope.laCodes || scope.laCodes.includes(geo);
  if (level !== 'school') return true;
  return (
    (!scope.urns || scope.urns.includes(Number(geo))) &&
    (!scope.laCodes || (!!school && scope.laCodes.includes(school.laCode))) &&
    (scope.trustCode === undefined || school?.trustCode === scope.trustCode)
  );
}

interface Group extends Omit<SessionCounts, 'phase'>, Omit<EnrolmentCounts, 'phase'> {
  phase: PhaseName;
}

function key(geo: string, bucket: string, phase: string, cohort: string): string {
  return `${geo}|${bucket}|${phase}|${cohort}`;
}

function emptyCounts(geo: string, bucket: string, phase: PhaseName, cohort: string): Group {
  return { geo, bucket, phase, cohort, num_schools: 0, possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0, late: 0, reasons: {}, enrolments: 0, persistent: 0, severe: 0 };
}

/** Joins session and enrolment counts, and adds Total: the sum of Primary, Secondary and Special (never Other). */
function mergeCounts(sessions: SessionCounts[], enrolments: EnrolmentCounts[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  const group = (geo: string, bucket: string, rawPhase: string, cohort: string) => {
    const phase = (PHASE_ORDER.includes(rawPhase as PhaseName) ? rawPhase : 'Other') as PhaseName;
    const k = key(geo, bucket, phase, cohort);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = emptyCounts(geo, bucket, phase, cohort)));
    return g;
  };
  for (const s of sessions) {
    const g = group(s.geo, s.bucket, s.phase, s.cohort);
    for (const f of ['possible', 'present', 'aea', 'authorised', 'unauthorised', 'late'] as const) g[f] += s[f];
    for (const [code, n] of Object.entries(s.reasons)) g.reasons[code] = (g.reasons[code] ?? 0) + n;
  }
  for (const e of enrolments) {
    const g = group(e.geo, e.bucket, e.phase, e.cohort);
    g.num_schools += e.num_schools;
    g.enrolments += e.enrolments;
    g.persistent += e.persistent;
    g.severe += e.severe;
  }
  for (const g of [...groups.values()].filter((g) => (PHASES as string[]).includes(g.phase))) {
    const total = group(g.geo, g.bucket, 'Total', g.cohort);
    for (const f of ['num_schools', 'possible', 'present', 'aea', 'authorised', 'unauthorised', 'late', 'enrolments', 'persistent', 'severe'] as const) total[f] += g[f];
    for (const [code, n] of Object.entries(g.reasons)) total.reasons[code] = (total.reasons[code] ?? 0) + n;
  }
  return groups;
}

/**
 * The measures of several rows taken together (a group of LAs, say): counts summed, rates worked out again from the
 * sums, never averaged. Rows suppressed or without possible sessions are left out; `rows` says how many were used.
 */
export function combine(rows: EesRow[]): { row: EesRow; rows: number } {
  const used = rows.filter((row) => typeof row.possible_sessions === 'number' && row.possible_sessions > 0);
  const counts: Record<string, number> = {};
  for (const column of COUNT_COLUMNS) counts[column] = used.reduce((sum, row) => sum + Number(row[column] ?? 0), 0);
  return { row: ratesOf(counts), rows: used.length };
}

/** Counts and rates of one group. Every rate is sessions / possible sessions x 100 from summed counts. */
function measuresOf(g: Group): EesRow {
  const counts: Record<string, number> = {
    num_schools: g.num_schools,
    enrolments: g.enrolments,
    present_sessions: g.present,
    overall_attendance: g.present + g.aea,
    approved_educational_activity: g.aea,
    overall_absence: g.authorised + g.unauthorised,
    authorised_absence: g.authorised,
    unauthorised_absence: g.unauthorised,
    late_sessions: g.late,
    possible_sessions: g.possible,
    persistent_absentees: g.persistent,
    severe_absentees: g.severe,
  };
  for (const { column, codes } of REASON_COLUMNS) counts[column] = codes.reduce((sum, code) => sum + (g.reasons[code] ?? 0), 0);
  return ratesOf(counts);
}

function ratesOf(counts: Record<string, number>): EesRow {
  const rate = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);
  const row: EesRow = {};
  for (const column of COUNT_COLUMNS) row[column] = counts[column];
  for (const [name, numerator] of SESSION_RATES) row[name] = rate(numerator(counts), counts.possible_sessions);
  row.pa_perc = rate(counts.persistent_absentees, counts.enrolments);
  row.sa_perc = rate(counts.severe_absentees, counts.enrolments);
  return row;
}

/** Every figure of a hidden cell but its number of schools. */
const HIDDEN_COLUMNS = [...COUNT_COLUMNS, ...RATE_COLUMNS].filter((column) => column !== 'num_schools');

/** Hides the row's figures (in place: the row was made for this answer). */
function suppress(row: EesRow): EesRow {
  for (const column of HIDDEN_COLUMNS) row[column] = SUPPRESSED;
  return row;
}

function allGeographies(level: Level): string[] {
  if (level === 'national') return [''];
  if (level === 'regional') return [...REGIONS.keys()];
  return LOCAL_AUTHORITIES.map((la) => la.code);
}

function geography(level: Level, geo: string, school?: RegisteredSchool): EesRow {
  const laCode = level === 'la' ? geo : school?.laCode;
  const la = laCode ? LA_BY_CODE.get(laCode) : undefined;
  const regionCode = level === 'regional' ? geo : (la?.regionCode ?? '');
  const levelName = { national: 'National', regional: 'Regional', la: 'Local authority', school: 'School' }[level];
  return {
    geographic_level: levelName,
    country_code: NATIONAL_CODE,
    country_name: 'England',
    region_code: level === 'national' ? '' : regionCode,
    region_name: level === 'national' ? '' : (REGIONS.get(regionCode) ?? ''),
    new_la_code: la?.gss ?? '',
    la_name: la?.name ?? '',
    old_la_code: la?.code ?? '',
    school_urn: level === 'school' ? geo : '',
    school_name: school?.name ?? '',
  };
}

/** EES time columns: the academic year, its week (as DfE's weekly files write it), or its term ("Autumn term"). */
function timeColumns(frame: Frame, from: string, bucket: string, term?: TermSpan): EesRow {
  const academicYear = { time_period: Number(academicYearPeriod(from)), time_identifier: 'Academic year' };
  if (frame === 'period') return academicYear;
  if (frame === 'weekday') return { ...academicYear, day_of_week: WEEKDAYS[Number(bucket) - 1] };
  if (term) {
    // EES has no half-term time identifier: a half term is its term's, told apart by half_term ("Autumn 1").
    const termColumns = { time_period: Number(academicYearPeriod(term.from)), time_identifier: `${term.term} term` };
    return term.half ? { ...termColumns, half_term: `${term.term} ${term.half}` } : termColumns;
  }
  const { timePeriod, week } = eesWeek(bucket);
  const weekColumns = { time_period: timePeriod, time_identifier: `Week ${week}` };
  return frame === 'daily' ? { ...weekColumns, attendance_date: bucket } : { ...weekColumns, week_commencing: bucket };
}

function columnsFor(frame: Frame): string[] {
  const time = { period: [], daily: ['attendance_date'], weekly: ['week_commencing'], weekday: ['day_of_week'], half_term: ['half_term'], term: [] }[frame];
  return [...GEOGRAPHY_COLUMNS.slice(0, 2), ...time, ...GEOGRAPHY_COLUMNS.slice(2), 'breakdown_topic', 'breakdown', ...COUNT_COLUMNS, ...RATE_COLUMNS];
}
