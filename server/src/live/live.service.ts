import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisConnection } from '../../../pipelines/rollup/redis.js';
import { ROLLUP_QUEUE, type RollupResult } from '../../../pipelines/rollup/rollup.types.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MeasuresService, MIN_CELL } from '../measures/measures.service.js';
import { SERVER, seesAllPupils, seesPupils, seesPupilsInLa } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { EesRow } from '../api-contract.js';
import { Metrics } from '../metrics/metrics.js';
import { PupilsService } from '../pupils/pupils.service.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { NATIONAL_CODE, type Level, type LiveMeasures } from './live-events.js';
import { LiveGateway, roomOf } from './live.gateway.js';

const MIN_INTERVAL_MS = 1000;
/** A school's register is checked for an alert at most this often (its later marks are caught by the next check). */
const ALERT_CHECK_MS = 5_000;

interface RoomState {
  level: Level;
  code: string;
  date: string;
  /** When the last push was sent: the next one waits until a second after it. */
  lastPush: number;
  /** A push is scheduled or being computed; changes meanwhile are picked up by it or by the one after. */
  busy: boolean;
  dirty: boolean;
  /** When the first change not yet pushed arrived (the push latency metric). */
  changedAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Turns finished roll-ups (from any worker process, via BullMQ's queue events) into `measures` pushes:
 * at most one per room per second, always with the figures as they are when sent.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private readonly rooms = new Map<string, RoomState>();
  /** Schools waiting for an alert check, and what was sent today (urn -> today's rate; urn -> pupils at risk). */
  private readonly alertChecks = new Map<number, NodeJS.Timeout>();
  private readonly alerted = new Map<number, number>();
  private readonly pupilsAlerted = new Map<number, number>();
  private alertedDate = '';
  private events?: QueueEvents;
  private connection?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gateway: LiveGateway,
    private readonly measures: MeasuresService,
    private readonly alerts: AlertsService,
    private readonly schools: SchoolsRepository,
    private readonly metrics: Metrics,
    private readonly pupils: PupilsService,
    private readonly summaries: SchoolComparisonService,
  ) {}

