// A school against its similar schools, and Ofsted's priority list, checked against figures worked out by hand.
//
// Three Camden primaries, 10 pupils each (year 4, no SEN), one school day (today), AM and PM: 20 sessions each.
//   S1 900011: all 10 FSM; pupils 1-5 absent in the AM (I): 5 of 20 = 25%; PA and SA 5 of 10 (50% each).
//   S2 900012: 5 FSM; pupils 1-2 absent in the AM: 2 of 20 = 10%; PA and SA 2 of 10.
//   S3 900013: no FSM; nobody absent: 0%.
// FSM shares 100, 50, 0: mean 50, sd sqrt(5000/3) = 40.82. S1's comparators: S2 (50/40.82 = 1.225), S3 (2.449).
// S1's group (S2 + S3): 2 of 40 = 5%. England and Camden: 7 of 60 = 11.667%.
// Priority parts (no change figures: one day only):
//   absence gap  S1 25 - 5 = +20, S2 10 - 12.5 = -2.5, S3 0 - 17.5 = -17.5: sd sqrt(237.5); S1 z = 1.29777, x 0.25
//   PA gap       S1 50 - 10 = +40, S2 20 - 25 = -5, S3 0 - 35 = -35: sd sqrt(950); S1 z = 1.29777, x 0.20
//   severe       50, 20, 0: mean 23.33, sd sqrt(422.2); S1 z = 1.29777, x 0.15
//   inspection   S1 2016, S2 2024, S3 never (unknown): two values, S1 z = +1, x 0.15
//   S1 = 1.29777 x 0.6 + 0.15 = 0.92866; S3 lowest.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { todayInLondon } from '../../server/src/common/dates.js';
import { GIAS, register } from '../fixtures/three-schools.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { InspectionPriorities, SchoolOverview } from '../../server/src/contract/api.js';

let server: TestServer;

async function get<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  const submitted = await post(server, '/api/v1/submissions', register(todayInLondon()), server.token('submitter'));
  expect(submitted.status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('school overview', () => {
  it('sets the school beside its similar schools (nearest first), its LA and England', async () => {
    const { status, body } = await get<SchoolOverview>('/api/v1/schools/900011/overview', server.token('ofsted'));
    expect(status).toBe(200);
    expect(body.profile).toEqual({ pupils: 10, fsmPerc: 100, senPerc: 0 });
    expect(body.row.overall_absence_perc).toBeCloseTo(25, 9);
    expect(body.comparators!.map((c) => [c.school.urn, c.distance])).toEqual([
      [900012, expect.closeTo(50 / Math.sqrt(5000 / 3), 9)],
      [900013, expect.closeTo(100 / Math.sqrt(5000 / 3), 9)],
    ]);
    expect(body.comparatorGroup.schools).toBe(2);
    expect(body.comparatorGroup.row.overall_absence_perc).toBeCloseTo(5, 9);
    expect(body.comparatorGroup.method).toMatch(/free school meals/);
    expect(body.la.overall_absence_perc).toBeCloseTo((7 / 60) * 100, 9);
    expect(body.england.overall_absence_perc).toBeCloseTo((7 / 60) * 100, 9);
    expect(body.weekdays).toHaveLength(1);
  });

  it('shows a school its similar schools only as a group, and no one else its figures', async () => {
    const own = await get<SchoolOverview>('/api/v1/schools/900011/overview', server.token('school', ['900011']));
    expect(own.status).toBe(200);
    expect(own.body.comparators).toBeNull();
    // The school may not see its two similar schools: a group of fewer than 5 schools is c to it.
    expect(own.body.comparatorGroup.schools).toBe(2);
    expect(own.body.comparatorGroup.row.overall_absence_perc).toBe('c');
    expect((await get('/api/v1/schools/900011/overview', server.token('school', ['900012']))).status).toBe(403);
    expect((await get('/api/v1/schools/900011/overview', server.token('la', ['206']))).status).toBe(403);
    expect((await get('/api/v1/schools/900011/overview', server.token('la', ['202']))).status).toBe(200);
    expect((await get('/api/v1/schools/900011/overview')).status).toBe(401);
    expect((await get('/api/v1/schools/123/overview', server.token('ofsted'))).status).toBe(404);
  });
});

describe('inspection priorities', () => {
  it('ranks schools by the explainable score, each with its parts and why', async () => {
    const { status, body } = await get<InspectionPriorities>('/api/v1/inspection/priorities', server.token('ofsted'));
    expect(status).toBe(200);
    expect(body.schools.map((s) => s.school.urn)).toEqual([900011, 900012, 900013]);
    const [first] = body.schools;
    expect(first.score).toBeCloseTo(1.2977713690461004 * 0.6 + 0.15, 6);
    expect(first.why).toBe(
      'overall absence above similar schools (+20.0 pp); persistent absence above similar schools (+40.0 pp)',
    );
    expect(first.parts.find((p) => p.key === 'change')).toEqual({
      key: 'change',
      label: expect.any(String),
      value: null,
      contribution: 0,
    });
    expect(body.method).toMatch(/z-score/);
  });

  it('filters by LA and phase, downloads as CSV, and is for Ofsted, DfE and admin only', async () => {
    expect(
      (await get<InspectionPriorities>('/api/v1/inspection/priorities?la=206', server.token('dfe'))).body.schools,
    ).toEqual([]);
    expect(
      (await get<InspectionPriorities>('/api/v1/inspection/priorities?phase=Primary&limit=1', server.token('dfe'))).body
        .schools,
    ).toHaveLength(1);
    const csv = await fetch(`${server.url}/api/v1/inspection/priorities.csv`, {
      headers: { authorization: `Bearer ${server.token('ofsted')}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^rank,urn,school,la,phase,last_inspection,score,why,/);
    expect(lines[1]).toMatch(/^1,900011,School One,Camden,Primary,2016-01-01,0\.929,/);
    expect((await get('/api/v1/inspection/priorities', server.token('la', ['202']))).status).toBe(403);
    expect((await get('/api/v1/inspection/priorities')).status).toBe(401);
    expect((await get('/api/v1/inspection/priorities?la=camden', server.token('ofsted'))).status).toBe(400);
  });
});
