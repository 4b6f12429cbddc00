// npm run bench: the performance goals (issue "Performance at national scale"), measured in one run on this machine.
// Method and the latest results: docs/benchmarks.md. Parts (BENCH_PARTS, comma-separated; default all):
//   scale   for each BENCH_SCALES (default 0.01,0.05 of England) the generator's data from 1 September 2025 to
//           today (the whole 2025/26 year, 195 school days, and this year to date); every dashboard endpoint's p50/p95
//           over it; the same national figures from the raw marks, as a ratio; the server's memory. Then the client.
//   client  (run by scale, or alone over the largest BENCH_SCALES in BENCH_DATA_DIR) the client's size; the national
//           and the LA page in Chromium: to their key figures and to everything drawn.
//   ingest  the same register files inserted by the engine itself (CSV), rolled up alone (the generator's marks of the
//           same days on an empty store, and of a year's last days on that year), posted to a server with no roll-up
//           worker (the ingest path alone), and posted end to end (stored, rolled up): one after another, then four
//           at a time (issue 25's method), then four at a time while a user asks for the 153 LAs.
//   live    20 schools a second submit for BENCH_LIVE_SECONDS (180): first with no roll-up worker (the ingest path's
//           CPU a register), then with it: errors, and submission to the 202 and to the socket.io push that includes it.
//   viewers 20 schools a second submit for BENCH_VIEWERS_SECONDS (180) while BENCH_VIEWERS (5,500) socket.io viewers of
//           national, LA and school pages in several roles refetch what their page shows at its pace: submission to
//           push per page type, refetch times, errors, the server's CPU seconds a minute (tests/bench/viewers.ts).
//   start   `npm start`'s shape (simulator at 0.01 back-filling its history): peak memory.
//   national (only when asked for) two national school days, England's simulated schools' registers posted four at a
//           time (tests/bench/national.ts).
// BENCH_DATA_DIR: the scale part keeps each scale's data in DIR/scale-S and uses it again when it is there (the
// endpoints measured again on the same data, say before and after a change; no generation figures then).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { io } from 'socket.io-client';
import { todayInLondon } from '../../server/src/common/dates.js';
import { REGISTER_HEADER, schoolDay, sessionRows } from '../../pipelines/simulator/registers.js';
import { liveDateFor } from '../../pipelines/simulator/simulator.js';
import { giasCsv, syntheticSchools } from '../../pipelines/simulator/synthetic-schools.js';
import { DEFAULT_TERM_CALENDAR, loadTermCalendar, schoolDays } from '../../server/src/calendar/term-calendar.js';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from '../support/browser.js';
import { post, settled, startServer, waitFor, type TestServer } from '../support/server.js';
import {
  cpuSeconds,
  idle,
  log,
  memoryOf,
  ms,
  percentile,
  rollupStatements,
  statementsBetween,
  submit,
  timed,
} from './stats.js';
import { viewersPart } from './viewers.js';
import { nationalPart } from './national.js';
import { countedPossible, engineInsertSeconds, postRegisterFiles, writeRegisterFiles } from './register-files.js';
import type { LiveMeasures } from '../../server/src/contract/live-events.js';

const PARTS = new Set((process.env.BENCH_PARTS ?? 'scale,ingest,live,viewers,start').split(','));
/**
 * BENCH_SERVER_NODE_ARGS: Node's flags for the ingest and live parts' servers, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
 */
const SERVER_NODE_ARGS = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const SCALES = (process.env.BENCH_SCALES ?? '0.01,0.05').split(',').map(Number);
const DATA_DIR = process.env.BENCH_DATA_DIR;
const today = todayInLondon();
const live = liveDateFor(today);
const calendar = loadTermCalendar(DEFAULT_TERM_CALENDAR);
/** Timed requests of each endpoint: enough for a p95 that is not their slowest (of 15 it would be). */
const REQUESTS = 60;
const LAST_YEAR = { from: '2025-09-01', to: '2026-08-31' };
const SPRING = calendar.terms.find((t) => t.academicYear === '2025/26' && t.term === 'Spring')!;

interface Generated {
  schools: number;
  pupils: number;
  dates: string[];
  marks: number;
  seconds?: { marks: number; rollups: number; merge: number };
}

