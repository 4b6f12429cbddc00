import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, addDays, todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { TermCalendar } from '../calendar/term-calendar.js';
import { MeasuresService } from '../measures/measures.service.js';
import { LA_BY_CODE } from '../reference/local-authorities.js';
import { comparatorsOf } from '../schools/comparators.js';
import { COMPARATOR_METHOD, SchoolComparisonService } from '../schools/school-comparison.service.js';
import { COMPONENTS, explain, score, type ComponentValues } from './priority-score.js';
import { combine, type EesColumn, type EesRow } from '../contract/ees.js';
import type { InspectionPriorities, InspectionPriority, SchoolSummary } from '../contract/api.js';
import type { PhaseName } from '../contract/vocabulary.js';

export interface PriorityFilters {
  region?: string;
  la?: string;
  phase?: PhaseName;
  limit: number;
}

/** Scores are worked out for all of England at most this often; the filters only select from them. */
const CACHE_MS = 15_000;
/** Without the half term in the calendar: about six school weeks, and 52 weeks back for last year. */
const HALF_TERM_DAYS = 42;
const YEAR_DAYS = 364;

type Span = [string, string];

/**
 * This half term so far, the half term before it, and the same part of this half term last year, from the term
 * calendar (TERM_CALENDAR); where the calendar lacks them, the last 42 days, the 42 before and 52 weeks back.
 */
export function comparedPeriods(calendar: TermCalendar, to: string): { current: Span; previous: Span; lastYear: Span } {
  const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
  const halves = calendar.halfTerms;
  const i = halves.findLastIndex((h) => h.from <= to);
  const half = i >= 0 && days(halves[i].from, to) < 120 ? halves[i] : undefined;
  const current: Span = half ? [half.from, to] : [addDays(to, -(HALF_TERM_DAYS - 1)), to];
  const before = half ? halves[i - 1] : undefined;
  const previous: Span = before
    ? [before.from, before.to]
    : [addDays(current[0], -HALF_TERM_DAYS), addDays(current[0], -1)];
  const startYear = half ? Number(half.academicYear.slice(0, 4)) : 0;
  const lastYears = `${startYear - 1}/${String(startYear % 100).padStart(2, '0')}`;
  const same = half && halves.find((h) => h.academicYear === lastYears && h.term === half.term && h.half === half.half);
  const lastYear: Span = same
    ? [same.from, addDays(same.from, days(current[0], current[1]))]
    : [addDays(current[0], -YEAR_DAYS), addDays(current[1], -YEAR_DAYS)];
  return { current, previous, lastYear };
}

export const PRIORITY_METHOD =
  'Each school is scored on: overall and persistent absence this academic year above its similar schools (' +
  `${COMPARATOR_METHOD.charAt(0).toLowerCase()}${COMPARATOR_METHOD.slice(1, -1)}), the rise in overall absence over the last six weeks on the six ` +
  'weeks before, and on the same weeks last year, the share of pupils severely absent (50% or more), and the years since its last ' +
  'inspection. Each is turned into a z-score across all schools in England and weighted (' +
  COMPONENTS.map((c) => `${c.label} ${Math.round(c.weight * 100)}%`).join(', ') +
  '); an unknown figure counts as average. The score is the sum: higher means look sooner.';

const rate = (row: EesRow | undefined, key: EesColumn = 'overall_absence_perc') =>
  typeof row?.[key] === 'number' ? (row[key] as number) : null;
const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const byUrn = (rows: EesRow[]) =>
  new Map(rows.filter((r) => r.education_phase !== 'Total').map((r) => [Number(r.school_urn), r]));

/** Ofsted's ranked list of schools to look at first, with why. */
@Injectable()
export class InspectionService {
  private cached:
    | { at: number; result: Promise<Omit<InspectionPriorities, 'schools'> & { ranked: InspectionPriority[] }> }
    | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly measures: MeasuresService,
    private readonly schools: SchoolComparisonService,
  ) {}

  async priorities(filters: PriorityFilters, viewer: Principal): Promise<InspectionPriorities> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const result = this.scoreAll(viewer);
      result.catch(() => (this.cached = undefined));
      this.cached = { at: Date.now(), result };
    }
    const { ranked, ...rest } = await this.cached.result;
    const schools = ranked
      .filter((p) => !filters.la || p.school.laCode === filters.la)
      .filter((p) => !filters.region || LA_BY_CODE.get(p.school.laCode)?.regionCode === filters.region)
      .filter((p) => !filters.phase || p.school.phase === filters.phase)
      .slice(0, filters.limit);
    return { ...rest, schools };
  }

  private async scoreAll(viewer: Principal) {
    const to = todayInLondon();
    const from = academicYearStart(to);
    const { current, previous, lastYear } = comparedPeriods(this.config.termCalendar, to);
    const schoolLevel = (period: Span) =>
      this.measures.measures({ level: 'school', from: period[0], to: period[1] }, viewer).then((r) => byUrn(r.rows));
    const [summaries, profiles, ytd, now, before, yearAgo] = await Promise.all([
      this.schools.summaries(),
      this.schools.profiles(from, to),
      schoolLevel([from, to]),
      schoolLevel(current),
      schoolLevel(previous),
      schoolLevel(lastYear),
    ]);
    const candidates = [...ytd.keys()].filter((urn) => summaries.has(urn) && rate(ytd.get(urn)) !== null);
    const valuesOf = (urn: number): ComponentValues => {
      const row = ytd.get(urn)!;
      const group = combine(
        comparatorsOf(urn, profiles)
          .map((c) => ytd.get(c.urn))
          .filter((r): r is EesRow => r !== undefined),
      ).row;
      const inspected = summaries.get(urn)!.ofstedLastInspection;
      return {
        absenceGap: minus(rate(row), rate(group)),
        paGap: minus(rate(row, 'pa_perc'), rate(group, 'pa_perc')),
        change: minus(rate(now.get(urn)), rate(before.get(urn))),
        changeOnYear: minus(rate(now.get(urn)), rate(yearAgo.get(urn))),
        severe: rate(row, 'sa_perc'),
        sinceInspection: inspected ? (Date.parse(to) - Date.parse(inspected)) / (365.25 * 86_400_000) : null,
      };
    };
    const ranked = score(candidates, valuesOf).map(({ item: urn, score: total, parts }, i): InspectionPriority => {
      const row = ytd.get(urn)!;
      return {
        rank: i + 1,
        school: summaries.get(urn) as SchoolSummary,
        score: total,
        why: explain(parts),
        parts: parts.map((p) => ({ ...p, label: COMPONENTS.find((c) => c.key === p.key)!.label })),
        overall_absence_perc: rate(row),
        pa_perc: rate(row, 'pa_perc'),
        sa_perc: rate(row, 'sa_perc'),
      };
    });
    return {
      from,
      to,
      periods: { current, previous, lastYear },
      method: PRIORITY_METHOD,
      scored: ranked.length,
      ranked,
    };
  }
}
