import { Inject, Injectable } from '@nestjs/common';
import {
  requireAccess,
  seesAllPupils,
  seesEverySchool,
  seesPupils,
  seesPupilsInLa,
  type SchoolRef,
} from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { academicYearPeriod, academicYearStart, eesWeek, todayInLondon } from '../common/dates.js';
import { invalid } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LA_BY_CODE, LOCAL_AUTHORITIES, REGIONS } from '../reference/local-authorities.js';
import { SchoolsRepository, type ListedSchool } from '../reference/schools.repository.js';
import { findTerm, type TermSpan } from '../calendar/term-calendar.js';
import { DisclosureService, type AreaAnswer, type Question } from '../disclosure/disclosure.service.js';
import { areaKey, schoolPattern, type AreaLevel } from '../disclosure/pattern.js';
import {
  MeasuresRepository,
  type EnrolmentCounts,
  type MeasuresFilter,
  type SessionCounts,
} from '../rollup/measures.repository.js';
import {
  BREAKDOWN_COLUMNS,
  COUNT_COLUMNS,
  type Counts,
  DFE_COLUMNS,
  type EesColumn,
  type EesRow,
  EXTRA_COLUMNS,
  GEOGRAPHY_COLUMNS,
  RATE_COLUMNS,
  ratesOf,
  REASON_COLUMNS,
} from '../contract/ees.js';
import {
  type Breakdown,
  breakdownColumns,
  type Frame,
  type Level,
  NATIONAL_CODE,
  type PhaseName,
  PUBLISHED_PHASES,
} from '../contract/vocabulary.js';
import type { MeasuresResult } from '../contract/api.js';
import { dailyMeans } from './daily-means.js';

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
  /**
   * Only these LAs (LA level) or schools (URNs, school level): a neighbour or comparator group; not offered over HTTP.
   */
  areas?: string[];
  /**
   * DfE's file, column for column (the CSV export and the data sets; not offered as a parameter): num_schools and
   * enrolments as the means of the daily counts, the distinct counts beside them, the school list's totals, and DfE's
   * columns first in DfE's order.
   */
  dfeFile?: boolean;
}

const SUPPRESSED = 'c';
const NOT_AVAILABLE = 'x';
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const PHASE_ORDER: PhaseName[] = ['Primary', 'Secondary', 'Special', 'Other', 'Total'];
/** Codes, dates and census values are ASCII: code-point order is their order, without localeCompare's (ICU's) cost. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one query layer behind the CSV export, the JSON endpoints and the live pushes: they cannot disagree. */
@Injectable()
export class MeasuresService {
  constructor(
    private readonly repository: MeasuresRepository,
    private readonly schoolList: SchoolsRepository,
    private readonly disclosure: DisclosureService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async measures(query: MeasuresQuery, viewer?: Principal): Promise<MeasuresResult> {
    const { from, to } = this.dates(query);
    const frame = query.frame ?? 'period';
    const { terms: wholeTerms, halfTerms } = this.config.termCalendar;
    const terms = (frame === 'term' ? wholeTerms : frame === 'half_term' ? halfTerms : undefined)?.filter(
      (t) => t.from <= to && t.to >= from,
    );
    const scope = await this.scopeFilter(query, viewer);
    const days = { from, to, ...(terms && { termFroms: terms.map((t) => t.from), termTos: terms.map((t) => t.to) }) };
    const question: Question = { frame, filter: days, breakdown: query.breakdown };
    // Which cells are hidden must not depend on which rows were asked for, or asking for fewer would reveal them: the
    // pattern is worked out over every area of England, and at school level over every school of their LAs.
    const protect = !seesAllPupils(viewer);
    const area = protect && query.level !== 'school' ? await this.disclosure.area(question) : undefined;
    const dfe = protect && query.level === 'school' && seesEverySchool(viewer);
    const areas = dfe ? await this.widened(scope) : scope;
    const filter: MeasuresFilter = { ...days, ...(query.level === 'school' ? await this.bySchool(areas) : areas) };
    // Days outside the terms are left out by bucketOf: the daily read takes every day of from-to.
    const { termFroms: _, termTos: __, ...everyDay } = filter;
    const [sessions, enrolments, dfeCounts] = await Promise.all([
      this.repository.sessions(query.level, frame, filter, query.breakdown),
      area
        ? area.counts[query.level as AreaLevel]
        : this.repository.enrolments(query.level, frame, filter, query.breakdown),
      query.dfeFile ? this.dfeCounts(query.level, frame, everyDay, terms, query.breakdown) : undefined,
    ]);
    const groups = mergeCounts(sessions, enrolments);
    if (frame === 'period' && !query.code && !query.areas && !query.breakdown && query.level !== 'school') {
      for (const geo of allGeographies(query.level))
        if (!groups.has(key(geo, '', 'Total', '')))
          groups.set(key(geo, '', 'Total', ''), emptyCounts(geo, '', 'Total', ''));
    }
    const schools = query.level === 'school' ? await this.schoolList.list() : new Map<number, ListedSchool>();
    const shown =
      area || dfe ? await this.shown(query, question, groups, schools, area, viewer) : () => 'shown' as const;
    const rows: EesRow[] = [];
    const sorted = [...groups]
      .filter(
        ([, g]) =>
          (!query.phase || g.phase === query.phase) && asked(query.level, scope, g.geo, schools.get(Number(g.geo))),
      )
      .sort(
        ([, a], [, b]) =>
          byCode(a.geo, b.geo) ||
          byCode(a.bucket, b.bucket) ||
          PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) ||
          byCode(a.cohort, b.cohort),
      );
    for (const [, g] of sorted) {
      const how = shown(g);
      if (how === 'left out') continue;
      const school = schools.get(Number(g.geo));
      // Object.assign, not a literal of spreads: with ~70 columns a row the spreads took 10 times as long.
      const row: EesRow = Object.assign(
        geography(query.level, g.geo, school),
        timeColumns(
          frame,
          from,
          g.bucket,
          terms?.find((t) => t.from === g.bucket),
        ),
        { education_phase: g.phase },
        breakdownColumns(query.breakdown, g.cohort),
        measuresOf(g),
        dfeCounts?.(g),
      );
      rows.push(how === 'hidden' ? suppress(row) : row);
    }
    return { level: query.level, from, to, frame, columns: columnsFor(frame, query.dfeFile), rows };
  }

