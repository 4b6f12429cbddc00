// Pupil-level figures: who may see them, the UPN decrypted only for them (and never stored in plain text), and the
// persistent, severe and at-risk flags, worked out by hand.
//
// School 900021 (Camden, trust 5001). "Earlier": 10 days from 40 days ago; "recent": today (the last four weeks).
//   Z9ADA0000001 (year 5): earlier 10 days present (20 sessions); today AM and PM ill (I).
//     22 possible, 2 absent: 9.09%: not persistent. Recent 2/2 = 100% absent: attendance 0% is under 97%, and 100%
//     absence over the last four weeks puts her on course for persistent absence: at risk on both counts.
//   Z9BOB0000002 (year 5): earlier 10 days, absent AM and PM on 6 of them (O): 12 of 20; today present.
//     22 possible, 12 absent: 54.5%: persistent and severe (so not "at risk": already persistently absent).
//   Z9CAT0000003 (Reception): present throughout: 0%; not of compulsory school age.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { SchoolPupils } from '../../server/src/contract/api.js';
import type { Role } from '../../server/src/contract/vocabulary.js';

const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),Trusts (code),Trusts (name)',
  '900021,202,Pupil Academy,Academy converter,Open,Primary,5001,Thames Learning Trust',
  '900022,202,Other Primary,Community school,Open,Primary,,',
].join('\n');
const UPNS = ['Z9ADA0000001', 'Z9BOB0000002', 'Z9CAT0000003'];
/** Parts of the names the tests below send: none may be found in plain text anywhere but a pupil-level answer. */
const NAMES = ['Lovelace', 'Súilleabháin', 'Cat Smith', 'Ada King', 'Someone Else'];

/**
 * Two files: the earlier days of the first two pupils, then today and the third pupil's earlier days. The server keeps
 * an encrypted UPN once per pupil: the second file brings one new pupil and two it has already kept.
 */
function registers(): [string, string] {
  const today = todayInLondon();
  const header = 'urn,upn,date,session,code,year_group';
  const first = [header];
  const second = [header];
  for (let d = 0; d < 10; d++) {
    const date = addDays(today, -40 + d);
    for (const session of ['AM', 'PM']) {
      const present = session === 'AM' ? '/' : '\\';
      first.push(`900021,${UPNS[0]},${date},${session},${present},5`);
      first.push(`900021,${UPNS[1]},${date},${session},${d < 6 ? 'O' : present},5`);
      second.push(`900021,${UPNS[2]},${date},${session},${present},R`);
    }
  }
  second.push(`900021,${UPNS[0]},${today},AM,I,5`, `900021,${UPNS[0]},${today},PM,I,5`);
  second.push(`900021,${UPNS[1]},${today},AM,/,5`, `900021,${UPNS[1]},${today},PM,\\,5`);
  second.push(`900021,${UPNS[2]},${today},AM,/,R`, `900021,${UPNS[2]},${today},PM,\\,R`);
  return [`${first.join('\n')}\n`, `${second.join('\n')}\n`];
}

let server: TestServer;

