import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisConnection } from '../rollup/redis.js';
import { RollupService } from '../rollup/rollup.service.js';
import { ROLLUP_QUEUE, type RollupResult } from '../rollup/rollup.types.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { AnswerCache } from '../answers/answer-cache.js';
import { todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MeasuresService } from '../measures/measures.service.js';
import { OVERSIGHT, SERVER, seesPupils, seesPupilsInLa } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { LA_BY_CODE } from '../reference/local-authorities.js';
import { Metrics } from '../metrics/metrics.js';
import { PupilsService } from '../pupils/pupils.service.js';
import { SchoolsRepository, type ListedSchool } from '../reference/schools.repository.js';
import { SchoolComparisonService } from '../schools/school-comparison.service.js';
import { LiveGateway, roomOf } from './live.gateway.js';
import type { EesRow } from '../contract/ees.js';
import { type Level, NATIONAL_CODE } from '../contract/vocabulary.js';
import { DAY_COLUMNS, type DayFigures, type LiveMeasures, PUSH_INTERVAL_MS } from '../contract/live-events.js';

/** Schools' registers are checked for alerts at most this often (later marks are caught by the next check). */
const ALERT_CHECK_MS = 5_000;

interface RoomState {
  level: Level;
  code: string;
  date: string;
  /** When the last push was sent: the next one waits until PUSH_INTERVAL_MS after it. */
  lastPush: number;
  /** A push is scheduled or being computed; changes meanwhile are picked up by it or by the one after. */
  busy: boolean;
  dirty: boolean;
  /** When the first change not yet pushed arrived (the push latency metric). */
  changedAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Turns finished daily roll-ups (from any worker process, via BullMQ's queue events) into `measures` pushes:
 * at most four a second per room, always with the figures as they are when sent.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private readonly rooms = new Map<string, RoomState>();
  /**
   * Schools waiting for an alert check (one check at a time), and what was sent today (urn -> today's rate; urn ->
   * pupils at risk).
   */
  private readonly alertPending = new Set<number>();
  private alertTimer?: NodeJS.Timeout;
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
    private readonly answers: AnswerCache,
    private readonly rollups: RollupService,
  ) {}

  onModuleInit(): void {
    // A worker in this process: the days' answers are stale as soon as their roll-ups are rewritten.
    this.rollups.onWritten((dates) => this.answers.changedDays(dates));
    this.connection = redisConnection(this.config.redisUrl, 'worker');
    this.events = new QueueEvents(ROLLUP_QUEUE, { connection: this.connection, prefix: this.config.queuePrefix });
    // A roll-up job reports its daily roll-ups' changes as progress, before its weeks and years are recomputed.
    // The days' answers are stale from here: before the push, so a page asking after it gets the new figures.
    this.events.on('progress', ({ data }) => {
      const result = parsed(data as unknown as RollupResult | string);
      this.answers.changedDays(result.changed.map((c) => c.date));
      void this.changed(result);
    });
    // The job's breakdowns, months and longer periods are done: the same days' answers that read them are stale.
    this.events.on('completed', ({ returnvalue }) => {
      const result: RollupResult | undefined = returnvalue ? parsed(returnvalue as RollupResult | string) : undefined;
      if (result?.changed) this.answers.changedDays(result.changed.map((c) => c.date));
    });
    this.events.on('error', (error) => this.logger.warn(`Queue events: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    for (const room of this.rooms.values()) clearTimeout(room.timer);
    clearTimeout(this.alertTimer);
    await this.events?.close();
    this.connection?.disconnect();
  }

  async changed(result: RollupResult | string): Promise<void> {
    const { changed } = parsed(result);
    const register = await this.schools.list().catch((error: Error) => {
      this.logger.warn(`Schools' areas unavailable, pushing national and school figures only: ${error.message}`);
      return new Map<number, ListedSchool>();
    });
    for (const c of changed) {
      const area = register.get(c.urn);
      this.mark('national', NATIONAL_CODE, c.date);
      if (area?.regionCode) this.mark('regional', area.regionCode, c.date);
      if (area?.laCode) this.mark('la', area.laCode, c.date);
      this.mark('school', String(c.urn), c.date);
      if (c.date === todayInLondon()) this.checkAlert(c.urn, c.date);
    }
  }

  /**
   * Checks schools' registers today against their history, and counts their pupils at risk: a new alert (or a worse
   * one), or more pupils at risk than last told, is pushed once. The schools that changed meanwhile are checked
   * together.
   */
  private checkAlert(urn: number, date: string): void {
    this.alertPending.add(urn);
    this.alertTimer ??= setTimeout(() => void this.checkAlerts(date), ALERT_CHECK_MS);
  }

