// Hostile input: thousands of random mutations of a valid register through the parser, hundreds through the real
// server (never a 5xx, never a partial write: afterwards the store holds exactly the accepted files), and the
// hardening a hostile client meets (rate limit per token, CORS, security headers, body limits, tokens).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { Session } from 'chdb';
import { todayInLondon } from '../../server/src/common/dates.js';
import { parseRegister, readRegister, type ParseContext } from '../../server/src/submission/register-parser.js';
import { checkRegisterInEngine } from '../../server/src/submission/register-check.js';
import { RegisterRepository } from '../../server/src/submission/register.repository.js';
import { ChdbWarehouse } from '../../server/src/warehouse/chdb-warehouse.js';
import { migrate } from '../../server/src/warehouse/migrations.js';
import { mulberry32 } from '../../pipelines/simulator/random.js';
import { post, settled, startServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';

const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)',
  '920001,202,North Primary,Community school,Open,Primary',
  '920002,202,South Primary,Community school,Open,Primary',
].join('\n');
const DATES = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];
const CODES = ['/', '\\', 'I', 'M', 'O', 'G', 'U', 'L', 'B', 'D', '#', 'Z', 'X', 'C1', 'J1'];

/** A valid register of 24 rows: one school, one date, 12 pupils, AM and PM. */
function validRegister(rng: () => number): string {
  const urn = rng() < 0.5 ? 920001 : 920002;
  const date = DATES[Math.floor(rng() * DATES.length)];
  const rows = ['urn,upn,date,session,code,year_group,sex,fsm,sen'];
  for (let p = 1; p <= 12; p++) {
    for (const session of ['AM', 'PM']) {
      rows.push(
        `${urn},F${urn}x${p},${date},${session},${CODES[Math.floor(rng() * CODES.length)]},${1 + (p % 6)},${p % 2 ? 'F' : 'M'},${p % 3 ? 'N' : 'Y'},N`,
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

const NASTY = [
  ',',
  '"',
  '\n',
  '\r',
  '\0',
  ' ',
  '9',
  'A',
  '-',
  '/',
  '\\',
  'é',
  '\u202e',
  '\ufeff',
  '=cmd|',
  "'",
  ';',
  '\t',
  // Read otherwise by the engine and csv-parse at a cell's end (trimmed by csv-parse only), or upper-cased otherwise.
  '\u00a0',
  '\u000b',
  '\u3000',
  'ß',
  'ı',
  'x'.repeat(300),
];

/**
 * One to three random edits: characters inserted, deleted or replaced, lines repeated, dropped or swapped, bytes cut.
 */
function mutate(text: string, rng: () => number): Buffer {
  let s = text;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)];
  const at = () => Math.floor(rng() * (s.length + 1));
  for (let edits = 1 + Math.floor(rng() * 3); edits > 0; edits--) {
    const lines = s.split('\n');
    const line = Math.floor(rng() * lines.length);
    switch (Math.floor(rng() * 8)) {
      case 0: {
        const i = at();
        s = s.slice(0, i) + pick(NASTY) + s.slice(i);
        break;
      }
      case 1: {
        const i = at();
        s = s.slice(0, i) + s.slice(i + 1 + Math.floor(rng() * 5));
        break;
      }
      case 2: {
        const i = at();
        s = s.slice(0, i) + pick(NASTY) + s.slice(i + 1);
        break;
      }
      case 3:
        lines.splice(line, 0, lines[line]);
        s = lines.join('\n');
        break;
      case 4:
        lines.splice(line, 1);
        s = lines.join('\n');
        break;
      case 5: {
        const other = Math.floor(rng() * lines.length);
        [lines[line], lines[other]] = [lines[other], lines[line]];
        s = lines.join('\n');
        break;
      }
      case 6:
        s = s.slice(0, at());
        break;
      default: {
        const bytes = Buffer.from(s);
        const i = Math.floor(rng() * bytes.length);
        return Buffer.concat([
          bytes.subarray(0, i),
          Buffer.from([0xff, 0xfe, Math.floor(rng() * 256)]),
          bytes.subarray(i),
        ]);
      }
    }
  }
  return Buffer.from(s);
}

async function* once(buffer: Buffer): AsyncIterable<Buffer> {
  yield buffer;
}

const context = (today: string): ParseContext => ({
  knownUrns: new Set([920001, 920002]),
  mayWrite: () => true,
  // As the test server's MARK_DATES_FROM (tests/support/server.ts).
  earliest: '2025-09-01',
  today,
  maxBytes: 1_000_000,
});

describe('the register parser under random mutation', () => {
  it('always answers with the rows or with errors that say where, and never throws', async () => {
    const rng = mulberry32(20261123);
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 5000; i++) {
      const outcome = await parseRegister(once(mutate(validRegister(rng), rng)), context(todayInLondon()));
      if (outcome.ok) {
        outcomes.ok++;
        expect(outcome.register.csv.toString().split('\n').filter(Boolean)).toHaveLength(outcome.register.rows);
      } else {
        outcomes.refused++;
        expect(outcome.status).toBe(400);
        expect(outcome.errors.length).toBeGreaterThan(0);
        for (const error of outcome.errors) {
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.message).toEqual(expect.any(String));
        }
      }
    }
    // Both kinds in quantity, or the test says little.
    expect(outcomes.ok).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(500);
  });
});

