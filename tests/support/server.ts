// Starts the real server (built into dist/ by `npm test`) as a child process with its own data directory and queue
// prefix: real chDB, real Redis, real HTTP and socket.io.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../server/src/auth/principal.js';
import type { Role } from '../../server/src/contract/vocabulary.js';

export const TEST_JWT_SECRET = 'integration-test-secret-0123456789abcdef';

export interface TestServer {
  url: string;
  /** Prometheus's endpoint, on its own port: only when started with METRICS_PORT (0 for any free port). */
  metricsUrl?: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** A token for the role; scope '*' (the default) is refused for school and trust: give theirs. */
  token(role: Role, scope?: '*' | string[]): string;
  stop(): Promise<void>;
}

/**
 * `nodeArgs` go before the script (a profiler's flags, say). An `env` value undefined leaves the variable unset (the
 * server's default).
 */
export async function startServer(
  env: Record<string, string | undefined> = {},
  nodeArgs: string[] = [],
): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'attendance-test-'));
  // With the simulated schools, the demo's entry point (npm start's); else the server's.
  const entry = env.SIMULATOR === 'on' ? 'dist/pipelines/demo.js' : 'dist/server/src/main.js';
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: `test-${process.pid}-${Date.now()}`,
      SIMULATOR: 'off',
      AUTH_MODE: 'jwt',
      // The fixtures are dated 2025/26: still taken once the default window (from the previous academic year) has
      // moved past them.
      MARK_DATES_FROM: '2025-09-01',
      // As the launchers set it (server/src/warehouse/chdb-warehouse.ts, AT_ONCE).
      UV_THREADPOOL_SIZE: '8',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /Dashboard: (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`Server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    // Logged before the dashboard's line: the metrics port is opened while the application starts.
    metricsUrl: /Metrics: (http:\/\/[\w.:[\]-]+\/metrics)/.exec(output)?.[1],
    dataDir,
    process: child,
    output: () => output,
    token: (role, scope = '*') => signToken({ sub: `test-${role}`, role, scope }, TEST_JWT_SECRET),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every roll-up job has finished, so the figures reflect everything acknowledged. */
export async function settled(server: TestServer, timeoutMs = 30_000): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  await waitFor(
    async () => {
      const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { pendingRollups: number };
      return status.pendingRollups === 0;
    },
    timeoutMs,
    'roll-ups to finish',
  );
}

export function post(
  server: TestServer,
  path: string,
  body: string | Buffer,
  token?: string,
  type = 'text/csv',
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}
