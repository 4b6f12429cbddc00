import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesPupils } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, addDays, todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { PERSISTENT_PERC, pupilWarnings, RECENT_DAYS } from './early-warning.js';
import { PupilsRepository, type PupilCounts } from './pupils.repository.js';
import { UpnCipher } from './upn-cipher.js';
import {
  absenceCodes,
  attendanceBand,
  bandCounts,
  cohortSummary,
  lastMeetingDefault,
  reasonText,
  standOutDays,
  type CountedPupil,
} from './support-pack.js';
import type { TermCalendar } from '../calendar/term-calendar.js';
import { ATTENDANCE_BANDS, BREAKDOWN_NAMES, BREAKDOWNS, type Breakdown } from '../contract/vocabulary.js';
import type { PupilRecord, SchoolPupils } from '../contract/api.js';

const perc = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);
const sessionsOf = (c: PupilCounts) => ({
  possible: c.possible_sessions,
  absent: c.absent_sessions,
  recentPossible: c.recent_possible,
  recentAbsent: c.recent_absent,
});

/** Pupil-level figures for one school: its own users, its trust's and its LA's, never anyone else. */
@Injectable()
export class PupilsService {
  private readonly cipher: UpnCipher;
  private readonly calendar: TermCalendar;
  readonly threshold: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: PupilsRepository,
    private readonly schools: SchoolComparisonService,
  ) {
    this.cipher = new UpnCipher(config.upnKey);
    this.threshold = config.atRiskAttendance;
    this.calendar = config.termCalendar;
  }

  async pupils(
    urn: number,
    query: { from?: string; to?: string; threshold?: number; since?: string },
    viewer?: Principal,
  ): Promise<SchoolPupils> {
    const school = (await this.schools.summaries([urn])).get(urn);
    if (!school) throw new NotFoundException(`There is no school with URN ${urn} in the register`);
    requireAccess(
      seesPupils(viewer, school),
      viewer,
      `pupil-level figures for ${school.name} are for the school, its trust and its LA only`,
    );
    const threshold = query.threshold ?? this.threshold;
    const { from, to, recentFrom } = this.period(query.to, query.from);
    const previousFrom = [from, addDays(recentFrom, -RECENT_DAYS)].sort()[1];
    const since = query.since ?? lastMeetingDefault(this.calendar, to) ?? from;
    const [counts, details] = await Promise.all([
      this.repository.counts([urn], from, to, recentFrom),
      this.repository.details(urn, { from, to, recentFrom, previousFrom, since }),
    ]);
    const detailsOf = new Map(details.map((d) => [d.pupil_key, d]));
    const keys = counts.map((c) => c.pupil_key);
    const [identities, names] = await Promise.all([this.repository.identities(keys), this.repository.names(urn, keys)]);
    const counted: CountedPupil[] = [];
    const pupils = counts.map((c): PupilRecord => {
      const d = detailsOf.get(c.pupil_key)!;
      const absencePerc = perc(c.absent_sessions, c.possible_sessions)!;
      const encrypted = identities.get(c.pupil_key);
      const name = names.get(c.pupil_key);
      const warnings = pupilWarnings(sessionsOf(c), threshold);
      const recentAbsencePerc = perc(c.recent_absent, c.recent_possible);
      const previousAbsencePerc = perc(d.previous_absent, d.previous_possible);
      const thenAbsence = perc(d.then_absent, d.then_possible);
      const attendanceThenPerc = thenAbsence === null ? null : 100 - thenAbsence;
      const codes = absenceCodes(d.period_reasons);
      const recentCodes = absenceCodes(d.recent_reasons);
      const days = standOutDays(d.weekday_possible, d.weekday_absent);
      const band = attendanceBand(c.possible_sessions, c.absent_sessions)!;
      const bandThen = attendanceBand(d.then_possible, d.then_absent);
      const record: PupilRecord = {
        upn: encrypted ? this.cipher.decrypt(encrypted) : null,
        name: name ? this.cipher.decrypt(name) : null,
        yearGroup: c.year_group,
        sex: c.sex,
        fsm: c.fsm,
        sen: c.sen,
        eal: c.eal,
        ethnicity: c.ethnicity,
        cin: c.cin,
        cla: c.cla,
        compulsoryAge: c.counted === 1,
        possibleSessions: c.possible_sessions,
        absentSessions: c.absent_sessions,
        absencePerc,
        attendancePerc: 100 - absencePerc,
        band,
        persistent: absencePerc >= PERSISTENT_PERC,
        severe: absencePerc >= 50,
        recentAbsencePerc,
        earlierAbsencePerc: perc(c.absent_sessions - c.recent_absent, c.possible_sessions - c.recent_possible),
        previousAbsencePerc,
        trend:
          recentAbsencePerc === null || previousAbsencePerc === null ? null : recentAbsencePerc - previousAbsencePerc,
        absenceCodes: codes,
        recentAbsenceCodes: recentCodes,
        standOutDays: days,
        reason: reasonText({
          possible: c.possible_sessions,
          absent: c.absent_sessions,
          codes,
          days,
          recentPossible: c.recent_possible,
          recentAbsent: c.recent_absent,
          recentCodes,
          previousAbsencePerc,
        }),
        attendanceThenPerc,
        bandThen,
        attendanceChange: attendanceThenPerc === null ? null : 100 - absencePerc - attendanceThenPerc,
        warnings,
        atRisk: warnings.length > 0,
      };
      if (record.compulsoryAge) {
        const characteristics = Object.fromEntries(
          BREAKDOWN_NAMES.map((b) => [b, c[BREAKDOWNS[b].column as keyof PupilCounts]]),
        ) as Record<Breakdown, string>;
        counted.push({ band, bandThen, atRisk: record.atRisk, characteristics });
      }
      return record;
    });
    pupils.sort((a, b) => b.absencePerc - a.absencePerc || String(a.upn).localeCompare(String(b.upn)));
    const { now, then } = bandCounts(counted);
    const bands = ATTENDANCE_BANDS.map((band) => ({ band, pupils: now[band], pupilsThen: then[band] }));
    const cohorts = cohortSummary(counted);
    return { school, from, to, recentFrom, previousFrom, since, threshold, pupils, bands, cohorts };
  }

  /**
   * How many pupils of each school have a warning as of `date` (academic year to date): no pupil leaves this method.
   */
  async atRiskCounts(urns: number[], date: string): Promise<Map<number, number>> {
    const { from, to, recentFrom } = this.period(date);
    const counts = new Map<number, number>();
    for (const c of await this.repository.counts(urns, from, to, recentFrom)) {
      if (pupilWarnings(sessionsOf(c), this.threshold).length) counts.set(c.urn, (counts.get(c.urn) ?? 0) + 1);
    }
    return counts;
  }

  /** The period (default: the academic year to date) and its last four weeks. */
  private period(toDate?: string, fromDate?: string): { from: string; to: string; recentFrom: string } {
    const to = toDate ?? todayInLondon();
    const from = fromDate ?? academicYearStart(to);
    return { from, to, recentFrom: [from, addDays(to, -(RECENT_DAYS - 1))].sort()[1] };
  }
}