describe('the checks in ClickHouse under random mutation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attendance-hostile-checks-'));
  let warehouse: ChdbWarehouse;
  beforeAll(async () => {
    warehouse = new ChdbWarehouse(dir);
    await migrate(warehouse);
    // The school list the checks read: the known URNs.
    await warehouse.insert('schools', ['urn'], Buffer.from('{"urn":920001}\n{"urn":920002}'), 'JSONEachRow');
  }, 60_000);
  afterAll(async () => {
    await warehouse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accept and refuse exactly the files the reference reader does, with its errors, lines and columns', async () => {
    const rng = mulberry32(20261206);
    const registers = new RegisterRepository(warehouse);
    const today = todayInLondon();
    const ctx = context(today);
    const rules = { knownUrns: [920001, 920002], scope: null, earliest: ctx.earliest, today };
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      const body = mutate(validRegister(rng), rng);
      const reference = await parseRegister(once(body), ctx);
      const engine = await checkRegisterInEngine(
        registers,
        await readRegister(once(body), ctx.maxBytes),
        rules,
        () => true,
      );
      if (engine.ok) {
        await registers.release(engine.register);
        outcomes.ok++;
        if (!reference.ok)
          throw new Error(`Accepted a file the reference reader refuses: ${JSON.stringify(reference.errors)}`);
        expect(engine.register.rows).toBe(reference.register.rows);
      } else {
        outcomes.refused++;
        expect(reference).toEqual({ ok: false, status: engine.status, errors: engine.errors });
      }
    }
    expect(outcomes.ok).toBeGreaterThan(30);
    expect(outcomes.refused).toBeGreaterThan(30);
  }, 300_000);
});

describe('the server under hostile registers', () => {
  let server: TestServer;
  // Our own data directory: stop() keeps it, so the store can be read once the server is gone.
  const dataDir = mkdtempSync(join(tmpdir(), 'attendance-hostile-'));
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '100000', DATA_DIR: dataDir });
    expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every mutated file with a 2xx or a 4xx that says what, and stores exactly the files it accepted', async () => {
    const rng = mulberry32(7);
    const submitter = server.token('submitter');
    const accepted = new Set<string>();
    const statuses: Record<number, number> = {};
    let files = 0;
    for (let i = 0; i < 400; i++) {
      const body = mutate(validRegister(rng), rng);
      const response = await post(server, '/api/v1/submissions', body, submitter);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const text = await response.text();
      expect(text).not.toMatch(/\bat \S+:\d+:\d+|SELECT|INSERT|DB::Exception/);
      if (response.status === 202) {
        const answer = JSON.parse(text) as { duplicate: boolean };
        if (!answer.duplicate) files++;
        const outcome = await parseRegister(once(body), context(todayInLondon()));
        if (!outcome.ok)
          throw new Error(`The server accepted a file the parser refuses: ${JSON.stringify(outcome.errors)}`);
        for (const row of outcome.register.csv.toString().split('\n').filter(Boolean)) {
          const [urn, pupil, date, session] = row.split(',');
          accepted.add(`${urn}|${date}|${pupil}|${session}`);
        }
      } else {
        expect(response.status).toBe(400);
        expect(JSON.parse(text)).toMatchObject({
          errors: expect.arrayContaining([
            expect.objectContaining({ line: expect.any(Number), message: expect.any(String) }),
          ]),
        });
      }
    }
    expect(Object.keys(statuses).sort()).toEqual(['202', '400']);
    await settled(server);
    await server.stop();
    // The server is gone: open its data directory and count what it kept.
    const session = new Session(dataDir);
    try {
      const count = async (sql: string) =>
        Number((await session.queryBindAsync(sql, {}, { format: 'CSV' })).text().trim());
      expect(await count('SELECT count() FROM submissions')).toBe(files);
      expect(await count('SELECT count() FROM marks FINAL')).toBe(accepted.size);
    } finally {
      session.close();
    }
  }, 180_000);
});

