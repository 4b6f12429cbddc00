// Simulated schools' MIS feeds: they post their registers through the real ingestion API, as real feeds would. First
// the reference file of schools, then the school days of the term calendar since the academic year began (most recent
// days first, so the dashboard fills sensibly), then a live school day on an accelerated clock: morning registers
// 08:40-10:00, afternoon registers 13:10-14:00, and "no reason yet" (N) marks amended through the day. When the
// simulated day ends it starts again on the same date, with fresh amendments, so the demo keeps moving.
import { academicYearStart, addDays, todayInLondon } from '../../server/src/common/dates.js';
import { schoolDays, typicalTermCalendar, type TermCalendar } from '../../server/src/calendar/term-calendar.js';
import { hashSeed, mulberry32 } from './random.js';
import {
  amendmentRows,
  dayRows,
  REGISTER_HEADER,
  resolvePending,
  schoolDay,
  sessionRows,
  type SchoolDay,
  type Session,
} from './registers.js';
import { liveDateFor } from './season.js';
import { giasCsv, syntheticSchools } from './synthetic-schools.js';

export { liveDateFor };

export interface SimulatorOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** A bearer JWT for a role and scope ('*' for all). */
  tokenFor(role: 'admin' | 'submitter', scope: string): string;
  /** Share of England's pupils simulated (SIM_SCALE, default 0.01). */
  scale: number;
  /** Simulated seconds per real second (SIM_SPEED, default 60). */
  speed: number;
  /**
   * The term calendar whose school days the schools submit on (the server's TERM_CALENDAR; default England's typical
   * dates).
   */
  calendar?: TermCalendar;
  /** School days of history to post before going live (default: every school day since the academic year began). */
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

/** Rows per POST: the server stores each POST as one batch insert, and prefers thousands of rows at a time. */
const ROWS_PER_POST = 40_000;
const MAX_IN_FLIGHT = 2;
const MINUTE = 60;
const HOUR = 3600;
const DAY_START = 8 * HOUR + 30 * MINUTE;
const DAY_END = 16 * HOUR;

/** School days before the live date back to the start of its academic year, most recent first (at most `limit`). */
export function historyDates(liveDate: string, limit?: number, calendar = typicalTermCalendar()): string[] {
  const dates = schoolDays(calendar, academicYearStart(liveDate), addDays(liveDate, -1)).reverse();
  return limit === undefined ? dates : dates.slice(0, limit);
}

interface LiveEvent {
  /** Simulated seconds since midnight. */
  at: number;
  day: SchoolDay;
  kind: 'AM' | 'PM' | 'amend-AM' | 'amend-all';
}

/** Share of schools whose registers do not come on the live day (the office is short, the MIS link is down). */
const MISSING_SHARE = 0.01;
/** Share of schools that send the morning's register with the afternoon's, and that send it late in the morning. */
const AFTERNOON_SHARE = 0.06;
const LATE_SHARE = 0.08;
/** History's last school days arrive unsettled: some absences (and late arrivals) still N, amended days later. */
const UNSETTLED = [0.85, 0.95];
/** Share of schools whose register for the last school day before the live one arrives after the rest of history. */
const LATE_HISTORY_SHARE = 0.03;

/**
 * A school's events on the live day: registers in their windows (or late, or not at all), amendments after each. The
 * morning's business is done by 12:30 and the afternoon's starts at 13:10, so the roll-ups catch up over lunch.
 */
function liveEvents(days: readonly SchoolDay[], rng: () => number): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const day of days) {
    const r = rng();
    if (r < MISSING_SHARE) continue;
    const pm = 13 * HOUR + 10 * MINUTE + rng() * 50 * MINUTE;
    events.push({ at: pm, day, kind: 'PM' });
    // The office chases the morning's absences before lunch, and the rest through the afternoon.
    events.push({ at: pm + (20 + rng() * 100) * MINUTE, day, kind: 'amend-all' });
    if (r < MISSING_SHARE + AFTERNOON_SHARE) {
      events.push({ at: pm, day, kind: 'AM' });
      continue;
    }
    const late = r < MISSING_SHARE + AFTERNOON_SHARE + LATE_SHARE;
    const am = late ? 10 * HOUR + rng() * 60 * MINUTE : 8 * HOUR + 40 * MINUTE + rng() * 80 * MINUTE;
    events.push({ at: am, day, kind: 'AM' });
    events.push({ at: Math.min(12 * HOUR + 30 * MINUTE, am + (30 + rng() * 120) * MINUTE), day, kind: 'amend-AM' });
  }
  return events.sort((a, b) => a.at - b.at);
}

