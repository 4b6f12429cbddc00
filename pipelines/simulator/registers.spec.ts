import { addDays, isoWeekday } from '../../server/src/common/dates.js';
import { LOCAL_AUTHORITIES } from '../../server/src/reference/local-authorities.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES } from '../../server/src/submission/register-codes.js';
import { amendmentRows, pupilsOf, REGISTER_HEADER, schoolDay, sessionRows } from './registers.js';
import { giasCsv, syntheticSchools } from './synthetic-schools.js';
import { calibrationFor } from './calibration.js';

const schools = syntheticSchools(0.004, 7);
const codesOf = (rows: string) => rows.trim().split('\n').map((line) => line.split(',')[4]);

describe('synthetic schools', () => {
  it('cover all 153 LAs, in proportion to DfE school numbers', () => {
    const national = syntheticSchools(0.01, 3);
    expect(new Set(national.map((s) => s.laCode)).size).toBe(153);
    const count = (gss: string) => national.filter((s) => s.laGss === gss).length;
    // Kent (E10000016) has far more schools than Rutland (E06000017).
    expect(count('E10000016')).toBeGreaterThanOrEqual(4 * count('E06000017'));
    const csv = giasCsv(schools);
    expect(csv.split('\n')[0]).toBe('URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils,PercentageFSM,Trusts (code),Trusts (name),LSOA (code),MSOA (code),OfstedLastInsp');
    expect(new Set(schools.map((s) => s.urn)).size).toBe(schools.length);
  });

  it('give pupils year groups that fit the phase', () => {
    for (const school of schools.slice(0, 200)) {
      for (const pupil of pupilsOf(school, 7)) {
        if (school.phase === 'Primary') expect(['N2', 'R', '1', '2', '3', '4', '5', '6']).toContain(pupil.yearGroup);
        if (school.phase === 'Secondary') expect(Number(pupil.yearGroup)).toBeGreaterThanOrEqual(7);
        expect(pupil.upn).toMatch(/^[A-Za-z0-9]{1,32}$/);
      }
    }
  });
});

describe('simulated registers', () => {
  it('reproduce national absence and persistent absence over the autumn term (DfE 2025/26: 6.88%, 18.78%)', () => {
    const termSchools = syntheticSchools(0.002, 11);
    const perPupil = new Map<string, { possible: number; absent: number }>();
    let possible = 0;
    let absent = 0;
    for (let date = '2026-09-03'; date <= '2026-12-18'; date = addDays(date, 1)) {
      if (isoWeekday(date) > 5 || (date >= '2026-10-26' && date <= '2026-10-30')) continue;
      for (const school of termSchools) {
        const day = schoolDay(school, date, 7);
        const pupils = pupilsOf(school, 7);
        pupils.forEach((pupil, i) => {
          if (!COUNTED_YEAR_GROUPS.has(pupil.yearGroup)) return;
          const key = `${school.urn}|${pupil.upn}`;
          const tally = perPupil.get(key) ?? { possible: 0, absent: 0 };
          for (const code of [day.am[i], day.pm[i]]) {
            const category = REGISTER_CODES.get(code)!.category;
            if (category === 'not_possible') continue;
            tally.possible++;
            possible++;
            if (category === 'authorised' || category === 'unauthorised') (tally.absent++, absent++);
          }
          perPupil.set(key, tally);
        });
      }
    }
    const enrolments = [...perPupil.values()].filter((t) => t.possible > 0);
    const persistent = enrolments.filter((t) => t.absent * 10 >= t.possible).length;
    const absence = (absent / possible) * 100;
    const pa = (persistent / enrolments.length) * 100;
    console.log(`simulated autumn term: overall absence ${absence.toFixed(2)}%, persistent absence ${pa.toFixed(2)}%`);
    expect(absence).toBeGreaterThan(6.88 - 0.5);
    expect(absence).toBeLessThan(6.88 + 0.5);
    expect(pa).toBeGreaterThan(18.78 - 3);
    expect(pa).toBeLessThan(18.78 + 3);
  });

  it('send only register codes, N only on the live day, and amend every N later', () => {
    const school = schools.find((s) => s.phase === 'Secondary')!;
    const history = schoolDay(school, '2026-11-20', 7);
    const rows = sessionRows(history, 'AM', 7) + sessionRows(history, 'PM', 7);
    const codes = codesOf(rows);
    expect(codes.every((code) => REGISTER_CODES.has(code))).toBe(true);
    expect(codes).not.toContain('N');
    expect(rows.trim().split('\n')[0].split(',')).toHaveLength(REGISTER_HEADER.trim().split(',').length);

    const live = schools.slice(0, 20).map((s) => schoolDay(s, '2026-11-20', 7, 0));
    expect(live.flatMap((day) => codesOf(sessionRows(day, 'AM', 7)))).toContain('N');
    const amended = live.map((day) => amendmentRows(day, 1, 7)).join('');
    expect(codesOf(amended)).not.toContain('N');
    expect(codesOf(amended).length).toBeGreaterThan(0);
    expect(live.every((day) => day.pendingAm.size + day.pendingPm.size === 0)).toBe(true);
  });

  it('follow each LA: a high-absence LA stays above a low-absence one', () => {
    const rateOf = (gss: string) => calibrationFor(gss, 'Secondary').absence;
    const [high, low] = [...LOCAL_AUTHORITIES].sort((a, b) => rateOf(b.gss) - rateOf(a.gss)).filter((la) => schools.some((s) => s.laGss === la.gss && s.phase === 'Secondary')).filter((_, i, all) => i === 0 || i === all.length - 1);
    const simulated = (gss: string) => {
      let possible = 0;
      let absent = 0;
      for (const school of schools.filter((s) => s.laGss === gss && s.phase === 'Secondary')) {
        for (let date = '2026-09-07'; date <= '2026-10-23'; date = addDays(date, 1)) {
          if (isoWeekday(date) > 5) continue;
          for (const code of schoolDay(school, date, 7).am) {
            const category = REGISTER_CODES.get(code)!.category;
            if (category === 'not_possible') continue;
            possible++;
            if (category === 'authorised' || category === 'unauthorised') absent++;
          }
        }
      }
      return absent / possible;
    };
    expect(simulated(high.gss)).toBeGreaterThan(simulated(low.gss));
  });
});