  onModuleInit(): void {
    this.connection = redisConnection(this.config.redisUrl, 'worker');
    this.events = new QueueEvents(ROLLUP_QUEUE, { connection: this.connection, prefix: this.config.queuePrefix });
    this.events.on('completed', ({ returnvalue }) => this.changed(returnvalue as unknown as RollupResult | string));
    this.events.on('error', (error) => this.logger.warn(`Queue events: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    for (const room of this.rooms.values()) clearTimeout(room.timer);
    for (const timer of this.alertChecks.values()) clearTimeout(timer);
    await this.events?.close();
    this.connection?.disconnect();
  }

  changed(result: RollupResult | string): void {
    const { changed } = typeof result === 'string' ? (JSON.parse(result) as RollupResult) : result;
    for (const c of changed) {
      this.mark('national', NATIONAL_CODE, c.date);
      if (c.regionCode) this.mark('regional', c.regionCode, c.date);
      if (c.laCode) this.mark('la', c.laCode, c.date);
      this.mark('school', String(c.urn), c.date);
      if (c.date === todayInLondon()) this.checkAlert(c.urn, c.date);
    }
  }

  /**
   * Checks a school's register today against its history, and counts its pupils at risk: a new alert (or a worse one),
   * or more pupils at risk than last told, is pushed once.
   */
  private checkAlert(urn: number, date: string): void {
    if (this.alertChecks.has(urn)) return;
    this.alertChecks.set(
      urn,
      setTimeout(async () => {
        this.alertChecks.delete(urn);
        try {
          if (date !== this.alertedDate) {
            this.alerted.clear();
            this.pupilsAlerted.clear();
            this.alertedDate = date;
          }
          for (const alert of await this.alerts.find(date, [urn])) {
            if ((this.alerted.get(urn) ?? -1) >= alert.todayPerc) continue;
            this.alerted.set(urn, alert.todayPerc);
            await this.gateway.pushAlert(alert);
          }
          const atRisk = (await this.pupils.atRiskCounts([urn], date)).get(urn) ?? 0;
          const school = (await this.summaries.summaries([urn])).get(urn);
          if (school && atRisk > (this.pupilsAlerted.get(urn) ?? 0)) {
            this.pupilsAlerted.set(urn, atRisk);
            await this.gateway.pushPupils(school, date, atRisk, this.pupils.threshold);
          }
        } catch (error) {
          this.logger.warn(`Alert check for ${urn} failed: ${(error as Error).message}`);
        }
      }, ALERT_CHECK_MS),
    );
  }

  private mark(level: Level, code: string, date: string): void {
    const name = roomOf(level, code);
    if (!this.gateway.hasSubscribers(name)) return;
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = { level, code, date, lastPush: 0, busy: false, dirty: false, changedAt: 0 }));
    if (date >= room.date) room.date = date;
    if (!room.dirty) room.changedAt = Date.now();
    room.dirty = true;
    if (!room.busy) this.schedule(name, room);
  }

  private schedule(name: string, room: RoomState): void {
    room.busy = true;
    room.timer = setTimeout(() => void this.push(name, room), Math.max(0, room.lastPush + MIN_INTERVAL_MS - Date.now()));
  }

  /** The figures a room is sent; a suppressed (c) figure is null. */
  private payload(room: RoomState, row: EesRow): LiveMeasures {
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      level: room.level,
      code: room.code,
      date: room.date,
      possible_sessions: num(row.possible_sessions),
      attendance_perc: num(row.attendance_perc),
      overall_absence_perc: num(row.overall_absence_perc),
      authorised_absence_perc: num(row.authorised_absence_perc),
      unauthorised_absence_perc: num(row.unauthorised_absence_perc),
      updatedAt: new Date().toISOString(),
    };
  }

  private async push(name: string, room: RoomState): Promise<void> {
    room.dirty = false;
    const changedAt = room.changedAt;
    try {
      await this.send(name, room);
      this.metrics.pushLatency.observe((Date.now() - changedAt) / 1000);
    } catch (error) {
      this.logger.warn(`Live push to ${name} failed: ${(error as Error).message}`);
    } finally {
      room.lastPush = Date.now();
      room.busy = false;
      if (room.dirty) this.schedule(name, room);
    }
  }

  private async send(name: string, room: RoomState): Promise<void> {
    const code = room.level === 'national' ? undefined : room.code;
    const query = { level: room.level, code, from: room.date, to: room.date, phase: 'Total' as const };
    // Area rooms carry the public figures; where those are suppressed, viewers with pupil-level rights to the area get
    // the figures themselves. School rooms admit only viewers entitled to the school, but a small school's figures go
    // only to those with pupil-level rights to it.
    const shown = room.level === 'school' ? undefined : (await this.measures.measures(query)).rows[0];
    if (shown && shown.possible_sessions !== 'c') return this.gateway.push(name, this.payload(room, shown));
    const full = (await this.measures.measures(query, SERVER)).rows[0];
    if (!full) return;
    const small = room.level === 'school' && Number(full.enrolments) < MIN_CELL;
    if (!shown && !small) return this.gateway.push(name, this.payload(room, full));
    const school = room.level === 'school' ? await this.schools.find(Number(code)) : null;
    const entitled = (viewer?: Principal) =>
      room.level === 'school' ? !!school && seesPupils(viewer, { urn: Number(code), laCode: school.la_code, trustCode: school.trust_code })
      : room.level === 'la' ? seesPupilsInLa(viewer, room.code) : seesAllPupils(viewer);
    await this.gateway.pushEach(name, (viewer) => (entitled(viewer) ? this.payload(room, full) : shown ? this.payload(room, shown) : null));
  }
}
