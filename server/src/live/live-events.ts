// The socket.io contract of namespace /live, shared by the server gateway and the Vue client.

export const LIVE_NAMESPACE = '/live';

export type Level = 'national' | 'regional' | 'la' | 'school';
export const LEVELS: readonly Level[] = ['national', 'regional', 'la', 'school'];

/** code: region GSS code (regional), 3-digit LA code (la), URN (school); omitted for national. */
export interface SubscribeRequest {
  level: Level;
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

/** Early warning (api-contract's SchoolAlert, in brief): sent only to sockets whose user may see the school. */
export interface LiveAlert {
  urn: number;
  name: string;
  laCode: string;
  date: string;
  todayPerc: number;
  expectedPerc: number;
}

export interface ServerToClientEvents {
  measures: (payload: LiveMeasures) => void;
  alert: (payload: LiveAlert) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
}

export const NATIONAL_CODE = 'E92000001';
