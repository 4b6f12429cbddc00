// The school's and the trust's weekly trends against similar schools, the LA, England and the year before, checked
// against figures worked out by hand, role by role.
//
// Nine primaries, one school day a week (the Monday), AM and PM; absent pupils miss the AM (I): a school of n pupils
// with a absent has a of 2n sessions absent. Camden (202): A 900101 .. G 900107; Islington (206): H 900108, I 900109.
// A and B are trust TR1's. Every school has 10 pupils but G (5).
//   week 1, 23 Nov 2026: absent A 4, B 2, C 1, D 3, E 0, F 2, G 1, H 1, I 1
//   week 2, 30 Nov 2026: absent A 2, B 5, C 1, D 2, E 1, F 0 (G, H, I no registers)
//   a year before (52 weeks): 24 Nov 2025 A 6, B 2; 1 Dec 2025 A 1, B 3
// A's similar schools are the 8 other primaries (fewer than 10 of its phase).
//   group week 1: 11 / 150 = 7.333% (8 schools); week 2: 9 / 100 = 9% (5 schools: B-F)
//   Camden primaries: week 1 13 / 130 = 10%, week 2 11 / 120 = 9.1667%; England primaries: week 1 15 / 170 = 8.8235%,
//   week 2 as Camden. A: 20%, 10%; a year before 30%, 5%.
// Who sees the group how (docs/measures.md#suppression, rule 7):
//   school A: it sees none of them: week 1 7.3 (8 schools), week 2 9.0 (5 schools).
//   trust TR1: it sees B: week 1 C-I are 7 others, 7.3; week 2 C-F are 4: c (else the group less B is 4 schools).
//   Camden's LA user: it sees B-G, so only H and I are others (and none in week 2): c both weeks, though the group has
//   8 and 5 schools; the group less Camden's schools would be Islington's two.
//   DfE: each school as its school-level answers show it: in week 1 G (5 pupils) is hidden with the smallest other
//   Camden primary, A (10 pupils, lowest URN): A's own week 1 is c, the group is B-F, H, I: 10 / 140 = 7.1429%.
// Trust TR1 (A, B) against England (Total): week 1 6 / 40 = 15%, week 2 7 / 40 = 17.5%; a year before 8 / 40 = 20%,
// 4 / 40 = 10%. To DfE in week 1: B alone (A withheld), 10%.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GIAS, register } from '../fixtures/trend-schools.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { SchoolOverview, SchoolWeekly, TrustOverview } from '../../server/src/contract/api.js';

const PERIOD = 'from=2026-11-23&to=2026-12-06';
let server: TestServer;

async function get<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

