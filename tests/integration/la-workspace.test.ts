// The LA workspace's comparisons, checked against figures worked out by hand from a small register (below).
//
// Two Mondays, D1 = 2026-11-09 and D2 = 2026-11-16, AM and PM: 4 sessions a pupil (2 where a school did not submit D2).
// Camden (202, London):
//   A 900001 Primary: 20 pupils, year 3. A1-A10 FSM, absent D2 AM (I): 1 of 4 each. A11-A20 not FSM, present.
//      A1-A15 live in E01000907 ("Camden 001A"), A16-A20 in E01000999 (no name known).
//      -> possible 80, absent 10: 12.5%. Week of D1 0/40 = 0%; week of D2 10/40 = 25%: change +25. PA: A1-A10 (25%).
//   B 900002 Secondary academy, trust 5001: 10 pupils, year 9, not FSM, in E01000908 ("Camden 001B"); D1 only (B
//      did not submit D2). B1 absent D1 AM (U) and PM (O): 2 of 2.
//      -> possible 20, absent 2: 10%. Weekly [10%, none]: change none. PA: B1 (100%).
//   Camden: possible 100, absent 12: 12%. 30 enrolments, 11 persistent: 36.67%.
// Islington (206, London; Camden's closest statistical neighbour), one school:
//   C 900003 Primary: 20 pupils; C1-C10 FSM, absent D1 AM and PM (2 of 4, 50%); C11-C20 present.
//      -> possible 80, absent 20: 25%. PA 10 of 20.
// Hartlepool (805, North East), one school:
//   D 900004 Primary: 10 pupils, not FSM, all present: possible 40, absent 0: 0%.
// England: possible 220, absent 32: 14.545%. London: possible 180, absent 32: 17.778%.
// FSM (overall absence): Camden FSM 10/40 = 25%, not FSM 2/60 = 3.333% (gap 21.667); Islington 20/40 = 50% and
//   0/40 = 0% (gap 50); England 30/80 = 37.5% and 2/140 = 1.4286% (gap 36.071).
// Home areas (Camden): "Camden 001" = A1-A15 + B: 25 pupils, possible 80, absent 12 (15%), persistent 11 (44%);
//   E01000999 = A16-A20: 5 pupils, possible 20, absent 0 (0%).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type {
  LaCohorts,
  LaComparison,
  LaNeighbourhoods,
  LaSchools,
  LaTarget,
  Status,
  TrustOverview,
} from '../../server/src/contract/api.js';
import { DEFAULT_TERM_CALENDAR, latestSchoolDayIn, loadTermCalendar } from '../../server/src/calendar/term-calendar.js';
import { todayInLondon } from '../../server/src/common/dates.js';

const D1 = '2026-11-09';
const D2 = '2026-11-16';

const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),Trusts (code),Trusts (name),LSOA (code),LSOA (name),MSOA (code),MSOA (name)',
  '900001,202,Alpha Primary,Community school,Open,Primary,,,E01000907,Camden 001A,E02000166,Camden 001',
  '900002,202,Beta Academy,Academy converter,Open,Secondary,5001,Thames Learning Trust,E01000908,Camden 001B,E02000166,Camden 001',
  '900003,206,Gamma Primary,Community school,Open,Primary,,,E01002700,Islington 001A,E02000550,Islington 001',
  '900004,805,Delta Primary,Community school,Open,Primary,,,E01011950,Hartlepool 001A,E02002483,Hartlepool 001',
].join('\n');

