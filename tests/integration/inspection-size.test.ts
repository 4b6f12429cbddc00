// Ofsted's list allows for size and sets recent inspections aside, checked against figures worked out by hand.
//
// tests/fixtures/size-and-recency.ts: Camden, one school day (today), every pupil counted; absent pupils miss the
// morning only (1 of 2 sessions: persistent and severe). Overall absence = absent / (2 x pupils); PA = SA = absent / pupils.
//   Special:   970001 Small Special 10 pupils, 2 absent (10%); 970002 10, 0 (0%); 970003 12, 1 (4.167%);
//              970004 40, 0 (0%); 970005 60, 6 (5%). National (pooled): 9 of 264 sessions = 3.4091%.
//   Secondary: 970011 Large Secondary 1000, 150 (7.5%); 970012 800, 24 (1.5%); 970013 Recent Secondary 600, 84 (7%),
//              inspected 61 days ago; 970014 200, 0 (0%); 970015 100, 12 (6%). National: 270 of 5400 sessions = 5%.
// Size (size-allowance.ts): fit (rate - national)^2 = between + chance / pupils over each phase's schools.
//   Special, overall absence: x = 1/pupils = .1, .1, .08333, .025, .01667 (mean .065); d = 43.440, 11.622, 0.574,
//     11.622, 2.531 (mean 13.958). Sxx = .0067222, Sxd = 1.35048: chance = 200.898, between = 13.958 - 200.898 x .065
//     = 0.89936: k = 223.38 pupils. PA and severe: every rate doubled, so chance and between x 4: the same k.
//   Secondary: the largest school is the furthest from the national rate: the slope (chance) is below 0, no sign that
//     size matters: k = 0, rates as they are.
// Small Special: own weight 10 / (10 + 223.38) = 4.28%: absence 0.0428 x 10 + 0.9572 x 3.4091 = 3.6915%; its similar
//   schools (the four others, 122 pupils, 7 of 244 = 2.8689%) weigh 122 / 345.38 = 35.3%: 3.2183%. Gap +0.473 pp
//   (raw: +7.131). PA gap +0.946 (raw +14.262); severe 7.383% (raw 20%).
// Large Secondary: gap 7.5 - (120 of 3400: 3.5294) = +3.971 pp; PA gap +7.941; severe 15%.
// Scores (weights .25 absence gap, .2 PA gap, .15 severe; no change figures: one day; one inspection date known: its
// part adds nothing), z-scores over the ten schools:
//   adjusted: 970011 0.9259, 970013 0.6671, 970015 0.3531, 970005 0.1405, 970001 0.1067, 970003 0.0247, 970002 -0.0376,
//             970004 -0.1762, 970012 -0.9173, 970014 -1.0869;
//   without the allowance 970001 would come first (1.0313) and 970011 second (0.5813).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import { gias, register } from '../fixtures/size-and-recency.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { InspectionPriorities } from '../../server/src/contract/api.js';

let server: TestServer;
const today = todayInLondon();

