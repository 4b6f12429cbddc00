// Property: for random registers with random amendments, arriving in random order, every number of the export
// equals a naive recomputation from the raw marks, written here from DOMAIN.md without the server's code.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { mulberry32, type Rng } from '../../pipelines/simulator/random.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';

// DOMAIN.md's register code table.
const GROUPS: Record<string, string[]> = {
  present: ['/', '\\', 'L'],
  aea: ['K', 'V', 'P', 'W', 'B', 'J'],
  authorised: ['I', 'M', 'R', 'S', 'T', 'E', 'C', 'C1', 'J1', 'C2', 'H'],
  unauthorised: ['G', 'U', 'O', 'N'],
  none: ['D', 'Q', 'Y', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', '#', 'Z', 'X', 'F'],
};
const groupOf = (code: string) => Object.keys(GROUPS).find((g) => GROUPS[g].includes(code))!;
const ALL_CODES = Object.values(GROUPS).flat();
const YEAR_GROUPS = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'];
// From tests/fixtures/gias-small.csv: URN -> [LA, phase]; 100005 is a pupil referral unit (outside Total).
const SCHOOLS: Record<number, [string, string]> = { 100001: ['202', 'Primary'], 100002: ['202', 'Secondary'], 100003: ['201', 'Primary'], 100004: ['202', 'Special'], 100005: ['202', 'Other'] };
const DATES = ['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-21', '2026-10-01'];

interface Mark { urn: number; upn: string; date: string; session: string; code: string; year: string; fsm: string }
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const key = (m: Mark) => `${m.urn}|${m.upn}|${m.date}|${m.session}`;
const csv = (marks: Mark[]) => 'urn,upn,date,session,code,year_group,fsm\n' + marks.map((m) => `${m.urn},${m.upn},${m.date},${m.session},${m.code},${m.year},${m.fsm}`).join('\n') + '\n';

/** Random submissions: whole registers, then amendments of random marks, shuffled days. */
function randomSubmissions(rng: Rng): Mark[][] {
  const pupils = Object.keys(SCHOOLS).flatMap((urn) =>
    Array.from({ length: 4 + Math.floor(rng() * 8) }, (_, i) => ({ urn: Number(urn), upn: `U${urn}${i}`, year: pick(rng, YEAR_GROUPS), fsm: pick(rng, ['Y', 'N', '']) })),
  );
  const days = [...DATES].sort(() => rng() - 0.5);
  const submissions: Mark[][] = [];
  const sent: Mark[] = [];
  for (const date of days) {
    const register = pupils.flatMap((p) => (['AM', 'PM'] as const).filter(() => rng() < 0.9).map((session) => ({ ...p, date, session, code: pick(rng, ALL_CODES) })));
    submissions.push(register);
    sent.push(...register);
    if (sent.length && rng() < 0.8) submissions.push(Array.from({ length: 1 + Math.floor(rng() * 6) }, () => ({ ...pick(rng, sent), code: pick(rng, ALL_CODES) })).filter((m, i, all) => all.findIndex((o) => key(o) === key(m)) === i));
  }
  return submissions;
}

interface Totals { possible: number; present: number; aea: number; authorised: number; unauthorised: number; late: number; enrolments: number; pa: number; sa: number; schools: number }

/** The naive recomputation: the last mark wins, then DfE's method over years 1-11, Total = Primary + Secondary + Special. */
function expected(marks: Map<string, Mark>, include: (urn: number) => boolean): Totals {
  const t: Totals = { possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0, late: 0, enrolments: 0, pa: 0, sa: 0, schools: 0 };
  const enrolments = new Map<string, { possible: number; absent: number }>();
  const schools = new Set<number>();
  for (const m of marks.values()) {
    if (!include(m.urn) || SCHOOLS[m.urn][1] === 'Other' || !/^([1-9]|10|11)$/.test(m.year)) continue;
    const group = groupOf(m.code);
    if (group === 'none') continue;
    t.possible++;
    t[group as 'present' | 'aea' | 'authorised' | 'unauthorised']++;
    if (m.code === 'L' || m.code === 'U') t.late++;
    schools.add(m.urn);
    const e = enrolments.get(`${m.urn}|${m.upn}`) ?? { possible: 0, absent: 0 };
    e.possible++;
    if (group === 'authorised' || group === 'unauthorised') e.absent++;
    enrolments.set(`${m.urn}|${m.upn}`, e);
  }
  for (const e of enrolments.values()) {
    t.enrolments++;
    if (e.absent / e.possible >= 0.1) t.pa++;
    if (e.absent / e.possible >= 0.5) t.sa++;
  }
  t.schools = schools.size;
  return t;
}

function actual(row: Record<string, string>): Totals {
  const n = (c: string) => Number(row[c]);
  return {
    possible: n('possible_sessions'), present: n('present_sessions'), aea: n('approved_educational_activity'), authorised: n('authorised_absence'),
    unauthorised: n('unauthorised_absence'), late: n('late_sessions'), enrolments: n('enrolments'), pa: n('persistent_absentees'), sa: n('severe_absentees'), schools: n('num_schools'),
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', readFileSync('tests/fixtures/gias-small.csv'), server.token('admin'))).status).toBe(201);
});
afterAll(() => server?.stop());

it.each([1, 2, 3])('export equals a naive recomputation from the marks (seed %i)', async (seed) => {
  const rng = mulberry32(seed * 7919);
  const truth = new Map<string, Mark>();
  for (const submission of randomSubmissions(rng)) {
    const response = await post(server, '/api/v1/submissions', csv(submission), server.token('submitter'));
    expect(response.status).toBe(202);
    for (const m of submission) truth.set(key(m), m);
  }
  await settled(server);
  const from = DATES[0];
  const to = DATES.at(-1)!;
  const token = server.token('admin');
  const get = async (query: string) =>
    parse(await (await fetch(`${server.url}/api/v1/export/attendance.csv?from=${from}&to=${to}&phase=Total&${query}`, { headers: { authorization: `Bearer ${token}` } })).text(), { columns: true }) as Record<string, string>[];

  expect(actual((await get('level=national'))[0])).toEqual(expected(truth, () => true));
  const las = await get('level=la');
  for (const la of ['201', '202']) expect(actual(las.find((r) => r.old_la_code === la)!)).toEqual(expected(truth, (urn) => SCHOOLS[urn][0] === la));
  const schools = await get('level=school');
  for (const urn of [100001, 100002, 100003, 100004]) {
    const row = schools.find((r) => r.school_urn === String(urn));
    const want = expected(truth, (u) => u === urn);
    if (want.possible === 0) expect(row?.possible_sessions ?? '0').toBe('0');
    else expect(actual(row!)).toEqual(want);
  }
  // Daily frame: each day on its own.
  const daily = await get('level=national&frame=daily');
  for (const date of DATES) {
    const want = expected(new Map([...truth].filter(([, m]) => m.date === date)), () => true);
    const row = daily.find((r) => r.attendance_date === date);
    if (want.possible === 0) expect(row?.possible_sessions ?? '0').toBe('0');
    else expect(actual(row!)).toEqual(want);
  }
  // Day-of-week pattern: each weekday's sessions together, enrolments and PA over that weekday's sessions.
  const weekdays = await get('level=national&frame=weekday');
  for (const [index, name] of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].entries()) {
    const want = expected(new Map([...truth].filter(([, m]) => (new Date(`${m.date}T00:00:00Z`).getUTCDay() + 6) % 7 === index)), () => true);
    const row = weekdays.find((r) => r.day_of_week === name);
    if (want.possible === 0) expect(row?.possible_sessions ?? '0').toBe('0');
    else expect(actual(row!)).toEqual(want);
  }
  // Breakdown by FSM (each pupil keeps one FSM value here): each cohort on its own, unknown as Unclassified.
  const cohorts = await get('level=national&breakdown=fsm');
  for (const [value, label] of [['Y', 'FSM eligible'], ['N', 'Not known to be FSM eligible'], ['', 'Unclassified']]) {
    const want = expected(new Map([...truth].filter(([, m]) => m.fsm === value)), () => true);
    const row = cohorts.find((r) => r.breakdown === label);
    if (want.possible === 0) expect(row?.possible_sessions ?? '0').toBe('0');
    else expect(actual(row!)).toEqual(want);
  }
  // Clean up for the next seed: these dates belong to this seed only.
  await server.stop();
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', readFileSync('tests/fixtures/gias-small.csv'), server.token('admin'))).status).toBe(201);
});
