import { addDays } from '../../server/src/common/dates.js';
import { LOCAL_AUTHORITIES } from '../../server/src/reference/local-authorities.js';
import { calibrationFor } from './calibration.js';
import { mulberry32 } from './random.js';
import { amendmentRows, dayRows, REGISTER_HEADER, registerCsv, schoolDay, sessionRows } from './registers.js';
import { isSchoolDay } from '../../server/src/calendar/term-calendar.js';
import { historyDates } from './simulator.js';
import { pupilsOf } from './synthetic-pupils.js';
import { syntheticSchools } from './synthetic-schools.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES, YEAR_GROUPS } from '../../server/src/contract/vocabulary.js';

const SEED = 7;
// Every fifth school at 1% of England: the same phase and LA mix as the demo, a fifth of the work.
const schools = syntheticSchools(0.01, 11, '2026-11-23').filter((_, i) => i % 5 === 0);
const codesOf = (rows: string) =>
  rows
    .trim()
    .split('\n')
    .map((line) => line.split(',')[4]);
const ABSENT = new Set(['authorised', 'unauthorised']);
const countRows = (text: string) => text.split('\n').length - 1;

describe('synthetic pupils', () => {
  it('have UPN-like ids and year groups that fit the phase', () => {
    const allowed = {
      Primary: ['N2', 'R', '1', '2', '3', '4', '5', '6'],
      Secondary: ['7', '8', '9', '10', '11', '12', '13'],
      Special: [...YEAR_GROUPS].filter((y) => !y.startsWith('N') && y !== 'R'),
    };
    const seen = { Primary: new Set<string>(), Secondary: new Set<string>(), Special: new Set<string>() };
    const upns = new Set<string>();
    for (const school of schools) {
      for (const pupil of pupilsOf(school, SEED)) {
        seen[school.phase].add(pupil.yearGroup);
        upns.add(pupil.upn);
      }
    }
    for (const phase of ['Primary', 'Secondary', 'Special'] as const) {
      expect([...seen[phase]].filter((y) => !allowed[phase].includes(y))).toEqual([]);
    }
    expect(seen.Primary).toContain('R');
    expect(seen.Secondary).toContain('12');
    expect(seen.Special.size).toBeGreaterThan(10);
    expect([...upns].every((upn) => /^[A-Z0-9]{13}$/.test(upn))).toBe(true);
    expect(upns.size).toBe(schools.reduce((sum, s) => sum + s.pupils, 0));
  });

  it('have characteristics in census shares', () => {
    const pupils = schools.flatMap((s) => pupilsOf(s, SEED));
    const share = (f: (p: (typeof pupils)[number]) => boolean) => pupils.filter(f).length / pupils.length;
    expect(share((p) => p.sen === 'N')).toBeGreaterThan(0.7);
    expect(share((p) => p.sen === 'E')).toBeLessThan(0.1);
    expect(share((p) => p.eal === 'Y')).toBeGreaterThan(0.15);
    expect(share((p) => p.eal === 'Y')).toBeLessThan(0.3);
    expect(share((p) => p.cin === 'Y')).toBeCloseTo(0.03, 1);
    expect(share((p) => p.cla === 'Y')).toBeLessThan(0.015);
    expect(share((p) => p.ethnicity === 'WHIT')).toBeGreaterThan(0.55);
    expect(share((p) => p.fsm === 'Y')).toBeGreaterThan(0.1);
    expect(share((p) => p.fsm === 'Y')).toBeLessThan(0.4);
    expect(pupils.every((p) => /^E01\d{6}$/.test(p.lsoa))).toBe(true);
  });
});

describe('absence propensities', () => {
  it('are skewed: most pupils miss little, a long tail misses a lot', () => {
    const pupils = schools.flatMap((s) => pupilsOf(s, SEED)).map((p) => p.propensity);
    const sorted = [...pupils].sort((a, b) => a - b);
    const mean = pupils.reduce((a, b) => a + b, 0) / pupils.length;
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(mean);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeGreaterThan(3 * mean);
  });
});