  private async checkAlerts(date: string): Promise<void> {
    const urns = [...this.alertPending];
    this.alertPending.clear();
    try {
      if (date !== this.alertedDate) {
        this.alerted.clear();
        this.pupilsAlerted.clear();
        this.alertedDate = date;
      }
      const found = await this.alerts.find(date, urns);
      const shown = await this.alerts.shownToOversight(
        date,
        found.map((a) => a.school.urn),
      );
      for (const alert of found) {
        if ((this.alerted.get(alert.school.urn) ?? -1) >= alert.todayPerc) continue;
        this.alerted.set(alert.school.urn, alert.todayPerc);
        await this.gateway.pushAlert(alert, shown.has(alert.school.urn));
      }
      const atRisk = await this.pupils.atRiskCounts(urns, date);
      const schools = await this.summaries.summaries(urns);
      for (const urn of urns) {
        const count = atRisk.get(urn) ?? 0;
        const school = schools.get(urn);
        if (!school || count <= (this.pupilsAlerted.get(urn) ?? 0)) continue;
        this.pupilsAlerted.set(urn, count);
        await this.gateway.pushPupils(school, date, count, this.pupils.threshold);
      }
    } catch (error) {
      this.logger.warn(`Alert check for ${urns.length} school(s) failed: ${(error as Error).message}`);
    } finally {
      this.alertTimer = this.alertPending.size
        ? setTimeout(() => void this.checkAlerts(todayInLondon()), ALERT_CHECK_MS)
        : undefined;
    }
  }

  private mark(level: Level, code: string, date: string): void {
    const name = roomOf(level, code);
    if (!this.gateway.hasSubscribers(name)) return;
    let room = this.rooms.get(name);
    if (!room)
      this.rooms.set(name, (room = { level, code, date, lastPush: 0, busy: false, dirty: false, changedAt: 0 }));
    if (date >= room.date) room.date = date;
    if (!room.dirty) room.changedAt = Date.now();
    room.dirty = true;
    if (!room.busy) this.schedule(name, room);
  }

  private schedule(name: string, room: RoomState): void {
    room.busy = true;
    room.timer = setTimeout(
      () => void this.push(name, room),
      Math.max(0, room.lastPush + PUSH_INTERVAL_MS - Date.now()),
    );
  }

  /** The figures a room is sent; a suppressed (c) figure is null in the flat fields and 'c' in `figures`. */
  private payload(room: RoomState, row: EesRow, areas?: { region?: EesRow; england?: EesRow }): LiveMeasures {
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
      figures: figuresOf(row),
      ...(areas?.region && { region: figuresOf(areas.region) }),
      ...(areas?.england && { england: figuresOf(areas.england) }),
      updatedAt: new Date().toISOString(),
    };
  }

  /**
   * An area's day as `viewer`'s class is shown it. Areas are read a level at a time (every LA's day in one answer, as
   * the disclosure layer works a question out over all of England anyway), computed once per level, day and class
   * however many rooms and sockets ask (the shared answers: every LA room's England and its LA's row come from the
   * same two answers), until a roll-up changes the day. A school's day is its own question.
   */
  private async day(
    level: Level,
    code: string | undefined,
    date: string,
    viewer?: Principal,
  ): Promise<EesRow | undefined> {
    const one = level === 'school';
    const query = { level, code: one ? code : undefined, from: date, to: date, phase: 'Total' as const };
    const answer = await this.answers.answer(
      `live ${level} ${one ? code : ''} ${date}`,
      viewer,
      { from: date, to: date },
      () => this.measures.measures(query, viewer),
    );
    if (one || level === 'national') return answer.rows[0];
    const column = level === 'la' ? 'old_la_code' : 'region_code';
    return answer.rows.find((row) => row[column] === code && (row.possible_sessions ?? 0) !== 0);
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
    const { level, date } = room;
    // Each viewer gets the day's figures as every answer would show them to it: school rooms hold those with
    // pupil-level rights to the school (in full) and DfE and Ofsted (as the school-level suppression shows them);
    // area rooms carry the public figures, and where those are hidden, an LA's own users get their LA's in full.
    if (level === 'school') {
      const [full, oversight, register] = await Promise.all([
        this.day(level, code, date, SERVER),
        this.day(level, code, date, OVERSIGHT),
        this.schools.list(),
      ]);
      const school = register.get(Number(code));
      if (!full || !school) return;
      // One payload per class, not per socket.
      const inFull = this.payload(room, full);
      const seen = oversight?.possible_sessions === 'c' || !oversight ? null : this.payload(room, oversight);
      return this.gateway.pushEach(name, (viewer) => (seesPupils(viewer, school) ? inFull : seen));
    }
    // An LA page sets its region and England beside the LA: public figures, the same for every viewer of the room.
    const regionCode = level === 'la' ? LA_BY_CODE.get(room.code)?.regionCode : undefined;
    const [shown, region, england] = await Promise.all([
      this.day(level, code, date),
      regionCode ? this.day('regional', regionCode, date) : undefined,
      level === 'la' ? this.day('national', undefined, date) : undefined,
    ]);
    const areas = { region, england };
    if (shown && shown.possible_sessions !== 'c') return this.gateway.push(name, this.payload(room, shown, areas));
    if (level !== 'la') return shown && this.gateway.push(name, this.payload(room, shown));
    const full = await this.day(level, code, date, SERVER);
    if (!full) return;
    const inFull = this.payload(room, full, areas);
    const asShown = shown ? this.payload(room, shown, areas) : null;
    await this.gateway.pushEach(name, (viewer) => (seesPupilsInLa(viewer, room.code) ? inFull : asShown));
  }
}

function parsed(result: RollupResult | string): RollupResult {
  return typeof result === 'string' ? (JSON.parse(result) as RollupResult) : result;
}

function figuresOf(row: EesRow): DayFigures {
  return Object.fromEntries(DAY_COLUMNS.map((column) => [column, row[column] ?? null]));
}
