import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSchoolDay } from '../../server/src/calendar/term-calendar.js';
import { historyDates, liveDateFor, startSimulator } from './simulator.js';
import { syntheticSchools } from './synthetic-schools.js';

interface Post {
  path: string;
  auth: string;
  type: string;
  body: string;
}

/**
 * A stand-in for the API: records accepted posts; answers the first submissions with the given statuses; like the
 * real parser, it refuses (400) a file holding one pupil-session twice with different codes.
 */
async function fakeApi(
  statuses: number[] = [],
): Promise<{ server: Server; url: string; posts: Post[]; maxInFlight: () => number; submissions: () => number }> {
  const posts: Post[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let submissions = 0;
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const body = await read(req);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    if (req.url === '/api/v1/submissions') {
      const status = statuses[submissions++];
      if (status) {
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ line: 2, column: 5, message: 'as told' }] }));
        return;
      }
      const codes = new Map<string, string>();
      for (const row of body.trim().split('\n').slice(1)) {
        const [urn, upn, date, session, code] = row.split(',');
        const key = `${urn},${upn},${date},${session}`;
        if ((codes.get(key) ?? code) !== code) {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ line: 0, column: 5, message: `${key} twice` }] }));
          return;
        }
        codes.set(key, code);
      }
    }
    posts.push({
      path: req.url!,
      auth: String(req.headers.authorization),
      type: String(req.headers['content-type']),
      body,
    });
    if (req.url === '/api/v1/submissions')
      res
        .writeHead(202, { 'content-type': 'application/json' })
        .end('{"submissionId":"x","rows":1,"schools":1,"dates":[]}');
    else
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"inserted":1,"updated":0,"total":1,"skipped":[],"skippedCount":0}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    maxInFlight: () => maxInFlight,
    submissions: () => submissions,
  };
}

const options = (url: string, logs: string[]) => ({
  baseUrl: url,
  tokenFor: (role: string, scope: string) => `${role}:${scope}`,
  scale: 0.001,
  speed: 7200,
  seed: 3,
  log: (m: string) => logs.push(m),
  now: () => new Date('2026-11-23T10:00:00Z'),
});

const rowsOf = (posts: Post[]) =>
  posts.filter((p) => p.path === '/api/v1/submissions').flatMap((p) => p.body.trim().split('\n').slice(1));

describe('school calendar', () => {
  it('follows the term calendar the measures use: weekends, the October half term and the days before term are not school days', () => {
    expect(isSchoolDay('2026-10-23')).toBe(true);
    expect(['2026-10-26', '2026-10-30'].map(isSchoolDay)).toEqual([false, false]);
    expect(isSchoolDay('2026-11-02')).toBe(true);
    expect(isSchoolDay('2026-11-21')).toBe(false);
    expect(liveDateFor('2026-11-22')).toBe('2026-11-20');
    expect(liveDateFor('2026-11-23')).toBe('2026-11-23');
    const dates = historyDates('2026-11-23');
    expect(dates[0]).toBe('2026-11-20');
    // The typical calendar's autumn term starts on Thursday 3 September.
    expect(dates[dates.length - 1]).toBe('2026-09-03');
    expect(isSchoolDay('2026-09-01')).toBe(false);
    expect(dates).not.toContain('2026-10-28');
    expect(historyDates('2026-11-23', 3)).toEqual(['2026-11-20', '2026-11-19', '2026-11-18']);
  });
});

