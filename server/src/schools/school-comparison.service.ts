import { Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesEverySchool, seesPupils, seesSchool, SERVER } from '../auth/access.js';
import { outsidersGroup } from '../disclosure/groups.js';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, todayInLondon } from '../common/dates.js';
import { MeasuresService } from '../measures/measures.service.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { comparatorsOf, COMPARATOR_SIZE, type SchoolProfile } from './comparators.js';
import { SchoolProfilesRepository } from './school-profiles.repository.js';
import { absenceOf, byWeek, trendWeeks, yearBefore } from './weekly-trend.js';
import { combine, type EesRow } from '../contract/ees.js';
import type { SchoolOverview, SchoolWeekly, SchoolSummary } from '../contract/api.js';

export interface Period {
  from?: string;
  to?: string;
}

export const COMPARATOR_METHOD =
  `The ${COMPARATOR_SIZE} schools of the same phase most like this one in the share of pupils eligible for free school meals, ` +
  'the share with special educational needs (EHC plan or SEN support) and size (pupils of compulsory school age), each measure ' +
  "scaled by its spread across the phase's schools; characteristics are those in the registers over the period.";

const PROFILE_CACHE_MS = 10 * 60_000;

/** A school against similar schools, its LA and England. */
@Injectable()
export class SchoolComparisonService {
  private cached = new Map<string, { at: number; profiles: Promise<SchoolProfile[]> }>();

  constructor(
    private readonly measures: MeasuresService,
    private readonly repository: SchoolProfilesRepository,
    private readonly schools: SchoolsRepository,
  ) {}

  /** Every school in the school list, or only these, by URN. */
  async summaries(urns?: number[]): Promise<Map<number, SchoolSummary>> {
    const register = await this.schools.list();
    const schools = urns ? urns.map((urn) => register.get(urn)).filter((s) => s !== undefined) : [...register.values()];
    return new Map(
      schools.map((s) => [
        s.urn,
        {
          urn: s.urn,
          name: s.name,
          laCode: s.laCode,
          laName: s.laName,
          phase: s.phase,
          type: s.type,
          trustCode: s.trustCode,
          trustName: s.trustName,
          ofstedLastInspection: s.ofstedLastInspection,
        },
      ]),
    );
  }

  /** Pupil profiles of every school, kept for 10 minutes: they move slowly, and matching needs every school's. */
  profiles(from: string, to: string): Promise<SchoolProfile[]> {
    const key = `${from}|${to}`;
    const hit = this.cached.get(key);
    if (hit && Date.now() - hit.at < PROFILE_CACHE_MS) return hit.profiles;
    const profiles = this.repository.profiles(from, to);
    profiles.catch(() => this.cached.delete(key));
    this.cached.set(key, { at: Date.now(), profiles });
    return profiles;
  }

  /** The school, its similar schools and how this viewer may see them: what the overview and the weeks share. */
  private async comparison(urn: number, period: Period, viewer?: Principal) {
    const to = period.to ?? todayInLondon();
    const from = period.from ?? academicYearStart(to);
    const school = (await this.summaries([urn])).get(urn);
    if (!school) throw new NotFoundException(`There is no school with URN ${urn} in the register`);
    requireAccess(
      seesSchool(viewer, school),
      viewer,
      `figures for ${school.name} are for the school, its LA and trust, DfE and Ofsted`,
    );
    const profiles = await this.profiles(from, to);
    const comparators = comparatorsOf(urn, profiles);
    const phase = (['Primary', 'Secondary', 'Special'].includes(school.phase) ? school.phase : 'Other') as
      'Primary' | 'Secondary' | 'Special' | 'Other';
    const schools = await this.summaries(comparators.map((c) => c.urn));
    const oneByOne = seesEverySchool(viewer);
    // In full to those with pupil-level rights to every similar school; DfE and Ofsted, who see them one by one, the
    // sum of what they see; anyone else the group as outsiders may see it, its schools they see in full set aside.
    const entitled = schools.size === comparators.length && [...schools.values()].every((s) => seesPupils(viewer, s));
    const known = (row: EesRow) => {
      const s = schools.get(Number(row.school_urn));
      return !!s && seesPupils(viewer, s);
    };
    const pool = (all: EesRow[], shown: EesRow[]) =>
      entitled ? combine(all) : oneByOne ? combine(shown) : outsidersGroup(all, known);
    return {
      school,
      from,
      to,
      profile: profiles.find((p) => p.urn === urn),
      comparators,
      schools,
      oneByOne,
      pool,
      query: { from, to, phase },
      areas: comparators.map((c) => String(c.urn)),
    };
  }

