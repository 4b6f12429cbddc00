// The bench's `viewers` part: live pages watched by many at once. 20 single-school registers a second for
// BENCH_VIEWERS_SECONDS while N socket.io viewers (BENCH_VIEWERS, default 5 and 500) watch national, LA and school
// pages in several roles, each making the requests its page makes after pushes (the dashboard's own pace: the latest
// day patched from the push, the rest refetched at most every LIVE_REFETCH_MS, the first a second after a quiet spell).
// Method and results: docs/benchmarks.md (Live viewers).
import { io, type Socket } from 'socket.io-client';
import { REGISTER_HEADER, schoolDay, sessionRows } from '../../pipelines/simulator/registers.js';
import type { SimSchool } from '../../pipelines/simulator/sim-school.js';
import { giasCsv } from '../../pipelines/simulator/synthetic-schools.js';
import { LA_BY_CODE } from '../../server/src/reference/local-authorities.js';
import { LIVE_REFETCH_MS, type LiveMeasures, type SubscribeRequest } from '../../server/src/contract/live-events.js';
import type { Role } from '../../server/src/contract/vocabulary.js';
import { post, startServer, waitFor, type TestServer } from '../support/server.js';
import { cpuSeconds, log, ms, percentile, rollupStatements, statementsBetween, submit } from './stats.js';

type PageType = 'national' | 'la' | 'school';
/**
 * The pages' pace: `after` (the dashboard's now) or `before` (issue 23's starting point: every push and early warning
 * refetched everything, at most once a second and at once after a quiet spell; run against a server built from before).
 */
const BEFORE = process.env.BENCH_VIEWERS_PACE === 'before';
const SETTLE_MS = BEFORE ? 0 : 1000;
const REFETCH_MS = BEFORE ? 1000 : LIVE_REFETCH_MS;

interface Viewer {
  page: PageType;
  role: Role | 'public';
  room: SubscribeRequest;
  token?: string;
}