  /**
   * DfE's counts of a group: num_schools and enrolments as the means of its daily counts (over the days of its bucket
   * with any), the distinct counts in columns of their own, and the school list's open schools and pupils in its area
   * and phase (total_enrolments is not known by pupil characteristic: x in a cohort's row).
   */
  private async dfeCounts(
    level: Level,
    frame: Frame,
    filter: MeasuresFilter,
    terms: TermSpan[] | undefined,
    breakdown?: Breakdown,
  ): Promise<(g: Group) => EesRow> {
    const [days, open] = await Promise.all([
      this.repository.enrolments(level, 'daily', filter, breakdown),
      this.schoolList.openSchools(),
    ]);
    const means = dailyMeans(days, frame, terms);
    const register = new Map<string, { schools: number; pupils: number }>();
    for (const school of open) {
      const geo = {
        national: '',
        regional: LA_BY_CODE.get(school.laCode)?.regionCode ?? '',
        la: school.laCode,
        school: String(school.urn),
      }[level];
      const phases = (PUBLISHED_PHASES as readonly string[]).includes(school.phase)
        ? [school.phase, 'Total']
        : ['Other'];
      for (const phase of phases) {
        const r = register.get(`${geo}|${phase}`) ?? { schools: 0, pupils: 0 };
        r.schools += 1;
        r.pupils += school.pupils;
        register.set(`${geo}|${phase}`, r);
      }
    }
    return (g) => {
      const mean = means.get(key(g.geo, g.bucket, g.phase, g.cohort));
      const r = register.get(`${g.geo}|${g.phase}`);
      return {
        num_schools: mean?.num_schools ?? 0,
        enrolments: mean?.enrolments ?? 0,
        num_schools_distinct: g.num_schools,
        enrolments_distinct: g.enrolments,
        total_num_schools: r?.schools ?? 0,
        total_enrolments: breakdown ? NOT_AVAILABLE : (r?.pupils ?? 0),
      };
    };
  }

