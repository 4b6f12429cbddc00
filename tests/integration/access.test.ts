// The access matrix (README "Who sees what"): every role against every endpoint and socket room, in and out of
// scope; suppression as each role sees it; the audit log of pupil-level reads and exports.
//
// Camden (202): 910001 (trust 7001) 10 pupils, 3 FSM; 910002 5 pupils, 1 FSM. Islington (206): 910003 and 910004,
// 10 pupils each. One day, AM and PM; pupil 1 of each school absent (I) in the AM.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { AuditEntry } from '../../server/src/contract/api.js';
import type { Role } from '../../server/src/contract/vocabulary.js';

const DAY = '2026-11-16';
const PERIOD = `from=${DAY}&to=${DAY}`;
const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),Trusts (code),Trusts (name)',
  '910001,202,Trust Primary,Academy converter,Open,Primary,7001,Heath Trust',
  '910002,202,Little Primary,Community school,Open,Primary,,',
  '910003,206,Canal Primary,Community school,Open,Primary,,',
  '910004,206,Angel Primary,Community school,Open,Primary,,',
].join('\n');

function register(): string {
  const rows = ['urn,upn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla'];
  const school = (urn: number, pupils: number, fsm: number) => {
    for (let i = 1; i <= pupils; i++) {
      const tail = `4,F,${i <= fsm ? 'Y' : 'N'},N,N,WHIT,N,N`;
      rows.push(
        `${urn},U${urn}x${i},${DAY},AM,${i === 1 ? 'I' : '/'},${tail}`,
        `${urn},U${urn}x${i},${DAY},PM,\\,${tail}`,
      );
    }
  };
  school(910001, 10, 3);
  school(910002, 5, 1);
  school(910003, 10, 0);
  school(910004, 10, 0);
  return `${rows.join('\n')}\n`;
}

const VIEWERS = ['public', 'dfe', 'ofsted', 'la', 'otherLa', 'trust', 'school', 'submitter', 'admin'] as const;
type Viewer = (typeof VIEWERS)[number];
const SCOPES: Record<Exclude<Viewer, 'public'>, [Role, '*' | string[]]> = {
  dfe: ['dfe', '*'],
  ofsted: ['ofsted', '*'],
  la: ['la', ['202']],
  otherLa: ['la', ['206']],
  trust: ['trust', ['7001']],
  school: ['school', ['910001']],
  submitter: ['submitter', ['910001']],
  admin: ['admin', '*'],
};

let server: TestServer;
const token = (viewer: Viewer) => (viewer === 'public' ? undefined : server.token(...SCOPES[viewer]));

async function call(
  viewer: Viewer,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
): Promise<Response> {
  const auth = token(viewer);
  return fetch(`${server.url}${path}`, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body ? { 'content-type': type } : {}) },
    body,
  });
}