  async overview(urn: number, period: Period, viewer?: Principal): Promise<SchoolOverview> {
    const { school, from, to, profile, comparators, schools, oneByOne, pool, query, areas } = await this.comparison(
      urn,
      period,
      viewer,
    );
    // One turn of reads: the school's, its group's and (DfE, Ofsted) its group's as seen are one read for each question
    // (MeasuresRepository gathers them).
    const [own, group, seen, la, england, weekdays] = await Promise.all([
      this.measures.measures({ ...query, level: 'school', code: String(urn) }, viewer),
      comparators.length ? this.measures.measures({ ...query, level: 'school', areas }, SERVER) : null,
      comparators.length && oneByOne ? this.measures.measures({ ...query, level: 'school', areas }, viewer) : null,
      this.measures.measures({ ...query, level: 'la', code: school.laCode }, viewer),
      this.measures.measures({ ...query, level: 'national' }, viewer),
      this.measures.measures({ ...query, level: 'school', code: String(urn), frame: 'weekday' }, viewer),
    ]);
    const seenRows = new Map((seen?.rows ?? []).map((row) => [Number(row.school_urn), row]));
    const combined = pool(group?.rows ?? [], [...seenRows.values()]);
    return {
      school,
      from,
      to,
      profile: profile ? { pupils: profile.pupils, fsmPerc: profile.fsmPerc, senPerc: profile.senPerc } : null,
      row: own.rows[0] ?? {},
      comparatorGroup: { row: combined.row, schools: combined.rows, method: COMPARATOR_METHOD },
      comparators: oneByOne
        ? comparators.map((c) => ({
            school: schools.get(c.urn)!,
            distance: c.distance,
            row: seenRows.get(c.urn) ?? ({} as EesRow),
          }))
        : null,
      la: la.rows[0] ?? {},
      england: england.rows[0] ?? {},
      weekdays: weekdays.rows,
    };
  }

  /**
   * The school week by week against the same comparisons and its own weeks a year before: asked apart from the
   * overview, whose figures the page shows first. The LA's and England's weeks share the disclosure pattern of the
   * question with GET /api/v1/measures?frame=weekly over the same days; the group is pooled week by week as the
   * overview pools it.
   */
  async weekly(urn: number, period: Period, viewer?: Principal): Promise<SchoolWeekly> {
    const { school, from, to, comparators, oneByOne, pool, query, areas } = await this.comparison(urn, period, viewer);
    const weekly = { ...query, frame: 'weekly' as const };
    const [ownWeeks, groupWeeks, seenWeeks, laWeeks, englandWeeks, lastYear] = await Promise.all([
      this.measures.measures({ ...weekly, level: 'school', code: String(urn) }, viewer),
      comparators.length ? this.measures.measures({ ...weekly, level: 'school', areas }, SERVER) : null,
      comparators.length && oneByOne ? this.measures.measures({ ...weekly, level: 'school', areas }, viewer) : null,
      this.measures.measures({ ...weekly, level: 'la', code: school.laCode }, viewer),
      this.measures.measures({ ...weekly, level: 'national' }, viewer),
      this.measures.measures({ ...weekly, ...yearBefore(from, to), level: 'school', code: String(urn) }, viewer),
    ]);
    const weeks = {
      own: byWeek(ownWeeks.rows),
      group: byWeek(groupWeeks?.rows ?? []),
      seen: byWeek(seenWeeks?.rows ?? []),
      la: byWeek(laWeeks.rows),
      england: byWeek(englandWeeks.rows),
      lastYear: byWeek(lastYear.rows),
    };
    const trend = trendWeeks(
      from,
      to,
      [weeks.own, weeks.group, weeks.la, weeks.england].flatMap((w) => [...w.keys()]),
      weeks.lastYear.keys(),
    ).map(({ week, lastYearWeek }) => {
      const all = weeks.group.get(week) ?? [];
      const pooled = pool(all, weeks.seen.get(week) ?? []);
      return {
        week,
        lastYearWeek,
        school: absenceOf(weeks.own.get(week)?.[0]),
        // No similar school with figures that week (a holiday): nothing to withhold. DfE's and Ofsted's sum of none
        // they see, where some had figures: withheld.
        group: !combine(all).rows ? null : pooled.rows ? absenceOf(pooled.row) : 'c',
        groupSchools: pooled.rows,
        la: absenceOf(weeks.la.get(week)?.[0]),
        england: absenceOf(weeks.england.get(week)?.[0]),
        lastYear: absenceOf(weeks.lastYear.get(lastYearWeek)?.[0]),
      };
    });
    return { from, to, weekly: trend };
  }
}