  /**
   * How each cell is shown to a viewer without pupil-level rights to every school (docs/measures.md#suppression):
   * area cells as the question's pattern says; a breakdown's cells for the Total phase only, and those of fewer than
   * MIN_PUPILS left out (a row must not label a handful of pupils with their characteristics); school cells (DfE and
   * Ofsted: others see only schools they have pupil-level rights to) as the school pattern of their LAs says. An LA's
   * own users see their LA's cells in full.
   */
  private async shown(
    query: MeasuresQuery,
    question: Question,
    groups: Map<string, Group>,
    schools: ReadonlyMap<number, ListedSchool>,
    area: AreaAnswer | undefined,
    viewer?: Principal,
  ): Promise<(g: Group) => 'shown' | 'hidden' | 'left out'> {
    if (query.level === 'school') {
      const { pattern } = await this.disclosure.area(question);
      const own = [...groups.values()].filter((g) => g.phase !== 'Total' && g.enrolments > 0);
      const hidden = schoolPattern(
        own.map((g) => ({
          urn: Number(g.geo),
          laCode: schools.get(Number(g.geo))?.laCode ?? '',
          bucket: g.bucket,
          phase: g.phase,
          enrolments: g.enrolments,
        })),
        pattern,
      );
      // A row with sessions but no enrolments yet (read a moment apart) is hidden: nothing vouches for its size.
      return (g) => (hidden.has(`${g.geo}|${g.bucket}`) || (g.enrolments === 0 && g.possible > 0) ? 'hidden' : 'shown');
    }
    const level = query.level as AreaLevel;
    // Pupil-level rights to a region's or England's cell: to each LA with data in its bucket (an LA user of them all).
    const withData = new Map<string, Set<string>>();
    for (const c of level !== 'la' && viewer?.role === 'la' ? area!.counts.la : []) {
      if (c.enrolments <= 0) continue;
      const k = `${level === 'regional' ? LA_BY_CODE.get(c.geo)?.regionCode : ''}|${c.bucket}`;
      if (!withData.has(k)) withData.set(k, new Set());
      withData.get(k)!.add(c.geo);
    }
    const rights = (g: Group) =>
      level === 'la'
        ? seesPupilsInLa(viewer, g.geo)
        : viewer?.role === 'la' &&
          [...(withData.get(`${g.geo}|${g.bucket}`) ?? [])].every((la) => seesPupilsInLa(viewer, la));
    return (g) => {
      if (rights(g)) return 'shown';
      if (query.breakdown && g.phase !== 'Total') return 'left out';
      const k = areaKey(level, g.geo, g.bucket, g.phase, g.cohort);
      if (query.breakdown && area!.pattern.small.has(k)) return 'left out';
      return area!.pattern.hidden.has(k) || (g.enrolments === 0 && g.possible > 0) ? 'hidden' : 'shown';
    };
  }

  /** A school-level filter grown to every school of the LAs asked about: their pattern is worked out together. */
  private async widened(scope: Scope): Promise<Scope> {
    if (!scope.urns && !scope.trustCode) return scope;
    const schools = [...(await this.schoolList.list()).values()];
    const ofScope = scope.urns
      ? schools.filter((s) => scope.urns!.includes(s.urn))
      : schools.filter((s) => s.trustCode === scope.trustCode);
    return { laCodes: [...new Set(ofScope.map((s) => s.laCode))] };
  }

  /**
   * A school-level filter by LA or trust as the school list's schools of it: the school roll-ups are ordered by school,
   * so a query reads only their rows (and a school's rows are its own, whichever LA it was in when they were written).
   */
  private async bySchool(scope: Scope): Promise<Scope> {
    if (!scope.laCodes && scope.trustCode === undefined) return scope;
    const urns = scope.urns && new Set(scope.urns);
    const schools = [...(await this.schoolList.list()).values()].filter(
      (s) =>
        (!urns || urns.has(s.urn)) &&
        (!scope.laCodes || scope.laCodes.includes(s.laCode)) &&
        (scope.trustCode === undefined || s.trustCode === scope.trustCode),
    );
    return { urns: schools.map((s) => s.urn) };
  }

