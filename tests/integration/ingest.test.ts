// The foundation path end to end against the real server (chDB + Redis): reference schools in, registers in,
// roll-ups by BullMQ, DfE measures out of the export, with amendments, idempotence and all-or-nothing refusal.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { post, settled, startServer, type TestServer } from '../support/server.js';

const gias = readFileSync('tests/fixtures/gias-small.csv');
const day1 = readFileSync('tests/fixtures/register-day1.csv', 'utf8');
const DAY = '2026-10-05';
const PERIOD = `from=${DAY}&to=${DAY}`;

let server: TestServer;
let submitter: string;

type Row = Record<string, string>;
async function exportRows(query: string, token?: string): Promise<Row[]> {
  const response = await fetch(`${server.url}/api/v1/export/attendance.csv?${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/csv/);
  return parse(await response.text(), { columns: true }) as Row[];
}
const only = (rows: Row[], filter: (r: Row) => boolean) => {
  const found = rows.filter(filter);
  expect(found).toHaveLength(1);
  return found[0];
};

beforeAll(async () => {
  server = await startServer();
  submitter = server.token('submitter', '*');
  const upload = await post(server, '/api/v1/reference/schools', gias, server.token('admin'));
  expect(upload.status).toBe(201);
  const body = (await upload.json()) as {
    inserted: number;
    total: number;
    skippedCount: number;
    skipped: { line: number; message: string }[];
  };
  expect(body).toMatchObject({ inserted: 5, total: 5, skippedCount: 1 });
  expect(body.skipped[0]).toMatchObject({ line: 7 });
});
afterAll(() => server?.stop());

describe('a day of registers', () => {
  beforeAll(async () => {
    const response = await post(server, '/api/v1/submissions', day1, submitter);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ rows: 20, schools: 5, dates: [DAY], duplicate: false });
    await settled(server);
  });

  it('gives the national figures worked out by hand (DfE method, years 1-11 only)', async () => {
    // As a user with pupil-level rights to every school: England's 6 pupils are c to everyone else (docs/measures.md).
    const rows = await exportRows(`level=national&${PERIOD}`, server.token('la'));
    const total = only(rows, (r) => r.education_phase === 'Total');
    // Counted pupils: P1 P2 P4 (Camden Primary), S1 (S3 all '#'), C1 (City), X1 (AM 'D'). P3 is Reception, S2 Year 12.
    expect(total).toMatchObject({
      time_period: '202627',
      time_identifier: 'Academic year',
      geographic_level: 'National',
      country_code: 'E92000001',
      num_schools: '4',
      enrolments: '6',
      possible_sessions: '11',
      present_sessions: '4',
      approved_educational_activity: '1',
      overall_attendance: '5',
      authorised_absence: '3',
      unauthorised_absence: '3',
      overall_absence: '6',
      late_sessions: '2',
      reason_present_am: '2',
      reason_present_pm: '1',
      reason_present: '3',
      reason_l_present_late_before_registers_closed: '1',
      reason_i_authorised_illness: '2',
      reason_m_authorised_medical_dental: '1',
      reason_n_no_reason_yet: '1',
      reason_g_unauthorised_holiday: '1',
      reason_u_unauthorised_late_after_registers_closed: '1',
      reason_v_aea_educational_visit_trip: '1',
      reason_o_other_unauthorised: '0',
      persistent_absentees: '5',
      severe_absentees: '5',
    });
    expect(Number(total.attendance_perc)).toBeCloseTo((5 / 11) * 100, 10);
    expect(Number(total.overall_absence_perc)).toBeCloseTo((6 / 11) * 100, 10);
    expect(Number(total.unauth_not_yet_perc)).toBeCloseTo((1 / 11) * 100, 10);
    expect(Number(total.pa_perc)).toBeCloseTo((5 / 6) * 100, 10);
    // Phases add up to Total; the pupil referral unit is shown on its own and left out of Total.
    expect(only(rows, (r) => r.education_phase === 'Primary')).toMatchObject({
      num_schools: '2',
      possible_sessions: '8',
      enrolments: '4',
    });
    expect(only(rows, (r) => r.education_phase === 'Secondary')).toMatchObject({
      possible_sessions: '2',
      approved_educational_activity: '1',
    });
    expect(only(rows, (r) => r.education_phase === 'Special')).toMatchObject({
      possible_sessions: '1',
      authorised_absence: '1',
    });
    expect(only(rows, (r) => r.education_phase === 'Other')).toMatchObject({
      possible_sessions: '2',
      unauthorised_absence: '2',
    });
  });

  it('gives every one of the 153 LAs a row, suppressing a one-school LA, and what would reveal it, for the public', async () => {
    const rows = (await exportRows(`level=la&${PERIOD}`)).filter((r) => r.education_phase === 'Total');
    expect(rows).toHaveLength(153);
    const city = only(rows, (r) => r.old_la_code === '201');
    expect(city).toMatchObject({ num_schools: '1', possible_sessions: 'c', attendance_perc: 'c', enrolments: 'c' });
    // London's total less Camden's would be the City's: Camden (the only other London LA with figures) is hidden too.
    const camden = only(rows, (r) => r.old_la_code === '202');
    expect(camden).toMatchObject({
      new_la_code: 'E09000007',
      la_name: 'Camden',
      region_code: 'E12000007',
      region_name: 'London',
      possible_sessions: 'c',
      num_schools: '3',
    });
    // The same cells are hidden whichever rows are asked for, and from DfE too; each LA's own users see theirs.
    expect(only(await exportRows(`level=la&${PERIOD}&phase=Total&code=202`), () => true)).toMatchObject({
      possible_sessions: 'c',
    });
    expect(
      only(await exportRows(`level=la&${PERIOD}&phase=Total&code=201`, server.token('dfe')), () => true),
    ).toMatchObject({ possible_sessions: 'c' });
    expect(
      only(await exportRows(`level=la&${PERIOD}&phase=Total&code=201`, server.token('la', ['201'])), () => true),
    ).toMatchObject({ possible_sessions: '2', overall_absence: '1' });
    expect(
      only(await exportRows(`level=la&${PERIOD}&phase=Total&code=202`, server.token('la', ['202'])), () => true),
    ).toMatchObject({ possible_sessions: '9' });
    expect(only(rows, (r) => r.old_la_code === '805')).toMatchObject({ possible_sessions: '0', attendance_perc: 'z' });
  });

  it('serves school level only to signed-in users entitled to it', async () => {
    expect((await fetch(`${server.url}/api/v1/export/attendance.csv?level=school&${PERIOD}`)).status).toBe(401);
    const own = await exportRows(`level=school&${PERIOD}&phase=Total`, server.token('school', ['100002']));
    expect(own.map((r) => r.school_urn)).toEqual(['100002']);
    expect(own[0]).toMatchObject({ school_name: 'Camden Academy', old_la_code: '202', possible_sessions: '2' });
    const la = await exportRows(`level=school&${PERIOD}&phase=Total`, server.token('la', ['202']));
    expect(la.map((r) => r.school_urn).sort()).toEqual(['100001', '100002', '100004']);
  });

  it('splits pupils by characteristic in EES form, leaving small cohorts out for the public', async () => {
    const all = server.token('la'); // an LA user of every LA: no cell is hidden
    const fsm = (await exportRows(`level=national&${PERIOD}&phase=Total&breakdown=fsm`, all)).map((r) => [
      r.breakdown_topic,
      r.breakdown,
      r.possible_sessions,
      r.overall_absence,
      r.enrolments,
      r.persistent_absentees,
    ]);
    // FSM: P2, S1, X1 (5 possible sessions, 4 absent); not FSM: P1, P4, C1 (6 possible, 2 absent; P4 and C1 at 50%).
    expect(fsm).toEqual([
      ['FSM', 'Not known to be FSM eligible', '6', '2', '3', '2'],
      ['FSM', 'FSM eligible', '5', '4', '3', '3'],
    ]);
    const sen = await exportRows(`level=national&${PERIOD}&phase=Total&breakdown=sen`, all);
    expect(Object.fromEntries(sen.map((r) => [r.breakdown, [r.possible_sessions, r.overall_absence]]))).toEqual({
      'EHC plan': ['3', '2'],
      'SEN support': ['2', '2'],
      'No SEN': ['6', '2'],
    });
    const years = await exportRows(`level=national&${PERIOD}&phase=Primary&breakdown=year_group`, all);
    expect(years.map((r) => r.breakdown)).toEqual(['Year 2', 'Year 3', 'Year 4', 'Year 5']);
    const unknown = await exportRows(`level=school&${PERIOD}&phase=Total&breakdown=cin&code=100002`, all);
    expect(unknown.map((r) => r.breakdown)).toEqual(['Not child in need']);
    // Cohorts of 3 pupils: no row names them for the public or DfE (aggregates of every school, but no handful of
    // pupils).
    expect(await exportRows(`level=national&${PERIOD}&phase=Total&breakdown=fsm`)).toEqual([]);
    expect(await exportRows(`level=national&${PERIOD}&phase=Total&breakdown=fsm`, server.token('dfe'))).toEqual([]);
    expect((await exportRows(`level=national&${PERIOD}&phase=Total`))[0]).toMatchObject({
      breakdown_topic: 'Total',
      breakdown: 'Total',
      possible_sessions: 'c',
    });
  });

  it('gives the day-of-week pattern', async () => {
    // 2026-10-05 is a Monday: every session of the period falls in the Monday row.
    const rows = await exportRows(
      `level=national&from=2026-10-01&to=2026-10-09&phase=Total&frame=weekday`,
      server.token('la'),
    );
    expect(rows.map((r) => [r.day_of_week, r.possible_sessions])).toEqual([['Monday', '11']]);
  });

  it('serves the same numbers as JSON for the dashboard', async () => {
    const response = await fetch(`${server.url}/api/v1/measures?level=national&${PERIOD}&phase=Total`, {
      headers: { authorization: `Bearer ${server.token('la')}` },
    });
    const body = (await response.json()) as { rows: Record<string, unknown>[] };
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ possible_sessions: 11, overall_absence: 6, persistent_absentees: 5 });
  });
});

describe('amendments, repeats and refusals', () => {
  const amendment = 'urn,upn,date,session,code,year_group\n100001,P4,2026-10-05,PM,I,5\n';

  it('replaces an earlier mark with a later one, and a repeated file changes nothing', async () => {
    const first = await post(server, '/api/v1/submissions', amendment, submitter);
    expect(first.status).toBe(202);
    const receipt = (await first.json()) as { submissionId: string };
    await settled(server);
    const again = await post(server, '/api/v1/submissions', amendment, submitter);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ submissionId: receipt.submissionId, duplicate: true });
    await settled(server);
    const total = only(
      await exportRows(`level=national&${PERIOD}`, server.token('la')),
      (r) => r.education_phase === 'Total',
    );
    expect(total).toMatchObject({
      possible_sessions: '11',
      authorised_absence: '4',
      unauthorised_absence: '2',
      reason_n_no_reason_yet: '0',
      reason_i_authorised_illness: '3',
      persistent_absentees: '5',
    });
  });

  it('stores files sent at the same moment, each with its receipt, and a repeat among them once', async () => {
    // Files that arrive together are stored together (one insert per table): every one must still be kept and answered.
    const day = '2026-10-07';
    const urns = [100001, 100002, 100003, 100004, 100005];
    const files = urns.map(
      (urn) => `urn,upn,date,session,code,year_group\n${urn},T${urn},${day},AM,/,5\n${urn},T${urn},${day},PM,I,5\n`,
    );
    const responses = await Promise.all(
      [...files, files[0]].map((file) => post(server, '/api/v1/submissions', file, submitter)),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const receipts = (await Promise.all(responses.map((r) => r.json()))) as {
      submissionId: string;
      duplicate: boolean;
      rows: number;
    }[];
    expect(new Set(receipts.map((r) => r.submissionId)).size).toBe(5);
    expect(receipts[5].submissionId).toBe(receipts[0].submissionId);
    expect([receipts[0].duplicate, receipts[5].duplicate].sort()).toEqual([false, true]);
    await settled(server);
    const total = only(
      await exportRows(`level=national&from=${day}&to=${day}`, server.token('la')),
      (r) => r.education_phase === 'Total',
    );
    // The pupil referral unit (100005) is outside DfE's Total (state-funded primary, secondary and special).
    expect(total).toMatchObject({
      num_schools: '4',
      enrolments: '4',
      possible_sessions: '8',
      authorised_absence: '4',
      reason_i_authorised_illness: '4',
    });
  });

  it('refuses a file with any bad row, says where, and stores nothing of it', async () => {
    const before = await exportRows(`level=national&${PERIOD}`, server.token('la'));
    const bad = [
      'urn,upn,date,session,code,year_group',
      '100001,P1,2026-10-06,AM,/,3',
      '123456,P9,2026-10-06,AM,/,3',
      '100001,P1,2026-02-30,AM,/,3',
      '100001,P1,2026-10-06,XX,/,3',
      '100001,P1,2026-10-06,PM,Q9,3',
      '100001,P1,2026-10-06,PM,/,15',
      '100001,P1,2026-10-06,AM,I,3',
      `100001,P1,2999-01-01,AM,/,3`,
    ].join('\n');
    const response = await post(server, '/api/v1/submissions', bad, submitter);
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { line: number; column: number; message: string }[] };
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 1],
      [4, 3],
      [5, 4],
      [6, 5],
      [7, 6],
      [8, 5],
      [9, 3],
    ]);
    expect(errors[0].message).toMatch(/123456/);
    expect(errors[5].message).toMatch(/line 2/);
    await settled(server);
    expect(await exportRows(`level=national&${PERIOD}`, server.token('la'))).toEqual(before);
    expect(
      (await exportRows('level=national&from=2026-10-06&to=2026-10-06', server.token('la'))).filter(
        (r) => r.possible_sessions !== '0',
      ),
    ).toEqual([]);
  });

  it('refuses broken files with a clear 4xx', async () => {
    const cases: [string | Buffer, number, RegExp][] = [
      ['urn,upn,date\n100001,P1,2026-10-05\n', 400, /Missing required columns: session, code, year_group/],
      ['urn,upn,date,session,code,year_group\n100001,"P1,2026-10-05,AM,/,3\n', 400, /malformed/],
      [Buffer.from('urn,upn,date,session,code,year_group\n100001,P\xe91,2026-10-05,AM,/,3\n', 'latin1'), 400, /UTF-8/],
      ['urn,upn,date,session,code,year_group\n100001,P1,2026-10-05,AM,/,3\n\0\n', 400, /NUL/],
      ['', 400, /empty/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(server, '/api/v1/submissions', body, submitter);
      expect(response.status).toBe(status);
      expect(JSON.stringify(await response.json())).toMatch(message);
    }
  });

  it('refuses a file over 50 MB with 413', async () => {
    const row = '100001,P1,2026-10-05,AM,/,3\n';
    const big = Buffer.from('urn,upn,date,session,code,year_group\n' + row.repeat(Math.ceil(50_000_001 / row.length)));
    const response = await post(server, '/api/v1/submissions', big, submitter);
    expect(response.status).toBe(413);
  });

  it('needs a submitter within scope', async () => {
    expect((await post(server, '/api/v1/submissions', amendment)).status).toBe(401);
    expect((await post(server, '/api/v1/submissions', amendment, server.token('dfe'))).status).toBe(403);
    expect((await post(server, '/api/v1/submissions', amendment, server.token('submitter', ['100002']))).status).toBe(
      403,
    );
    expect((await post(server, '/api/v1/submissions', amendment, submitter, 'text/plain')).status).toBe(415);
    expect((await post(server, '/api/v1/reference/schools', gias, submitter)).status).toBe(403);
  });

  it('moves sessions out of the area figures when an amendment changes the cohort, or the school moves LA and phase', async () => {
    // National, regional and LA figures are summed per LA, phase and day: each change must leave nothing behind.
    const day = '2026-10-08';
    const register = (code: string, ethnicity: string) =>
      `urn,upn,date,session,code,year_group,ethnicity\n100003,M1,${day},AM,${code},4,${ethnicity}\n100003,M1,${day},PM,${code},4,${ethnicity}\n`;
    const dfe = server.token('la', '*');
    const possible = async (query: string, pick: (r: Row) => boolean) =>
      exportRows(`from=${day}&to=${day}&${query}`, dfe).then((rows) =>
        rows.filter(pick).map((r) => r.possible_sessions),
      );
    // And October as a whole (added up by month), which holds other days' sessions too (but no other Asian pupil's):
    // it moves by the same 2.
    const october = async (query: string, pick: (r: Row) => boolean) =>
      Number((await exportRows(`from=2026-10-01&to=2026-10-31&${query}`, dfe)).find(pick)?.possible_sessions ?? 0);
    const asian = (r: Row) => r.education_phase === 'Total' && r.breakdown === 'Asian or Asian British';
    const white = (r: Row) => r.education_phase === 'Total' && r.breakdown === 'White';

    expect((await post(server, '/api/v1/submissions', register('/', 'ASIA'), submitter)).status).toBe(202);
    await settled(server);
    expect(await possible('level=national&breakdown=ethnicity', asian)).toEqual(['2']);
    const [asianOctober, whiteOctober] = [
      await october('level=national&breakdown=ethnicity', asian),
      await october('level=national&breakdown=ethnicity', white),
    ];
    expect((await post(server, '/api/v1/submissions', register('/', 'WHIT'), submitter)).status).toBe(202);
    await settled(server);
    expect(await possible('level=national&breakdown=ethnicity', asian)).toEqual([]);
    expect(await possible('level=national&breakdown=ethnicity', white)).toEqual(['2']);
    expect(await october('level=national&breakdown=ethnicity', asian)).toBe(asianOctober - 2);
    expect(await october('level=national&breakdown=ethnicity', white)).toBe(whiteOctober + 2);

    const cityPrimary = (r: Row) => r.old_la_code === '201' && r.education_phase === 'Primary';
    const camdenSecondary = (r: Row) => r.old_la_code === '202' && r.education_phase === 'Secondary';
    expect(await possible('level=la', cityPrimary)).toEqual(['2']);
    expect(await possible('level=la', camdenSecondary)).toEqual([]);
    const [cityOctober, camdenOctober] = [
      await october('level=la', cityPrimary),
      await october('level=la', camdenSecondary),
    ];
    const moved =
      gias.toString().split('\n')[0] +
      '\n100003,202,Camden,City Primary,Academy converter,Open,Secondary,250,12.0,,,E01000001,E02000001,05-05-2019,x\n';
    expect((await post(server, '/api/v1/reference/schools', moved, server.token('admin'))).status).toBe(201);
    expect((await post(server, '/api/v1/submissions', register('I', 'WHIT'), submitter)).status).toBe(202);
    await settled(server);
    expect(await possible('level=la', cityPrimary)).toEqual([]);
    expect(await possible('level=la', camdenSecondary)).toEqual(['2']);
    expect(await october('level=la', cityPrimary)).toBe(cityOctober - 2);
    expect(await october('level=la', camdenSecondary)).toBe(camdenOctober + 2);
    expect(
      await possible(
        'level=regional&breakdown=ethnicity',
        (r) => r.education_phase === 'Primary' && r.breakdown === 'White',
      ),
    ).toEqual([]);
  });
});