/** The generator's data at a scale in a new directory, or (BENCH_DATA_DIR) in the kept one, generated if not there. */
function dataAt(scale: number): { dir: string; g: Generated } {
  if (!DATA_DIR) {
    const dir = mkdtempSync(join(tmpdir(), `bench-scale-${scale}-`));
    return { dir, g: generate(dir, scale) };
  }
  const dir = join(DATA_DIR, `scale-${scale}`);
  const summary = join(DATA_DIR, `scale-${scale}.json`);
  if (existsSync(summary))
    return { dir, g: { ...(JSON.parse(readFileSync(summary, 'utf8')) as Generated), seconds: undefined } };
  rmSync(dir, { recursive: true, force: true }); // what a run cut short left
  mkdirSync(DATA_DIR, { recursive: true });
  const g = generate(dir, scale);
  writeFileSync(summary, JSON.stringify(g));
  return { dir, g };
}

function generate(dir: string, scale: number): Generated {
  const out = execFileSync(
    process.execPath,
    [
      'dist/tests/bench/generate.js',
      '--data-dir',
      dir,
      '--scale',
      String(scale),
      '--from',
      LAST_YEAR.from,
      '--to',
      live,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/** National figures over from-to from the roll-ups and from the raw marks, in a process of their own. */
function rawVersusRollups(dir: string, from: string, to: string): string {
  const r = JSON.parse(
    execFileSync(process.execPath, ['dist/tests/bench/raw-vs-rollup.js', dir, from, to], { encoding: 'utf8' }).trim(),
  ) as { agree: boolean; rollupMs: number; rawMs: number };
  return `roll-ups ${r.rollupMs.toFixed(0)} ms, raw marks ${r.rawMs.toFixed(0)} ms (raw / roll-ups = ${(r.rawMs / r.rollupMs).toFixed(1)}x; the two agree: ${r.agree})`;
}

async function get(server: TestServer, path: string, token: string): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function scalePart(): Promise<void> {
  log(
    `## Dashboard endpoints against rows (${LAST_YEAR.from} to ${live}; p50 / p95 of ${REQUESTS} requests after a pass over every endpoint and 2 warm-ups)`,
  );
  let largest: string | undefined;
  for (const scale of SCALES) {
    const { dir, g } = dataAt(scale);
    const lastYearDays = g.dates.filter((d) => d <= LAST_YEAR.to).length;
    log(
      `\n### scale ${scale}: ${g.schools} schools, ${g.pupils.toLocaleString('en-GB')} pupils, ${g.dates.length} school days (${lastYearDays} in 2025/26), ${g.marks.toLocaleString('en-GB')} marks`,
    );
    log(
      g.seconds
        ? `generated in ${g.seconds.marks.toFixed(0)} s, rolled up in ${g.seconds.rollups.toFixed(0)} s (${Math.round(g.marks / g.seconds.rollups).toLocaleString('en-GB')} marks/s), merged in ${g.seconds.merge.toFixed(0)} s\n`
        : `the data kept in ${dir} (to ${g.dates.at(-1)})\n`,
    );
    const year = `from=${LAST_YEAR.from}&to=${LAST_YEAR.to}`;
    const server = await startServer({ DATA_DIR: dir, RECONCILE_GRACE_SECONDS: '3600' });
    try {
      const dfe = server.token('dfe');
      const urn = syntheticSchools(scale, 1, live)[0].urn;
      const endpoints: [string, string, string][] = [
        ['national, year to date', '/api/v1/measures?level=national', dfe],
        ['national, 2025/26', `/api/v1/measures?level=national&${year}`, dfe],
        ['national, spring term 2025/26', '/api/v1/measures?level=national&term=2025-26-spring', dfe],
        ['153 LAs, year to date (map and table)', '/api/v1/measures?level=la', dfe],
        ['153 LAs, 2025/26', `/api/v1/measures?level=la&${year}`, dfe],
        ['regions, year to date', '/api/v1/measures?level=regional', dfe],
        ['national daily trend, year to date', '/api/v1/measures?level=national&frame=daily', dfe],
        ['national weekly trend, 2025/26', `/api/v1/measures?level=national&frame=weekly&${year}`, dfe],
        ['national by FSM, year to date', '/api/v1/measures?level=national&breakdown=fsm', dfe],
        ['national by ethnicity, 2025/26', `/api/v1/measures?level=national&breakdown=ethnicity&${year}`, dfe],
        ['LA comparison (Camden)', '/api/v1/las/202/comparison', dfe],
        ['LA cohorts (Camden, FSM)', '/api/v1/las/202/cohorts', dfe],
        ['LA schools (Camden)', '/api/v1/las/202/schools', dfe],
        ['school overview', `/api/v1/schools/${urn}/overview`, dfe],
        ['inspection priorities', '/api/v1/inspection/priorities', server.token('ofsted')],
      ];
      // One pass over every endpoint first: the server's start (its first reconciliation, cold caches) is not timed.
      for (const [, path, token] of endpoints) await get(server, path, token);
      const results: string[] = [];
      for (const [name, path, token] of endpoints) {
        const times = await timed(() => get(server, path, token), REQUESTS);
        results.push(`| ${name} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} |`);
      }
      log('| endpoint | p50 ms | p95 ms |\n| --- | --- | --- |');
      for (const line of results) log(line);
      const memory = memoryOf(server.process.pid!);
      log(`\nserver memory after the requests: ${memory.rssMb} MB resident, peak ${memory.peakMb} MB`);
    } finally {
      await server.stop();
    }
    log(
      `national sessions and persistent absentees, same engine and process, 2025/26: ${rawVersusRollups(dir, LAST_YEAR.from, LAST_YEAR.to)}`,
    );
    log(`the same, spring term 2025/26: ${rawVersusRollups(dir, SPRING.from, SPRING.to)}`);
    if (largest && !DATA_DIR) rmSync(largest, { recursive: true, force: true });
    largest = dir;
  }
  if (largest) {
    await clientPart(largest);
    if (!DATA_DIR) rmSync(largest, { recursive: true, force: true });
  }
}

/**
 * Loads a page `url` 6 times in a new browser context each time (the first not counted), and gives for each mark (CSS
 * selectors that must all be there) the time from the navigation's start to the frame that first shows them: measured
 * in the page (each selector's first appearance in the DOM, then the next animation frame), not by polling from
 * outside, which a busy page answers late. `before` runs once the new tab is open (and signed in), just before the
 * navigation: a tab's own start (its processes, about 2 CPU seconds here) is a visitor's browser's work on the
 * visitor's machine, not on the server's two cores that this machine shares with the browser.
 */
async function pageLoads(
  browser: Browser,
  url: string,
  prepare: (page: Page) => Promise<void>,
  marks: Record<string, string[]>,
  before: () => Promise<void> = async () => {},
): Promise<Record<string, number[]>> {
  const selectors = [...new Set(Object.values(marks).flat())];
  const loads: Record<string, number[]> = Object.fromEntries(Object.keys(marks).map((name) => [name, []]));
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await prepare(page);
    await before();
    // In the page (as text: this file is compiled without the DOM's types).
    await page.addInitScript(`(() => {
      const wanted = ${JSON.stringify(selectors)};
      const shown = (window.shown = {});
      new MutationObserver(() => {
        for (const selector of wanted)
          if (!(selector in shown) && document.querySelector(selector)) {
            shown[selector] = -1;
            requestAnimationFrame((frame) => (shown[selector] = frame));
          }
      }).observe(document, { subtree: true, childList: true });
    })()`);
    await page.goto(url);
    for (const selector of selectors) await page.locator(selector).first().waitFor({ timeout: 120_000 });
    await page.waitForFunction('Object.values(window.shown).every((t) => t >= 0)');
    const shown = (await page.evaluate('window.shown')) as Record<string, number>;
    if (i > 0)
      for (const [name, wanted] of Object.entries(marks)) loads[name].push(Math.max(...wanted.map((w) => shown[w])));
    await context.close();
  }
  return loads;
}

async function clientPart(dir: string): Promise<void> {
  const assets = 'client/dist/assets';
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  const raw = js.reduce((sum, f) => sum + readFileSync(join(assets, f)).length, 0);
  log(
    `\n## Client\nJavaScript: ${js.length} files, ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped`,
  );
  const server = await startServer({ DATA_DIR: dir, RECONCILE_GRACE_SECONDS: '3600' });
  // Not timed: the start's reconciliation, which reads every mark's day (a running server has done it long before).
  await idle(server.process.pid!);
  const browser = await launchChromium();
  // Each page twice: as a viewer after others (the server's shared answers), and as the first viewer after a write that
  // makes every shared answer stale (Camden's lead setting a target), so that every answer is computed for the page.
  const lead = server.token('la', ['202']);
  const write = async () => {
    const response = await fetch(`${server.url}/api/v1/las/202/targets`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${lead}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cohort: 'cin', attendance: 90 }),
    });
    if (!response.ok) throw new Error(`targets: ${response.status} ${await response.text()}`);
  };
  // Each load begins on a quiet server, once its tab is open (and signed in: the sign-in opens England's page): the
  // last load's later questions (the map, last year's figures, the schools' coverage) and the sign-in page's are not
  // left running into the load's key figures.
  const quiet = () => idle(server.process.pid!);
  try {
    for (const [answers, before] of [
      ['answers shared', quiet],
      ['answers computed after a write', () => quiet().then(write)],
    ] as const) {
      const national = await pageLoads(
        browser,
        server.url,
        async () => {},
        {
          // The figures themselves (each headline's list of figures), not the headings shown while they load.
          'key figures (the latest settled day and the year to date)': [
            '[data-testid="headline-day"] dl',
            '[data-testid="headline-ytd"] dl',
          ],
          'everything (the 153-LA table, the map)': ['[data-testid="la-table"] tbody tr:nth-child(153)', 'canvas'],
        },
        before,
      );
      for (const [what, times] of Object.entries(national))
        log(`national page, new browser context each time, ${answers}, to ${what}: ${ms(times)}`);
      // Camden as its own LA lead sees it (every section answered; the public sees fewer).
      const la = await pageLoads(
        browser,
        `${server.url}/la/202`,
        (page) => signIn(page, server, 'la', ['202']),
        {
          'key figures (the LA against its region and England)': ['[data-testid="headline-comparison"] tbody tr'],
          'everything (schools, neighbourhoods, cohorts, trend)': [
            '[data-testid="schools"] tbody tr',
            '[data-testid="neighbourhoods"] tbody tr',
            '[data-testid="cohort-chart"] canvas',
          ],
        },
        before,
      );
      for (const [what, times] of Object.entries(la))
        log(`LA page (Camden, its LA user), ${answers}, to ${what}: ${ms(times)}`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * The roll-ups-alone runs of the ingest part (BENCH_INGEST_ROLLUPS, default `empty,year`; empty for none): on a
 * loaded machine the year's takes most of the part, and the end-to-end ratios do not need it.
 */
const INGEST_ROLLUPS = (process.env.BENCH_INGEST_ROLLUPS ?? 'empty,year').split(',').filter(Boolean);

/** Files posted at once in the second ingest run: a morning's registers arrive from many schools together. */
const INGEST_IN_FLIGHT = 4;

async function ingestPart(): Promise<void> {
  const schools = syntheticSchools(0.01, 1, live);
  const dates = schoolDays(calendar, '2025-09-01', live).slice(-6, -1);
  const files = writeRegisterFiles(schools, dates, 200);
  const { marks } = files;
  const engineSeconds = engineInsertSeconds(files);
  log(
    `\n## Ingest\n${marks.toLocaleString('en-GB')} marks in ${files.paths.length} files of 200 schools (${dates.length} days at scale 0.01):`,
  );
  const engineRate = marks / engineSeconds;
  log(
    `- engine's own CSV insert: ${engineSeconds.toFixed(1)} s, ${Math.round(engineRate).toLocaleString('en-GB')} marks/s`,
  );
  // The roll-ups alone, in batches as the worker takes them: what end to end can never beat. On an empty store (the
  // posted days), and at the end of a year of history, whose longer periods read every day of it.
  for (const history of INGEST_ROLLUPS) {
    const rollupDir = mkdtempSync(join(tmpdir(), 'bench-rollup-'));
    const cost = JSON.parse(
      execFileSync(process.execPath, ['dist/tests/bench/rollup-cost.js', rollupDir, live, history], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      })
        .trim()
        .split('\n')
        .at(-1)!,
    ) as { marks: number; seconds: number; byStatement: Record<string, number> };
    rmSync(rollupDir, { recursive: true, force: true });
    const statements = Object.entries(cost.byStatement)
      .sort(([, a], [, b]) => b - a)
      .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
      .join(', ');
    const days =
      history === 'empty'
        ? 'the same days, on an empty store'
        : 'the last 5 school days of 2025/26, on that whole year';
    log(
      `- the roll-ups alone (the generator's ${cost.marks.toLocaleString('en-GB')} marks of ${days}, a day at a time in batches of 400 schools): ${cost.seconds.toFixed(1)} s, ${Math.round(cost.marks / cost.seconds).toLocaleString('en-GB')} marks/s (${((100 * cost.marks) / cost.seconds / engineRate).toFixed(0)}% of the engine's insert rate); by statement: ${statements}`,
    );
  }
  // First the ingest path alone (no roll-up worker), one file after another: what taking them in costs. Then end to
  // end, until every roll-up has finished: posted one after another, then several at a time as many schools' systems
  // would, twice: as issue 25 measures it (nothing else asked of the server), then with a DfE user reading the 153 LAs
  // as fast as they are answered (what a reader waits for meanwhile, and what it costs the roll-ups).
  for (const { inFlight, worker, reading } of [
    { inFlight: 1, worker: false, reading: false },
    { inFlight: 1, worker: true, reading: false },
    { inFlight: INGEST_IN_FLIGHT, worker: true, reading: false },
    { inFlight: INGEST_IN_FLIGHT, worker: true, reading: true },
  ]) {
    // The reader asks as fast as it is answered: past the per-token rate limit once answers come from the cache.
    const server = await startServer(
      { RATE_LIMIT_PER_MINUTE: '1000000', METRICS_PORT: '0', ...(worker ? {} : { WORKER: 'off' }) },
      SERVER_NODE_ARGS,
    );
    try {
      await post(server, '/api/v1/reference/schools', giasCsv(schools), server.token('admin'));
      const submitter = server.token('submitter');
      const dfe = server.token('dfe');
      const t0 = performance.now();
      const cpu0 = cpuSeconds(server.process.pid!);
      const statements0 = await rollupStatements(server.metricsUrl);
      // Meanwhile (in the reading run) a user reads the 153 LAs, again and again, until the roll-ups are done.
      let ingesting = true;
      const reads: number[] = [];
      const reader = (async () => {
        while (reading && ingesting) {
          const t = performance.now();
          await get(server, '/api/v1/measures?level=la', dfe);
          reads.push(performance.now() - t);
        }
      })();
      await postRegisterFiles(server, files.paths, inFlight, submitter);
      const stored = (performance.now() - t0) / 1000;
      const storedCpu = cpuSeconds(server.process.pid!) - cpu0;
      if (!worker) {
        log(
          `- the ingest path alone (no roll-up worker), one file after another: stored (all 202s) in ${stored.toFixed(1)} s, ${Math.round(marks / stored).toLocaleString('en-GB')} marks/s: ${((100 * marks) / stored / engineRate).toFixed(0)}% of the engine's rate; server CPU ${storedCpu.toFixed(1)} s`,
        );
        continue;
      }
      // A loaded machine rolls up a backlog for minutes: not a failure of the run.
      await settled(server, 600_000);
      const e2e = (performance.now() - t0) / 1000;
      const e2eCpu = cpuSeconds(server.process.pid!) - cpu0;
      ingesting = false;
      await reader;
      const e2eRate = marks / e2e;
      log(
        `- ${inFlight === 1 ? 'one file after another' : `${inFlight} files at a time${reading ? ', a reader beside' : ''}`}: stored (all 202s) in ${stored.toFixed(1)} s, ${Math.round(marks / stored).toLocaleString('en-GB')} marks/s; stored and rolled up in ${e2e.toFixed(1)} s, ${Math.round(e2eRate).toLocaleString('en-GB')} marks/s: ${((100 * e2eRate) / engineRate).toFixed(0)}% of the engine's rate (goal: 50%); a national school day (16 M marks) at this rate: ${Math.round(16e6 / e2eRate)} s (goal: 60 s); server peak ${memoryOf(server.process.pid!).peakMb} MB; server CPU (user + system, engine included) ${storedCpu.toFixed(1)} s until the last 202, ${e2eCpu.toFixed(1)} s until rolled up`,
      );
      log(`  ${statementsBetween(statements0, await rollupStatements(server.metricsUrl))}`);
      if (reads.length)
        log(`- meanwhile the 153 LAs (as DfE), asked ${reads.length} times one after another: ${ms(reads)}`);
    } finally {
      await server.stop();
    }
  }
  rmSync(files.dir, { recursive: true, force: true });
}

/**
 * A register posted: when it was sent, the counted possible sessions of it and every one sent before it, and how long
 * its 202 took.
 */
interface Sent {
  at: number;
  total: number;
  acknowledged?: number;
}

/** The registers posted `rate` a second, one after another whatever the answers: each as sent; any non-202 fails. */
async function postAtRate(server: TestServer, bodies: string[], rate: number): Promise<Sent[]> {
  const submitter = server.token('submitter');
  const sent: Sent[] = [];
  const errors: string[] = [];
  let total = 0;
  const start = performance.now();
  const posts: Promise<unknown>[] = [];
  for (const [i, body] of bodies.entries()) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    total += countedPossible(body);
    const entry: Sent = { at: performance.now(), total };
    sent.push(entry);
    posts.push(
      submit(server, body, submitter).then(
        async (r) =>
          r.status === 202
            ? (entry.acknowledged = performance.now() - entry.at)
            : errors.push(`${r.status} ${await r.text()}`),
        (error: Error) => errors.push(`${error.message} (${String(error.cause)})`),
      ),
    );
  }
  await Promise.all(posts);
  if (errors.length) throw new Error(`${errors.length} submissions failed, the first: ${errors[0]}`);
  return sent;
}

async function livePart(): Promise<void> {
  const RATE = 20;
  const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 180);
  // A different school each time (a repeated file changes nothing): the smallest scale with enough schools.
  let schools = syntheticSchools(0.01, 1, live);
  for (const scale of [0.02, 0.05, 0.1, 0.2, 0.5, 1])
    if (schools.length < RATE * SECONDS) schools = syntheticSchools(scale, 1, live);
  const bodies = schools
    .slice(0, RATE * SECONDS)
    .map((school) => REGISTER_HEADER + sessionRows(schoolDay(school, today, 1), 'AM'));
  log(
    `\n## Live push, and a steady load\n${bodies.length} single-school morning registers, ${RATE} a second for ${SECONDS} s (a different school each, of ${schools.length})`,
  );
  // First the ingest path alone (no roll-up worker), the same registers at the same rate: what taking them in costs.
  const alone = await startServer({ WORKER: 'off' }, SERVER_NODE_ARGS);
  try {
    await post(alone, '/api/v1/reference/schools', giasCsv(schools), alone.token('admin'));
    const cpu0 = cpuSeconds(alone.process.pid!);
    const sent = await postAtRate(alone, bodies, RATE);
    const cpu = cpuSeconds(alone.process.pid!) - cpu0;
    log(
      `- taken in alone (no roll-ups): POST to 202 ${ms(sent.map((s) => s.acknowledged!))}; server + engine CPU ${cpu.toFixed(1)} s, ${((cpu / bodies.length) * 1000).toFixed(0)} ms a register`,
    );
  } finally {
    await alone.stop();
  }
  const server = await startServer({ METRICS_PORT: '0' }, SERVER_NODE_ARGS);
  try {
    await post(server, '/api/v1/reference/schools', giasCsv(schools), server.token('admin'));
    const socket = io(`${server.url}/live`, { transports: ['websocket'] });
    const pushes: { at: number; possible: number }[] = [];
    socket.on(
      'measures',
      (m: LiveMeasures) =>
        m.date === today && pushes.push({ at: performance.now(), possible: m.possible_sessions ?? 0 }),
    );
    await new Promise<void>((resolve) => socket.emit('subscribe', { level: 'national' }, () => resolve()));
    const cpu0 = cpuSeconds(server.process.pid!);
    const statements0 = await rollupStatements(server.metricsUrl);
    const sent = await postAtRate(server, bodies, RATE);
    const total = sent.at(-1)!.total;
    const sentAll = performance.now();
    // The roll-ups may fall behind: wait (up to 10 minutes) for the push that includes the last submission.
    await waitFor(async () => pushes.at(-1)?.possible === total, 600_000, 'the last push');
    const drained = (performance.now() - sentAll) / 1000;
    // The server's (and its engine's) CPU and roll-up statements from the first register to the last push.
    const cpu = cpuSeconds(server.process.pid!) - cpu0;
    const statements = statementsBetween(statements0, await rollupStatements(server.metricsUrl));
    // A submission is in a push once the national total includes it and every submission sent before it.
    const latency = sent.map((s) => pushes.find((p) => p.at >= s.at && p.possible >= s.total)!.at - s.at);
    socket.disconnect();
    log('- with the roll-up worker and a live viewer: 0 errors');
    log(
      `- POST to 202 (stored): ${ms(sent.map((s) => s.acknowledged!))}, p99 ${percentile(
        sent.map((s) => s.acknowledged!),
        99,
      ).toFixed(0)} ms`,
    );
    log(
      `- POST to the national socket.io push that includes it (and everything sent before it): ${ms(latency)}, p99 ${percentile(latency, 99).toFixed(0)} ms; ${pushes.length} pushes`,
    );
    log(
      `- the last submission was in a push ${drained.toFixed(1)} s after it was sent; server memory: ${memoryOf(server.process.pid!).peakMb} MB peak`,
    );
    log(`- server + engine CPU ${cpu.toFixed(1)} s from the first register to the last push; ${statements}`);
  } finally {
    await server.stop();
  }
}

