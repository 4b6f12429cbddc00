import { Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesEverySchool } from '../auth/access.js';
import { inScope, type Principal } from '../auth/principal.js';
import { MeasuresService } from '../measures/measures.service.js';
import { SchoolComparisonService, type Period } from './school-comparison.service.js';
import type { TrustOverview } from '../contract/api.js';
import { combine, type EesRow } from '../contract/ees.js';
import { academicYearStart, todayInLondon } from '../common/dates.js';
import { absenceOf, byWeek, trendWeeks, yearBefore } from './weekly-trend.js';

/** A trust's schools side by side, across LAs, with the trust's total against England. */
@Injectable()
export class TrustService {
  constructor(
    private readonly measures: MeasuresService,
    private readonly schools: SchoolComparisonService,
  ) {}

  async overview(trustCode: string, period: Period, viewer?: Principal): Promise<TrustOverview> {
    const member = viewer?.role === 'trust' && inScope(viewer, trustCode);
    requireAccess(
      member || seesEverySchool(viewer),
      viewer,
      `trust ${trustCode}'s figures are for the trust itself, DfE and Ofsted`,
    );
    const schools = [...(await this.schools.summaries()).values()]
      .filter((s) => s.trustCode === trustCode)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!schools.length) throw new NotFoundException(`No school in the register belongs to trust ${trustCode}`);
    const to = period.to ?? todayInLondon();
    const query = { from: period.from ?? academicYearStart(to), to };
    const weekly = { ...query, frame: 'weekly' as const };
    const areas = schools.map((s) => String(s.urn));
    const [perSchool, england, schoolWeeks, englandWeeks, lastYear] = await Promise.all([
      this.measures.measures({ ...query, level: 'school', areas }, viewer),
      this.measures.measures({ ...query, level: 'national', phase: 'Total' }, viewer),
      this.measures.measures({ ...weekly, level: 'school', areas }, viewer),
      this.measures.measures({ ...weekly, level: 'national', phase: 'Total' }, viewer),
      this.measures.measures({ ...weekly, ...yearBefore(query.from, to), level: 'school', areas }, viewer),
    ]);
    const ownPhase = (rows: EesRow[]) => rows.filter((r) => r.education_phase !== 'Total');
    // The trust's total as its period total is: the Total rows of the schools shown, those withheld left out.
    const total = (rows: EesRow[] = []) => {
      const { row, rows: used } = combine(rows.filter((r) => r.education_phase === 'Total'));
      return used ? absenceOf(row) : rows.some((r) => r.possible_sessions === 'c') ? 'c' : null;
    };
    const own = new Map(ownPhase(perSchool.rows).map((r) => [Number(r.school_urn), r]));
    const weeks = {
      schools: byWeek(schoolWeeks.rows),
      england: byWeek(englandWeeks.rows),
      lastYear: byWeek(lastYear.rows),
    };
    const trend = trendWeeks(query.from, to, [...weeks.schools.keys(), ...weeks.england.keys()], weeks.lastYear.keys());
    const schoolWeek = new Map(
      ownPhase(schoolWeeks.rows).map((r) => [`${String(r.school_urn)}|${String(r.week_commencing)}`, r]),
    );
    return {
      trustCode,
      trustName: schools[0].trustName,
      from: perSchool.from,
      to: perSchool.to,
      total: combine(perSchool.rows.filter((r) => r.education_phase === 'Total')).row,
      england: england.rows[0] ?? {},
      schools: schools.map((school) => ({
        school,
        row: own.get(school.urn) ?? null,
        weekly: trend.map(({ week }) => absenceOf(schoolWeek.get(`${school.urn}|${week}`))),
      })),
      weekly: trend.map(({ week, lastYearWeek }) => ({
        week,
        lastYearWeek,
        trust: total(weeks.schools.get(week)),
        england: absenceOf(weeks.england.get(week)?.[0]),
        lastYear: total(weeks.lastYear.get(lastYearWeek)),
      })),
    };
  }
}
