// Live pushes over socket.io with a real client: subscribe, permissions, pushes to a room at most PUSH_INTERVAL_MS
// apart carrying the day's figures; and answers shared across viewers of one class, never across classes.
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { todayInLondon } from '../../server/src/common/dates.js';
import type { Status } from '../../server/src/contract/api.js';
import { post, settled, startServer, TEST_JWT_SECRET, waitFor, type TestServer } from '../support/server.js';
import {
  type ClientToServerEvents,
  type LiveMeasures,
  PUSH_INTERVAL_MS,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '../../server/src/contract/live-events.js';

let server: TestServer;
const sockets: Socket[] = [];

function connect(token?: string): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${server.url}/live`, {
    auth: token ? { token } : {},
    transports: ['websocket'],
  });
  sockets.push(socket);
  return socket;
}
const subscribe = (socket: Socket<ServerToClientEvents, ClientToServerEvents>, request: SubscribeRequest) =>
  new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', request, resolve));

beforeAll(async () => {
  server = await startServer({ METRICS_PORT: '0' });
  expect(
    (
      await post(
        server,
        '/api/v1/reference/schools',
        readFileSync('tests/fixtures/gias-small.csv'),
        server.token('admin'),
      )
    ).status,
  ).toBe(201);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

it('refuses rooms the viewer is not entitled to, with a reason', async () => {
  const anonymous = connect();
  expect(await subscribe(anonymous, { level: 'national' })).toEqual({ ok: true });
  expect(await subscribe(anonymous, { level: 'la', code: '202' })).toEqual({ ok: true });
  expect(await subscribe(anonymous, { level: 'la', code: '999' })).toMatchObject({
    ok: false,
    error: expect.stringMatching(/999/),
  });
  expect(await subscribe(anonymous, { level: 'school', code: '100001' })).toMatchObject({ ok: false });
  const school = connect(server.token('school', ['100002']));
  expect(await subscribe(school, { level: 'school', code: '100002' })).toEqual({ ok: true });
  expect(await subscribe(school, { level: 'school', code: '100001' })).toMatchObject({ ok: false });
  const la = connect(server.token('la', ['202']));
  expect(await subscribe(la, { level: 'school', code: '100001' })).toEqual({ ok: true });
  expect(await subscribe(la, { level: 'school', code: '100003' })).toMatchObject({ ok: false });
});

it("pushes a room's new figures after a submission, at most one push per room each PUSH_INTERVAL_MS", async () => {
  const today = todayInLondon();
  const socket = connect();
  expect(await subscribe(socket, { level: 'national' })).toEqual({ ok: true });
  expect(await subscribe(socket, { level: 'la', code: '202' })).toEqual({ ok: true });
  const pushes: (LiveMeasures & { at: number })[] = [];
  socket.on('measures', (m) => pushes.push({ ...m, at: Date.now() }));
  const camden = connect(server.token('la', ['202']));
  expect(await subscribe(camden, { level: 'la', code: '202' })).toEqual({ ok: true });
  const camdenPushes: LiveMeasures[] = [];
  camden.on('measures', (m) => camdenPushes.push(m));

  const posted = Date.now();
  const body = `urn,upn,date,session,code,year_group\n100001,L1,${today},AM,/,3\n100001,L2,${today},AM,O,4\n`;
  expect((await post(server, '/api/v1/submissions', body, server.token('submitter'))).status).toBe(202);
  const national = await waitFor(async () => pushes.find((p) => p.level === 'national'), 10_000, 'a national push');
  // Only one school (of 2 pupils) has sent today's register: England's figure would be that school's, and so would
  // Camden's, so the public sees them suppressed, and Camden's own LA users (in the same room) see Camden's figures.
  expect(national).toMatchObject({
    code: 'E92000001',
    date: today,
    possible_sessions: null,
    attendance_perc: null,
    overall_absence_perc: null,
  });
  const la = await waitFor(async () => pushes.find((p) => p.level === 'la'), 10_000, 'an LA push');
  expect(la).toMatchObject({ code: '202', possible_sessions: null, overall_absence_perc: null });
  expect(
    await waitFor(async () => camdenPushes.find((p) => p.level === 'la'), 10_000, "Camden's own push"),
  ).toMatchObject({
    code: '202',
    possible_sessions: 2,
    overall_absence_perc: 50,
    // What the LA page shows for the day, carried: the LA's figures, and its region's and England's as the public
    // sees them (one school: hidden).
    figures: { possible_sessions: 2, overall_absence: 1, overall_absence_perc: 50, num_schools: 1 },
    region: { possible_sessions: 'c' },
    england: { possible_sessions: 'c' },
  });
  expect(la.figures).toMatchObject({ possible_sessions: 'c', overall_absence_perc: 'c' });
  expect(national.at - posted).toBeLessThan(5000);

  // A burst of ten submissions: the room gets its figures coalesced, never two pushes within PUSH_INTERVAL_MS.
  pushes.length = 0;
  for (let i = 0; i < 10; i++) {
    const burst = `urn,upn,date,session,code,year_group\n100002,B${i},${today},AM,/,9\n`;
    expect((await post(server, '/api/v1/submissions', burst, server.token('submitter'))).status).toBe(202);
  }
  await settled(server);
  await waitFor(
    async () => pushes.filter((p) => p.level === 'national').at(-1)?.possible_sessions === 12,
    10_000,
    'the last figures',
  );
  const times = pushes.filter((p) => p.level === 'national').map((p) => p.at);
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(PUSH_INTERVAL_MS - 10);
});

/** The shared answers computed, and given from the cache or from a computation in flight, so far (metrics). */
async function counts(): Promise<{ computed: number; given: number }> {
  const text = await (await fetch(server.metricsUrl!)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`attendance_shared_answers\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1]);
  return { computed: count('computed'), given: count('cached') + count('joined') };
}