function register(): string {
  const rows = ['urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa'];
  const mark = (
    urn: number,
    pupil: string,
    date: string,
    session: string,
    code: string,
    year: string,
    fsm: string,
    lsoa: string,
  ) => rows.push(`${urn},${pupil},${date},${session},${code},${year},F,${fsm},N,N,WHIT,N,N,${lsoa}`);
  for (let i = 1; i <= 20; i++) {
    const fsm = i <= 10 ? 'Y' : 'N';
    const lsoa = i <= 15 ? 'E01000907' : 'E01000999';
    for (const date of [D1, D2]) {
      mark(900001, `A${i}`, date, 'AM', fsm === 'Y' && date === D2 ? 'I' : '/', '3', fsm, lsoa);
      mark(900001, `A${i}`, date, 'PM', '\\', '3', fsm, lsoa);
    }
  }
  for (let i = 1; i <= 10; i++) {
    mark(900002, `B${i}`, D1, 'AM', i === 1 ? 'U' : '/', '9', 'N', 'E01000908');
    mark(900002, `B${i}`, D1, 'PM', i === 1 ? 'O' : '\\', '9', 'N', 'E01000908');
  }
  for (let i = 1; i <= 20; i++) {
    const fsm = i <= 10 ? 'Y' : 'N';
    for (const date of [D1, D2]) {
      mark(900003, `C${i}`, date, 'AM', fsm === 'Y' && date === D1 ? 'O' : '/', '4', fsm, 'E01002700');
      mark(900003, `C${i}`, date, 'PM', fsm === 'Y' && date === D1 ? 'O' : '\\', '4', fsm, 'E01002700');
    }
  }
  for (let i = 1; i <= 10; i++)
    for (const date of [D1, D2])
      for (const session of ['AM', 'PM'])
        mark(900004, `D${i}`, date, session, session === 'AM' ? '/' : '\\', '5', 'N', 'E01011950');
  return `${rows.join('\n')}\n`;
}

let server: TestServer;
const period = `from=${D1}&to=${D2}`;

async function get<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('LA comparison', () => {
  it('sets the LA beside its region, England and its statistical neighbours, and ranks it', async () => {
    // A user of all three LAs has pupil-level rights to each, so nothing is hidden from them.
    const { status, body } = await get<LaComparison>(
      `/api/v1/las/202/comparison?${period}`,
      server.token('la', ['202', '206', '805']),
    );
    expect(status).toBe(200);
    expect(body.row.overall_absence_perc).toBeCloseTo(12, 6);
    expect(body.row.pa_perc).toBeCloseTo((11 / 30) * 100, 6);
    expect(body.region.overall_absence_perc).toBeCloseTo((32 / 180) * 100, 6);
    expect(body.england.overall_absence_perc).toBeCloseTo((32 / 220) * 100, 6);
    expect(body.statNeighbours.map((n) => n.la.code)).toEqual([
      '206',
      '213',
      '205',
      '210',
      '208',
      '207',
      '209',
      '309',
      '204',
      '302',
    ]);
    expect(body.statNeighbours[0].row.overall_absence_perc).toBeCloseTo(25, 6);
    // Only Islington has figures among the ten: the group is Islington.
    expect(body.statNeighbourGroup.las).toBe(1);
    expect(body.statNeighbourGroup.row.overall_absence_perc).toBeCloseTo(25, 6);
    expect(body.geoNeighbours.map((n) => n.la.code).sort()).toEqual(['201', '206', '213', '302', '304', '309']);
    // Hartlepool 0% < Camden 12% < Islington 25%.
    expect(body.rankings.find((r) => r.measure === 'overall_absence_perc')).toEqual({
      measure: 'overall_absence_perc',
      position: 2,
      of: 3,
      quartile: 2,
    });
  });

  it('gives the public the same comparison with one-school LAs withheld, and no neighbour figures recoverable', async () => {
    // Islington and Hartlepool have one school each: c, and so are North East (Hartlepool alone) and, to keep
    // Islington from being England less North East less Camden, London: the box Hartlepool, North East, London,
    // Islington moves them all without changing a published total. Camden (two schools) is shown.
    const { body } = await get<LaComparison>(`/api/v1/las/202/comparison?${period}`);
    expect(body.row.overall_absence_perc).toBeCloseTo(12, 6);
    expect(body.region.overall_absence_perc).toBe('c');
    expect(body.england.overall_absence_perc).toBeCloseTo((32 / 220) * 100, 6);
    expect(body.statNeighbours[0].row.overall_absence_perc).toBe('c');
    expect(body.statNeighbourGroup.las).toBe(0);
    expect(body.statNeighbourGroup.row.overall_absence_perc).toBeNull();
    expect(body.rankings.find((r) => r.measure === 'overall_absence_perc')).toEqual({
      measure: 'overall_absence_perc',
      position: 1,
      of: 1,
      quartile: 1,
    });
    // Camden's own users see Camden, and elsewhere what the public sees.
    const own = (await get<LaComparison>(`/api/v1/las/202/comparison?${period}`, server.token('la', ['202']))).body;
    expect(own.row.overall_absence_perc).toBeCloseTo(12, 6);
    expect(own.region.overall_absence_perc).toBe('c');
    expect(own.statNeighbours[0].row.overall_absence_perc).toBe('c');
  });

  it('answers 404 for an unknown LA and 400 for a malformed code', async () => {
    expect((await get(`/api/v1/las/999/comparison`)).status).toBe(404);
    expect((await get(`/api/v1/las/camden/comparison`)).status).toBe(400);
  });
});

