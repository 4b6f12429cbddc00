// Environment is read here once, validated, and turned into one typed config object; nothing else reads process.env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TERM_CALENDAR, loadTermCalendar, type TermCalendar } from '../calendar/term-calendar.js';
import { isoDate } from '../contract/requests.js';

const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');

/** Every environment variable the server reads (README, Configuration). */
export const ENVIRONMENT = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_CLUSTER: z.string().regex(/^\w+$/, 'letters, digits and _ only').optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('attendance'),
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  // At most a week: a socket's disconnection timer is set from its token's expiry (and timers stop at 24.8 days).
  JWT_MAX_LIFETIME_HOURS: z.coerce.number().positive().max(168).default(24),
  PUPIL_KEY: z.string().min(32, 'at least 32 characters').optional(),
  UPN_KEY: z.string().min(32, 'at least 32 characters').optional(),
  REFERENCE_DIR: z.string().optional(),
  TERM_CALENDAR: z.string().optional(),
  SIMULATOR: onOff.default(false),
  WORKER: onOff.default(true),
  WORKER_BATCH: z.coerce.number().int().min(1).max(1000).default(200),
  RECONCILE_SECONDS: z.coerce.number().positive().default(60),
  RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
  AT_RISK_ATTENDANCE: z.coerce.number().min(50).max(100).default(97),
  MARK_DATES_FROM: isoDate.optional(),
  AUTH_MODE: z.enum(['dev', 'jwt']).default('jwt'),
  CORS_ORIGINS: z.string().default(''),
  LOG_FORMAT: z.enum(['text', 'json']).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  UPLOAD_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(120),
  KEEP_ALIVE_SECONDS: z.coerce.number().positive().max(3600).default(5),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SIM_SCALE: z.coerce.number().positive().max(1).default(0.01),
  SIM_SPEED: z.coerce.number().positive().default(60),
  SIM_HISTORY_DAYS: z.coerce.number().int().min(0).optional(),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  clickhouseUrl?: string;
  /** A ClickHouse cluster's name: the migrations shard the big tables and replicate the rest (warehouse/cluster.ts). */
  clickhouseCluster?: string;
  redisUrl: string;
  queuePrefix: string;
  jwtSecret: string;
  /** A token whose exp is further ahead than this is refused (401), however it was signed. */
  jwtMaxLifetimeHours: number;
  pupilKey: string;
  /** Secret for the AES-256-GCM encryption of UPNs (only pupil-level responses decrypt them). */
  upnKey: string;
  referenceDir: string;
  /** Term and half-term dates for frame=term and frame=half_term (TERM_CALENDAR, else England's typical dates). */
  termCalendar: TermCalendar;
  simulator: { enabled: boolean; scale: number; speed: number; historyDays?: number };
  worker: boolean;
  /** Roll-up jobs a worker takes at once and recomputes together (one recomputation at a time per worker). */
  workerBatch: number;
  /** How often a worker looks for (school, date) slices whose marks are newer than their roll-ups. */
  reconcileSeconds: number;
  /** Marks younger than this are left to the job their submission queued. */
  reconcileGraceSeconds: number;
  /** Early warning: a pupil attending under this percentage of sessions over the last four weeks is at risk. */
  atRiskAttendance: number;
  /** The first date a mark may carry; unset: 1 September of the previous academic year, moving with today. */
  markDatesFrom?: string;
  authMode: 'dev' | 'jwt';
  /**
   * Other origins whose pages may call the API from a browser (the dashboard itself is same-origin); none by default.
   */
  corsOrigins: string[];
  /** Requests a minute per token (per address without one), above which the answer is 429. */
  rateLimitPerMinute: number;
  /** A request's headers must arrive within this, and then its body within this again (uploads excepted); else 408. */
  requestTimeoutSeconds: number;
  /** A register or GIAS upload must arrive within this of its start: 50 MB in 120 s needs about 3.5 Mbit/s. */
  uploadTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this (longer than a load balancer's idle timeout in front). */
  keepAliveSeconds: number;
  /** Where Prometheus scrapes /metrics, on HOST; never the public PORT. Unset: no metrics are served. */
  metricsPort?: number;
  /** json: one JSON object a line (pino; the default in production), text: Nest's coloured lines. */
  logFormat: 'text' | 'json';
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ENVIRONMENT.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.JWT_SECRET) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  if (production && !e.PUPIL_KEY) throw new ConfigError('PUPIL_KEY is required when NODE_ENV=production');
  if (production && !e.UPN_KEY) throw new ConfigError('UPN_KEY is required when NODE_ENV=production');
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError('METRICS_PORT must differ from PORT: the metrics are not served on the public port');
  }
  if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL)
    throw new ConfigError('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL (a cluster is never embedded)');
  if (production && e.AUTH_MODE === 'dev') throw new ConfigError('AUTH_MODE=dev is never allowed in production');
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    clickhouseUrl: e.CLICKHOUSE_URL,
    clickhouseCluster: e.CLICKHOUSE_CLUSTER,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    // Outside production a fresh secret per process is fine: dev tokens are handed out by the server itself.
    jwtSecret: e.JWT_SECRET ?? randomBytes(32).toString('hex'),
    jwtMaxLifetimeHours: e.JWT_MAX_LIFETIME_HOURS,
    // The pupil key must outlive restarts (it is how a pupil's later marks replace earlier ones): keep it with the
    // data.
    pupilKey: e.PUPIL_KEY ?? persistentSecret(join(dataDir, 'pupil-key')),
    upnKey: e.UPN_KEY ?? persistentSecret(join(dataDir, 'upn-key')),
    referenceDir: resolve(
      e.REFERENCE_DIR ?? (existsSync('../shared/data/geo') ? '../shared/data/geo' : 'data/reference'),
    ),
    termCalendar: termCalendar(resolve(e.TERM_CALENDAR ?? DEFAULT_TERM_CALENDAR)),
    simulator: { enabled: e.SIMULATOR, scale: e.SIM_SCALE, speed: e.SIM_SPEED, historyDays: e.SIM_HISTORY_DAYS },
    worker: e.WORKER,
    workerBatch: e.WORKER_BATCH,
    reconcileSeconds: e.RECONCILE_SECONDS,
    reconcileGraceSeconds: e.RECONCILE_GRACE_SECONDS,
    atRiskAttendance: e.AT_RISK_ATTENDANCE,
    markDatesFrom: e.MARK_DATES_FROM,
    authMode: e.AUTH_MODE,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    requestTimeoutSeconds: e.REQUEST_TIMEOUT_SECONDS,
    // Never shorter than an ordinary request's: Node's headers deadline may not exceed its request deadline.
    uploadTimeoutSeconds: Math.max(e.UPLOAD_TIMEOUT_SECONDS, e.REQUEST_TIMEOUT_SECONDS),
    keepAliveSeconds: e.KEEP_ALIVE_SECONDS,
    metricsPort: e.METRICS_PORT,
    logFormat: e.LOG_FORMAT ?? (production ? 'json' : 'text'),
  };
}

function termCalendar(path: string): TermCalendar {
  try {
    return loadTermCalendar(path);
  } catch (error) {
    throw new ConfigError(`TERM_CALENDAR: ${(error as Error).message}`);
  }
}

function persistentSecret(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(path, 'utf8').trim();
}

export const APP_CONFIG = Symbol('AppConfig');
