import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Alerts, SchoolAlert, SchoolSummary } from '../api-contract.js';
import { inScope, type Principal } from '../auth/principal.js';
import { addDays, todayInLondon } from '../common/dates.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import { unusualAbsence, type DayCounts } from './unusual-absence.js';

const HISTORY_WEEKS = 6;
const ALL_SCHOOLS_ROLES = new Set(['admin', 'dfe', 'ofsted']);

/** Who may hear about a school's alert: whoever may see the school's figures. */
export function mayHearOf(school: SchoolSummary, viewer?: Principal): boolean {
  if (!viewer) return false;
  return (
    ALL_SCHOOLS_ROLES.has(viewer.role) ||
    (viewer.role === 'la' && inScope(viewer, school.laCode)) ||
    (viewer.role === 'trust' && school.trustCode !== '' && inScope(viewer, school.trustCode)) ||
    (viewer.role === 'school' && inScope(viewer, String(school.urn)))
  );
}

/** Schools whose absence on a day is far above their own history for that weekday (unusual-absence.ts). */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    private readonly schools: SchoolComparisonService,
  ) {}

  /** Alerts for a day (default today), for the schools the viewer may see, optionally one LA's. */
  async alerts(viewer: Principal | undefined, date = todayInLondon(), laCode?: string): Promise<Alerts> {
    if (!viewer) throw new UnauthorizedException('Sign in: alerts name schools');
    if (laCode && viewer.role === 'la' && !inScope(viewer, laCode)) throw new ForbiddenException(`Your role sees alerts for its own LA only`);
    const found = await this.find(date);
    return { date, schools: found.filter((a) => mayHearOf(a.school, viewer) && (!laCode || a.school.laCode === laCode)) };
  }

  /** Every school's alert for the day, or only these schools'. */
  async find(date: string, urns?: number[]): Promise<SchoolAlert[]> {
    const dates = Array.from({ length: HISTORY_WEEKS + 1 }, (_, i) => addDays(date, -7 * i));
    const rows = await this.warehouse.query<{ urn: number; day: string; possible: number; absent: number }>(
      `SELECT urn, toString(date) AS day, possible, authorised + unauthorised AS absent
       FROM school_daily FINAL
       WHERE date IN {dates:Array(Date)} ${urns ? 'AND urn IN {urns:Array(UInt32)}' : ''}
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      urns ? { dates, urns } : { dates },
    );
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
      .map(({ urn, expectation }) => ({ school: summaries.get(urn)!, date, todayPerc: expectation.today, expectedPerc: expectation.expected, marginPp: expectation.margin }))
      .sort((a, b) => b.todayPerc - b.expectedPerc - (a.todayPerc - a.expectedPerc));
  }
}