describe('simulator', () => {
  it('uploads the schools, posts history (retrying failures), then runs the live day with N amended later', async () => {
    // Busy, rate-limited, token refused: all retried until taken.
    const api = await fakeApi([503, 429, 401]);
    const logs: string[] = [];
    const simulator = startSimulator({ ...options(api.url, logs), historyDays: 2 });
    await simulator.ready;
    expect(api.posts[0].path).toBe('/api/v1/reference/schools');
    expect(api.posts[0].auth).toBe('Bearer admin:*');
    expect(api.posts[0].type).toBe('text/csv');
    const history = rowsOf(api.posts);
    expect(new Set(history.map((r) => r.split(',')[2]))).toEqual(new Set(['2026-11-20', '2026-11-19']));
    // The last school days come unsettled: N marks, every one amended before the live day starts.
    const lastOf = new Map<string, string>();
    for (const row of history) lastOf.set(row.split(',').slice(0, 4).join(','), row.split(',')[4]);
    expect(history.some((r) => r.split(',')[4] === 'N')).toBe(true);
    expect([...lastOf.values()]).not.toContain('N');
    expect(logs.some((m) => m.startsWith('History amended'))).toBe(true);
    expect(api.posts.slice(1).every((p) => p.auth === 'Bearer submitter:*' && p.body.startsWith('urn,upn,date,'))).toBe(
      true,
    );
    // Retries are logged on a post's first failure (then every tenth), so the three may be one post's or three posts'.
    expect(logs.some((m) => m.includes('failed (503') && m.includes('retrying'))).toBe(true);
    // The failed posts were retried: every pupil has both sessions on both days.
    const pupils = syntheticSchools(0.001, 3, '2026-11-23').reduce((sum, s) => sum + s.pupils, 0);
    expect(lastOf.size).toBe(4 * pupils);

    // The live day: 7.5 simulated hours at 7200x is under 4 s when the machine is free; it is over (every amendment
    // sent) when the next cycle starts, however long a busy machine makes it.
    const before = api.posts.length;
    const deadline = Date.now() + 30_000;
    while (!logs.some((m) => m.includes('(cycle 2,')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await simulator.stop();
    expect(api.maxInFlight()).toBeLessThanOrEqual(2);
    const live = rowsOf(api.posts.slice(before)).filter((r) => r.split(',')[2] === '2026-11-23');
    const codes = live.map((r) => r.split(',')[4]);
    expect(codes).toContain('N');
    // Each N is later replaced for most pupil-sessions: the last mark of many N sessions is a reason.
    const last = new Map<string, string>();
    const sentN = new Set<string>();
    for (const row of live) {
      const [urn, upn, date, session, code] = row.split(',');
      const key = `${urn},${upn},${date},${session}`;
      if (code === 'N') sentN.add(key);
      last.set(key, code);
    }
    const amended = [...sentN].filter((key) => last.get(key) !== 'N').length;
    expect(amended / sentN.size).toBeGreaterThan(0.5);
    expect(logs.some((m) => m.includes('Live school day 2026-11-23 started'))).toBe(true);
    // No post held a pupil-session twice (the fake API refuses those as the real one does).
    expect(logs.filter((m) => m.startsWith('ERROR'))).toEqual([]);
    expect(live.filter((r) => r.split(',')[4] === 'Z').length).toBeGreaterThan(0);
    const posted = api.posts.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.posts.length).toBe(posted);
    api.server.close();
  }, 90_000);
});

describe('simulator failures', () => {
  it('says loudly when the API refuses a file (400) and carries on without retrying it', async () => {
    const api = await fakeApi([400]);
    const logs: string[] = [];
    const simulator = startSimulator({ ...options(api.url, logs), historyDays: 1 });
    await simulator.ready;
    await simulator.stop();
    api.server.close();
    expect(
      logs.filter((m) => m.startsWith('ERROR') && m.includes('REFUSED (400)') && m.includes('as told')),
    ).toHaveLength(1);
    // The refused file is not posted again: of the day, only the few registers that come late and the amendments.
    const pupils = syntheticSchools(0.001, 3, '2026-11-23').reduce((sum, s) => sum + s.pupils, 0);
    expect(rowsOf(api.posts).filter((r) => r.split(',')[2] === '2026-11-20').length).toBeLessThan(0.5 * pupils);
  });

  it('stops at once while a post is waiting to be retried', async () => {
    const api = await fakeApi(Array(1000).fill(503));
    const logs: string[] = [];
    const simulator = startSimulator({ ...options(api.url, logs), historyDays: 3 });
    while (api.submissions() < 4) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await simulator.stop();
    await simulator.ready;
    expect(Date.now() - started).toBeLessThan(500);
    api.server.close();
  });
});
