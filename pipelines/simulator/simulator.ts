// Simulated schools' MIS feeds: they post their registers through the real ingestion API, as real feeds would.
// First the reference file of schools, then the history since 1 September (most recent days first, so the
// dashboard fills sensibly), then a live school day on an accelerated clock: morning registers 08:40-10:00,
// afternoon registers 13:10-14:00, and "no reason yet" (N) marks amended through the day. When the simulated day
// ends it starts again on the same date, with fresh amendments, so the demo keeps moving.
import { academicYearStart, addDays, isoWeekday, todayInLondon } from '../../server/src/common/dates.js';
import { hashSeed, mulberry32 } from './random.js';
import { amendmentRows, dayRows, REGISTER_HEADER, schoolDay, sessionRows, type SchoolDay } from './registers.js';
import { giasCsv, syntheticSchools } from './synthetic-schools.js';

export interface SimulatorOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** A bearer JWT for a role and scope ('*' for all). */
  tokenFor(role: 'admin' | 'submitter', scope: string): string;
  /** Share of England's pupils simulated (SIM_SCALE, default 0.01). */
  scale: number;
  /** Simulated seconds per real second (SIM_SPEED, default 60). */
  speed: number;
  /** School days of history to post before going live (default: every school day since 1 September). */
  historyDays?: number;
  seed?: number;
  log(message: string): void;
  now?: () => Date;
}

export interface Simulator {
  /** Resolves when the schools and the history are in (accepted by the API). */
  ready: Promise<void>;
  /** Clears timers and waits for in-flight posts; errors after it are ignored. */
  stop(): Promise<void>;
}

const ROWS_PER_POST = 60_000;
const MAX_IN_FLIGHT = 2;
const MINUTE = 60;
const HOUR = 3600;
const DAY_START = 8 * HOUR + 30 * MINUTE;
const DAY_END = 16 * HOUR;

/** Mon-Fri, not in October half term (the last full Monday-Friday week of October). */
export function isSchoolDay(date: string): boolean {
  if (isoWeekday(date) > 5) return false;
  if (date.slice(5, 7) !== '10') return true;
  let lastFriday = `${date.slice(0, 4)}-10-31`;
  while (isoWeekday(lastFriday) !== 5) lastFriday = addDays(lastFriday, -1);
  return date < addDays(lastFriday, -4) || date > lastFriday;
}

/** The live date: today (in London) if it is Monday to Friday, else the most recent Friday. */
export function liveDateFor(today: string): string {
  let date = today;
  while (isoWeekday(date) > 5) date = addDays(date, -1);
  return date;
}

/** School days before the live date back to 1 September, most recent first (at most `limit`). */
export function historyDates(liveDate: string, limit?: number): string[] {
  const dates: string[] = [];
  const start = academicYearStart(liveDate);
  for (let date = addDays(liveDate, -1); date >= start && (limit === undefined || dates.length < limit); date = addDays(date, -1)) {
    if (isSchoolDay(date)) dates.push(date);
  }
  return dates;
}

interface LiveEvent {
  /** Simulated seconds since midnight. */
  at: number;
  day: SchoolDay;
  kind: 'AM' | 'PM' | 'amend-AM' | 'amend-all';
}

/** A school's events on the live day: registers in their windows, amendments after each. */
function liveEvents(days: readonly SchoolDay[], rng: () => number): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const day of days) {
    const am = 8 * HOUR + 40 * MINUTE + rng() * 80 * MINUTE;
    const pm = 13 * HOUR + 10 * MINUTE + rng() * 50 * MINUTE;
    events.push({ at: am, day, kind: 'AM' }, { at: pm, day, kind: 'PM' });
    // The office chases the morning's absences before lunch, and the rest through the afternoon.
    events.push({ at: am + (30 + rng() * 120) * MINUTE, day, kind: 'amend-AM' });
    events.push({ at: pm + (20 + rng() * 100) * MINUTE, day, kind: 'amend-all' });
  }
  return events.sort((a, b) => a.at - b.at);
}