async function rows(viewer: Viewer, query: string): Promise<Record<string, unknown>[]> {
  const response = await call(viewer, 'GET', `/api/v1/measures?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
}

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

//                                 public dfe  ofsted la   otherLa trust school submitter admin
const ALL = [200, 200, 200, 200, 200, 200, 200, 200, 200];
const SCHOOL_AGGREGATES = [401, 200, 200, 200, 403, 200, 200, 403, 403];
const PUPIL_LEVEL = [401, 403, 403, 200, 403, 200, 200, 403, 403];
const LA_SCHOOLS = [401, 200, 200, 200, 403, 403, 403, 403, 403];
type Row = [method: string, what: string, path: string, expected: number[], body?: string, type?: string];
const MATRIX: Row[] = [
  ['GET', 'national figures', `/api/v1/measures?level=national&${PERIOD}`, ALL],
  ['GET', 'regional figures', `/api/v1/measures?level=regional&${PERIOD}`, ALL],
  ['GET', "an LA's figures", `/api/v1/measures?level=la&code=202&${PERIOD}`, ALL],
  ['GET', 'the LA export', `/api/v1/export/attendance.csv?level=la&${PERIOD}`, ALL],
  ['GET', "a school's figures", `/api/v1/measures?level=school&code=910001&${PERIOD}`, SCHOOL_AGGREGATES],
  ['GET', "a school's export", `/api/v1/export/attendance.csv?level=school&code=910001&${PERIOD}`, SCHOOL_AGGREGATES],
  [
    'GET',
    "an LA's schools in the export",
    `/api/v1/export/attendance.csv?level=school&la=202&${PERIOD}`,
    [401, 200, 200, 200, 403, 403, 403, 403, 403],
  ],
  ['GET', 'the LA comparison', `/api/v1/las/202/comparison?${PERIOD}`, ALL],
  ['GET', "the LA's cohorts", `/api/v1/las/202/cohorts?breakdown=fsm&${PERIOD}`, ALL],
  ['GET', "the LA's neighbourhoods", `/api/v1/las/202/neighbourhoods?${PERIOD}`, ALL],
  ['GET', "the LA's schools", `/api/v1/las/202/schools?${PERIOD}`, LA_SCHOOLS],
  ['GET', "the LA's targets", '/api/v1/las/202/targets', LA_SCHOOLS],
  [
    'PUT',
    "the LA's targets",
    '/api/v1/las/202/targets',
    [401, 403, 403, 200, 403, 403, 403, 403, 403],
    JSON.stringify({ cohort: 'cin', attendance: 93 }),
  ],
  ['GET', 'a school overview', `/api/v1/schools/910001/overview?${PERIOD}`, SCHOOL_AGGREGATES],
  ['GET', "a school's pupils", `/api/v1/schools/910001/pupils?${PERIOD}`, PUPIL_LEVEL],
  ['GET', "a school's pupils as CSV", `/api/v1/schools/910001/pupils.csv?${PERIOD}`, PUPIL_LEVEL],
  ['GET', 'a trust overview', `/api/v1/trusts/7001/overview?${PERIOD}`, [401, 200, 200, 403, 403, 200, 403, 403, 403]],
  [
    'GET',
    'inspection priorities',
    `/api/v1/inspection/priorities?${PERIOD}`,
    [401, 200, 200, 403, 403, 403, 403, 403, 403],
  ],
  [
    'GET',
    'inspection priorities as CSV',
    `/api/v1/inspection/priorities.csv?${PERIOD}`,
    [401, 200, 200, 403, 403, 403, 403, 403, 403],
  ],
  ['GET', "an LA's alerts", `/api/v1/alerts?la=202&date=${DAY}`, [401, 200, 200, 200, 403, 200, 200, 403, 403]],
  ['GET', 'the audit log', '/api/v1/audit', [401, 403, 403, 403, 403, 403, 403, 403, 200]],
  ['GET', 'the queue board', '/admin/queues', [401, 403, 403, 403, 403, 403, 403, 403, 200]],
  ['POST', 'a queue board session', '/api/v1/auth/admin-session', [401, 403, 403, 403, 403, 403, 403, 403, 204]],
  ['GET', 'the LAs', '/api/v1/reference/local-authorities', ALL],
  ['GET', 'the status', '/api/v1/status', ALL],
  [
    'POST',
    'a GIAS upload',
    '/api/v1/reference/schools',
    [401, 403, 403, 403, 403, 403, 403, 403, 201],
    GIAS,
    'text/csv',
  ],
  [
    'POST',
    'a register',
    '/api/v1/submissions',
    [401, 403, 403, 403, 403, 403, 202, 202, 403],
    `urn,upn,date,session,code,year_group\n910001,U910001x2,${DAY},AM,/,4\n`,
    'text/csv',
  ],
  [
    'POST',
    'a register for another school',
    '/api/v1/submissions',
    [401, 403, 403, 403, 403, 403, 403, 403, 403],
    `urn,upn,date,session,code,year_group\n910003,U910003x2,${DAY},AM,/,4\n`,
    'text/csv',
  ],
];

describe('the access matrix', () => {
  // A rest parameter: jest takes a callback with more parameters than a row has for one that wants `done`.
  it.each(MATRIX)(
    '%s %s: each role gets what the matrix says',
    async (...[method, , path, expected, body, type]: Row) => {
      const got: Record<string, number> = {};
      for (const viewer of VIEWERS) got[viewer] = (await call(viewer, method, path, body, type)).status;
      expect(got).toEqual(Object.fromEntries(VIEWERS.map((v, i) => [v, expected[i]])));
    },
  );

  it('says why it refuses, without stack traces or SQL', async () => {
    const refused = await call('otherLa', 'GET', `/api/v1/schools/910001/pupils?${PERIOD}`);
    const text = await refused.text();
    expect(JSON.parse(text)).toMatchObject({
      statusCode: 403,
      message: expect.stringMatching(/school, its trust and its LA/),
    });
    expect(text).not.toMatch(/\bat \S+:\d+|SELECT|FROM /);
  });
});

describe('suppression as each role sees it', () => {
  const schoolCells = async (viewer: Viewer) =>
    Object.fromEntries(
      (await rows(viewer, `level=school&la=202&${PERIOD}&phase=Total`)).map((r) => [r.school_urn, r.enrolments]),
    );

  it('hides a school of fewer than 10 pupils from DfE, and the school that would reveal it from the LA total', async () => {
    expect(await schoolCells('dfe')).toEqual({ '910001': 'c', '910002': 'c' });
    expect(await schoolCells('la')).toEqual({ '910001': 10, '910002': 5 });
    const islington = Object.fromEntries(
      (await rows('dfe', `level=school&la=206&${PERIOD}&phase=Total`)).map((r) => [r.school_urn, r.enrolments]),
    );
    expect(islington).toEqual({ '910003': 10, '910004': 10 });
  });

  it('hides them the same way whichever rows are asked for', async () => {
    expect((await rows('dfe', `level=school&code=910001&${PERIOD}&phase=Total`))[0].enrolments).toBe('c');
    expect((await rows('trust', `level=school&code=910001&${PERIOD}&phase=Total`))[0].enrolments).toBe(10);
  });

  it('leaves a small cohort out, and hides its complement, for all but those with pupil-level rights', async () => {
    const fsm = async (viewer: Viewer) =>
      Object.fromEntries(
        (await rows(viewer, `level=la&code=202&${PERIOD}&phase=Total&breakdown=fsm`)).map((r) => [
          r.breakdown,
          r.enrolments,
        ]),
      );
    // 4 FSM (under 10): no row names them; and the 11 not is hidden too, or Camden's total less it would give the 4.
    expect(await fsm('public')).toEqual({ 'Not known to be FSM eligible': 'c' });
    expect(await fsm('dfe')).toEqual({ 'Not known to be FSM eligible': 'c' });
    expect(await fsm('otherLa')).toEqual({ 'Not known to be FSM eligible': 'c' });
    expect(await fsm('la')).toEqual({ 'FSM eligible': 4, 'Not known to be FSM eligible': 11 });
    // Camden's total is public: 15 enrolments, two schools.
    expect((await rows('public', `level=la&code=202&${PERIOD}&phase=Total`))[0]).toMatchObject({
      enrolments: 15,
      num_schools: 2,
    });
  });
});

describe('the queue board', () => {
  it('opens in a browser for an admin through an HttpOnly cookie that expires with the token', async () => {
    const session = await call('admin', 'POST', '/api/v1/auth/admin-session');
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^admin_session=[\w.-]+; Max-Age=\d+; Path=\/admin\/queues; Expires=.+; HttpOnly; SameSite=Strict$/,
    );
    const board = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(board.status).toBe(200);
    expect(((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual(['rollup']);
  });
});

describe('socket rooms', () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((s) => s.disconnect()));

  it.each([
    ['public', false],
    ['dfe', true],
    ['ofsted', true],
    ['la', true],
    ['otherLa', false],
    ['trust', true],
    ['school', true],
    ['submitter', false],
    ['admin', false],
  ] as [Viewer, boolean][])("%s: follows school 910001's room: %s", async (viewer, allowed) => {
    const auth = token(viewer);
    const socket = io(`${server.url}/live`, { transports: ['websocket'], auth: auth ? { token: auth } : {} });
    sockets.push(socket);
    const ack = await socket.timeout(5000).emitWithAck('subscribe', { level: 'school', code: '910001' });
    expect(ack.ok).toBe(allowed);
    if (!allowed) expect(ack.error).toEqual(expect.any(String));
  });
});

describe('the audit log', () => {
  it('records each pupil-level read and export (who, what, when) and shows it to admin only', async () => {
    const since = Date.now();
    expect((await call('la', 'GET', `/api/v1/schools/910002/pupils?${PERIOD}`)).status).toBe(200);
    expect((await call('trust', 'GET', `/api/v1/schools/910001/pupils.csv?${PERIOD}`)).status).toBe(200);
    expect((await call('dfe', 'GET', `/api/v1/export/attendance.csv?level=school&${PERIOD}`)).status).toBe(200);
    const response = await call('admin', 'GET', `/api/v1/audit?from=2026-01-01`);
    expect(response.status).toBe(200);
    const entries = (await response.json()) as AuditEntry[];
    const recent = entries.filter((e) => Date.parse(e.at) >= since - 1000);
    expect(recent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'test-la',
          role: 'la',
          scope: '202',
          action: 'pupils.read',
          resource: `/api/v1/schools/910002/pupils?${PERIOD}`,
          rows: 5,
        }),
        expect.objectContaining({ subject: 'test-trust', role: 'trust', action: 'pupils.export', rows: 10 }),
        expect.objectContaining({
          subject: 'test-dfe',
          role: 'dfe',
          action: 'measures.export',
          resource: `/api/v1/export/attendance.csv?level=school&${PERIOD}`,
        }),
      ]),
    );
    // A refused read discloses nothing and is not a read.
    expect(recent.filter((e) => e.role === 'dfe' && e.action === 'pupils.read')).toEqual([]);
    const again = (await (await call('admin', 'GET', '/api/v1/audit?action=audit.read')).json()) as AuditEntry[];
    expect(again[0]).toMatchObject({ subject: 'test-admin', action: 'audit.read' });
  });

  it('says what is wrong with a bad filter', async () => {
    const response = await call('admin', 'GET', '/api/v1/audit?action=everything');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/action/);
  });
});