describe('simulated registers', () => {
  it('reproduce national overall and persistent absence over the autumn term (DfE 2025/26: 6.88%, 18.78%)', () => {
    let possible = 0;
    let absent = 0;
    let enrolments = 0;
    let persistent = 0;
    let closedDays = 0;
    const dates: string[] = [];
    for (let date = '2026-09-01'; date <= '2026-12-18'; date = addDays(date, 1))
      if (isSchoolDay(date)) dates.push(date);
    for (const school of schools) {
      const pupils = pupilsOf(school, SEED);
      const own = { possible: new Int32Array(pupils.length), absent: new Int32Array(pupils.length) };
      for (const date of dates) {
        const day = schoolDay(school, date, SEED);
        // Now and then a school is closed for the whole day (#), both sessions.
        if (day.am[0] === '#') {
          closedDays++;
          expect(day.am.every((code) => code === '#') && day.pm.every((code) => code === '#')).toBe(true);
        }
        for (let i = 0; i < pupils.length; i++) {
          for (const code of [day.am[i], day.pm[i]]) {
            const category = REGISTER_CODES.get(code)!.category;
            if (category === 'not_possible') continue;
            own.possible[i]++;
            if (ABSENT.has(category)) own.absent[i]++;
          }
        }
      }
      pupils.forEach((pupil, i) => {
        if (!COUNTED_YEAR_GROUPS.has(pupil.yearGroup) || own.possible[i] === 0) return;
        possible += own.possible[i];
        absent += own.absent[i];
        enrolments++;
        if (own.absent[i] * 10 >= own.possible[i]) persistent++;
      });
    }
    const absence = (absent / possible) * 100;
    const pa = (persistent / enrolments) * 100;
    console.log(
      `simulated autumn term (${enrolments} pupils): overall absence ${absence.toFixed(2)}%, persistent absence ${pa.toFixed(2)}%`,
    );
    expect(Math.abs(absence - 6.88)).toBeLessThan(0.5);
    expect(Math.abs(pa - 18.78)).toBeLessThan(3);
    expect(closedDays).toBeGreaterThan(0);
    expect(closedDays).toBeLessThan(0.01 * dates.length * schools.length);
  });

  it('emit only register codes, a mix of them, and N only on the live day', () => {
    const codes = new Set<string>();
    for (const date of historyDates('2026-11-23', 3))
      for (const school of schools) for (const code of codesOf(dayRows(school, date, SEED))) codes.add(code);
    expect([...codes].filter((code) => !REGISTER_CODES.has(code))).toEqual([]);
    expect(codes).not.toContain('N');
    for (const code of ['/', '\\', 'L', 'U', 'I', 'M', 'O', 'G', 'B', 'V', 'P', 'K', 'D', 'Z', 'X'])
      expect(codes).toContain(code);

    const live = schools.slice(0, 40).map((s) => schoolDay(s, '2026-11-23', SEED, 0));
    const liveCodes = live.flatMap((day) => codesOf(sessionRows(day, 'AM', SEED) + sessionRows(day, 'PM', SEED)));
    expect(liveCodes).toContain('N');
    const rng = mulberry32(1);
    const amended = live.map((day) => amendmentRows(day, ['AM', 'PM'], 1, rng, SEED)).join('');
    expect(codesOf(amended).length).toBeGreaterThan(0);
    expect(codesOf(amended)).not.toContain('N');
    expect(live.every((day) => day.pendingAm.size + day.pendingPm.size === 0)).toBe(true);
    // The same live day in another cycle sends a different set of pending marks.
    const again = schoolDay(live[0].school, '2026-11-23', SEED, 1);
    expect(again.am).toEqual(schoolDay(live[0].school, '2026-11-23', SEED, 0).am);
  });

  it('mark pupils not yet on roll Z until they join, and X only where attendance is not required', () => {
    const NON_COMPULSORY = new Set(['N1', 'N2', '12', '13', '14']);
    let joiners = 0;
    let partTime = 0;
    const wrong: string[] = [];
    for (const school of schools) {
      const pupils = pupilsOf(school, SEED);
      const early = schoolDay(school, '2026-09-03', SEED);
      const later = schoolDay(school, '2027-03-01', SEED);
      if (early.am[0] === '#' || later.am[0] === '#') continue;
      pupils.forEach((pupil, i) => {
        if (pupil.dualRegistered) return;
        if ((early.am[i] === 'Z') !== pupil.joinDay > 2 || later.am[i] === 'Z') wrong.push(`${pupil.upn} Z`);
        if (pupil.joinDay > 2) joiners++;
        const x = [early.am[i], early.pm[i], later.am[i], later.pm[i]].includes('X');
        if (x && !NON_COMPULSORY.has(pupil.yearGroup)) wrong.push(`${pupil.upn} X in year ${pupil.yearGroup}`);
        if (pupil.partTime) {
          partTime++;
          if (later.pm[i] !== 'X') wrong.push(`${pupil.upn} part-time PM ${later.pm[i]}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    const total = schools.reduce((sum, s) => sum + s.pupils, 0);
    expect(joiners / total).toBeGreaterThan(0.01);
    expect(joiners / total).toBeLessThan(0.05);
    expect(partTime).toBeGreaterThan(0);
  });

  it('render one school submission as CSV: the header and a row per pupil and session', () => {
    const day = schoolDay(schools[0], '2026-11-23', SEED, 0);
    const csv = registerCsv(day, ['AM', 'PM'], SEED);
    expect(csv.startsWith(REGISTER_HEADER)).toBe(true);
    expect(countRows(csv)).toBe(1 + 2 * schools[0].pupils);
    expect(
      registerCsv(day, ['PM'], SEED)
        .split('\n')
        .slice(1, -1)
        .every((row) => row.split(',')[3] === 'PM'),
    ).toBe(true);
  });

  it('render the CSV header and rows in shape', () => {
    expect(REGISTER_HEADER).toBe('urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa\n');
    const school = schools.find((s) => s.phase === 'Secondary')!;
    const rows = dayRows(school, '2026-11-20', SEED).trim().split('\n');
    expect(rows).toHaveLength(2 * school.pupils);
    for (const row of rows) {
      const [urn, upn, date, session, code, yearGroup, sex, fsm, sen, eal, ethnicity, cin, cla, lsoa, ...rest] =
        row.split(',');
      expect(rest).toEqual([]);
      expect(urn).toBe(String(school.urn));
      expect(upn).toMatch(/^[A-Z0-9]{13}$/);
      expect(date).toBe('2026-11-20');
      expect(REGISTER_CODES.has(code)).toBe(true);
      if (session === 'AM') expect(code).not.toBe('\\');
      else expect(session === 'PM' && code !== '/').toBe(true);
      expect(YEAR_GROUPS.has(yearGroup)).toBe(true);
      expect([sex, fsm, eal, cin, cla].every((v) => /^[FMYN]$/.test(v))).toBe(true);
      expect(['N', 'K', 'E']).toContain(sen);
      expect(['WHIT', 'MIXD', 'ASIA', 'BLAC', 'CHNE', 'AOEG', 'UNCL']).toContain(ethnicity);
      expect(lsoa).toMatch(/^E01\d{6}$/);
    }
  });

  it('follow each LA: a high-absence LA stays above a low-absence one', () => {
    const all = syntheticSchools(0.01, 11, '2026-11-23');
    const rateOf = (gss: string) => calibrationFor(gss, 'Secondary').absence;
    const withSecondary = LOCAL_AUTHORITIES.filter(
      (la) => all.filter((s) => s.laGss === la.gss && s.phase === 'Secondary').length >= 2,
    );
    const sorted = [...withSecondary].sort((a, b) => rateOf(b.gss) - rateOf(a.gss));
    const simulated = (gss: string) => {
      let possible = 0;
      let absent = 0;
      for (const school of all.filter((s) => s.laGss === gss && s.phase === 'Secondary')) {
        for (const date of historyDates('2026-10-23', 20)) {
          for (const code of schoolDay(school, date, SEED).am) {
            const category = REGISTER_CODES.get(code)!.category;
            if (category === 'not_possible') continue;
            possible++;
            if (ABSENT.has(category)) absent++;
          }
        }
      }
      return absent / possible;
    };
    expect(simulated(sorted[0].gss)).toBeGreaterThan(simulated(sorted[sorted.length - 1].gss));
  });
});
