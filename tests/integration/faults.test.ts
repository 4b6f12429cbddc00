// Faults with real processes: the server killed during roll-ups, Redis lost, Redis stopped during ingestion, the
// ClickHouse server stopped during ingestion. Each time every acknowledged mark ends up in the figures, exactly, and no
// refused one: ClickHouse is the source of truth and the reconciliation puts back whatever work Redis lost.
//
// Ten Camden schools (930001-930010), 20 pupils each in year 5, present AM and PM on five days: every school has
// 200 possible sessions and 0 absence.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { post, startServer, waitFor, type TestServer } from '../support/server.js';

const URNS = Array.from({ length: 10 }, (_, i) => 930001 + i);
const DATES = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];
const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)',
  ...URNS.map((urn) => `${urn},202,School ${urn},Community school,Open,Primary`),
].join('\n');

/** One file a day: every school's register for that day. */
function dayFile(date: string): string {
  const rows = ['urn,upn,date,session,code,year_group'];
  for (const urn of URNS)
    for (let p = 1; p <= 20; p++)
      rows.push(`${urn},K${urn}x${p},${date},AM,/,5`, `${urn},K${urn}x${p},${date},PM,\\,5`);
  return `${rows.join('\n')}\n`;
}

const dirs: string[] = [];
const servers: TestServer[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attendance-faults-'));
  dirs.push(dir);
  return dir;
}
async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer({ RECONCILE_SECONDS: '1', RECONCILE_GRACE_SECONDS: '0', ...env });
  servers.push(server);
  return server;
}
// A server stops once its worker's job in hand is done: under npm test's load, a reconciliation's job can take a minute.
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
}, 180_000);
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every school's possible sessions over the five days, as an LA user of every LA (nothing hidden) sees them. */
async function possible(server: TestServer): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${server.url}/api/v1/measures?level=school&la=202&from=${DATES[0]}&to=${DATES.at(-1)}&phase=Total`,
    {
      headers: { authorization: `Bearer ${server.token('la')}` },
    },
  );
  const { rows } = (await response.json()) as { rows: { school_urn: string; possible_sessions: unknown }[] };
  return Object.fromEntries(rows.map((r) => [r.school_urn, r.possible_sessions]));
}
/** The LA's enrolments by day of the week over the year to date: read from the roll-up of each weekday's days. */
async function weekdayEnrolments(server: TestServer): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/api/v1/measures?level=la&code=202&frame=weekday&phase=Total`, {
    headers: { authorization: `Bearer ${server.token('la')}` },
  });
  const { rows } = (await response.json()) as { rows: { day_of_week: string; enrolments: unknown }[] };
  return Object.fromEntries(rows.map((r) => [r.day_of_week, r.enrolments]));
}
/** The LA's possible sessions in November 2026 (the five days): read from its LA sums of the month. */
async function laPossible(server: TestServer): Promise<unknown> {
  const response = await fetch(
    `${server.url}/api/v1/measures?level=la&code=202&from=2026-11-01&to=2026-11-30&phase=Total`,
    { headers: { authorization: `Bearer ${server.token('la')}` } },
  );
  const { rows } = (await response.json()) as { rows: { possible_sessions: unknown }[] };
  return rows[0]?.possible_sessions;
}
/** 10 schools of 20 pupils on each weekday. */
const EVERY_WEEKDAY = { Monday: 200, Tuesday: 200, Wednesday: 200, Thursday: 200, Friday: 200 };
const EXACT = Object.fromEntries(URNS.map((urn) => [String(urn), 200]));
const exact = (server: TestServer, what: string, timeoutMs = 60_000) =>
  waitFor(async () => JSON.stringify(await possible(server)) === JSON.stringify(EXACT), timeoutMs, what);

