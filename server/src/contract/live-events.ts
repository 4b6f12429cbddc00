// The socket.io contract of namespace /live, shared by the server gateway and the Vue client.
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

/** Figures for one room and one date (compulsory-age pupils, all phases), pushed after a roll-up changed them. */
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