describe('LA cohorts', () => {
  it('compares each FSM cohort with the neighbours and England, with the FSM gap', async () => {
    const { body } = await get<LaCohorts>(
      `/api/v1/las/202/cohorts?${period}&breakdown=fsm`,
      server.token('la', ['202', '206', '805']),
    );
    const cohort = (label: string) => body.cohorts.find((c) => c.breakdown === label)!;
    expect(cohort('FSM eligible').la.overall_absence_perc).toBeCloseTo(25, 6);
    expect(cohort('FSM eligible').statNeighbours.overall_absence_perc).toBeCloseTo(50, 6);
    expect(cohort('FSM eligible').england.overall_absence_perc).toBeCloseTo(37.5, 6);
    expect(cohort('Not known to be FSM eligible').la.overall_absence_perc).toBeCloseTo((2 / 60) * 100, 6);
    expect(body.gaps).toHaveLength(1);
    expect(body.gaps[0].name).toBe('FSM gap');
    expect(body.gaps[0].la).toBeCloseTo(25 - (2 / 60) * 100, 6);
    expect(body.gaps[0].statNeighbours).toBeCloseTo(50, 6);
    expect(body.gaps[0].england).toBeCloseTo(37.5 - (2 / 140) * 100, 6);
  });
});

describe('LA schools', () => {
  it("lists every school with its trust, the period's figures, weekly absence, change and today's register", async () => {
    const { status, body } = await get<LaSchools>(`/api/v1/las/202/schools?${period}`, server.token('la', ['202']));
    expect(status).toBe(200);
    expect(body.latestDate).toBe(D2);
    expect(body.weeks).toEqual([D1, D2]);
    const [alpha, beta] = body.schools;
    expect([alpha.name, beta.name]).toEqual(['Alpha Primary', 'Beta Academy']);
    expect(alpha.row!.overall_absence_perc).toBeCloseTo(12.5, 6);
    expect(alpha.weekly).toEqual([0, 25]);
    expect(alpha.change).toBeCloseTo(25, 6);
    expect(alpha.submittedLatest).toBe(true);
    expect(beta).toMatchObject({
      trustCode: '5001',
      trustName: 'Thames Learning Trust',
      phase: 'Secondary',
      submittedLatest: false,
      weekly: [10, null],
      change: null,
    });
    expect(beta.row!.overall_absence_perc).toBeCloseTo(10, 6);
  });

  it('are for the LA itself, DfE and Ofsted only', async () => {
    expect((await get(`/api/v1/las/202/schools`)).status).toBe(401);
    expect((await get(`/api/v1/las/202/schools`, server.token('la', ['206']))).status).toBe(403);
    expect((await get(`/api/v1/las/202/schools`, server.token('school', ['900001']))).status).toBe(403);
    expect(
      (await get<LaSchools>(`/api/v1/las/202/schools?${period}`, server.token('ofsted'))).body.schools,
    ).toHaveLength(2);
  });
});

