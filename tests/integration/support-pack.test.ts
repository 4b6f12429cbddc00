// The Targeting Support Meeting pack: each pupil's band, reason (codes, days, trend) and change since the last meeting,
// the counts per band and per cohort, worked out by hand.
//
// School 900031 (Camden). The period: 1 September to Friday 28 November 2025 (to=2025-11-28). The last four weeks run
// from 1 November, the four before from 4 October; the default last meeting is 3 November (the autumn term's second
// half: the term calendar's), so "then" is 1 September to 2 November. Registers on 25 days: 8-12 September (10
// sessions), 6-17 October (20, all in the four weeks before) and 3-14 November (20, all in the last four weeks).
//   Ada  year 5, FSM, SEN support, White. Ill (I) on Mondays 8 Sep, 6 and 13 Oct; O on Monday 3, Tuesday 4 and Monday
//        10 Nov: 12 of 50 missed, 76% (persistent). Last four weeks 6 of 20 (30%), the four before 4 of 20 (20%).
//        Mondays 10 of 10 missed against 2 of 40 on other days. Then 6 of 30 missed: 80%; change -4.
//   Bob  year 6, not FSM, no SEN, Asian, EAL. Wednesday mornings 8 Oct (I), 5 and 12 Nov (N): 3 of 50, 94% (at risk
//        of persistent absence). Last four weeks 2 of 20 (10%: on course for persistent absence), before 1 of 20 (5%).
//        Wednesdays 3 of 10 against none. Then 1 of 30 missed: 96.67%; change -2.67.
//   Cat  year 5, FSM, EHC plan, Black, CIN. Ill 8-10 Sep (6), G the week of 3 Nov (10), O the week of 10 Nov (10): 26
//        of 50, 48% (severe). Last four weeks 20 of 20, before 0 of 20. No day stands out (60% on Mondays to
//        Wednesdays against 50% on the others). Then 6 of 30: 80%; change -32.
//   Dan  year 3, not FSM, ethnicity not sent: present throughout, 100%.
//   Eve  Reception (not of compulsory school age): ill every Monday, 10 of 50: in the list, in no band or cohort.
//   Fay  year 6, not FSM, White, looked after: on roll from October (40 sessions); medical appointment (M) all day 9 Oct:
//        2 of 40 missed, exactly 95% (the top band). Last four weeks 0 of 20, before 2 of 20 (10%). Then 2 of 20:
//        exactly 90%, persistent; change +5.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { PupilRecord, SchoolPupils } from '../../server/src/contract/api.js';
import { GIAS, PUPILS, register, TO } from '../fixtures/support-pack.js';

let server: TestServer;
const PERIOD = `to=${TO}`;

