// Early warning, end to end: a school's absence today far above its own history for the weekday raises an alert,
// listed for those who may see the school and pushed live to them only.
//
// School 100001 (Camden, gias-small.csv), 20 pupils, AM and PM: 40 possible sessions a day.
// The same weekday on each of the last 6 weeks: 2 absent (5%), so the expectation is 5% with no spread: margin 5 pp.
// Today: 20 absent (50%): far above 10%. School 100002 (Camden): 2 absent today, 2 on each past weekday: no alert.
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import type { Alerts } from '../../server/src/api-contract.js';
import { addDays, todayInLondon } from '../../server/src/common/dates.js';
import type { ClientToServerEvents, LiveAlert, ServerToClientEvents, SubscribeAck } from '../../server/src/live/live-events.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';

let server: TestServer;
const sockets: Socket[] = [];

function connect(token?: string): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${server.url}/live`, { auth: token ? { token } : {}, transports: ['websocket'] });
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
  expect((await post(server, '/api/v1/reference/schools', readFileSync('tests/fixtures/gias-small.csv'), server.token('admin'))).status).toBe(201);
  const history = [1, 2, 3, 4, 5, 6].flatMap((weeks) => [...day(100001, addDays(todayInLondon(), -7 * weeks), 2), ...day(100002, addDays(todayInLondon(), -7 * weeks), 2)]);
  expect((await post(server, '/api/v1/submissions', `urn,upn,date,session,code,year_group\n${history.join('\n')}\n`, server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

it("pushes a school's unusual absence to users who may see the school, not to the public, and lists it", async () => {
  const received: Record<string, LiveAlert[]> = { la: [], otherLa: [], dfe: [], public: [] };
  const listen = async (name: string, token: string | undefined, room: { level: 'national' | 'la'; code?: string }) => {
    const socket = connect(token);
    socket.on('alert', (alert) => received[name].push(alert));
    expect(await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', room, resolve))).toEqual({ ok: true });
  };
  await listen('la', server.token('la', ['202']), { level: 'la', code: '202' });
  await listen('otherLa', server.token('la', ['206']), { level: 'la', code: '202' });
  await listen('dfe', server.token('dfe'), { level: 'national' });
  await listen('public', undefined, { level: 'national' });

  const today = [...day(100001, todayInLondon(), 20), ...day(100002, todayInLondon(), 2)];
  expect((await post(server, '/api/v1/submissions', `urn,upn,date,session,code,year_group\n${today.join('\n')}\n`, server.token('submitter'))).status).toBe(202);
  await waitFor(async () => received.la.length > 0 && received.dfe.length > 0, 20_000, 'the alert');
  expect(received.la).toEqual([{ urn: 100001, name: 'Camden Primary', laCode: '202', date: todayInLondon(), todayPerc: 50, expectedPerc: 5 }]);
  expect(received.dfe).toEqual(received.la);
  expect(received.public).toEqual([]);
  expect(received.otherLa).toEqual([]);

  const listed = await fetch(`${server.url}/api/v1/alerts?la=202`, { headers: { authorization: `Bearer ${server.token('la', ['202'])}` } });
  const body = (await listed.json()) as Alerts;
  expect(body.schools.map((a) => [a.school.urn, a.todayPerc, a.expectedPerc, a.marginPp])).toEqual([[100001, 50, 5, 5]]);
  expect((await fetch(`${server.url}/api/v1/alerts`)).status).toBe(401);
  const elsewhere = await fetch(`${server.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${server.token('la', ['206'])}` } });
  expect(((await elsewhere.json()) as Alerts).schools).toEqual([]);
}, 40_000);