describe('hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      RATE_LIMIT_PER_MINUTE: '5',
      CORS_ORIGINS: 'https://dashboard.example',
      LOG_FORMAT: 'json',
    });
  }, 90_000);
  afterAll(() => server?.stop());

  it('limits requests per token, each token on its own', async () => {
    const first = server.token('dfe');
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${first}` } })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const other = { ...(jwt.decode(first) as object), sub: 'someone-else' };
    const second = jwt.sign({ role: 'dfe', scope: '*' }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: (other as { sub: string }).sub,
      expiresIn: 60,
    });
    expect(
      (await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${second}` } })).status,
    ).toBe(200);
  });

  it('lets only the configured origin call from a browser, and sends security headers', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/v1/measures`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    expect((await preflight('https://dashboard.example')).headers.get('access-control-allow-origin')).toBe(
      'https://dashboard.example',
    );
    expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
    const page = await fetch(`${server.url}/api/v1/reference/local-authorities`, {
      headers: { authorization: `Bearer ${server.token('la', ['202'])}` },
    });
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses tokens that are unsigned, without expiry or signed with another secret', async () => {
    const status = async (token: string) =>
      (await fetch(`${server.url}/api/v1/audit`, { headers: { authorization: `Bearer ${token}` } })).status;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', scope: '*', exp: 9e9 })).toString('base64url')}.`;
    expect(await status(unsigned)).toBe(401);
    expect(
      await status(jwt.sign({ role: 'admin', scope: '*', sub: 'x' }, TEST_JWT_SECRET, { algorithm: 'HS256' })),
    ).toBe(401);
    expect(
      await status(
        jwt.sign({ role: 'admin', scope: '*', sub: 'x' }, 'another-secret-another-secret-0123', {
          algorithm: 'HS256',
          expiresIn: 60,
        }),
      ),
    ).toBe(401);
  });

  it('logs one JSON object a line, each request with its status and time, never a token', async () => {
    const token = server.token('la', ['202']);
    expect(
      (
        await fetch(`${server.url}/api/v1/reference/local-authorities`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = server.output().split('\n').filter(Boolean);
    const logs = lines.map(
      (line) =>
        JSON.parse(line) as {
          msg?: string;
          req?: { url: string };
          res?: { statusCode: number };
          responseTime?: number;
        },
    );
    expect(logs.find((l) => l.req?.url === '/api/v1/reference/local-authorities')).toMatchObject({
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(logs.some((l) => l.msg?.startsWith('Dashboard: '))).toBe(true);
    expect(server.output()).not.toContain(token);
  });

  it('refuses bodies over their limits', async () => {
    const big = JSON.stringify({ cohort: 'cin', attendance: 90, padding: 'x'.repeat(200_000) });
    const response = await fetch(`${server.url}/api/v1/las/202/targets`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.token('la', ['202'])}`, 'content-type': 'application/json' },
      body: big,
    });
    expect(response.status).toBe(413);
  });
});