async function pack(query = PERIOD): Promise<{ status: number; body: SchoolPupils }> {
  const response = await fetch(`${server.url}/api/v1/schools/900031/pupils?${query}`, {
    headers: { authorization: `Bearer ${server.token('la', ['202'])}` },
  });
  return { status: response.status, body: (await response.json()) as SchoolPupils };
}
const byUpn = (body: SchoolPupils) =>
  Object.fromEntries(Object.entries(PUPILS).map(([k, p]) => [k, body.pupils.find((r) => r.upn === p.upn)!])) as Record<
    keyof typeof PUPILS,
    PupilRecord
  >;

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('the support pack', () => {
  it('gives the periods: the last four weeks, the four before, and the last meeting by the term calendar', async () => {
    const { status, body } = await pack();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      from: '2025-09-01',
      to: '2025-11-28',
      recentFrom: '2025-11-01',
      previousFrom: '2025-10-04',
      since: '2025-11-03',
      threshold: 97,
    });
    expect(body.pupils.map((p) => p.upn)).toEqual(['cat', 'ada', 'eve', 'bob', 'fay', 'dan'].map((k) => PUPILS[k].upn));
  });

  it("says each pupil's band, reason, trend and change since the last meeting", async () => {
    const { ada, bob, cat, dan, eve, fay } = byUpn((await pack()).body);
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      possibleSessions: 50,
      absentSessions: 12,
      attendancePerc: 76,
      band: 'persistent',
      recentAbsencePerc: 30,
      previousAbsencePerc: 20,
      trend: 10,
      absenceCodes: [
        { code: 'I', sessions: 6 },
        { code: 'O', sessions: 6 },
      ],
      recentAbsenceCodes: [{ code: 'O', sessions: 6 }],
      standOutDays: [{ day: 'Monday', possible: 10, absent: 10 }],
      attendanceThenPerc: 80,
      bandThen: 'persistent',
      warnings: ['below_threshold'],
    });
    expect(ada.attendanceChange).toBeCloseTo(-4, 9);
    expect(ada.reason).toBe(
      '12 of 50 sessions missed: 6 illness (I), 6 unauthorised other (O); more on Mondays (10 of 10 missed). ' +
        'Last four weeks: 6 of 20 missed (30.0%): 6 unauthorised other (O); up from 20.0% in the four weeks before.',
    );
    expect(bob).toMatchObject({
      attendancePerc: 94,
      band: 'pa_risk',
      recentAbsencePerc: 10,
      previousAbsencePerc: 5,
      trend: 5,
      bandThen: 'expected',
      warnings: ['below_threshold', 'on_course_for_pa'],
    });
    expect(bob.attendanceThenPerc).toBeCloseTo((29 / 30) * 100, 9);
    expect(bob.attendanceChange).toBeCloseTo(94 - (29 / 30) * 100, 9);
    expect(bob.reason).toBe(
      '3 of 50 sessions missed: 2 no reason yet (N), 1 illness (I); more on Wednesdays (3 of 10 missed). ' +
        'Last four weeks: 2 of 20 missed (10.0%): 2 no reason yet (N); up from 5.0% in the four weeks before.',
    );
    expect(cat).toMatchObject({
      name: null,
      attendancePerc: 48,
      band: 'severe',
      standOutDays: [],
      attendanceThenPerc: 80,
      bandThen: 'persistent',
      attendanceChange: -32,
      trend: 100,
    });
    expect(cat.reason).toBe(
      '26 of 50 sessions missed: 10 holiday not authorised (G), 10 unauthorised other (O), 6 illness (I). ' +
        'Last four weeks: 20 of 20 missed (100.0%): 10 holiday not authorised (G), 10 unauthorised other (O); up from 0.0% in the four weeks before.',
    );
    expect(dan).toMatchObject({
      band: 'expected',
      attendanceThenPerc: 100,
      attendanceChange: 0,
      trend: 0,
      absenceCodes: [],
      reason: 'No sessions missed (50 possible).',
      warnings: [],
    });
    expect(eve).toMatchObject({ compulsoryAge: false, band: 'persistent', absentSessions: 10 });
    expect(fay).toMatchObject({
      possibleSessions: 40,
      attendancePerc: 95,
      band: 'expected',
      previousAbsencePerc: 10,
      trend: -10,
      attendanceThenPerc: 90,
      bandThen: 'persistent',
      attendanceChange: 5,
      atRisk: false,
    });
    expect(fay.reason).toBe(
      '2 of 40 sessions missed: 2 medical or dental appointment (M). ' +
        'Last four weeks: 0 of 20 missed (0.0%); down from 10.0% in the four weeks before.',
    );
  });

  it('counts the pupils of compulsory school age per band, now and at the last meeting', async () => {
    expect((await pack()).body.bands).toEqual([
      { band: 'expected', pupils: 2, pupilsThen: 2 },
      { band: 'pa_risk', pupils: 1, pupilsThen: 0 },
      { band: 'persistent', pupils: 1, pupilsThen: 3 },
      { band: 'severe', pupils: 1, pupilsThen: 0 },
    ]);
  });

  it('summarises the cohorts: pupils per band and at risk by FSM, SEN, year group, ...', async () => {
    const { cohorts } = (await pack()).body;
    const of = (breakdown: string) =>
      cohorts
        .filter((c) => c.breakdown === breakdown)
        .map((c) => [
          c.value,
          c.pupils,
          c.bands.expected,
          c.bands.pa_risk,
          c.bands.persistent,
          c.bands.severe,
          c.atRisk,
        ]);
    expect(of('fsm')).toEqual([
      ['FSM eligible', 2, 0, 0, 1, 1, 2],
      ['Not known to be FSM eligible', 3, 2, 1, 0, 0, 1],
    ]);
    expect(of('sen')).toEqual([
      ['EHC plan', 1, 0, 0, 0, 1, 1],
      ['SEN support', 1, 0, 0, 1, 0, 1],
      ['No SEN', 3, 2, 1, 0, 0, 1],
    ]);
    expect(of('year_group')).toEqual([
      ['Year 3', 1, 1, 0, 0, 0, 0],
      ['Year 5', 2, 0, 0, 1, 1, 2],
      ['Year 6', 2, 1, 1, 0, 0, 1],
    ]);
    expect(of('ethnicity')).toEqual([
      ['White', 2, 1, 0, 1, 0, 1],
      ['Asian or Asian British', 1, 0, 1, 0, 0, 1],
      ['Black or Black British', 1, 0, 0, 0, 1, 1],
      ['Unclassified', 1, 1, 0, 0, 0, 0],
    ]);
    expect(of('cla')).toEqual([
      ['Looked after', 1, 1, 0, 0, 0, 0],
      ['Not looked after', 4, 1, 1, 1, 1, 3],
    ]);
    expect(cohorts.find((c) => c.breakdown === 'cin' && c.value === 'Child in need')).toMatchObject({
      breakdownName: 'Children in need',
      pupils: 1,
      atRisk: 1,
    });
  });

  it('takes the last meeting and the threshold chosen', async () => {
    // Then is 1 to 5 September: the week of 8 September only. Fay was not on roll.
    const october = (await pack(`${PERIOD}&since=2025-10-06`)).body;
    const { ada, cat, fay } = byUpn(october);
    expect([ada.attendanceThenPerc, ada.bandThen]).toEqual([80, 'persistent']);
    expect([cat.attendanceThenPerc, cat.bandThen, cat.attendanceChange]).toEqual([40, 'severe', 8]);
    expect([fay.attendanceThenPerc, fay.bandThen, fay.attendanceChange]).toEqual([null, null, null]);
    expect(october.bands.map((b) => b.pupilsThen)).toEqual([2, 0, 1, 1]);
    // A meeting on the first day of the period: nothing before it.
    const first = (await pack(`${PERIOD}&since=2025-09-01`)).body;
    expect(first.pupils.every((p) => p.attendanceThenPerc === null && p.attendanceChange === null)).toBe(true);
    expect(first.bands.map((b) => b.pupilsThen)).toEqual([0, 0, 0, 0]);
    const after = await pack(`${PERIOD}&since=2025-11-29`);
    expect(after.status).toBe(400);
    expect((after.body as unknown as { errors: unknown }).errors).toEqual([
      { field: 'since', message: 'since must not be after to (default today)' },
    ]);
    // At 65%: Ada attended 70% of the last four weeks and is persistently absent already: no longer at risk.
    const lower = (await pack(`${PERIOD}&threshold=65`)).body;
    expect(byUpn(lower).ada.warnings).toEqual([]);
    expect(byUpn(lower).bob.warnings).toEqual(['on_course_for_pa']);
    expect(lower.cohorts.find((c) => c.value === 'FSM eligible')!.atRisk).toBe(1);
  });

  it('downloads the bands, reasons and changes in the CSV', async () => {
    const response = await fetch(`${server.url}/api/v1/schools/900031/pupils.csv?${PERIOD}`, {
      headers: { authorization: `Bearer ${server.token('school', ['900031'])}` },
    });
    const text = await response.text();
    const [header, ...rows] = text.trim().split('\n');
    expect(header).toBe(
      'upn,yearGroup,sex,fsm,sen,eal,ethnicity,cin,cla,compulsoryAge,possibleSessions,absentSessions,absencePerc,' +
        'attendancePerc,band,persistent,severe,recentAbsencePerc,earlierAbsencePerc,previousAbsencePerc,trend,warnings,' +
        'atRisk,reason,attendanceThenPerc,bandThen,attendanceChange,name',
    );
    const ada = rows.find((r) => r.startsWith(PUPILS.ada.upn))!;
    // Rates unrounded, a true flag 1 and a false one empty, as the CSV has always written them.
    expect(ada).toBe(
      'Z9ADA0000031,5,F,Y,K,N,WHIT,N,N,1,50,12,24,76,persistent,1,,30,20,20,10,below_threshold,1,' +
        '"12 of 50 sessions missed: 6 illness (I), 6 unauthorised other (O); more on Mondays (10 of 10 missed). ' +
        'Last four weeks: 6 of 20 missed (30.0%): 6 unauthorised other (O); up from 20.0% in the four weeks before.",' +
        '80,persistent,-4,Ada Lovelace',
    );
  });
});
