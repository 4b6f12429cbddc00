// Hardening of who may ask and how (issue 20): which tokens are refused and why, one rate limit per client, slow
// clients cut off, metrics off the public port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import jwt from 'jsonwebtoken';
import { post, startServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';

const sign = (claims: object, expiresInSeconds = 600, subject = 'hardening', secret = TEST_JWT_SECRET) =>
  jwt.sign(claims, secret, { algorithm: 'HS256', subject, expiresIn: expiresInSeconds });

describe('tokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ AUTH_MODE: 'dev', JWT_MAX_LIFETIME_HOURS: '12' });
  }, 90_000);
  afterAll(() => server?.stop());

  const answer = async (token: string) => {
    const response = await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    return [response.status, ((await response.json()) as { message?: string }).message];
  };

  it("refuses scope '*' for school and trust users, with what to do instead", async () => {
    const school = await answer(sign({ role: 'school', scope: '*' }));
    expect(school).toEqual([401, "A school token must list its URNs in scope; '*' is refused"]);
    const trust = await answer(sign({ role: 'trust', scope: '*' }));
    expect(trust).toEqual([401, "A trust token must list its trust codes in scope; '*' is refused"]);
    expect((await answer(sign({ role: 'school', scope: ['100001'] })))[0]).toBe(200);
    // la '*' is the national pupil-level role; a submitter '*' an MIS supplier; dfe, ofsted and admin have no scope.
    for (const role of ['la', 'submitter', 'dfe', 'ofsted', 'admin']) {
      expect([role, (await answer(sign({ role, scope: '*' })))[0]]).toEqual([role, 200]);
    }
  });

  it('refuses a token that expires further ahead than JWT_MAX_LIFETIME_HOURS', async () => {
    expect((await answer(sign({ role: 'dfe' }, 12 * 3600)))[0]).toBe(200);
    expect(await answer(sign({ role: 'dfe' }, 13 * 3600))).toEqual([
      401,
      'The token expires in 13 hours; tokens may last at most 12 hours (JWT_MAX_LIFETIME_HOURS)',
    ]);
  });

  it('hands out demo tokens only with a scope the role may hold, and within the lifetime', async () => {
    const devToken = (body: object) =>
      fetch(`${server.url}/api/v1/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await devToken({ role: 'school' });
    expect(refused.status).toBe(400);
    const message = "A school token must list its URNs in scope; '*' is refused";
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'scope', message }] });
    const { token } = (await (await devToken({ role: 'school', scope: '100001' })).json()) as { token: string };
    expect(await answer(token)).toEqual([200, undefined]);
    const { exp } = jwt.decode(token) as { exp: number };
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(8 * 3600);
  });
});

describe('rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '4' });
  }, 90_000);
  afterAll(() => server?.stop());

  const get = async (path: string, token?: string) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${server.url}${path}`, { headers });
    return [response.status, ((await response.json()) as { message?: string }).message];
  };
  const STATUS = '/api/v1/status';
  const LAS = '/api/v1/reference/local-authorities';

  it('gives a token one budget across all routes', async () => {
    const token = sign({ role: 'dfe' }, 600, 'busy');
    const statuses = [];
    for (const path of [STATUS, LAS, STATUS, LAS]) statuses.push((await get(path, token))[0]);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const spent = expect.stringMatching(/^Too many requests for this token: at most 4 a minute; try again in \d+ s$/);
    expect(await get(LAS, token)).toEqual([429, spent]);
    expect((await get(STATUS, token))[0]).toBe(429);
    // Another subject has its own budget.
    expect((await get(LAS, sign({ role: 'dfe' }, 600, 'calm')))[0]).toBe(200);
  });

  it('counts a request with a bad token against its address, and refuses it with 429 once that is spent', async () => {
    const bad = sign({ role: 'admin' }, 600, 'guess', 'not-the-secret-not-the-secret-0123');
    const statuses = [];
    for (const path of [STATUS, LAS, '/api/v1/audit', STATUS]) statuses.push((await get(path, bad))[0]);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const spent = expect.stringMatching(/^Too many requests from this address: at most 4 a minute;/);
    expect(await get('/api/v1/audit', bad)).toEqual([429, spent]);
    // The address's budget is spent for requests without a valid token; a valid token keeps its own.
    expect((await get(STATUS))[0]).toBe(429);
    expect((await get(STATUS, sign({ role: 'dfe' }, 600, 'honest')))[0]).toBe(200);
  });
});

