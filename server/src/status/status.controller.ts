import { Controller, Get, Inject } from '@nestjs/common';
import { ApiRoute } from '../common/api-docs.js';
import { ROUTES } from '../contract/routes.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RollupQueue } from '../rollup/rollup.queue.js';
import { academicYearStart, todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MeasuresRepository } from '../rollup/measures.repository.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import type { Status } from '../contract/api.js';


@ApiTags('status')
@Controller('api/v1/status')
export class StatusController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly measures: MeasuresRepository,
    private readonly schools: SchoolsRepository,
    private readonly rollups: RollupQueue,
  ) {}

  @Get()
  @ApiRoute(ROUTES.status)
  @ApiOperation({ summary: 'Today, the latest school day with marks, and how many schools have submitted for it' })
  async status(): Promise<Status> {
    const today = todayInLondon();
    const [latestDate, schoolsInRegister, jobs] = await Promise.all([
      this.measures.latestDate(),
      this.schools.countOpen(),
      this.rollups.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    ]);
    return {
      today,
      latestDate,
      academicYearStart: academicYearStart(today),
      schoolsInRegister,
      schoolsSubmitted: { date: latestDate, count: latestDate ? await this.measures.schoolsSubmitted(latestDate) : 0 },
      authMode: this.config.authMode,
      pendingRollups: Object.values(jobs).reduce((a, b) => a + b, 0),
    };
  }
}