export function startSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const schools = syntheticSchools(options.scale, seed, todayInLondon(now()));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Posts one body until the API takes it; a server error or a network failure is retried with backoff. */
  const send = async (path: string, body: string, role: 'admin' | 'submitter'): Promise<void> => {
    for (let attempt = 1; !stopped; attempt++) {
      let problem: string;
      try {
        const response = await fetch(`${options.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${options.tokenFor(role, '*')}` },
          body,
        });
        if (response.ok) return void (await response.arrayBuffer());
        const text = await response.text();
        if (stopped) return;
        if (response.status === 413) {
          // Too large for one request: post each half (whole rows, each with the header).
          const lines = body.split('\n').filter(Boolean);
          const [header, rows] = [lines[0], lines.slice(1)];
          if (rows.length < 2) throw new Error(`POST ${path}: one row is over the size limit`);
          const half = Math.ceil(rows.length / 2);
          options.log(`POST ${path}: ${rows.length} rows too large (413), posting in two halves`);
          await send(path, `${header}\n${rows.slice(0, half).join('\n')}\n`, role);
          await send(path, `${header}\n${rows.slice(half).join('\n')}\n`, role);
          return;
        }
        if (response.status < 500) {
          // A refused file is a bug in the simulator or the server: say so loudly; retrying cannot help.
          options.log(`ERROR: POST ${path} refused (${response.status}), the rows are lost: ${text.slice(0, 2000)}`);
          return;
        }
        problem = `${response.status} ${text.slice(0, 200)}`;
      } catch (error) {
        if (stopped) return;
        problem = (error as Error).message;
      }
      if (attempt === 3 || attempt % 20 === 0) options.log(`POST ${path} failed ${attempt} times (${problem}); still retrying`);
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
    }
  };

  /** Starts a submission once fewer than MAX_IN_FLIGHT are in flight (first come, first served). */
  const submit = async (body: string): Promise<void> => {
    while (inFlight.size >= MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (stopped) return;
    }
    const request: Promise<void> = send('/api/v1/submissions', body, 'submitter').finally(() => {
      inFlight.delete(request);
      waiting.shift()?.();
    });
    inFlight.add(request);
  };

  /** Posts rows (whole schools per chunk) in batches of about ROWS_PER_POST rows. */
  const post = async (chunks: Iterable<string>): Promise<void> => {
    let batch = REGISTER_HEADER;
    let rows = 0;
    for (const chunk of chunks) {
      if (stopped) return;
      if (!chunk) continue;
      batch += chunk;
      rows += countLines(chunk);
      if (rows >= ROWS_PER_POST) {
        await submit(batch);
        batch = REGISTER_HEADER;
        rows = 0;
      }
    }
    if (rows && !stopped) await submit(batch);
  };

  const liveDate = liveDateFor(todayInLondon(now()));

  const ready = (async () => {
    const started = Date.now();
    await send('/api/v1/reference/schools', giasCsv(schools), 'admin');
    if (stopped) return;
    const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
    options.log(`${schools.length} schools with ${pupils} pupils in 153 LAs uploaded (SIM_SCALE=${options.scale})`);
    const dates = historyDates(liveDate, options.historyDays);
    for (const [i, date] of dates.entries()) {
      if (stopped) return;
      await post((function* () {
        for (const school of schools) yield dayRows(school, date, seed);
      })());
      if ((i + 1) % 10 === 0 || i === dates.length - 1) options.log(`History: ${i + 1} of ${dates.length} school days posted (back to ${date})`);
    }
    await Promise.all(inFlight);
    options.log(`History in: ${dates.length} school days in ${Math.round((Date.now() - started) / 1000)} s`);
  })();

  void ready
    .then(() => !stopped && runLiveDay(0))
    .catch((error: unknown) => options.log(`ERROR: simulator stopped: ${(error as Error).stack ?? String(error)}`));

  /** One simulated school day on the accelerated clock; it starts again when it ends. */
  function runLiveDay(cycle: number): void {
    const rng = mulberry32(hashSeed(seed, 'schedule', liveDate, cycle));
    const events = liveEvents(schools.map((school) => schoolDay(school, liveDate, seed, cycle)), rng);
    options.log(`Live school day ${liveDate} started (cycle ${cycle + 1}, ${options.speed}x: ${Math.round((DAY_END - DAY_START) / options.speed)} s)`);
    const started = Date.now();
    let next = 0;
    const tick = () => {
      if (stopped) return;
      const clock = DAY_START + ((Date.now() - started) / 1000) * options.speed;
      // Schools whose time falls in the same real second share one post.
      const due: string[] = [];
      while (next < events.length && events[next].at <= clock) {
        const { day, kind } = events[next++];
        if (kind === 'AM' || kind === 'PM') due.push(sessionRows(day, kind, seed));
        else if (kind === 'amend-AM') due.push(amendmentRows(day, ['AM'], 0.6, rng, seed));
        // Some reasons are still unknown at the end of the day, as in real registers.
        else due.push(amendmentRows(day, ['AM', 'PM'], 0.85, rng, seed));
      }
      const sending = due.length ? post(due) : Promise.resolve();
      if (clock >= DAY_END && next >= events.length) {
        void sending.then(() => !stopped && runLiveDay(cycle + 1));
        return;
      }
      // The next tick waits for this second's post to be queued, so posts keep their order.
      void sending.then(() => {
        if (!stopped) timer = setTimeout(tick, 1000);
      });
    };
    tick();
  }

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const wake of waiting.splice(0)) wake();
      await Promise.allSettled([...inFlight, ready]);
    },
  };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