describe('faults', () => {
  it('recomputes every acknowledged mark after Redis lost all its work', async () => {
    const dir = dataDir();
    // No worker: the jobs wait in Redis; then Redis "loses" them (the next start uses an empty queue).
    const first = await start({ DATA_DIR: dir, WORKER: 'off' });
    expect((await post(first, '/api/v1/reference/schools', GIAS, first.token('admin'))).status).toBe(201);
    for (const date of DATES)
      expect((await post(first, '/api/v1/submissions', dayFile(date), first.token('submitter'))).status).toBe(202);
    expect(await possible(first)).toEqual({});
    await first.stop();
    const second = await start({ DATA_DIR: dir, QUEUE_PREFIX: `faults-empty-${Date.now()}` });
    await exact(second, 'the reconciliation to recompute every slice');
    // The longer periods' counts too.
    await waitFor(
      async () => JSON.stringify(await weekdayEnrolments(second)) === JSON.stringify(EVERY_WEEKDAY),
      60_000,
      'the weekday counts',
    );
  }, 120_000);

  it('fills a roll-up that an upgrade adds from the reconciliation at start, even where it has reconciled before', async () => {
    const dir = dataDir();
    const prefix = `faults-upgrade-${Date.now()}`;
    // The marks stored without a worker, then rolled up by the reconciliation alone (Redis lost the submissions' jobs).
    const first = await start({ DATA_DIR: dir, WORKER: 'off' });
    expect((await post(first, '/api/v1/reference/schools', GIAS, first.token('admin'))).status).toBe(201);
    for (const date of DATES)
      expect((await post(first, '/api/v1/submissions', dayFile(date), first.token('submitter'))).status).toBe(202);
    await first.stop();
    const second = await start({ DATA_DIR: dir, QUEUE_PREFIX: prefix });
    await exact(second, 'the reconciliation to recompute every slice');
    await second.stop();
    // A server from before the LA sums: its migrations find their tables empty while every school's roll-ups are done,
    // and the same slices, with the same marks, were reconciled before (their jobs are still in Redis, completed).
    const truncate = (tables: string[]) => {
      const session = new Session(dir);
      for (const table of tables) session.query(`TRUNCATE TABLE ${table}`);
      session.close();
    };
    truncate(['la_daily', 'la_monthly', 'la_enrolments']);
    const third = await start({ DATA_DIR: dir, QUEUE_PREFIX: prefix });
    await waitFor(async () => (await laPossible(third)) === 2000, 60_000, 'the LA session sums to be recomputed');
    await waitFor(
      async () => JSON.stringify(await weekdayEnrolments(third)) === JSON.stringify(EVERY_WEEKDAY),
      60_000,
      'the LA enrolment sums',
    );
    await third.stop();
    // The month's sums alone lost: the days' sums are there, the month's are older than them.
    truncate(['la_monthly']);
    const fourth = await start({ DATA_DIR: dir, QUEUE_PREFIX: prefix });
    await waitFor(async () => (await laPossible(fourth)) === 2000, 60_000, 'the LA monthly sums to be recomputed');
  }, 120_000);

  it('keeps every acknowledged mark when the server is killed during roll-ups', async () => {
    const dir = dataDir();
    const prefix = `faults-kill-${Date.now()}`;
    const first = await start({ DATA_DIR: dir, QUEUE_PREFIX: prefix });
    expect((await post(first, '/api/v1/reference/schools', GIAS, first.token('admin'))).status).toBe(201);
    for (const date of DATES)
      expect((await post(first, '/api/v1/submissions', dayFile(date), first.token('submitter'))).status).toBe(202);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    // The killed server's jobs stay taken until BullMQ finds them stalled (its locks expire after 30 s), then run
    // again.
    const second = await start({ DATA_DIR: dir, QUEUE_PREFIX: prefix });
    await exact(second, 'the roll-ups to catch up after the kill', 150_000);
  }, 180_000);

  it('answers 202 or 503 while Redis is down, loses nothing, and catches up when Redis is back', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    try {
      const server = await start({ DATA_DIR: dataDir(), REDIS_URL: `redis://127.0.0.1:${port}`, METRICS_PORT: '0' });
      expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
      expect((await post(server, '/api/v1/submissions', dayFile(DATES[0]), server.token('submitter'))).status).toBe(
        202,
      );
      redis.kill('SIGKILL');
      await new Promise((resolve) => redis.once('exit', resolve));
      const answers = [];
      for (const date of DATES.slice(1)) {
        const response = await post(server, '/api/v1/submissions', dayFile(date), server.token('submitter'));
        answers.push([response.status, ((await response.json()) as { message?: string }).message ?? '']);
      }
      // Stored, but the roll-up could not be queued: the answer says so, and the marks are kept.
      expect(answers).toEqual(DATES.slice(1).map(() => [503, expect.stringMatching(/stored/)]));
      // Alive, but not ready: a load balancer sends traffic elsewhere.
      expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
      const ready = await fetch(`${server.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: { redis: { status: 'down' } } });
      redis = await startRedis(port);
      await exact(server, 'the roll-ups to catch up once Redis is back');
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);
      const metrics = await (await fetch(server.metricsUrl!)).text();
      expect(metrics).toMatch(/attendance_submissions_total\{outcome="accepted"\} 5/);
      expect(metrics).toMatch(/attendance_marks_ingested_total 2000/);
      expect(metrics).toMatch(/attendance_rollup_jobs\{state="waiting"\} \d+/);
      expect(metrics).toMatch(/attendance_rollup_lag_seconds \d+/);
      expect(metrics).toMatch(
        /attendance_http_request_seconds_count\{method="POST",route="\/api\/v1\/submissions",status="503"\} 4/,
      );
    } finally {
      for (const server of servers.splice(0)) await server.stop();
      redis.kill('SIGKILL');
    }
  }, 120_000);

  it('runs against a ClickHouse server, refuses with 503 and acknowledges nothing while it is down, and goes on when it is back', async () => {
    const port = await freePort();
    const dir = dataDir();
    let clickhouse = await startClickHouse(dir, port);
    try {
      const server = await start({ DATA_DIR: dataDir(), CLICKHOUSE_URL: `http://127.0.0.1:${port}` });
      expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
      expect((await post(server, '/api/v1/submissions', dayFile(DATES[0]), server.token('submitter'))).status).toBe(
        202,
      );
      clickhouse.kill('SIGKILL');
      await new Promise((resolve) => clickhouse.once('exit', resolve));
      for (const date of DATES.slice(1, 3)) {
        const response = await post(server, '/api/v1/submissions', dayFile(date), server.token('submitter'));
        expect([response.status, ((await response.json()) as { message?: string }).message]).toEqual([
          503,
          expect.stringMatching(/not acknowledged/),
        ]);
      }
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(503);
      clickhouse = await startClickHouse(dir, port);
      for (const date of DATES.slice(3))
        expect((await post(server, '/api/v1/submissions', dayFile(date), server.token('submitter'))).status).toBe(202);
      // The refused days hold no mark; the acknowledged ones every mark, rolled up.
      const expected = Object.fromEntries(URNS.map((urn) => [String(urn), 120]));
      await waitFor(
        async () => JSON.stringify(await possible(server)) === JSON.stringify(expected),
        60_000,
        'the acknowledged days rolled up',
      );
      // The national figures too, once the schools' roll-ups are added up by LA (the last step of a roll-up).
      const nationalDays = async () => {
        const stored = await fetch(
          `${server.url}/api/v1/measures?level=national&frame=daily&from=${DATES[0]}&to=${DATES.at(-1)}&phase=Total`,
          { headers: { authorization: `Bearer ${server.token('dfe')}` } },
        );
        return ((await stored.json()) as { rows: { attendance_date: string; possible_sessions: number }[] }).rows.map(
          (r) => [r.attendance_date, r.possible_sessions],
        );
      };
      const expectedDays = [DATES[0], DATES[3], DATES[4]].map((date) => [date, 400]);
      await waitFor(
        async () => JSON.stringify(await nationalDays()) === JSON.stringify(expectedDays),
        60_000,
        'the national figures',
      );
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);
    } finally {
      for (const server of servers.splice(0)) await server.stop();
      clickhouse.kill('SIGKILL');
    }
  }, 120_000);
});

/** The engine behind ClickHouse's HTTP interface, in a process of its own (tests/support/clickhouse-http.ts). */
async function startClickHouse(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/tests/support/clickhouse-http.js', dir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`clickhouse-http exited with ${code}`)));
  });
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A Redis of our own (it keeps nothing on disk), so that it can be stopped. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = createServer();
        socket.once('error', () => resolve(true));
        socket.listen(port, '127.0.0.1', () => socket.close(() => resolve(false)));
      }),
    10_000,
    `redis-server on ${port}`,
  );
  return child;
}
