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
import { adjusted, fitAllowance, ownWeight, type Allowance, type Observed } from './size-allowance.js';
import { combine, type EesColumn, type EesRow } from '../contract/ees.js';
import type {
  InspectionPriorities,
  InspectionPriority,
  SchoolSummary,
  SizeAllowance,
  SizeAllowancePeriod,
  SizeAllowanceRate,
} from '../contract/api.js';
import { RECENT_INSPECTION_MONTHS, type PhaseName } from '../contract/vocabulary.js';

export interface PriorityFilters {
  region?: string;
  la?: string;
  phase?: PhaseName;
  /** after (default): schools inspected in the last RECENT_MONTHS follow all others; include: ranked with them. */
  recentlyInspected?: 'after' | 'include';
  limit: number;
}

/** Schools inspected within this many months are set after the others (the contract's, so the page says the same). */
export const RECENT_MONTHS = RECENT_INSPECTION_MONTHS;

/** The same day `months` calendar months earlier (the month's last day where it is shorter): '2026-08-31', 6 -> '2026-02-28'. */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
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
  'inspection. Size: a small school’s rates swing on a few pupils, so every rate is first pulled toward its phase’s national rate, ' +
  'as if k pupils at the national rate joined the school’s own (empirical Bayes). k is worked out for each phase from how much more ' +
  'small schools’ rates scatter than large schools’ (chance) against how much schools really differ; a school of k pupils counts ' +
  'half its own figure, one of 10 x k 91% of it. Each part is then turned into a z-score across all schools in England and weighted (' +
  COMPONENTS.map((c) => `${c.label} ${Math.round(c.weight * 100)}%`).join(', ') +
  `); an unknown figure counts as average. The score is the sum: higher means look sooner. Schools inspected in the last ${RECENT_MONTHS} ` +
  'months are listed after all the others unless asked for with them.';

const rate = (row: EesRow | undefined, key: EesColumn = 'overall_absence_perc') =>
  typeof row?.[key] === 'number' ? (row[key] as number) : null;
const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
/** A row's rate and the pupils it is over (enrolments), or null where the row has no such figure. */
const observedOf =
  (measure: SizeAllowanceRate) =>
  (row: EesRow): Observed | null => {
    const value = rate(row, measure);
    const pupils = typeof row.enrolments === 'number' ? row.enrolments : 0;
    return value === null || pupils <= 0 ? null : { rate: value, pupils };
  };
