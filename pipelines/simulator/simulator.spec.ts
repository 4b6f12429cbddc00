import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { historyDates, isSchoolDay, liveDateFor, startSimulator } from './simulator.js';

interface Post {
  path: string;
  auth: string;
  type: string;
  body: string;
}

/** A stand-in for the API: records posts, fails the first `failures` submissions with a 503. */
async function fakeApi(failures = 0): Promise<{ server: Server; url: string; posts: Post[]; maxInFlight: () => number }> {
  const posts: Post[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failed = 0;
  const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
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
    if (req.url === '/api/v1/submissions' && failed < failures) {
      failed++;
      res.writeHead(503).end('busy');
      return;
    }
    posts.push({ path: req.url!, auth: String(req.headers.authorization), type: String(req.headers['content-type']), body });
    res.writeHead(req.url === '/api/v1/submissions' ? 202 : 201, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts, maxInFlight: () => maxInFlight };
}

const rowsOf = (posts: Post[]) => posts.filter((p) => p.path === '/api/v1/submissions').flatMap((p) => p.body.trim().split('\n').slice(1));

describe('school calendar', () => {
  it('skips weekends and the October half term (last full Monday-Friday week of October)', () => {
    expect(isSchoolDay('2026-10-23')).toBe(true);
    expect(['2026-10-26', '2026-10-30'].map(isSchoolDay)).toEqual([false, false]);
    expect(isSchoolDay('2026-11-02')).toBe(true);
    expect(isSchoolDay('2026-11-21')).toBe(false);
    expect(liveDateFor('2026-11-22')).toBe('2026-11-20');
    expect(liveDateFor('2026-11-23')).toBe('2026-11-23');
    const dates = historyDates('2026-11-23');
    expect(dates[0]).toBe('2026-11-20');
    expect(dates[dates.length - 1]).toBe('2026-09-01');
    expect(dates).not.toContain('2026-10-28');
    expect(historyDates('2026-11-23', 3)).toEqual(['2026-11-20', '2026-11-19', '2026-11-18']);
  });
});

describe('simulator', () => {
  it('uploads the schools, posts history (retrying failures), then runs the live day with N amended later', async () => {
    const api = await fakeApi(1);
    const logs: string[] = [];
    const simulator = startSimulator({
      baseUrl: api.url,
      tokenFor: (role, scope) => `${role}:${scope}`,
      scale: 0.001,
      speed: 7200,
      historyDays: 2,
      seed: 3,
      log: (m) => logs.push(m),
      now: () => new Date('2026-11-23T10:00:00Z'),
    });
    await simulator.ready;
    expect(api.posts[0].path).toBe('/api/v1/reference/schools');
    expect(api.posts[0].auth).toBe('Bearer admin:*');
    expect(api.posts[0].type).toBe('text/csv');
    const history = rowsOf(api.posts);
    expect(new Set(history.map((r) => r.split(',')[2]))).toEqual(new Set(['2026-11-20', '2026-11-19']));
    expect(history.some((r) => r.split(',')[4] === 'N')).toBe(false);
    expect(api.posts.slice(1).every((p) => p.auth === 'Bearer submitter:*' && p.body.startsWith('urn,upn,date,'))).toBe(true);
    // The failed post was retried: every pupil has both sessions on both days.
    const keys = new Set(history.map((r) => r.split(',').slice(0, 4).join(',')));
    expect(keys.size).toBe(history.length);
    expect(history.length % 4).toBe(0);

    // The live day: 7.5 simulated hours at 7200x is under 4 s.
    const before = api.posts.length;
    await new Promise((r) => setTimeout(r, 4500));
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
    expect(logs.some((m) => m.startsWith('ERROR'))).toBe(false);
    const posted = api.posts.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(api.posts.length).toBe(posted);
    api.server.close();
  }, 20_000);
});
