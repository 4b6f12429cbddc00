// Simulated schools' MIS feeds: they post their registers through the real ingestion API, as real feeds would.
// First the history since 1 September (most recent days first), then a live school day on an accelerated clock:
// morning registers 08:40-10:00, afternoon registers 13:10-14:00, and "no reason yet" (N) marks amended through the
// afternoon. When the simulated day ends it starts again, with fresh amendments, so the demo keeps moving.
import { academicYearStart, addDays, isoWeekday, todayInLondon } from '../../server/src/common/dates.js';
import { hashSeed, mulberry32 } from './random.js';
import { amendmentRows, REGISTER_HEADER, schoolDay, sessionRows, type SchoolDay } from './registers.js';
import { giasCsv, syntheticSchools, type SimSchool } from './synthetic-schools.js';

export interface SimulatorOptions {
  baseUrl: string;
  tokenFor(role: 'admin' | 'submitter', scope: string): string;
  /** Share of England's pupils simulated (SIM_SCALE). */
  scale: number;
  /** Simulated seconds per real second (SIM_SPEED). */
  speed: number;
  /** School days of history to post before going live (default: every school day since 1 September). */
  historyDays?: number;
  seed?: number;
  log(message: string): void;
  now?: () => Date;
}

export interface Simulator {
  ready: Promise<void>;
  stop(): Promise<void>;
}

const ROWS_PER_POST = 60_000;
const MAX_IN_FLIGHT = 2;
const DAY_START = 8.5 * 3600;
const DAY_END = 15.5 * 3600;

/** Mon-Fri, not in October half term (the last full Monday-Friday week of October). */
export function isSchoolDay(date: string): boolean {
  if (isoWeekday(date) > 5) return false;
  if (date.slice(5, 7) !== '10') return true;
  const year = Number(date.slice(0, 4));
  let lastFriday = `${year}-10-31`;
  while (isoWeekday(lastFriday) !== 5) lastFriday = addDays(lastFriday, -1);
  return date < addDays(lastFriday, -4) || date > lastFriday;
}

/** The live date: today if it is a school day, else the most recent one. */
export function liveDateFor(today: string): string {
  let date = today;
  while (!isSchoolDay(date)) date = addDays(date, -1);
  return date;
}

export function historyDates(liveDate: string, limit?: number): string[] {
  const dates: string[] = [];
  for (let date = addDays(liveDate, -1); date >= academicYearStart(liveDate); date = addDays(date, -1)) {
    if (isSchoolDay(date)) dates.push(date);
    if (limit !== undefined && dates.length >= limit) break;
  }
  return dates;
}

export function startSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const schools = syntheticSchools(options.scale, seed);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  const send = async (path: string, body: string, role: 'admin' | 'submitter'): Promise<void> => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const response = await fetch(`${options.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${options.tokenFor(role, '*')}` },
          body,
        });
        if (response.ok) return;
        const text = await response.text();
        if (response.status < 500) {
          // A refused file is a bug in the simulator or the server: say so loudly, do not retry it.
          options.log(`REFUSED ${path} (${response.status}): ${text.slice(0, 1000)}`);
          return;
        }
      } catch {
        // The server is starting or busy: retried below.
      }
      await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
    }
  };

  /** Posts registers in batches of whole schools, at most MAX_IN_FLIGHT at once. */
  const post = async (rows: string[]): Promise<void> => {
    let batch = '';
    let count = 0;
    const flush = async () => {
      if (!count) return;
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const request = send('/api/v1/submissions', REGISTER_HEADER + batch, 'submitter').finally(() => inFlight.delete(request));
      inFlight.add(request);
      batch = '';
      count = 0;
    };
    for (const chunk of rows) {
      if (!chunk) continue;
      batch += chunk;
      count += chunk.length / 60;
      if (count >= ROWS_PER_POST) await flush();
    }
    await flush();
  };

  const liveDate = liveDateFor(todayInLondon(now()));

  const ready = (async () => {
    await send('/api/v1/reference/schools', giasCsv(schools), 'admin');
    const pupils = schools.reduce((sum, s) => sum + s.pupils, 0);
    options.log(`${schools.length} schools with ${pupils} pupils in 153 LAs registered (SIM_SCALE=${options.scale})`);
    const dates = historyDates(liveDate, options.historyDays);
    for (const [i, date] of dates.entries()) {
      if (stopped) return;
      await post(schools.map((school) => {
        const day = schoolDay(school, date, seed);
        return sessionRows(day, 'AM', seed) + sessionRows(day, 'PM', seed);
      }));
      if ((i + 1) % 10 === 0 || i === dates.length - 1) options.log(`History: ${i + 1} of ${dates.length} school days posted`);
    }
    await Promise.all(inFlight);
  })();

  void ready.then(() => !stopped && runLiveDay(0)).catch((error: unknown) => options.log(`Simulator stopped: ${(error as Error).message}`));

  /** One simulated school day on the accelerated clock; it starts again when it ends. */
  function runLiveDay(cycle: number): void {
    const rng = mulberry32(hashSeed(seed, 'schedule', liveDate, cycle));
    const days = new Map<number, SchoolDay>(schools.map((s) => [s.urn, schoolDay(s, liveDate, seed, cycle)]));
    const events = schools
      .flatMap((school: SimSchool) => [
        { at: 8 * 3600 + 40 * 60 + rng() * 80 * 60, urn: school.urn, kind: 'AM' as const },
        { at: 13 * 3600 + 10 * 60 + rng() * 50 * 60, urn: school.urn, kind: 'PM' as const },
        { at: 10.5 * 3600 + rng() * 2 * 3600, urn: school.urn, kind: 'amend' as const },
        { at: 14 * 3600 + rng() * 1.5 * 3600, urn: school.urn, kind: 'amend' as const },
      ])
      .sort((a, b) => a.at - b.at);
    options.log(`Live school day ${liveDate} (cycle ${cycle + 1}) at ${options.speed}x`);
    const started = Date.now();
    let next = 0;
    const tick = () => {
      if (stopped) return;
      const clock = DAY_START + ((Date.now() - started) / 1000) * options.speed;
      const due: string[] = [];
      while (next < events.length && events[next].at <= clock) {
        const event = events[next++];
        const day = days.get(event.urn)!;
        // The amendment in the morning completes half the pending reasons, the afternoon one the rest.
        due.push(event.kind === 'amend' ? amendmentRows(day, event.at < 12 * 3600 ? 0.5 : 1, seed, rng) : sessionRows(day, event.kind, seed));
      }
      const sending = due.length ? post(due) : Promise.resolve();
      if (clock >= DAY_END && next >= events.length) void sending.then(() => !stopped && runLiveDay(cycle + 1));
      else timer = setTimeout(tick, 1000);
    };
    tick();
  }

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
