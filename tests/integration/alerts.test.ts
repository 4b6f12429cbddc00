// Early warning, end to end: a school's absence today far above its own history for the weekday raises an alert,
// listed for those who may see the school and pushed live to them only.
//
// School 100001 (Camden, gias-small.csv), 20 pupils, AM and PM: 40 possible sessions a day. The same weekday on each of
// the last 6 weeks: 2 absent (5%), so the expectation is 5% with no spread: margin 5 pp. Today: 20 absent (50%): far
// above 10%. School 100002 (Camden, trust TR01): 2 absent today, 2 on each past weekday: no alert.
//
// Pupils at risk (attendance under 97% over the last four weeks, or on course for persistent absence), as of today:
// the last four weeks hold 3 past weekdays and today (8 sessions). 100001: pupil 1 is absent every day (0%); pupils
// 2-10 are absent today only (6 of 8: 75%): 10 at risk. 100002: pupil 1 is absent every day: 1 at risk, which DfE
// may not see (under 10); the LA and the trust may.
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';
import type { Alerts } from '../../server/src/contract/api.js';
import type {
  ClientToServerEvents,
  LiveAlert,
  LivePupilAlert,
  ServerToClientEvents,
  SubscribeAck,
  SubscribeRequest,
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

function day(urn: number, date: string, absent: number): string[] {
  const rows: string[] = [];
  for (let i = 1; i <= 20; i++) {
    rows.push(`${urn},U${urn}P${i},${date},AM,${i <= absent / 2 ? 'I' : '/'},5`);
    rows.push(`${urn},U${urn}P${i},${date},PM,${i <= absent / 2 ? 'I' : '\\'},5`);
  }
  return rows;
}

beforeAll(async () => {
  server = await startServer();
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
  const history = [1, 2, 3, 4, 5, 6].flatMap((weeks) => [
    ...day(100001, addDays(todayInLondon(), -7 * weeks), 2),
    ...day(100002, addDays(todayInLondon(), -7 * weeks), 2),
  ]);
  expect(
    (
      await post(
        server,
        '/api/v1/submissions',
        `urn,upn,date,session,code,year_group\n${history.join('\n')}\n`,
        server.token('submitter'),
      )
    ).status,
  ).toBe(202);
  await settled(server);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

it("pushes a school's unusual absence to users who may see the school, not to the public, and lists it", async () => {
  const received: Record<string, LiveAlert[]> = { la: [], otherLa: [], dfe: [], public: [], trust: [] };
  const pupils: Record<string, LivePupilAlert[]> = { la: [], otherLa: [], dfe: [], public: [], trust: [] };
  const listen = async (name: string, token: string | undefined, room: SubscribeRequest) => {
    const socket = connect(token);
    socket.on('alert', (alert) => received[name].push(alert));
    socket.on('pupils', (alert) => pupils[name].push(alert));
    expect(await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', room, resolve))).toEqual({ ok: true });
  };
  await listen('la', server.token('la', ['202']), { level: 'la', code: '202' });
  await listen('otherLa', server.token('la', ['206']), { level: 'la', code: '202' });
  await listen('dfe', server.token('dfe'), { level: 'national' });
  await listen('public', undefined, { level: 'national' });
  await listen('trust', server.token('trust', ['TR01']), { level: 'trust', code: 'TR01' });
  const refused = connect(server.token('trust', ['TR02']));
  expect(
    await new Promise<SubscribeAck>((resolve) => refused.emit('subscribe', { level: 'trust', code: 'TR01' }, resolve)),
  ).toEqual({ ok: false, error: 'Your role (trust) may not follow trust TR01' });

  const today = [...day(100001, todayInLondon(), 20), ...day(100002, todayInLondon(), 2)];
  expect(
    (
      await post(
        server,
        '/api/v1/submissions',
        `urn,upn,date,session,code,year_group\n${today.join('\n')}\n`,
        server.token('submitter'),
      )
    ).status,
  ).toBe(202);
  await waitFor(async () => received.la.length > 0 && received.dfe.length > 0, 20_000, 'the alert');
  expect(received.la).toEqual([
    { urn: 100001, name: 'Camden Primary', laCode: '202', date: todayInLondon(), todayPerc: 50, expectedPerc: 5 },
  ]);
  expect(received.dfe).toEqual(received.la);
  expect(received.public).toEqual([]);
  expect(received.otherLa).toEqual([]);
  expect(received.trust).toEqual([]);

  await waitFor(
    async () => pupils.la.length >= 2 && pupils.dfe.length >= 2 && pupils.trust.length >= 1,
    20_000,
    'the pupil alerts',
  );
  const date = todayInLondon();
  const byUrn = (alerts: LivePupilAlert[]) => [...alerts].sort((a, b) => a.urn - b.urn).map((a) => [a.urn, a.atRisk]);
  expect(byUrn(pupils.la)).toEqual([
    [100001, 10],
    [100002, 1],
  ]);
  expect(byUrn(pupils.dfe)).toEqual([
    [100001, 10],
    [100002, null],
  ]);
  expect(pupils.trust).toEqual([
    { urn: 100002, name: 'Camden Academy', laCode: '202', date, atRisk: 1, threshold: 97 },
  ]);
  expect(pupils.public).toEqual([]);
  expect(pupils.otherLa).toEqual([]);

  const listed = await fetch(`${server.url}/api/v1/alerts?la=202`, {
    headers: { authorization: `Bearer ${server.token('la', ['202'])}` },
  });
  const body = (await listed.json()) as Alerts;
  expect(body.schools.map((a) => [a.school.urn, a.todayPerc, a.expectedPerc, a.marginPp])).toEqual([
    [100001, 50, 5, 5],
  ]);
  expect(body.pupils.map((p) => [p.school.urn, p.atRisk])).toEqual([
    [100001, 10],
    [100002, 1],
  ]);
  expect(body.threshold).toBe(97);
  const forDfe = await fetch(`${server.url}/api/v1/alerts?la=202`, {
    headers: { authorization: `Bearer ${server.token('dfe')}` },
  });
  expect(((await forDfe.json()) as Alerts).pupils.map((p) => [p.school.urn, p.atRisk])).toEqual([
    [100001, 10],
    [100002, null],
  ]);
  const forTrust = await fetch(`${server.url}/api/v1/alerts`, {
    headers: { authorization: `Bearer ${server.token('trust', ['TR01'])}` },
  });
  expect(((await forTrust.json()) as Alerts).pupils.map((p) => [p.school.urn, p.atRisk])).toEqual([[100002, 1]]);
  expect((await fetch(`${server.url}/api/v1/alerts`)).status).toBe(401);
  const elsewhere = await fetch(`${server.url}/api/v1/alerts`, {
    headers: { authorization: `Bearer ${server.token('la', ['206'])}` },
  });
  expect(((await elsewhere.json()) as Alerts).schools).toEqual([]);
}, 40_000);