it('gives viewers of one class the same answer, computed once, and viewers of another class their own', async () => {
  // City of London has one school: its figures are hidden from the public, and shown to its own LA users.
  const day = '2026-03-10';
  const body = `urn,upn,date,session,code,year_group\n100003,S1,${day},AM,/,3\n100003,S2,${day},AM,I,4\n`;
  expect((await post(server, '/api/v1/submissions', body, server.token('submitter'))).status).toBe(202);
  await settled(server);
  const question = `/api/v1/measures?level=la&code=201&from=${day}&to=${day}&phase=Total`;
  const ask = async (token?: string, path = question) => {
    const response = await fetch(
      `${server.url}${path}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { rows: Record<string, unknown>[] }).rows[0];
  };
  const cityLead = server.token('la', ['201']);
  // Either class first: each gets its own answer.
  expect(await ask(cityLead)).toMatchObject({ possible_sessions: 2, overall_absence_perc: 50 });
  expect(await ask()).toMatchObject({ possible_sessions: 'c', overall_absence_perc: 'c' });
  const month = `/api/v1/measures?level=la&code=201&from=2026-03-01&to=2026-03-31`;
  expect(await ask(undefined, month)).toMatchObject({ possible_sessions: 'c' });
  expect(await ask(cityLead, month)).toMatchObject({ possible_sessions: 2 });
  // Another user of the same LA is of the same class; Camden's lead sees City of London as the public does.
  expect(await ask(server.token('la', ['201']))).toMatchObject({ possible_sessions: 2 });
  expect(await ask(server.token('la', ['202']))).toMatchObject({ possible_sessions: 'c' });

  // Twenty viewers of one class asking one new question at once: one computation.
  const before = await counts();
  const week = `/api/v1/measures?level=regional&code=E12000007&from=${day}&to=2026-03-13&phase=Total`;
  const answers = await Promise.all(Array.from({ length: 20 }, () => ask(undefined, week)));
  expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  const after = await counts();
  expect(after.computed - before.computed).toBe(1);
  expect(after.given - before.given).toBe(19);

  // A register for the day rolls up: the day's answers are computed again, with it.
  const more = `urn,upn,date,session,code,year_group\n100003,S3,${day},AM,/,5\n100003,S4,${day},AM,/,6\n`;
  expect((await post(server, '/api/v1/submissions', more, server.token('submitter'))).status).toBe(202);
  await settled(server);
  await waitFor(async () => (await ask(cityLead))?.possible_sessions === 4, 10_000, "the day's new figures");
  expect(await ask(cityLead)).toMatchObject({ possible_sessions: 4, overall_absence_perc: 25 });
  expect(await ask()).toMatchObject({ possible_sessions: 'c' });
});

it('gives every viewer one status until a roll-up changes a day, the roll-ups to do counted afresh', async () => {
  const status = async () => (await (await fetch(`${server.url}/api/v1/status`)).json()) as Status;
  const first = await status();
  const before = await counts();
  const many = await Promise.all(Array.from({ length: 10 }, status));
  const after = await counts();
  expect(after.computed - before.computed).toBe(0);
  expect(after.given - before.given).toBe(10);
  for (const s of many) expect(s).toEqual(first);
  // A school not yet counted today sends its register: once it is rolled up (no roll-up left to do), it is counted.
  const today = todayInLondon();
  const body = `urn,upn,date,session,code,year_group\n100003,T1,${today},AM,/,3\n`;
  expect((await post(server, '/api/v1/submissions', body, server.token('submitter'))).status).toBe(202);
  await settled(server);
  expect(await status()).toMatchObject({
    pendingRollups: 0,
    schoolsSubmitted: { date: today, count: first.schoolsSubmitted.count + 1 },
  });
});

it('closes a socket when its token expires, and its rights go with it', async () => {
  // exp is in whole seconds: about 3 s from now.
  const exp = Math.ceil(Date.now() / 1000) + 3;
  const claims = { role: 'la', scope: ['202'], exp };
  const token = jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'expiring' });
  const socket = connect(token);
  expect(await subscribe(socket, { level: 'school', code: '100001' })).toEqual({ ok: true });
  const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  expect(await closed).toBe('io server disconnect');
  const closedAt = Date.now();
  expect(closedAt).toBeGreaterThanOrEqual(exp * 1000 - 20);
  expect(closedAt).toBeLessThan(exp * 1000 + 2000);
  // Connecting again with the expired token is refused: the subscription is never acknowledged.
  const refused = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.connect();
  const ack = socket
    .timeout(2000)
    .emitWithAck('subscribe', { level: 'school', code: '100001' })
    .catch((error: Error) => error);
  expect(await refused).toBe('io server disconnect');
  expect(await ack).toBeInstanceOf(Error);
}, 15_000);