/** "allowing for size: 12 pupils, so its own rates count 29% (its phase's national rates the rest)". */
const sizeNote = (pupils: number, weight: number) =>
  `allowing for size: ${Math.round(pupils).toLocaleString('en-GB')} pupils, so its own rates count ` +
  `${Math.round(weight * 100)}% (its phase’s national rates the rest)`;
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
    // Ranks are national: the order (recent inspections after the rest, or not) is set before the filters select.
    const ordered =
      filters.recentlyInspected === 'include'
        ? ranked
        : [...ranked.filter((p) => !p.recentlyInspected), ...ranked.filter((p) => p.recentlyInspected)];
    const schools = ordered
      .map((p, i) => ({ ...p, rank: i + 1 }))
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
    const phaseOf = (urn: number) => summaries.get(urn)?.phase ?? '';
    // Size: each rate pulled toward its phase's national rate in that period (size-allowance.ts), fitted per phase.
    const periods: Record<SizeAllowancePeriod, Map<number, EesRow>> = {
      year: ytd,
      current: now,
      previous: before,
      lastYear: yearAgo,
    };
    const fitted: SizeAllowance[] = [];
    const allowances = new Map<string, Allowance>();
    const fits: [SizeAllowancePeriod, SizeAllowanceRate][] = [
      ['year', 'overall_absence_perc'],
      ['year', 'pa_perc'],
      ['year', 'sa_perc'],
      ['current', 'overall_absence_perc'],
      ['previous', 'overall_absence_perc'],
      ['lastYear', 'overall_absence_perc'],
    ];
    for (const [period, measure] of fits) {
      const byPhase = new Map<string, EesRow[]>();
      for (const [urn, row] of periods[period]) {
        if (!summaries.has(urn)) continue;
        const rows = byPhase.get(phaseOf(urn)) ?? [];
        rows.push(row);
        byPhase.set(phaseOf(urn), rows);
      }
      for (const [phase, rows] of [...byPhase].sort((a, b) => a[0].localeCompare(b[0]))) {
        const national = rate(combine(rows).row, measure);
        if (national === null) continue;
        const observed = rows.map(observedOf(measure)).filter((o): o is Observed => o !== null);
        const allowance = fitAllowance(observed, national);
        allowances.set(`${period}|${measure}|${phase}`, allowance);
        fitted.push({ period, measure, phase, national, pupils: allowance.pupils, schools: allowance.schools });
      }
    }
    /** A row's rate, pulled toward the national rate of the school's phase in that period. */
    const adjust = (
      row: EesRow | undefined,
      urn: number,
      period: SizeAllowancePeriod,
      measure: SizeAllowanceRate = 'overall_absence_perc',
    ) => {
      const observed = row ? observedOf(measure)(row) : null;
      const allowance = allowances.get(`${period}|${measure}|${phaseOf(urn)}`);
      return observed === null ? null : allowance ? adjusted(observed, allowance) : observed.rate;
    };
    const since = monthsBefore(to, RECENT_MONTHS);
    const valuesOf = (urn: number): ComponentValues => {
      const row = ytd.get(urn)!;
      const group = combine(
        comparatorsOf(urn, profiles)
          .map((c) => ytd.get(c.urn))
          .filter((r): r is EesRow => r !== undefined),
      ).row;
      const inspected = summaries.get(urn)!.ofstedLastInspection;
      const current = adjust(now.get(urn), urn, 'current');
      return {
        absenceGap: minus(adjust(row, urn, 'year'), adjust(group, urn, 'year')),
        paGap: minus(adjust(row, urn, 'year', 'pa_perc'), adjust(group, urn, 'year', 'pa_perc')),
        change: minus(current, adjust(before.get(urn), urn, 'previous')),
        changeOnYear: minus(current, adjust(yearAgo.get(urn), urn, 'lastYear')),
        severe: adjust(row, urn, 'year', 'sa_perc'),
        sinceInspection: inspected ? (Date.parse(to) - Date.parse(inspected)) / (365.25 * 86_400_000) : null,
      };
    };
    const ranked = score(candidates, valuesOf).map(({ item: urn, score: total, parts }, i): InspectionPriority => {
      const row = ytd.get(urn)!;
      const school = summaries.get(urn) as SchoolSummary;
      const pupils = typeof row.enrolments === 'number' ? row.enrolments : null;
      const allowance = allowances.get(`year|overall_absence_perc|${school.phase}`);
      const weight = pupils !== null && allowance ? ownWeight(pupils, allowance) : 1;
      return {
        rank: i + 1,
        school,
        score: total,
        why: [
          explain(parts),
          ...(Math.round(weight * 100) < 100 && pupils !== null ? [sizeNote(pupils, weight)] : []),
        ].join('; '),
        parts: parts.map((p) => ({ ...p, label: COMPONENTS.find((c) => c.key === p.key)!.label })),
        overall_absence_perc: rate(row),
        pa_perc: rate(row, 'pa_perc'),
        sa_perc: rate(row, 'sa_perc'),
        pupils,
        ownWeight: weight,
        recentlyInspected: !!school.ofstedLastInspection && school.ofstedLastInspection >= since,
      };
    });
    return {
      from,
      to,
      periods: { current, previous, lastYear },
      method: PRIORITY_METHOD,
      sizeAllowances: fitted,
      recentlyInspectedSince: since,
      recentlyInspected: ranked.filter((p) => p.recentlyInspected).length,
      scored: ranked.length,
      ranked,
    };
  }
}
