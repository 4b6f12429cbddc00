// Programme evaluation (difference in differences against matched comparators), checked against figures worked out by
// hand (fixture: tests/fixtures/programme-schools.ts). Five primaries of 10 pupils each (year 4, no SEN, so only FSM
// share and absence before the start tell them apart); the programme (P1, P2) starts Monday 10 November 2025. Absent
// pupils miss the morning only (1 of 2 sessions: each is persistently absent over a day).
//
//   school            LA   FSM   Mon 3 Nov (before)   Mon 10 Nov (after)
//   P1 910001         202  100%  6 absent: 30%        2 absent: 10%
//   P2 910002         202    0%  2 absent: 10%        0 absent:  0%
//   C1 910003         202  100%  6 absent: 30%        6 absent: 30%
//   C2 910004         206   10%  2 absent: 10%        2 absent: 10%
//   C3 910005         202    0%  6 absent: 30%        0 absent:  0%
//
// Matching measures over the five (SEN and size do not vary: spread 0 counts as 1, and every difference is 0):
//   FSM 100, 0, 100, 10, 0: mean 42, variance (58² + 42² + 58² + 32² + 42²) / 5 = 2256
//   before 30, 10, 30, 10, 30: mean 22, variance (3 x 8² + 2 x 12²) / 5 = 96
// Pairs, closest first: P1-C1 0; P2-C2 10 / √2256 = 0.21054 (P2-C3 20 / √96 = 2.04; P1-C3 100 / √2256 = 2.105).
// Pooled: programme before 8 of 40 = 20%, after 2 of 40 = 5% (change -15); comparators before 8 of 40 = 20%, after
// 8 of 40 = 20% (change 0). Difference in differences: -15 pp. Persistent absence: programme 8 of 20 = 40% -> 2 of 20
// = 10% (-30); comparators 40% -> 40% (0): -30 pp.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GIAS, register } from '../fixtures/programme-schools.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { Programme, ProgrammeEvaluation } from '../../server/src/contract/api.js';

let server: TestServer;
let programme: Programme;

async function get<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

const create = (body: unknown, token?: string) =>
  post(server, '/api/v1/programmes', JSON.stringify(body), token, 'application/json');

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
  const created = await create(
    { name: 'Camden attendance hub', startDate: '2025-11-10', urns: [910002, 910001] },
    server.token('la', ['202']),
  );
  expect(created.status).toBe(201);
  programme = (await created.json()) as Programme;
}, 90_000);

afterAll(() => server?.stop());

describe('programme evaluation', () => {
  it('matches each school to its nearest unused comparator and gives the difference in differences', async () => {
    const { status, body } = await get<ProgrammeEvaluation>(
      `/api/v1/programmes/${programme.id}/evaluation?to=2025-11-14`,
      server.token('dfe'),
    );
    expect(status).toBe(200);
    expect(body.programme).toMatchObject({
      name: 'Camden attendance hub',
      startDate: '2025-11-10',
      urns: [910001, 910002],
      createdRole: 'la',
    });
    expect(body.before).toEqual({ from: '2025-09-01', to: '2025-11-09' });
    expect(body.after).toEqual({ from: '2025-11-10', to: '2025-11-14' });
    expect(body.pairs.map((p) => [p.school.urn, p.comparator?.urn, p.distance])).toEqual([
      [910001, 910003, 0],
      [910002, 910004, expect.closeTo(10 / Math.sqrt(2256), 9)],
    ]);
    expect(body.pairs[0].before).toEqual({ school: expect.closeTo(30, 9), comparator: expect.closeTo(30, 9) });
    expect(body.pairs[0].after).toEqual({ school: expect.closeTo(10, 9), comparator: expect.closeTo(30, 9) });
    const [absence, persistent] = body.measures;
    expect(absence).toEqual({
      key: 'overall_absence_perc',
      label: expect.any(String),
      programme: { before: expect.closeTo(20, 9), after: expect.closeTo(5, 9), change: expect.closeTo(-15, 9) },
      comparison: { before: expect.closeTo(20, 9), after: expect.closeTo(20, 9), change: expect.closeTo(0, 9) },
      difference: expect.closeTo(-15, 9),
    });
    expect(persistent.key).toBe('pa_perc');
    expect(persistent.programme).toEqual({
      before: expect.closeTo(40, 9),
      after: expect.closeTo(10, 9),
      change: expect.closeTo(-30, 9),
    });
    expect(persistent.difference).toBeCloseTo(-30, 9);
    expect(body.weeks).toEqual([
      { weekCommencing: '2025-11-03', programme: expect.closeTo(20, 9), comparison: expect.closeTo(20, 9) },
      { weekCommencing: '2025-11-10', programme: expect.closeTo(5, 9), comparison: expect.closeTo(20, 9) },
    ]);
    expect(body.unmatched).toEqual([]);
    expect(body.method).toMatch(/closest pairs first/);
    expect(body.caveats.join(' ')).toMatch(/moved alike/);
  });

  it('names a comparator only to those who may see it; pools comparators it may not see only from 5 schools', async () => {
    const { status, body } = await get<ProgrammeEvaluation>(
      `/api/v1/programmes/${programme.id}/evaluation?to=2025-11-14`,
      server.token('la', ['202']),
    );
    expect(status).toBe(200);
    expect(body.pairs.map((p) => p.comparator?.urn ?? null)).toEqual([910003, null]);
    expect(body.pairs[1].before).toEqual({ school: expect.closeTo(10, 9), comparator: null });
    // Camden's users may not see Islington's comparator: a group of two schools with one they may not see is c.
    expect(body.measures[0].programme.change).toBeCloseTo(-15, 9);
    expect(body.measures[0].comparison).toEqual({ before: null, after: null, change: null });
    expect(body.measures[0].difference).toBeNull();
  });

  it('is for those who may see every school of the programme', async () => {
    const path = `/api/v1/programmes/${programme.id}/evaluation`;
    expect((await get(path, server.token('la', ['206']))).status).toBe(403);
    expect((await get(path, server.token('school', ['910001']))).status).toBe(403);
    expect((await get(path)).status).toBe(401);
    expect((await get(path, server.token('ofsted'))).status).toBe(200);
    expect(
      (await get('/api/v1/programmes/00000000-0000-4000-8000-000000000000/evaluation', server.token('dfe'))).status,
    ).toBe(404);
    expect((await get<Programme[]>('/api/v1/programmes', server.token('la', ['202']))).body.map((p) => p.id)).toEqual([
      programme.id,
    ]);
    expect((await get<Programme[]>('/api/v1/programmes', server.token('la', ['206']))).body).toEqual([]);
  });

  it('is set up by DfE, or an LA or trust for its own schools, with bad fields named', async () => {
    const body = { name: 'Hub', startDate: '2025-11-10', urns: [910001, 910004] };
    expect((await create(body, server.token('la', ['202']))).status).toBe(403);
    expect((await create(body, server.token('ofsted'))).status).toBe(403);
    expect((await create(body)).status).toBe(401);
    expect((await create(body, server.token('dfe'))).status).toBe(201);
    const bad = await create({ name: '', startDate: '2025-13-01', urns: [] }, server.token('dfe'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      'name',
      'startDate',
      'urns',
    ]);
    const unknown = await create({ ...body, urns: [910001, 123] }, server.token('dfe'));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toMatch(/not in the register: 123/);
  });
});
