// Small helpers shared by the benchmark parts.
import { readFileSync } from 'node:fs';
import { post, type TestServer } from '../support/server.js';

export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
export const ms = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

/** Resident memory of a process now and at its peak (Linux /proc), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** CPU seconds (user + system) a process has used, from /proc: the server's, the embedded engine's included. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** Waits until the process has used under a tenth of a core for two seconds (a server done with its start's work). */
export async function idle(pid: number): Promise<void> {
  for (let before = cpuSeconds(pid); ;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = cpuSeconds(pid);
    if (now - before < 0.2) return;
    before = now;
  }
}

/** Times `run` `times` times after `warmup` untimed runs, in milliseconds. */
export async function timed(run: () => Promise<unknown>, times: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

export const log = (line: string) => console.log(line);

/**
 * The roll-up statements a server has run since it started (its metrics: `attendance_rollup_statements` and
 * `_seconds`), by "stage statement"; {} where it has no metrics port.
 */
export async function rollupStatements(
  metricsUrl?: string,
): Promise<Record<string, { count: number; seconds: number }>> {
  if (!metricsUrl) return {};
  const text = await (await fetch(metricsUrl)).text();
  const tally: Record<string, { count: number; seconds: number }> = {};
  for (const [, kind, stage, statement, value] of text.matchAll(
    /^attendance_rollup_statement(s|_seconds)\{stage="(\w+)",statement="(\w+)"\} (\S+)$/gm,
  )) {
    const entry = (tally[`${stage} ${statement}`] ??= { count: 0, seconds: 0 });
    if (kind === 's') entry.count = Number(value);
    else entry.seconds = Number(value);
  }
  return tally;
}

/** The roll-up statements run between two tallies: count, mean ms and seconds of each, dearest first. */
export function statementsBetween(
  before: Record<string, { count: number; seconds: number }>,
  after: Record<string, { count: number; seconds: number }>,
): string {
  const rows = Object.entries(after)
    .map(([name, a]) => {
      const b = before[name] ?? { count: 0, seconds: 0 };
      return { name, count: a.count - b.count, seconds: a.seconds - b.seconds };
    })
    .filter((r) => r.count > 0)
    .sort((x, y) => y.seconds - x.seconds);
  if (!rows.length) return 'no roll-up statements counted (no metrics)';
  const total = rows.reduce((sum, r) => ({ count: sum.count + r.count, seconds: sum.seconds + r.seconds }), {
    count: 0,
    seconds: 0,
  });
  return `${total.count} roll-up statements, ${total.seconds.toFixed(1)} s: ${rows
    .map((r) => `${r.name} ${r.count} x ${((1000 * r.seconds) / r.count).toFixed(0)} ms = ${r.seconds.toFixed(1)} s`)
    .join('; ')}`;
}

/**
 * A register posted as an MIS would send it: sent once more when the connection is closed before any answer (an idle
 * keep-alive connection the server closed just as it was reused: under overload the client's 4 s and the server's 5 s
 * race). A register sent again changes nothing, so a client may always repeat it.
 */
export async function submit(server: TestServer, body: string, token: string): Promise<Response> {
  try {
    return await post(server, '/api/v1/submissions', body, token);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return post(server, '/api/v1/submissions', body, token);
  }
}
