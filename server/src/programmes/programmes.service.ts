import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesEverySchool, seesPupils, seesSchool, SERVER } from '../auth/access.js';
import { outsidersGroup } from '../disclosure/groups.js';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, addDays, todayInLondon } from '../common/dates.js';
import { MeasuresService } from '../measures/measures.service.js';
import { matchedPairs } from '../schools/comparators.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { ProgrammesRepository } from './programmes.repository.js';
import { combine, type EesRow } from '../contract/ees.js';
import type { Programme, ProgrammeEvaluation, ProgrammeMeasure, SchoolSummary } from '../contract/api.js';

export const EVALUATION_METHOD =
  'Each programme school is matched to one school of the same phase outside the programme: the nearest in the share of ' +
  'pupils eligible for free school meals, the share with special educational needs, size, and overall absence before ' +
  "the start, each scaled by its spread across the phase's schools; closest pairs first, each comparator used once. " +
  'Before is the academic year up to the day before the start (the previous academic year when the start is at the ' +
  "beginning of one); after is from the start date on. Each group's counts are pooled: absent sessions over possible " +
  'sessions, persistent absentees over enrolments. The difference in differences is the change in the programme ' +
  'schools less the change in their comparators, in percentage points: below zero, absence fell more (or rose less) in ' +
  'the programme schools.';

export const EVALUATION_CAVEATS = [
  'It assumes both groups would have moved alike without the programme: in the weekly chart, the gap before the start should be steady.',
  'Schools chose, or were chosen for, the programme; matching on what the registers show cannot rule out other differences between the groups.',
  'Persistent absence depends on the length of the period: compare it between the groups, not before with after.',
  'There is no confidence interval: with few schools, a difference of a point or two can be chance.',
];

const MEASURES: { key: ProgrammeMeasure['key']; label: string }[] = [
  { key: 'overall_absence_perc', label: 'Overall absence (%)' },
  { key: 'pa_perc', label: 'Persistent absence (% of enrolments)' },
];

const CREATORS = ['dfe', 'la', 'trust'];
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/**
 * Attendance programmes: named groups of schools from a start date, against matched comparators (difference in
 * differences).
 */
