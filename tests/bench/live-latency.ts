// npm run bench: how long a school's register takes from POST to the live push and to the export, on the embedded
// engine, with the simulated national register (812 schools at SIM_SCALE 0.01) and a history already stored.
// Method and results: docs/benchmarks.md.
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { todayInLondon } from '../../server/src/common/dates.js';
import type { ClientToServerEvents, LiveMeasures, ServerToClientEvents } from '../../server/src/live/live-events.js';
import { REGISTER_HEADER, schoolDay, sessionRows } from '../../pipelines/simulator/registers.js';
import { liveDateFor } from '../../pipelines/simulator/simulator.js';
import { giasCsv, syntheticSchools } from '../../pipelines/simulator/synthetic-schools.js';
import { post, settled, startServer } from '../support/server.js';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 40);
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 10);

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const summary = (values: number[]) => `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

const server = await startServer();
try {
  const schools = syntheticSchools(0.01, 1);
  const submitter = server.token('submitter');
  await post(server, '/api/v1/reference/schools', giasCsv(schools), server.token('admin'));
  const today = todayInLondon();
  const live = liveDateFor(today);
  // History: whole school days, posted as the simulator does, to give the roll-ups realistic tables to work on.
  let marks = 0;
  const started = Date.now();
  for (let d = 1, date = live; d <= HISTORY_DAYS; d++) {
    do date = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    while ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()));
    for (let i = 0; i < schools.length; i += 200) {
      const rows = schools.slice(i, i + 200).map((s) => {
        const day = schoolDay(s, date, 1);
        return sessionRows(day, 'AM') + sessionRows(day, 'PM');
      }).join('');
      marks += rows.split('\n').length - 1;
      const response = await post(server, '/api/v1/submissions', REGISTER_HEADER + rows, submitter);
      if (response.status !== 202) throw new Error(`history refused: ${response.status} ${await response.text()}`);
    }
  }
  await settled(server);
  const seconds = (Date.now() - started) / 1000;
  console.log(`history: ${marks} marks from ${schools.length} schools over ${HISTORY_DAYS} days, posted and rolled up in ${seconds.toFixed(1)} s (${Math.round(marks / seconds)} marks/s end to end)`);

  const socket = io(`${server.url}/live`, { transports: ['websocket'] });
  const pushes: { at: number; m: LiveMeasures }[] = [];
  socket.on('measures', (m: LiveMeasures) => pushes.push({ at: performance.now(), m }));
  await new Promise<void>((resolve) => socket.emit('subscribe', { level: 'national' }, () => resolve()));

  const acknowledged: number[] = [];
  const pushed: number[] = [];
  const exported: number[] = [];
  for (let i = 0; i < SUBMISSIONS; i++) {
    const school = schools[(i * 37) % schools.length];
    const body = REGISTER_HEADER + sessionRows(schoolDay(school, today, 1, i), 'AM').replaceAll(`,${today},AM,`, `,${today},${i % 2 ? 'PM' : 'AM'},`);
    const seen = pushes.length;
    const t0 = performance.now();
    const response = await post(server, '/api/v1/submissions', body, submitter);
    if (response.status !== 202) throw new Error(`refused: ${response.status} ${await response.text()}`);
    acknowledged.push(performance.now() - t0);
    const check = `${server.url}/api/v1/measures?level=school&code=${school.urn}&from=${today}&to=${today}&phase=Total`;
    const dfe = { authorization: `Bearer ${server.token('dfe')}` };
    for (;;) {
      const rows = ((await (await fetch(check, { headers: dfe })).json()) as { rows: { possible_sessions: number }[] }).rows;
      if (rows[0]?.possible_sessions > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    exported.push(performance.now() - t0);
    while (pushes.length === seen) await new Promise((r) => setTimeout(r, 5));
    pushed.push(pushes[seen].at - t0);
    await new Promise((r) => setTimeout(r, 1100)); // one push per room per second: keep submissions apart
  }
  socket.disconnect();

  // The same, as a person sees it: the national page in Chromium, until today's headline figures change.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(server.url);
  const headline = page.locator('[data-testid="headline-today"]');
  await page.locator('[data-testid="la-table"] tbody tr').nth(152).waitFor();
  const onPage: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = await headline.textContent();
    // A school not seen today whose pupils are all absent: a change today's headline shows even at one decimal.
    const school = schools[(i * 53 + 11) % schools.length];
    const rows = sessionRows(schoolDay(school, today, 1), 'AM').trim().split('\n').map((line) => line.split(','));
    const body = REGISTER_HEADER + rows.map((cells) => [...cells.slice(0, 4), 'O', ...cells.slice(5)].join(',')).join('\n') + '\n';
    const t0 = performance.now();
    const response = await post(server, '/api/v1/submissions', body, submitter);
    if (response.status !== 202) throw new Error(`refused: ${response.status}`);
    while ((await headline.textContent()) === before) await new Promise((r) => setTimeout(r, 10));
    onPage.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 1500));
  }
  await browser.close();
  console.log(`${SUBMISSIONS} single-school submissions (~${Math.round(schools.reduce((s, x) => s + x.pupils, 0) / schools.length)} marks each):`);
  console.log(`  POST to 202 (stored in ClickHouse): ${summary(acknowledged)}`);
  console.log(`  POST to visible in /api/v1/measures: ${summary(exported)}`);
  console.log(`  POST to socket.io measures push:     ${summary(pushed)}`);
  console.log(`  POST to today's figures changing on the national page in Chromium (10 submissions): ${summary(onPage)}`);
} finally {
  await server.stop();
}
