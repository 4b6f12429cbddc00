import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { PupilRecord, SchoolPupils, SchoolSummary } from '../api-contract.js';
import { requireAccess, seesPupils } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, addDays, todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { PupilsRepository } from './pupils.repository.js';
import { UpnCipher } from './upn-cipher.js';

/** At risk: attending under this share of sessions over the last four weeks (DfE's guidance example: 97%). */
export const AT_RISK_ATTENDANCE = 97;
const RECENT_DAYS = 28;

const perc = (n: number, d: number) => (d > 0 ? (n / d) * 100 : null);

/** Pupil-level figures for one school: its own users, its trust's and its LA's, never anyone else. */
@Injectable()
export class PupilsService {
  private readonly cipher: UpnCipher;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: PupilsRepository,
    private readonly schools: SchoolComparisonService,
  ) {
    this.cipher = new UpnCipher(config.upnKey);
  }

  async pupils(urn: number, period: { from?: string; to?: string }, viewer?: Principal): Promise<SchoolPupils> {
    const school = (await this.schools.summaries([urn])).get(urn);
    if (!school) throw new NotFoundException(`There is no school with URN ${urn} in the register`);
    requireAccess(seesPupils(viewer, school), viewer, `pupil-level figures for ${school.name} are for the school, its trust and its LA only`);
    const to = period.to ?? todayInLondon();
    const from = period.from ?? academicYearStart(to);
    const recentFrom = [from, addDays(to, -(RECENT_DAYS - 1))].sort()[1];
    const counts = await this.repository.counts(urn, from, to, recentFrom);
    const identities = await this.repository.identities(counts.map((c) => c.pupil_key));
    const pupils = counts.map((c): PupilRecord => {
      const absencePerc = perc(c.absent_sessions, c.possible_sessions)!;
      const recent = perc(c.recent_absent, c.recent_possible);
      const earlier = perc(c.absent_sessions - c.recent_absent, c.possible_sessions - c.recent_possible);
      const persistent = absencePerc >= 10;
      const encrypted = identities.get(c.pupil_key);
      return {
        upn: encrypted ? this.cipher.decrypt(encrypted) : null,
        yearGroup: c.year_group, sex: c.sex, fsm: c.fsm, sen: c.sen, eal: c.eal, ethnicity: c.ethnicity, cin: c.cin, cla: c.cla,
        compulsoryAge: c.counted === 1,
        possibleSessions: c.possible_sessions,
        absentSessions: c.absent_sessions,
        absencePerc,
        persistent,
        severe: absencePerc >= 50,
        recentAbsencePerc: recent,
        earlierAbsencePerc: earlier,
        atRisk: !persistent && recent !== null && 100 - recent < AT_RISK_ATTENDANCE && (earlier === null || recent > earlier),
      };
    });
    pupils.sort((a, b) => b.absencePerc - a.absencePerc || String(a.upn).localeCompare(String(b.upn)));
    return { school, from, to, recentFrom, threshold: AT_RISK_ATTENDANCE, pupils };
  }
}