@Injectable()
export class ProgrammesService {
  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly measures: MeasuresService,
    private readonly schools: SchoolComparisonService,
  ) {}

  /** The programmes whose every school the viewer may see. */
  async list(viewer?: Principal): Promise<Programme[]> {
    const [programmes, schools] = await Promise.all([this.repository.all(), this.schools.summaries()]);
    return programmes.filter((p) => p.urns.every((urn) => schools.has(urn) && seesSchool(viewer, schools.get(urn)!)));
  }

  /** DfE for any schools; an LA for schools in its LAs, a trust for its own. */
  async create(fields: { name: string; startDate: string; urns: number[] }, viewer?: Principal): Promise<Programme> {
    const message = 'programmes are set up by DfE, an LA for its schools and a trust for its own';
    requireAccess(CREATORS.includes(viewer?.role ?? ''), viewer, message);
    const schools = await this.schools.summaries(fields.urns);
    const unknown = fields.urns.filter((urn) => !schools.has(urn));
    if (unknown.length)
      throw new BadRequestException({
        message: 'The request is not valid',
        errors: [{ field: 'urns', message: `not in the register: ${unknown.join(', ')}` }],
      });
    const outside = fields.urns.filter((urn) => viewer!.role !== 'dfe' && !seesPupils(viewer, schools.get(urn)!));
    requireAccess(!outside.length, viewer, `${message}; not yours: ${outside.join(', ')}`);
    return this.repository.create(fields, viewer!.sub, viewer!.role);
  }

  async evaluation(id: string, viewer?: Principal, asAt?: string): Promise<ProgrammeEvaluation> {
    const programme = await this.repository.find(id);
    if (!programme) throw new NotFoundException(`There is no programme ${id}`);
    const schools = await this.schools.summaries();
    const members = programme.urns.map((urn) => schools.get(urn)).filter((s): s is SchoolSummary => !!s);
    requireAccess(
      members.length === programme.urns.length && members.every((s) => seesSchool(viewer, s)),
      viewer,
      "a programme's evaluation is for those who may see each of its schools",
    );

    const start = programme.startDate;
    const before = { from: academicYearStart(addDays(start, -1)), to: addDays(start, -1) };
    const after = { from: start, to: asAt ?? todayInLondon() };
    const started = after.from <= after.to;
    const ownPhase = (rows: EesRow[]) =>
      new Map(rows.filter((r) => r.education_phase !== 'Total').map((r) => [Number(r.school_urn), r]));

    const [everyBefore, profiles] = await Promise.all([
      this.measures.measures({ level: 'school', ...before }, SERVER),
      this.schools.profiles(before.from, before.to),
    ]);
    const beforeRows = ownPhase(everyBefore.rows);
    const beforeAbsence = new Map(
      [...beforeRows].flatMap(([urn, r]) =>
        typeof r.overall_absence_perc === 'number' ? [[urn, r.overall_absence_perc] as const] : [],
      ),
    );
    const pairs = [...matchedPairs(programme.urns, profiles, beforeAbsence)].map(([urn, c]) => ({
      urn,
      comparator: c.urn,
      distance: c.distance,
    }));
    const matched = pairs.map((p) => p.urn);
    const comparators = pairs.map((p) => p.comparator);
    const areas = [...matched, ...comparators].map(String);

    const oneByOne = seesEverySchool(viewer);
    const [afterResult, weekly, seenBefore, seenAfter, seenWeekly] = await Promise.all([
      started && areas.length ? this.measures.measures({ level: 'school', ...after, areas }, SERVER) : null,
      areas.length
        ? this.measures.measures({ level: 'school', frame: 'weekly', from: before.from, to: after.to, areas }, SERVER)
        : null,
      // The schools one by one as the viewer sees them (DfE and Ofsted: with the suppression of every school level
      // answer).
      areas.length ? this.measures.measures({ level: 'school', ...before, areas }, viewer) : null,
      started && areas.length ? this.measures.measures({ level: 'school', ...after, areas }, viewer) : null,
      oneByOne && areas.length
        ? this.measures.measures({ level: 'school', frame: 'weekly', from: before.from, to: after.to, areas }, viewer)
        : null,
    ]);
    const afterRows = ownPhase(afterResult?.rows ?? []);
    const seen = { before: ownPhase(seenBefore?.rows ?? []), after: ownPhase(seenAfter?.rows ?? []) };

    // Pooled in full for a viewer with pupil-level rights to every school in them; for DfE and Ofsted the sum of the
    // schools as they see them; for anyone else as outsiders may see a group (groups.ts).
    const entitled = (urns: number[]) => urns.every((urn) => seesPupils(viewer, schools.get(urn)!));
    const pooled = (rows: Map<number, EesRow>, urns: number[], seenRows?: Map<number, EesRow>): EesRow | null => {
      const of = (from: Map<number, EesRow>) => urns.map((urn) => from.get(urn)).filter((r): r is EesRow => !!r);
      if (entitled(urns)) return combine(of(rows)).row;
      if (seenRows && oneByOne) return combine(of(seenRows)).row;
      return outsidersGroup(of(rows)).row;
    };
    const groups = {
      programme: { before: pooled(beforeRows, matched, seen.before), after: pooled(afterRows, matched, seen.after) },
      comparison: {
        before: pooled(beforeRows, comparators, seen.before),
        after: pooled(afterRows, comparators, seen.after),
      },
    };
    const measures = MEASURES.map(({ key, label }): ProgrammeMeasure => {
      const side = (g: { before: EesRow | null; after: EesRow | null }) => {
        const b = num(g.before?.[key]);
        const a = num(g.after?.[key]);
        return { before: b, after: a, change: minus(a, b) };
      };
      const programmeSide = side(groups.programme);
      const comparisonSide = side(groups.comparison);
      return {
        key,
        label,
        programme: programmeSide,
        comparison: comparisonSide,
        difference: minus(programmeSide.change, comparisonSide.change),
      };
    });

    const byWeek = (rows: EesRow[]) => {
      const weeks = new Map<string, Map<number, EesRow>>();
      for (const row of rows) {
        if (row.education_phase === 'Total') continue;
        const week = String(row.week_commencing);
        if (!weeks.has(week)) weeks.set(week, new Map());
        weeks.get(week)!.set(Number(row.school_urn), row);
      }
      return weeks;
    };
    const server = byWeek(weekly?.rows ?? []);
    const seenWeeks = byWeek(seenWeekly?.rows ?? []);
    const weeks = [...server.keys()].sort().map((week) => ({
      weekCommencing: week,
      programme: num(pooled(server.get(week)!, matched, seenWeeks.get(week))?.overall_absence_perc),
      comparison: num(pooled(server.get(week)!, comparators, seenWeeks.get(week))?.overall_absence_perc),
    }));

    const schoolFigure = (rows: Map<number, EesRow>, urn: number) => num(rows.get(urn)?.overall_absence_perc);
    return {
      programme,
      before,
      after,
      method: EVALUATION_METHOD,
      caveats: EVALUATION_CAVEATS,
      measures,
      weeks,
      pairs: pairs.map((p) => ({
        school: schools.get(p.urn)!,
        comparator: seesSchool(viewer, schools.get(p.comparator)!) ? schools.get(p.comparator)! : null,
        distance: p.distance,
        before: { school: schoolFigure(seen.before, p.urn), comparator: schoolFigure(seen.before, p.comparator) },
        after: { school: schoolFigure(seen.after, p.urn), comparator: schoolFigure(seen.after, p.comparator) },
      })),
      unmatched: members.filter((s) => !matched.includes(s.urn)),
    };
  }
}
