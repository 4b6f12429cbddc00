// The socket.io contract of namespace /live, shared by the server gateway and the Vue client.
import { SESSION_COUNT_COLUMNS, type CountColumn, type RateColumn } from './ees.js';
import type { Level, RoomLevel } from './vocabulary.js';

export const LIVE_NAMESPACE = '/live';

/** A room is sent at most one `measures` push this often (under a steady load a change waits half of it on average). */
export const PUSH_INTERVAL_MS = 250;

/**
 * code: region GSS code (regional), 3-digit LA code (la), URN (school), GIAS trust code (trust); omitted for national.
 */
export interface SubscribeRequest {
  level: RoomLevel;
  code?: string;
}

export type SubscribeAck = { ok: true } | { ok: false; error: string };

/**
 * A page refetches what a push does not carry at most this often, however many pushes and early warnings arrive (the
 * first after a quiet spell at once): the latest day's figures come in the pushes themselves.
 */
export const LIVE_REFETCH_MS = 30_000;

/** The columns of an area's day a push carries: the EES counts and rates. */
export const DAY_COLUMNS = [
  ...SESSION_COUNT_COLUMNS,
  'reason_n_no_reason_yet',
  'attendance_perc',
  'overall_absence_perc',
  'authorised_absence_perc',
  'unauthorised_absence_perc',
  'illness_perc',
  'unauth_not_yet_perc',
] as const satisfies readonly (CountColumn | RateColumn)[];

/** An area's figures for one day as an answer shows them to this viewer: a suppressed cell is 'c'. */
export type DayFigures = Partial<Record<(typeof DAY_COLUMNS)[number], number | string | null>>;

/**
 * Figures for one room and one date (compulsory-age pupils, all phases), pushed after a roll-up changed them, computed
 * once per room and viewer class: each socket gets its class's.
 */
export interface LiveMeasures {
  level: Level;
  code: string;
  date: string;
  /** null where the figures are suppressed (c) for this viewer. */
  possible_sessions: number | null;
  attendance_perc: number | null;
  overall_absence_perc: number | null;
  authorised_absence_perc: number | null;
  unauthorised_absence_perc: number | null;
  /** The room's area on the day, as `GET /api/v1/measures?level=&code=&from=date&to=date&phase=Total` shows it. */
  figures: DayFigures;
  /** An LA room's: its region's and England's figures on the same day (the LA page sets them beside the LA's). */
  region?: DayFigures;
  england?: DayFigures;
  updatedAt: string;
}

/** Early warning (api.ts's SchoolAlert, in brief): sent only to sockets whose user may see the school. */
export interface LiveAlert {
  urn: number;
  name: string;
  laCode: string;
  date: string;
  todayPerc: number;
  expectedPerc: number;
}

/** Early warning: a school has more pupils at risk than when last told today (pupils/early-warning.ts). */
export interface LivePupilAlert {
  urn: number;
  name: string;
  laCode: string;
  date: string;
  /** null where under 10 and the user has no pupil-level rights to the school. */
  atRisk: number | null;
  threshold: number;
}

export interface ServerToClientEvents {
  measures: (payload: LiveMeasures) => void;
  alert: (payload: LiveAlert) => void;
  pupils: (payload: LivePupilAlert) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
}