async function schoolWeeks(token: string): Promise<SchoolWeekly['weekly']> {
  const { status, body } = await get<SchoolWeekly>(`/api/v1/schools/900101/weekly?${PERIOD}`, token);
  expect(status).toBe(200);
  return body.weekly;
}

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register('2026-11-23'), server.token('submitter'))).status).toBe(
    202,
  );
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('the school page week by week', () => {
  it('sets the school beside its similar schools, its LA and England, and its own weeks a year before', async () => {
    const weeks = await schoolWeeks(server.token('school', ['900101']));
    expect(weeks).toEqual([
      {
        week: '2026-11-23',
        lastYearWeek: '2025-11-24',
        school: expect.closeTo(20, 9),
        group: 7.3,
        groupSchools: 8,
        la: expect.closeTo(10, 9),
        england: expect.closeTo((15 / 170) * 100, 9),
        lastYear: expect.closeTo(30, 9),
      },
      {
        week: '2026-11-30',
        lastYearWeek: '2025-12-01',
        school: expect.closeTo(10, 9),
        group: 9,
        groupSchools: 5,
        la: expect.closeTo((11 / 120) * 100, 9),
        england: expect.closeTo((11 / 120) * 100, 9),
        lastYear: expect.closeTo(5, 9),
      },
    ]);
  });

  it('withholds a week of the group unless 5 schools the viewer does not see had figures', async () => {
    const trust = await schoolWeeks(server.token('trust', ['TR1']));
    expect(trust.map((w) => [w.group, w.groupSchools])).toEqual([
      [7.3, 8],
      ['c', 5],
    ]);
    // The trust's own schools are shown in full: A itself and its last year.
    expect(trust.map((w) => w.school)).toEqual([expect.closeTo(20, 9), expect.closeTo(10, 9)]);
    const camden = await schoolWeeks(server.token('la', ['202']));
    expect(camden.map((w) => w.group)).toEqual(['c', 'c']);
    const { body } = await get<SchoolOverview>(
      `/api/v1/schools/900101/overview?${PERIOD}`,
      server.token('la', ['202']),
    );
    expect(body.comparatorGroup.row.overall_absence_perc).toBe('c');
    // Every school's pupil-level rights: the group in full, unrounded.
    const national = await schoolWeeks(server.token('la', '*'));
    expect(national.map((w) => w.group)).toEqual([expect.closeTo((11 / 150) * 100, 9), expect.closeTo(9, 9)]);
  });

  it("shows DfE each school's weeks as its school-level answers do, and the group as the sum of those shown", async () => {
    const dfe = await schoolWeeks(server.token('dfe'));
    expect(dfe.map((w) => [w.school, w.group, w.groupSchools, w.lastYear])).toEqual([
      ['c', expect.closeTo((10 / 140) * 100, 9), 7, expect.closeTo(30, 9)],
      [expect.closeTo(10, 9), expect.closeTo(9, 9), 5, expect.closeTo(5, 9)],
    ]);
    const weekly = await get<{ rows: Record<string, unknown>[] }>(
      `/api/v1/measures?level=school&la=202&frame=weekly&${PERIOD}`,
      server.token('dfe'),
    );
    const hidden = weekly.body.rows
      .filter((r) => r.education_phase === 'Primary' && r.overall_absence_perc === 'c')
      .map((r) => [r.school_urn, r.week_commencing]);
    expect(hidden).toEqual([
      ['900101', '2026-11-23'],
      ['900107', '2026-11-23'],
    ]);
  });
});

describe('the trust page week by week', () => {
  it("sets the trust's total beside England's, with the same schools a year before and each school's weeks", async () => {
    const { status, body } = await get<TrustOverview>(
      `/api/v1/trusts/TR1/overview?${PERIOD}`,
      server.token('trust', ['TR1']),
    );
    expect(status).toBe(200);
    expect(body.weekly).toEqual([
      {
        week: '2026-11-23',
        lastYearWeek: '2025-11-24',
        trust: expect.closeTo(15, 9),
        england: expect.closeTo((15 / 170) * 100, 9),
        lastYear: expect.closeTo(20, 9),
      },
      {
        week: '2026-11-30',
        lastYearWeek: '2025-12-01',
        trust: expect.closeTo(17.5, 9),
        england: expect.closeTo((11 / 120) * 100, 9),
        lastYear: expect.closeTo(10, 9),
      },
    ]);
    expect(body.schools.map((s) => [s.school.urn, s.weekly])).toEqual([
      [900101, [expect.closeTo(20, 9), expect.closeTo(10, 9)]],
      [900102, [expect.closeTo(10, 9), expect.closeTo(25, 9)]],
    ]);
  });

  it('gives DfE the total of the schools it is shown, a withheld school left out', async () => {
    const { body } = await get<TrustOverview>(`/api/v1/trusts/TR1/overview?${PERIOD}`, server.token('dfe'));
    expect(body.weekly.map((w) => w.trust)).toEqual([expect.closeTo(10, 9), expect.closeTo(17.5, 9)]);
    expect(body.schools[0].weekly).toEqual(['c', expect.closeTo(10, 9)]);
  });
});