describe('LA neighbourhoods', () => {
  it("groups pupils' home LSOAs to the MSOA GIAS names, for the LA's own users", async () => {
    const { body } = await get<LaNeighbourhoods>(
      `/api/v1/las/202/neighbourhoods?${period}`,
      server.token('la', ['202']),
    );
    expect(body.suppressed).toBe(false);
    expect(body.areas).toEqual([
      {
        name: 'Camden 001',
        code: 'E02000166',
        lsoas: ['E01000907', 'E01000908'],
        pupils: 25,
        possible_sessions: 80,
        overall_absence_perc: 15,
        pa_perc: 44,
      },
      {
        name: 'E01000999',
        code: 'E01000999',
        lsoas: ['E01000999'],
        pupils: 5,
        possible_sessions: 20,
        overall_absence_perc: 0,
        pa_perc: 0,
      },
    ]);
  });

  it('merges areas under 10 pupils (or 2 schools) into one unnamed row, hidden with the next smallest while small', async () => {
    const { body } = await get<LaNeighbourhoods>(`/api/v1/las/202/neighbourhoods?${period}`, server.token('dfe'));
    expect(body.suppressed).toBe(true);
    expect(body.areas.map((a) => [a.name, a.lsoas, a.pupils, a.overall_absence_perc])).toEqual([
      ['Camden 001', ['E01000907', 'E01000908'], 'c', 'c'],
      ['Other home areas (each under 10 pupils or 2 schools)', [], 'c', 'c'],
    ]);
  });
});

describe('LA targets', () => {
  it('are set by the LA for its children in need and looked after, and read by it, DfE and Ofsted', async () => {
    const put = (token: string, body: unknown) =>
      fetch(`${server.url}/api/v1/las/202/targets`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put(server.token('la', ['202']), { cohort: 'cla', attendance: 95 })).status).toBe(200);
    expect((await put(server.token('la', ['202']), { cohort: 'cla', attendance: 96.5 })).status).toBe(200);
    expect((await put(server.token('la', ['206']), { cohort: 'cla', attendance: 10 })).status).toBe(403);
    expect((await put(server.token('dfe'), { cohort: 'cla', attendance: 10 })).status).toBe(403);
    const bad = await put(server.token('la', ['202']), { cohort: 'cla', attendance: 101 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('attendance');
    const { body } = await get<LaTarget[]>('/api/v1/las/202/targets', server.token('ofsted'));
    expect(body).toEqual([expect.objectContaining({ cohort: 'cla', attendance: 96.5, setBy: 'test-la' })]);
    expect((await get('/api/v1/las/202/targets')).status).toBe(401);
  });
});

describe('trust overview', () => {
  it("sets the trust's schools side by side with its total against England, for the trust, DfE and Ofsted", async () => {
    const { status, body } = await get<TrustOverview>(
      `/api/v1/trusts/5001/overview?${period}`,
      server.token('trust', ['5001']),
    );
    expect(status).toBe(200);
    expect(body.trustName).toBe('Thames Learning Trust');
    expect(body.schools.map((s) => [s.school.name, s.row?.overall_absence_perc])).toEqual([
      ['Beta Academy', expect.closeTo(10, 9)],
    ]);
    expect(body.total.overall_absence_perc).toBeCloseTo(10, 9);
    expect(body.england.overall_absence_perc).toBeCloseTo((32 / 220) * 100, 9);
    expect((await get(`/api/v1/trusts/5001/overview`, server.token('dfe'))).status).toBe(200);
    expect((await get(`/api/v1/trusts/5001/overview`, server.token('trust', ['5002']))).status).toBe(403);
    expect((await get(`/api/v1/trusts/5001/overview`, server.token('la', ['202']))).status).toBe(403);
    expect((await get(`/api/v1/trusts/5001/overview`)).status).toBe(401);
    expect((await get(`/api/v1/trusts/9999/overview`, server.token('dfe'))).status).toBe(404);
  });
});

describe('Status', () => {
  it("gives the registers' latest day and how many schools sent it, and with none for today the school day today stands for", async () => {
    const { status, body } = await get<Status>('/api/v1/status');
    expect(status).toBe(200);
    const today = todayInLondon();
    expect(body).toMatchObject({ today, latestDate: D2, schoolsInRegister: 4, pendingRollups: 0 });
    // A, C and D sent D2; B did not.
    expect(body.schoolsSubmitted).toEqual({ date: D2, count: 3 });
    // A weekend or a holiday stands for the last school day before it (the registers here are weeks old).
    expect(body.schoolDay).toBe(latestSchoolDayIn(loadTermCalendar(DEFAULT_TERM_CALENDAR), today));
  });
});