async function startPart(): Promise<void> {
  // `npm start`'s server: the simulator at 0.01 with its history back-filled, sampled every second until it is in.
  const server = await startServer({ SIMULATOR: 'on', SIM_SCALE: '0.01', AUTH_MODE: 'dev', NODE_ENV: 'development' });
  try {
    const t0 = performance.now();
    let peak = 0;
    await waitFor(
      async () => {
        peak = Math.max(peak, memoryOf(server.process.pid!).rssMb);
        if (!server.output().includes('History in:')) return false;
        const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { pendingRollups: number };
        return status.pendingRollups === 0;
      },
      20 * 60_000,
      'the back-fill',
    );
    const memory = memoryOf(server.process.pid!);
    log(
      `\n## npm start\nsimulator at 0.01 (814 schools) with its history back-filled in ${((performance.now() - t0) / 1000).toFixed(0)} s: peak ${Math.max(peak, memory.peakMb)} MB resident (goal: under 1,500 MB), ${memory.rssMb} MB after`,
    );
  } finally {
    await server.stop();
  }
}

log(
  `# npm run bench, ${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}`,
);
if (PARTS.has('scale')) await scalePart();
else if (PARTS.has('client')) await clientPart(dataAt(Math.max(...SCALES)).dir);
if (PARTS.has('ingest')) await ingestPart();
if (PARTS.has('live')) await livePart();
if (PARTS.has('viewers')) {
  const seconds = Number(process.env.BENCH_VIEWERS_SECONDS ?? 180);
  let schools = syntheticSchools(0.01, 1, live);
  for (const scale of [0.02, 0.05, 0.1, 0.2, 0.5, 1])
    if (schools.length < 20 * seconds) schools = syntheticSchools(scale, 1, live);
  await viewersPart({
    schools,
    date: today,
    rate: 20,
    seconds,
    counts: (process.env.BENCH_VIEWERS ?? '5,500').split(',').map(Number),
    serverNodeArgs: SERVER_NODE_ARGS,
    countedPossible,
  });
}
if (PARTS.has('start')) await startPart();
if (PARTS.has('national')) await nationalPart(schoolDays(calendar, '2025-09-01', live).slice(-3, -1), SERVER_NODE_ARGS);
