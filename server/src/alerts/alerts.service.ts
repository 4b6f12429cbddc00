import { Injectable } from '@nestjs/common';
import { OVERSIGHT, requireAccess, seesEverySchool, seesPupils, seesSchool, seesSchoolsOfLa } from '../auth/access.js';
import { MeasuresService } from '../measures/measures.service.js';
import type { Principal } from '../auth/principal.js';
import { addDays, todayInLondon } from '../common/dates.js';
import { MIN_PUPILS } from '../disclosure/protection.js';
import { PupilsService } from '../pupils/pupils.service.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { AlertsRepository } from './alerts.repository.js';
import { unusualAbsence, type DayCounts } from './unusual-absence.js';
import type { Alerts, PupilAlert, SchoolAlert, SchoolSummary } from '../contract/api.js';

const HISTORY_WEEKS = 6;

/** A count of pupils at risk as a viewer may see it: under MIN_PUPILS only with pupil-level rights to the school. */
export function shownCount(
  viewer: Principal | undefined,
  school: SchoolSummary,
  count: number,
): number | null | undefined {
  if (seesPupils(viewer, school)) return count;
  if (!seesSchool(viewer, school)) return undefined;
  return count >= MIN_PUPILS ? count : null;
}

/**
 * Early warning. Schools whose absence on a day is far above their own history for that weekday (unusual-absence.ts),
 * and schools with pupils at risk (pupils/early-warning.ts), counted: the pupils themselves are in the school's pupil
 * list.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly schools: SchoolComparisonService,
    private readonly pupils: PupilsService,
    private readonly measures: MeasuresService,
  ) {}

  /** Alerts for a day (default today), for the schools the viewer may see, optionally one LA's. */
  async alerts(viewer: Principal | undefined, date = todayInLondon(), laCode?: string): Promise<Alerts> {
    const message = 'alerts name schools: they are for DfE, Ofsted, and a school, its trust and its LA';
    requireAccess(seesEverySchool(viewer) || ['la', 'trust', 'school'].includes(viewer?.role ?? ''), viewer, message);
    if (laCode)
      requireAccess(
        seesSchoolsOfLa(viewer, laCode) || viewer?.role !== 'la',
        viewer,
        `alerts for LA ${laCode} are for its own LA users, DfE and Ofsted`,
      );
    const [found, pupils] = await Promise.all([this.find(date), this.pupilAlerts(viewer, date, laCode)]);
    const mine = found.filter((a) => seesSchool(viewer, a.school) && (!laCode || a.school.laCode === laCode));
    const shown = await this.shownToOversight(
      date,
      mine.filter((a) => !seesPupils(viewer, a.school)).map((a) => a.school.urn),
    );
    return {
      date,
      schools: mine.filter((a) => seesPupils(viewer, a.school) || shown.has(a.school.urn)),
      pupils,
      threshold: this.pupils.threshold,
    };
  }

  /**
   * Of these schools, those whose figures for the day DfE and Ofsted may see (the school-level suppression: a school
   * of fewer than 10 pupils, or one hidden beside it, is not): an alert's rates are that day's figures, so it goes to
   * viewers without pupil-level rights to the school only where those figures are shown.
   */
  async shownToOversight(date: string, urns: number[]): Promise<Set<number>> {
    if (!urns.length) return new Set();
    const { rows } = await this.measures.measures(
      { level: 'school', from: date, to: date, areas: urns.map(String) },
      OVERSIGHT,
    );
    return new Set(rows.filter((r) => typeof r.overall_absence_perc === 'number').map((r) => Number(r.school_urn)));
  }

  /**
   * Schools with pupils at risk: an LA's (la=), or without one the viewer's own schools (none for DfE and Ofsted: too
   * many).
   */
  private async pupilAlerts(viewer: Principal | undefined, date: string, laCode?: string): Promise<PupilAlert[]> {
    const all = [...(await this.schools.summaries()).values()];
    const schools = laCode
      ? all.filter((s) => s.laCode === laCode && seesSchool(viewer, s))
      : seesEverySchool(viewer)
        ? []
        : all.filter((s) => seesPupils(viewer, s));
    if (!schools.length) return [];
    const counts = await this.pupils.atRiskCounts(
      schools.map((s) => s.urn),
      date,
    );
    return (
      schools
        .flatMap((school) => {
          const count = counts.get(school.urn) ?? 0;
          const shown = shownCount(viewer, school, count);
          return count > 0 && shown !== undefined ? [{ school, atRisk: shown }] : [];
        })
        // By the count shown: the order must not tell small hidden counts apart.
        .sort((a, b) => (b.atRisk ?? -1) - (a.atRisk ?? -1) || a.school.name.localeCompare(b.school.name))
    );
  }

  /** Every school's alert for the day, or only these schools'. */
  async find(date: string, urns?: number[]): Promise<SchoolAlert[]> {
    const dates = Array.from({ length: HISTORY_WEEKS + 1 }, (_, i) => addDays(date, -7 * i));
    const rows = await this.repository.schoolDays(dates, urns);
    const bySchool = new Map<number, { today?: DayCounts; history: DayCounts[] }>();
    for (const r of rows) {
      const entry = bySchool.get(r.urn) ?? { history: [] };
      if (r.day === date) entry.today = r;
      else entry.history.push(r);
      bySchool.set(r.urn, entry);
    }
    const unusual = [...bySchool].flatMap(([urn, { today, history }]) => {
      const expectation = today && unusualAbsence(today, history);
      return expectation ? [{ urn, expectation }] : [];
    });
    if (!unusual.length) return [];
    const summaries = await this.schools.summaries(unusual.map((u) => u.urn));
    return unusual
      .filter((u) => summaries.has(u.urn))
      .map(({ urn, expectation }) => ({
        school: summaries.get(urn)!,
        date,
        todayPerc: expectation.today,
        expectedPerc: expectation.expected,
        marginPp: expectation.margin,
      }))
      .sort((a, b) => b.todayPerc - b.expectedPerc - (a.todayPerc - a.expectedPerc));
  }
}
