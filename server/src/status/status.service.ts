import { Inject, Injectable } from '@nestjs/common';
import { AnswerCache } from '../answers/answer-cache.js';
import { academicYearStart, todayInLondon } from '../common/dates.js';
import { latestSchoolDayIn } from '../calendar/term-calendar.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Coverage, Status } from '../contract/api.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { MeasuresRepository } from '../rollup/measures.repository.js';
import { RollupQueue } from '../rollup/rollup.queue.js';

/** Where the service stands: the day, the latest marks, how many schools have sent them, the roll-ups still to do. */
@Injectable()
export class StatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly measures: MeasuresRepository,
    private readonly schools: SchoolsRepository,
    private readonly rollups: RollupQueue,
    private readonly answers: AnswerCache,
  ) {}

  /** Which schools have sent a day's registers, by LA and phase, against the school list. */
  async coverage(date?: string): Promise<Coverage> {
    const day = date ?? (await this.measures.latestDate());
    return { date: day, rows: day ? await this.schools.coverage(day) : [] };
  }

  async status(): Promise<Status> {
    const today = todayInLondon();
    const [[latest, schoolsInRegister], jobs] = await Promise.all([
      // Every page asks it with its figures: one computation for every viewer until a roll-up changes any day (or the
      // school list changes); the roll-ups still to do are counted afresh each time.
      this.answers.answer('status', undefined, {}, () =>
        Promise.all([this.measures.latestDay(), this.schools.countOpen()]),
      ),
      this.rollups.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    ]);
    const latestDate = latest?.date ?? null;
    return {
      today,
      schoolDay: latestDate && latestDate >= today ? today : latestSchoolDayIn(this.config.termCalendar, today),
      latestDate,
      academicYearStart: academicYearStart(today),
      schoolsInRegister,
      schoolsSubmitted: { date: latestDate, count: latest?.schools ?? 0 },
      authMode: this.config.authMode,
      pendingRollups: Object.values(jobs).reduce((a, b) => a + b, 0),
    };
  }
}