  /** The days a query covers: a named term's, or from-to (by default the academic year to date). */
  private dates(query: MeasuresQuery): { from: string; to: string } {
    const today = todayInLondon();
    if (query.term) {
      const term = findTerm(this.config.termCalendar, query.term, today);
      if (term) return { from: term.from, to: term.to };
      const years = [...new Set(this.config.termCalendar.terms.map((t) => t.academicYear))].join(', ');
      throw invalid([
        {
          field: 'term',
          message: `The term calendar has no ${query.term} (it covers ${years}): name a term of those years, such as 2025-26-autumn`,
        },
      ]);
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
    if (query.level === 'school' && query.breakdown && seesEverySchool(viewer)) {
      requireAccess(
        false,
        viewer,
        "a school's figures by pupil characteristic are for the school, its trust and its LA",
      );
    }
    if (query.level !== 'school' || seesEverySchool(viewer) || seesAllPupils(viewer)) return filter;
    const message = 'school-level figures are for DfE, Ofsted, and a school, its trust and its LA';
    requireAccess(viewer?.role === 'la' || viewer?.role === 'school' || viewer?.role === 'trust', viewer, message);
    if (viewer!.scope === '*') return filter;
    const scope = viewer!.scope;
    if (query.la) requireAccess(viewer!.role === 'la' && scope.includes(query.la), viewer, message);
    if (query.code) {
      const school = (await this.schoolList.list()).get(Number(query.code));
      requireAccess(seesPupils(viewer, schoolRef(Number(query.code), school)), viewer, message);
    }
    if (viewer!.role === 'la')
      return { ...filter, laCodes: filter.laCodes ? filter.laCodes.filter((code) => scope.includes(code)) : scope };
    if (viewer!.role === 'school')
      return { ...filter, urns: (filter.urns ?? scope.map(Number)).filter((urn) => scope.includes(String(urn))) };
    requireAccess(scope.length === 1, viewer, 'a trust user follows one trust');
    return { ...filter, trustCode: scope[0] };
  }
}

/** The areas or schools asked for or seen: an LA, region, schools or (school level) a trust. */
type Scope = Omit<MeasuresFilter, 'from' | 'to'> & { trustCode?: string };
function schoolRef(urn: number, school?: ListedSchool): SchoolRef {
  return { urn, laCode: school?.laCode ?? '', trustCode: school?.trustCode ?? '' };
}

/** Is the row one of those asked for (the query may have been widened to work out suppression)? */
function asked(level: Level, scope: Scope, geo: string, school?: ListedSchool): boolean {
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
  return {
    geo,
    bucket,
    phase,
    cohort,
    num_schools: 0,
    possible: 0,
    present: 0,
    aea: 0,
    authorised: 0,
    unauthorised: 0,
    late: 0,
    reasons: {},
    enrolments: 0,
    persistent: 0,
    severe: 0,
  };
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
  for (const g of [...groups.values()].filter((g) => (PUBLISHED_PHASES as readonly string[]).includes(g.phase))) {
    const total = group(g.geo, g.bucket, 'Total', g.cohort);
    for (const f of [
      'num_schools',
      'possible',
      'present',
      'aea',
      'authorised',
      'unauthorised',
      'late',
      'enrolments',
      'persistent',
      'severe',
    ] as const)
      total[f] += g[f];
    for (const [code, n] of Object.entries(g.reasons)) total.reasons[code] = (total.reasons[code] ?? 0) + n;
  }
  return groups;
}

/** Counts and rates of one group. Every rate is sessions / possible sessions x 100 from summed counts. */
function measuresOf(g: Group): EesRow {
  const counts: Partial<Counts> = {
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
  for (const { column, codes } of REASON_COLUMNS)
    counts[column] = codes.reduce((sum, code) => sum + (g.reasons[code] ?? 0), 0);
  return ratesOf(counts as Counts);
}

/** Every figure of a hidden cell but its numbers of schools (as DfE's files: a cell's schools are not hidden). */
const HIDDEN_COLUMNS = [...COUNT_COLUMNS, ...RATE_COLUMNS].filter((column) => column !== 'num_schools');
/** DfE's file's pupil counts of its own, hidden with the others where the row has them. */
const HIDDEN_DFE_COLUMNS = ['enrolments_distinct', 'total_enrolments'] as const;

/** Hides the row's figures (in place: the row was made for this answer). */
function suppress(row: EesRow): EesRow {
  for (const column of HIDDEN_COLUMNS) row[column] = SUPPRESSED;
  for (const column of HIDDEN_DFE_COLUMNS) if (column in row) row[column] = SUPPRESSED;
  return row;
}

function allGeographies(level: Level): string[] {
  if (level === 'national') return [''];
  if (level === 'regional') return [...REGIONS.keys()];
  return LOCAL_AUTHORITIES.map((la) => la.code);
}

function geography(level: Level, geo: string, school?: ListedSchool): EesRow {
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

function columnsFor(frame: Frame, dfeFile?: boolean): EesColumn[] {
  const time = (
    {
      period: [],
      daily: ['attendance_date'],
      weekly: ['week_commencing'],
      weekday: ['day_of_week'],
      half_term: ['half_term'],
      term: [],
    } satisfies Record<Frame, EesColumn[]>
  )[frame];
  if (dfeFile)
    return [...DFE_COLUMNS, ...EXTRA_COLUMNS.school, ...time, ...EXTRA_COLUMNS.breakdown, ...EXTRA_COLUMNS.counts];
  return [
    ...GEOGRAPHY_COLUMNS.slice(0, 2),
    ...time,
    ...GEOGRAPHY_COLUMNS.slice(2),
    ...BREAKDOWN_COLUMNS,
    ...COUNT_COLUMNS,
    ...RATE_COLUMNS,
  ];
}