/**
 * Sends `head` on a raw connection, then one of `chunks` every `everyMs`; resolves when the server closes the
 * connection, with what it answered and how long after the head that was.
 */
function trickle(url: string, head: string, chunks: string[], everyMs: number) {
  const { hostname, port } = new URL(url);
  return new Promise<{ answer: string; ms: number }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    let started = 0;
    socket.on('connect', () => {
      started = Date.now();
      socket.write(head);
      const rest = [...chunks];
      timer = setInterval(() => (rest.length ? socket.write(rest.shift()!) : clearInterval(timer)), everyMs);
    });
    socket.on('data', (data) => (answer += data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
    setTimeout(() => reject(new Error(`Still open after 20 s; answered: ${answer}`)), 20_000);
  });
}

describe('slow clients', () => {
  let server: TestServer;
  const DAY = '2026-11-16';
  beforeAll(async () => {
    server = await startServer({ REQUEST_TIMEOUT_SECONDS: '2', UPLOAD_TIMEOUT_SECONDS: '6' });
    const gias = readFileSync('tests/fixtures/gias-small.csv');
    expect((await post(server, '/api/v1/reference/schools', gias, server.token('admin'))).status).toBe(201);
  }, 90_000);
  afterAll(() => server?.stop());

  // Node checks deadlines every REQUEST_TIMEOUT_SECONDS / 4 (0.5 s here): a connection goes within 2 to 3 s.
  it('closes a connection whose headers trickle in, with 408', async () => {
    const head = 'GET /api/v1/status HTTP/1.1\r\nHost: test\r\n';
    const { answer, ms } = await trickle(server.url, head, Array(40).fill('X-Slow: 1\r\n'), 250);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(3500);
  });

  it('closes a connection whose body trickles in, with 408 saying why', async () => {
    const head =
      'POST /api/v1/programmes HTTP/1.1\r\nHost: test\r\n' +
      'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const { answer, ms } = await trickle(server.url, head, ['{', ...Array(60).fill(' ')], 250);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain("The request's body did not arrive within 2 s: send it at once");
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(3500);
  });

  it('takes an upload that lasts longer than an ordinary request may, within UPLOAD_TIMEOUT_SECONDS', async () => {
    const marks = Array.from({ length: 8 }, (_, i) => `100001,S${i},${DAY},AM,/,3`);
    const rows = ['urn,upn,date,session,code,year_group', ...marks];
    const pieces = rows.map((row) => new TextEncoder().encode(`${row}\n`));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 450));
        const piece = pieces.shift();
        if (piece) controller.enqueue(piece);
        else controller.close();
      },
    });
    const started = Date.now();
    const response = await fetch(`${server.url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${server.token('submitter')}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(Date.now() - started).toBeGreaterThan(3000);
    expect([response.status, await response.json()]).toEqual([202, expect.objectContaining({ rows: 8 })]);
  });

  it('closes an upload that trickles past UPLOAD_TIMEOUT_SECONDS, with 408', async () => {
    const token = server.token('submitter');
    const head =
      `POST /api/v1/submissions HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
      'Content-Type: text/csv\r\nContent-Length: 5000\r\n\r\nurn,upn,date,session,code,year_group\n';
    const { answer, ms } = await trickle(server.url, head, Array(60).fill('1'), 250);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(5900);
    expect(ms).toBeLessThan(7500);
  }, 15_000);
});

describe('metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ METRICS_PORT: '0' });
  }, 90_000);
  afterAll(() => server?.stop());

  it('are served on METRICS_PORT only, never on the public port, whatever the token', async () => {
    expect((await fetch(`${server.url}/api/v1/status`)).status).toBe(200);
    const metrics = await fetch(server.metricsUrl!);
    expect(metrics.status).toBe(200);
    const counted = /attendance_http_request_seconds_count\{method="GET",route="\/api\/v1\/status",status="200"\} 1/;
    expect(await metrics.text()).toMatch(counted);
    const anyone: Record<string, string>[] = [{}, { authorization: `Bearer ${server.token('admin')}` }];
    for (const headers of anyone) {
      const publicly = await fetch(`${server.url}/metrics`, { headers });
      expect(publicly.status).toBe(404);
      expect(await publicly.text()).not.toContain('attendance_');
    }
    expect(new URL(server.metricsUrl!).port).not.toBe(new URL(server.url).port);
    expect((await fetch(new URL('/api/v1/status', server.metricsUrl))).status).toBe(404);
  });
});