async function priorities(query = ''): Promise<InspectionPriorities> {
  const response = await fetch(`${server.url}/api/v1/inspection/priorities${query}`, {
    headers: { authorization: `Bearer ${server.token('ofsted')}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as InspectionPriorities;
}

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', gias(today), server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(today), server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

describe('size', () => {
  it('pulls small schools toward their phase: a small special school no longer outranks a large school with a real problem', async () => {
    const body = await priorities('?recentlyInspected=include');
    expect(body.schools.map((s) => s.school.urn)).toEqual([
      970011, 970013, 970015, 970005, 970001, 970003, 970002, 970004, 970012, 970014,
    ]);
    expect(body.schools.map((s) => s.score)).toEqual(
      [0.9259, 0.6671, 0.3531, 0.1405, 0.1067, 0.0247, -0.0376, -0.1762, -0.9173, -1.0869].map((x) =>
        expect.closeTo(x, 3),
      ),
    );
    const small = body.schools.find((s) => s.school.urn === 970001)!;
    expect(small.overall_absence_perc).toBeCloseTo(10, 9);
    expect(small.pupils).toBe(10);
    expect(small.ownWeight).toBeCloseTo(10 / 233.3793, 4);
    const part = (key: string) => small.parts.find((p) => p.key === key)!.value;
    expect(part('absenceGap')).toBeCloseTo(0.4732, 3);
    expect(part('paGap')).toBeCloseTo(0.9465, 3);
    expect(part('severe')).toBeCloseTo(7.383, 3);
    expect(small.why).toMatch(
      /allowing for size: 10 pupils, so its own rates count 4% \(its phase’s national rates the rest\)$/,
    );

    const large = body.schools[0];
    expect(large.school.name).toBe('Large Secondary');
    expect(large.ownWeight).toBe(1);
    // Its parts: absence gap 0.25 x (3.971 + 0.279) / 2.7965 = 0.380, PA gap 0.2 x (7.941 + 0.558) / 5.593 = 0.304,
    // severe 0.15 x (15 - 7.808) / 4.456 = 0.242: the first two say why; its own rates count in full (no size note).
    expect(large.why).toBe(
      'overall absence above similar schools (+4.0 pp); persistent absence above similar schools (+7.9 pp)',
    );
  });

  it('says how far each phase is pulled: the national rate and k', async () => {
    const { sizeAllowances } = await priorities();
    const year = sizeAllowances.filter((a) => a.period === 'year');
    expect(year).toEqual(
      expect.arrayContaining([
        {
          period: 'year',
          measure: 'overall_absence_perc',
          phase: 'Special',
          national: expect.closeTo(3.4091, 3),
          pupils: expect.closeTo(223.38, 1),
          schools: 5,
        },
        {
          period: 'year',
          measure: 'pa_perc',
          phase: 'Special',
          national: expect.closeTo(6.8182, 3),
          pupils: expect.closeTo(223.38, 1),
          schools: 5,
        },
        {
          period: 'year',
          measure: 'overall_absence_perc',
          phase: 'Secondary',
          national: expect.closeTo(5, 9),
          pupils: 0,
          schools: 5,
        },
      ]),
    );
    expect(year).toHaveLength(6);
  });
});

describe('recent inspections', () => {
  it('are listed after every other school, flagged, unless asked for with them', async () => {
    const body = await priorities();
    expect(body.recentlyInspected).toBe(1);
    expect(body.recentlyInspectedSince).toBe(
      // Six calendar months before today (the month's last day where it is shorter).
      (() => {
        const [y, m, d] = today.split('-').map(Number);
        const index = y * 12 + m - 1 - 6;
        const last = new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
        return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
      })(),
    );
    expect(body.schools.map((s) => [s.rank, s.school.urn, s.recentlyInspected])).toEqual([
      [1, 970011, false],
      [2, 970015, false],
      [3, 970005, false],
      [4, 970001, false],
      [5, 970003, false],
      [6, 970002, false],
      [7, 970004, false],
      [8, 970012, false],
      [9, 970014, false],
      [10, 970013, true],
    ]);
    // A filter keeps the national rank.
    const secondary = await priorities('?phase=Secondary&limit=2');
    expect(secondary.schools.map((s) => [s.rank, s.school.urn])).toEqual([
      [1, 970011],
      [2, 970015],
    ]);
    const included = await priorities('?recentlyInspected=include&phase=Secondary');
    expect(included.schools.map((s) => [s.rank, s.school.urn])).toEqual([
      [1, 970011],
      [2, 970013],
      [3, 970015],
      [9, 970012],
      [10, 970014],
    ]);
  });

  it('are marked in the CSV, its dates ISO (YYYY-MM-DD) as every export', async () => {
    const response = await fetch(`${server.url}/api/v1/inspection/priorities.csv`, {
      headers: { authorization: `Bearer ${server.token('ofsted')}` },
    });
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.rank, r.urn, r.recently_inspected, r.last_inspection])).toEqual([
      ['1', '970011', 'no', ''],
      ['2', '970015', 'no', ''],
      ['3', '970005', 'no', ''],
      ['4', '970001', 'no', ''],
      ['5', '970003', 'no', ''],
      ['6', '970002', 'no', ''],
      ['7', '970004', 'no', ''],
      ['8', '970012', 'no', ''],
      ['9', '970014', 'no', ''],
      ['10', '970013', 'yes', addDays(today, -61)],
    ]);
    const small = rows.find((r) => r.urn === '970001')!;
    expect(small.pupils).toBe('10');
    expect(Number(small.own_weight)).toBeCloseTo(0.043, 3);
  });
});