async function get<T>(path: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  // A data directory of the test's own: it is read after the server has stopped (below).
  server = await startServer({ DATA_DIR: mkdtempSync(join(tmpdir(), 'attendance-pupils-')) });
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  for (const file of registers())
    expect((await post(server, '/api/v1/submissions', file, server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('pupil-level figures', () => {
  it('give the school its pupils with UPNs, rates and flags', async () => {
    const { status, body } = await get<SchoolPupils>(
      '/api/v1/schools/900021/pupils',
      server.token('school', ['900021']),
    );
    expect(status).toBe(200);
    const [bob, ada, cat] = body.pupils;
    expect(bob).toMatchObject({
      upn: UPNS[1],
      possibleSessions: 22,
      absentSessions: 12,
      persistent: true,
      severe: true,
      atRisk: false,
      compulsoryAge: true,
    });
    expect(bob.absencePerc).toBeCloseTo((12 / 22) * 100, 9);
    expect(ada).toMatchObject({
      upn: UPNS[0],
      possibleSessions: 22,
      absentSessions: 2,
      persistent: false,
      severe: false,
      atRisk: true,
      recentAbsencePerc: 100,
      earlierAbsencePerc: 0,
    });
    expect(ada.warnings).toEqual(['below_threshold', 'on_course_for_pa']);
    expect(bob.warnings).toEqual([]);
    expect(cat).toMatchObject({ upn: UPNS[2], absencePerc: 0, atRisk: false, compulsoryAge: false, yearGroup: 'R' });
    expect(body.threshold).toBe(97);
    const lower = await get<SchoolPupils>(
      '/api/v1/schools/900021/pupils?threshold=60',
      server.token('school', ['900021']),
    );
    expect(lower.body.threshold).toBe(60);
    expect(lower.body.pupils.find((p) => p.upn === UPNS[0])!.warnings).toEqual(['below_threshold', 'on_course_for_pa']);
    const bad = await get<{ errors: { field: string; message: string }[] }>(
      '/api/v1/schools/900021/pupils?threshold=120',
      server.token('school', ['900021']),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'threshold', message: 'must be a percentage from 50 to 100' }]);
  });

  it('are for the school, its trust and its LA only', async () => {
    expect((await get('/api/v1/schools/900021/pupils', server.token('trust', ['5001']))).status).toBe(200);
    expect((await get('/api/v1/schools/900021/pupils', server.token('la', ['202']))).status).toBe(200);
    const refused: [Role, '*' | string[]][] = [
      ['school', ['900022']],
      ['trust', ['5002']],
      ['la', ['206']],
      ['dfe', '*'],
      ['ofsted', '*'],
      ['admin', '*'],
      ['submitter', '*'],
    ];
    for (const [role, scope] of refused) {
      expect([role, (await get('/api/v1/schools/900021/pupils', server.token(role, scope))).status]).toEqual([
        role,
        403,
      ]);
    }
    expect((await get('/api/v1/schools/900021/pupils')).status).toBe(401);
  });

  it('download as CSV with the UPNs', async () => {
    const response = await fetch(`${server.url}/api/v1/schools/900021/pupils.csv`, {
      headers: { authorization: `Bearer ${server.token('la', ['202'])}` },
    });
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^upn,yearGroup,sex,/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([...UPNS].sort());
  });
});

// Names come with a register's optional name column, kept encrypted per school and pupil. The files below repeat the
// marks of today exactly (the same codes), so every figure above stays as it is.
describe('pupil names', () => {
  const today = () => todayInLondon();
  const header = 'urn,upn,date,session,code,year_group,name';
  const marks = (upn: string, name: string, urn = 900021, codes = ['I', 'I'], year = '5') =>
    ['AM', 'PM'].map((session, i) => `${urn},${upn},${today()},${session},${codes[i]},${year},${name}`);
  const send = async (lines: string[], head = header) =>
    post(server, '/api/v1/submissions', `${[head, ...lines].join('\n')}\n`, server.token('submitter'));
  const namesSeenBy = async (token: string, urn = 900021) => {
    const { body } = await get<SchoolPupils>(`/api/v1/schools/${urn}/pupils`, token);
    return Object.fromEntries(body.pupils.map((p) => [p.upn, p.name]));
  };
  const school = () => server.token('school', ['900021']);

  it('are shown to the school, its trust and its LA, each school its own', async () => {
    expect(
      (
        await send([
          ...marks(UPNS[0], 'Ada Lovelace'),
          ...marks(UPNS[1], 'Bob Ó Súilleabháin', 900021, ['/', '\\']),
          ...marks(UPNS[2], '=Cat Smith', 900021, ['/', '\\'], 'R'),
        ])
      ).status,
    ).toBe(202);
    // Another school sends a name for the same pupil: it is that school's, not 900021's.
    expect((await send(marks(UPNS[0], 'Someone Else', 900022, ['/', '\\']))).status).toBe(202);
    await settled(server);
    const expected = { [UPNS[0]]: 'Ada Lovelace', [UPNS[1]]: 'Bob Ó Súilleabháin', [UPNS[2]]: '=Cat Smith' };
    expect(await namesSeenBy(school())).toEqual(expected);
    expect(await namesSeenBy(server.token('trust', ['5001']))).toEqual(expected);
    expect(await namesSeenBy(server.token('la', ['202']))).toEqual(expected);
    expect(await namesSeenBy(server.token('la', ['202']), 900022)).toEqual({ [UPNS[0]]: 'Someone Else' });
    // The figures are those above: the same marks again.
    const { body } = await get<SchoolPupils>('/api/v1/schools/900021/pupils', school());
    expect(body.pupils.map((p) => [p.upn, p.possibleSessions, p.absentSessions])).toEqual([
      [UPNS[1], 22, 12],
      [UPNS[0], 22, 2],
      [UPNS[2], 22, 0],
    ]);
  });

  it('are kept by a register without them, and replaced by a later one with one', async () => {
    // Without the column, and with the column left empty: the stored name stays.
    expect(
      (
        await send(
          marks(UPNS[0], '').map((l) => l.slice(0, -1)),
          header.replace(',name', ''),
        )
      ).status,
    ).toBe(202);
    expect((await send(marks(UPNS[0], ''))).status).toBe(202);
    await settled(server);
    expect((await namesSeenBy(school()))[UPNS[0]]).toBe('Ada Lovelace');
    expect((await send(marks(UPNS[0], 'Ada King'))).status).toBe(202);
    await settled(server);
    expect((await namesSeenBy(school()))[UPNS[0]]).toBe('Ada King');
  });

  it('refuse a bad name with a row error, and store nothing of the file', async () => {
    // Bob's marks change (O), but the file is refused for Ada's name: neither is stored.
    const response = await send([
      ...marks(UPNS[1], 'Bob Byron', 900021, ['O', 'O']),
      ...marks(UPNS[0], `Ada ${'K'.repeat(120)}`),
    ]);
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: unknown[] };
    expect(errors).toEqual([
      { line: 4, column: 7, message: 'name is longer than 100 characters' },
      { line: 5, column: 7, message: 'name is longer than 100 characters' },
    ]);
    await settled(server);
    const { body } = await get<SchoolPupils>('/api/v1/schools/900021/pupils', school());
    expect(body.pupils.map((p) => [p.name, p.absentSessions])).toEqual([
      ['Bob Ó Súilleabháin', 12],
      ['Ada King', 2],
      ['=Cat Smith', 0],
    ]);
  });

  it('download in the CSV, a name that looks like a formula quoted', async () => {
    const response = await fetch(`${server.url}/api/v1/schools/900021/pupils.csv`, {
      headers: { authorization: `Bearer ${school()}` },
    });
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0].split(',').at(-1)).toBe('name');
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([
      [UPNS[1], 'Bob Ó Súilleabháin'],
      [UPNS[0], 'Ada King'],
      [UPNS[2], "'=Cat Smith"],
    ]);
  });

  it('are never logged in plain text, nor in any other answer (nor stored: below)', async () => {
    expect(NAMES.filter((name) => server.output().includes(name))).toEqual([]);
    const la = server.token('la', ['202']);
    for (const path of [
      '/api/v1/schools/900021/overview',
      '/api/v1/alerts?la=202',
      '/api/v1/las/202/schools',
      '/api/v1/measures?level=school&code=900021',
    ]) {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${la}` } });
      expect([path, response.status]).toEqual([path, 200]);
      const text = await response.text();
      expect([path, NAMES.filter((name) => text.includes(name))]).toEqual([path, []]);
    }
  });
});

// Last: the server is stopped to read its files (while it runs, a background merge replaces parts under the walk).
describe('at rest', () => {
  it('hold no UPN and no name in plain text in any file of the data directory', async () => {
    await server.stop();
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const found = files(server.dataDir).filter((file) =>
      [...UPNS, ...NAMES].some((secret) => readFileSync(file).includes(secret)),
    );
    expect(found).toEqual([]);
  });
});