function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The questions each page asks on a refetch after pushes (as the dashboard's composables ask them). */
function pageRequests(viewer: Viewer, date: string): string[][] {
  const q = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params)}`;
  if (viewer.page === 'national')
    return [
      ['/api/v1/status', q('/api/v1/measures', { level: 'national', phase: 'Total', frame: 'daily' })],
      [q('/api/v1/measures', { level: 'national' })],
      [
        q('/api/v1/measures', { level: 'la', phase: 'Total' }),
        q('/api/v1/measures', { level: 'regional', phase: 'Total' }),
        q('/api/v1/measures', { level: 'national', phase: 'Total', frame: 'weekly' }),
        '/api/v1/status/coverage',
      ],
    ];
  if (viewer.page === 'la') {
    const code = viewer.room.code!;
    const la = `/api/v1/las/${code}`;
    const region = LA_BY_CODE.get(code)!.regionCode;
    return [
      [q(`${la}/comparison`, { phase: 'Total' }), '/api/v1/status'],
      [
        q(`${la}/comparison`, { phase: 'Total', from: date, to: date }),
        q(`${la}/comparison`, { phase: 'Total', from: mondayOf(date), to: date }),
        q('/api/v1/measures', { level: 'la', code, phase: 'Total', frame: 'weekly' }),
        q('/api/v1/measures', { level: 'regional', code: region, phase: 'Total', frame: 'weekly' }),
        q('/api/v1/measures', { level: 'national', phase: 'Total', frame: 'weekly' }),
        q(`${la}/cohorts`, { breakdown: 'fsm' }),
        q(`${la}/cohorts`, { breakdown: 'cin' }),
        q(`${la}/cohorts`, { breakdown: 'cla' }),
        ...(viewer.role === 'public' ? [] : [`${la}/schools`]),
        ...(viewer.role === 'public' || !BEFORE ? [] : [`${la}/targets`]),
        `${la}/neighbourhoods`,
        ...(viewer.role === 'public' ? [] : [q('/api/v1/alerts', { la: code })]),
      ],
    ];
  }
  const urn = viewer.room.code!;
  return [
    [
      `/api/v1/schools/${urn}/overview`,
      ...(viewer.role === 'dfe' ? [] : [q('/api/v1/measures', { level: 'school', code: urn, breakdown: 'fsm' })]),
    ],
    [`/api/v1/schools/${urn}/weekly`],
  ];
}

/**
 * N viewers: 40% national (public, DfE), 40% LA (public, the LA's own, DfE) over 5 LAs, 20% school (the school, its
 * LA) over 5 schools.
 */
function viewersOf(n: number, server: TestServer, las: string[], schools: SimSchool[]): Viewer[] {
  const out: Viewer[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    if (kind < 2) {
      const role = i % 4 === 3 ? 'dfe' : 'public';
      out.push({
        page: 'national',
        role,
        room: { level: 'national' },
        token: role === 'dfe' ? server.token('dfe') : undefined,
      });
    } else if (kind < 4) {
      const code = las[i % las.length];
      const role = (['public', 'la', 'dfe'] as const)[i % 3];
      const token = role === 'public' ? undefined : server.token(role, role === 'la' ? [code] : '*');
      out.push({ page: 'la', role, room: { level: 'la', code }, token });
    } else {
      const school = schools[i % schools.length];
      const role = i % 2 ? 'school' : 'la';
      const token = server.token(role, [role === 'school' ? String(school.urn) : school.laCode]);
      out.push({ page: 'school', role, room: { level: 'school', code: String(school.urn) }, token });
    }
  }
  return out;
}

export async function viewersPart(options: {
  schools: SimSchool[];
  date: string;
  rate: number;
  seconds: number;
  counts: number[];
  serverNodeArgs: string[];
  countedPossible: (csv: string) => number;
}): Promise<void> {
  const { schools, date, rate, seconds } = options;
  log(
    `\n## Live viewers\n${rate} single-school morning registers a second for ${seconds} s on an empty store (the school list loaded), with N viewers connected; each viewer refetches what its page shows at most every ${REFETCH_MS / 1000} s after pushes, the first ${SETTLE_MS / 1000} s after a quiet spell${BEFORE ? ' (the pace before issue 23, against a server built from before it)' : ''}`,
  );
  const rows: string[] = [];
  for (const n of options.counts) {
    const server = await startServer({ RATE_LIMIT_PER_MINUTE: '100000000', METRICS_PORT: '0' }, options.serverNodeArgs);
    const sockets: Socket[] = [];
    try {
      await post(server, '/api/v1/reference/schools', giasCsv(schools), server.token('admin'));
      const sending = schools.slice(0, rate * seconds);
      // The 5 LAs with the most schools sending; 5 schools that send in the first fifth of the run.
      const perLa = new Map<string, number>();
      for (const s of sending) perLa.set(s.laCode, (perLa.get(s.laCode) ?? 0) + 1);
      const las = [...perLa]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([code]) => code);
      const watched = [0, 1, 2, 3, 4].map((k) => sending[Math.floor((k * sending.length) / 25)]);
      const viewers = viewersOf(n, server, las, watched);
      const errors: string[] = [];
      let stopped = false;
      let refetching = 0;
      const refreshes: Record<PageType, number[]> = { national: [], la: [], school: [] };
      let requests = 0;
      let pushesSeen = 0;
      const get = async (path: string, token?: string) => {
        requests++;
        try {
          const r = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
          if (r.status !== 200 && r.status !== 403) errors.push(`${path}: ${r.status}`);
          await r.arrayBuffer();
        } catch (error) {
          errors.push(`${path}: ${(error as Error).message}`);
        }
      };
      // Each viewer: its socket, and its page's pace of refetches.
      await Promise.all(
        viewers.map(async (viewer) => {
          const socket = io(`${server.url}/live`, {
            transports: ['websocket'],
            auth: viewer.token ? { token: viewer.token } : {},
          });
          sockets.push(socket);
          let lastRun = 0;
          let timer: NodeJS.Timeout | undefined;
          let running = false;
          let pending = false;
          const run = async () => {
            timer = undefined;
            pending = false;
            if (stopped) return;
            running = true;
            refetching++;
            lastRun = Date.now();
            const t0 = performance.now();
            for (const step of pageRequests(viewer, date)) await Promise.all(step.map((p) => get(p, viewer.token)));
            refreshes[viewer.page].push(performance.now() - t0);
            running = false;
            refetching--;
            if (pending) schedule();
          };
          const schedule = () => {
            pending = true;
            if (timer || running) return;
            timer = setTimeout(() => void run(), Math.max(SETTLE_MS, lastRun + REFETCH_MS - Date.now()));
          };
          socket.on('measures', () => {
            pushesSeen++;
            schedule();
          });
          socket.on('alert', schedule);
          socket.on('pupils', schedule);
          const ack = await new Promise<{ ok: boolean; error?: string }>((resolve) =>
            socket.emit('subscribe', viewer.room, resolve),
          );
          if (!ack.ok) errors.push(`subscribe ${JSON.stringify(viewer.room)}: ${ack.error}`);
          socket.on('disconnect', () => void (stopped || errors.push('a viewer was disconnected')));
        }),
      );
      // Probes (an LA user of every LA: every figure in full) in the rooms watched: when each submission is pushed.
      const probe = io(`${server.url}/live`, { transports: ['websocket'], auth: { token: server.token('la', '*') } });
      sockets.push(probe);
      const pushes: { at: number; room: string; possible: number }[] = [];
      probe.on('measures', (m: LiveMeasures) => {
        if (m.date === date)
          pushes.push({ at: performance.now(), room: `${m.level}:${m.code}`, possible: m.possible_sessions ?? 0 });
      });
      const rooms: SubscribeRequest[] = [
        { level: 'national' },
        ...las.map((code) => ({ level: 'la' as const, code })),
        ...watched.map((s) => ({ level: 'school' as const, code: String(s.urn) })),
      ];
      for (const room of rooms) await new Promise((resolve) => probe.emit('subscribe', room, resolve));
      const watchedRooms = new Set(rooms.map((r) => `${r.level}:${r.level === 'national' ? 'E92000001' : r.code}`));

      const submitter = server.token('submitter');
      const totals = new Map<string, number>();
      const sent: { at: number; rooms: [string, number][] }[] = [];
      const pid = server.process.pid!;
      const cpu0 = cpuSeconds(pid);
      const statements0 = await rollupStatements(server.metricsUrl);
      const ownCpu0 = process.cpuUsage();
      const start = performance.now();
      const posts: Promise<unknown>[] = [];
      for (let i = 0; i < rate * seconds; i++) {
        const wait = start + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const school = sending[i];
        const body = REGISTER_HEADER + sessionRows(schoolDay(school, date, 1), 'AM');
        const possible = options.countedPossible(body);
        const inRooms: [string, number][] = [];
        for (const room of ['national:E92000001', `la:${school.laCode}`, `school:${school.urn}`]) {
          totals.set(room, (totals.get(room) ?? 0) + possible);
          inRooms.push([room, totals.get(room)!]);
        }
        sent.push({ at: performance.now(), rooms: inRooms });
        posts.push(
          submit(server, body, submitter).then(
            async (r) => r.status === 202 || errors.push(`POST ${r.status} ${await r.text()}`),
            (error: Error) => errors.push(error.message),
          ),
        );
      }
      await Promise.all(posts);
      const elapsed = (performance.now() - start) / 60_000;
      // Every watched room's last push (the roll-ups may fall behind: up to 10 minutes).
      await waitFor(
        async () =>
          [...watchedRooms].every(
            (room) => !totals.has(room) || pushes.filter((p) => p.room === room).at(-1)?.possible === totals.get(room),
          ),
        600_000,
        'the last push',
      );
      // The refetches under way finish (none starts now): the CPU is what a minute of the load cost, all told.
      stopped = true;
      await waitFor(async () => refetching === 0, 600_000, 'the refetches under way');
      const cpu = (cpuSeconds(pid) - cpu0) / elapsed;
      const own = process.cpuUsage(ownCpu0);
      const clientCpu = (own.user + own.system) / 1e6 / elapsed;
      // Submission to the push (to its page type's room) that includes it and everything sent before it to that room.
      const latency: Record<PageType, number[]> = { national: [], la: [], school: [] };
      for (const s of sent)
        for (const [room, total] of s.rooms) {
          if (!watchedRooms.has(room)) continue;
          const push = pushes.find((p) => p.room === room && p.at >= s.at && p.possible >= total);
          if (push) latency[room.split(':')[0] as PageType].push(push.at - s.at);
          else errors.push(`no push of ${room} included a submission`);
        }
      const metrics = await (await fetch(server.metricsUrl!)).text();
      const shared = (outcome: string) =>
        Number(new RegExp(`attendance_shared_answers\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
      const page = (type: PageType) =>
        `${type}: push ${latency[type].length ? ms(latency[type]) : '-'}; refetch ${refreshes[type].length ? ms(refreshes[type]) : '-'} (${refreshes[type].length})`;
      rows.push(
        `| ${n} | ${page('national')} | ${page('la')} | ${page('school')} | ${requests.toLocaleString('en-GB')} requests, ${pushesSeen.toLocaleString('en-GB')} pushes received | ${shared('computed')} computed, ${shared('cached') + shared('joined')} shared | ${cpu.toFixed(1)} | ${clientCpu.toFixed(1)} | ${errors.length}${errors.length ? ` (${errors[0]})` : ''} |`,
      );
      log(`- ${n} viewers: ${rows.at(-1)}; p99 national push ${percentile(latency.national, 99).toFixed(0)} ms`);
      log(`  ${statementsBetween(statements0, await rollupStatements(server.metricsUrl))}`);
    } finally {
      for (const s of sockets) s.disconnect();
      await server.stop();
    }
  }
  log(
    '\n| viewers | national page: submission to push; refetch answered (refetches) | LA page | school page | requests | answers | server+engine CPU s per minute of load (until every push and refetch is done) | bench client (its own CPU s a minute) | errors |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const row of rows) log(row);
}