export function startSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const calendar = options.calendar ?? typicalTermCalendar();
  const schools = syntheticSchools(options.scale, seed, todayInLondon(now()), calendar);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];
  const sleepers = new Set<() => void>();

  /** A pause that stop() cuts short, so stopping never waits out a retry's backoff. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timeout);
        sleepers.delete(wake);
        resolve();
      };
      const timeout = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  /**
   * Posts one body until the API takes it, and returns the API's answer. A 400 is a bug in the simulator or the
   * server: it is logged loudly (retrying cannot help). A 413 is posted again in halves. Anything else (5xx, 401,
   * 429, a network failure) is retried with backoff until it succeeds or the simulator stops.
   */
  const send = async (path: string, body: string, role: 'admin' | 'submitter'): Promise<string | undefined> => {
    for (let attempt = 1; !stopped; attempt++) {
      let problem: string;
      try {
        const response = await fetch(`${options.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${options.tokenFor(role, '*')}` },
          body,
        });
        const text = await response.text();
        if (response.ok) return text;
        if (stopped) return undefined;
        if (response.status === 400) {
          options.log(
            `ERROR: POST ${path} REFUSED (400), ${countLines(body) - 1} rows lost; a simulator or API bug: ${text.slice(0, 2000)}`,
          );
          if (path !== '/api/v1/submissions') throw new Refused(`POST ${path} refused: ${text.slice(0, 500)}`);
          return undefined;
        }
        if (response.status === 413) {
          // Too large for one request: post each half (whole rows, each with the header).
          const lines = body.split('\n').filter(Boolean);
          const [header, rows] = [lines[0], lines.slice(1)];
          if (rows.length < 2) throw new Refused(`POST ${path}: one row is over the size limit`);
          const half = Math.ceil(rows.length / 2);
          options.log(`POST ${path}: ${rows.length} rows too large (413), posting in two halves`);
          await send(path, `${header}\n${rows.slice(0, half).join('\n')}\n`, role);
          await send(path, `${header}\n${rows.slice(half).join('\n')}\n`, role);
          return undefined;
        }
        problem = `${response.status} ${text.slice(0, 200)}`;
      } catch (error) {
        // Once stopped, the server may be shutting down: its network errors are expected.
        if (stopped) return undefined;
        if (error instanceof Refused) throw error;
        problem = (error as Error).message;
      }
      if (attempt === 1 || attempt % 10 === 0)
        options.log(`POST ${path} failed (${problem}); retrying (attempt ${attempt})`);
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
    }
    return undefined;
  };

  /** Starts a submission once fewer than MAX_IN_FLIGHT are in flight (first come, first served); returns it. */
  const submit = async (body: string): Promise<Promise<void> | undefined> => {
    while (inFlight.size >= MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      if (stopped) return undefined;
    }
    const request: Promise<void> = send('/api/v1/submissions', body, 'submitter')
      .then(
        () => undefined,
        (error: unknown) => options.log(`ERROR: ${(error as Error).message}`),
      )
      .finally(() => {
        inFlight.delete(request);
        waiting.shift()?.();
      });
    inFlight.add(request);
    return request;
  };

  /**
   * Posts rows (whole schools per chunk) in batches of about ROWS_PER_POST rows. Resolves once every batch has
   * started, with the requests (an array, so awaiting this does not wait for them to finish).
   */
  const post = async (chunks: Iterable<string>): Promise<Promise<void>[]> => {
    const requests: Promise<void>[] = [];
    let batch = REGISTER_HEADER;
    let rows = 0;
    const flush = async () => {
      const request = await submit(batch);
      if (request) requests.push(request);
      batch = REGISTER_HEADER;
      rows = 0;
    };
    for (const chunk of chunks) {
      if (stopped) return requests;
      if (!chunk) continue;
      const lines = countLines(chunk);
      if (rows && rows + lines > ROWS_PER_POST) await flush();
      batch += chunk;
      rows += lines;
    }
    if (rows && !stopped) await flush();
    return requests;
  };

  const liveDate = liveDateFor(todayInLondon(now()), calendar);

  const ready = (async () => {
    const started = Date.now();
    const answer = await send('/api/v1/reference/schools', giasCsv(schools), 'admin');
    if (stopped) return;
    const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
    options.log(
      `${schools.length} schools with ${pupils} pupils in 153 LAs uploaded (SIM_SCALE=${options.scale}): ${answer?.slice(0, 200)}`,
    );
    const skipped = answer ? (JSON.parse(answer) as { skippedCount?: number }).skippedCount : 0;
    if (skipped) options.log(`ERROR: the API skipped ${skipped} simulated schools: a simulator or API bug`);
    const dates = historyDates(liveDate, options.historyDays, calendar);
    // The last school days come unsettled (N still pending, some late) and are amended once the rest is in.
    const unsettled: SchoolDay[] = [];
    const late: SchoolDay[] = [];
    const rng = mulberry32(hashSeed(seed, 'history', liveDate));
    for (const [i, date] of dates.entries()) {
      if (stopped) return;
      await post(
        (function* () {
          for (const school of schools) {
            if (i >= UNSETTLED.length) {
              yield dayRows(school, date, seed);
              continue;
            }
            const day = schoolDay(school, date, seed, -1 - i);
            for (const session of ['AM', 'PM'] as const) resolvePending(day, session, UNSETTLED[i], rng);
            unsettled.push(day);
            if (i === 0 && rng() < LATE_HISTORY_SHARE) late.push(day);
            else yield sessionRows(day, 'AM', seed) + sessionRows(day, 'PM', seed);
          }
        })(),
      );
      if ((i + 1) % 10 === 0 || i === dates.length - 1)
        options.log(`History: ${i + 1} of ${dates.length} school days posted (back to ${date})`);
    }
    // Amendments must not overtake the marks they amend: every history post is in first.
    await Promise.all(inFlight);
    await Promise.all(await post(late.map((day) => sessionRows(day, 'AM', seed) + sessionRows(day, 'PM', seed))));
    await Promise.all(await post(unsettled.map((day) => amendmentRows(day, ['AM', 'PM'], 1, rng, seed))));
    options.log(
      `History amended: ${late.length} late registers, then the N marks of the last ${Math.min(dates.length, UNSETTLED.length)} school days`,
    );
    options.log(`History in: ${dates.length} school days in ${Math.round((Date.now() - started) / 1000)} s`);
  })();

  void ready
    .then(() => !stopped && runLiveDay(0))
    .catch((error: unknown) => options.log(`ERROR: simulator stopped: ${(error as Error).stack ?? String(error)}`));

  /** One simulated school day on the accelerated clock; it starts again when it ends. */
  function runLiveDay(cycle: number): void {
    const rng = mulberry32(hashSeed(seed, 'schedule', liveDate, cycle));
    const events = liveEvents(
      schools.map((school) => schoolDay(school, liveDate, seed, cycle)),
      rng,
    );
    options.log(
      `Live school day ${liveDate} started (cycle ${cycle + 1}, ${options.speed}x: ${Math.round((DAY_END - DAY_START) / options.speed)} s)`,
    );
    const started = Date.now();
    let next = 0;
    const tick = async () => {
      const clock = DAY_START + ((Date.now() - started) / 1000) * options.speed;
      // Everything due in this real second goes in one post. A register and its own amendment due together go out
      // once, already amended: the API refuses a file with two codes for one pupil-session.
      const registers = new Map<SchoolDay, Session[]>();
      const amendments: string[] = [];
      while (next < events.length && events[next].at <= clock) {
        const { day, kind } = events[next++];
        if (kind === 'AM' || kind === 'PM') {
          registers.set(day, [...(registers.get(day) ?? []), kind]);
          continue;
        }
        // The office chases the morning's absences before lunch; some reasons are still unknown at the end of the day.
        const [sessions, share]: [Session[], number] = kind === 'amend-AM' ? [['AM'], 0.6] : [['AM', 'PM'], 0.85];
        for (const session of sessions) {
          if (registers.get(day)?.includes(session)) resolvePending(day, session, share, rng);
          else amendments.push(amendmentRows(day, [session], share, rng, seed));
        }
      }
      const rows = [...registers].map(([day, sessions]) =>
        sessions.map((session) => sessionRows(day, session, seed)).join(''),
      );
      // Wait for this second's posts to finish before the next: a later amendment must not overtake its N.
      await Promise.allSettled(await post([...rows, ...amendments]));
      if (stopped) return;
      if (clock >= DAY_END && next >= events.length) runLiveDay(cycle + 1);
      else timer = setTimeout(() => void (ticking = tick().catch(failed)), 1000);
    };
    ticking = tick().catch(failed);
  }

  function failed(error: unknown): void {
    options.log(`ERROR: live day stopped: ${(error as Error).stack ?? String(error)}`);
  }

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const wake of waiting.splice(0)) wake();
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([...inFlight, ready, ticking]);
    },
  };
}

/** A request the API will never take as it is: not retried. */
class Refused extends Error {}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
