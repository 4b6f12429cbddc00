import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { RollupQueue } from '../rollup/rollup.queue.js';
import { EngineRepository } from '../warehouse/engine.repository.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly engine: EngineRepository,
    private readonly rollups: RollupQueue,
  ) {}

  /** Liveness: the process answers (restart it if not). */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when ClickHouse and Redis both answer; 503 with which one did not (send no traffic). */
  @Get(['', 'ready'])
  @HealthCheck()
  check() {
    return this.health.check([
      () =>
        this.indicators
          .check('clickhouse')
          .attempt(async () => {
            if (!(await this.engine.answers())) throw new Error('ClickHouse did not answer');
          })
          .withTimeout(3000),
      () =>
        this.indicators
          .check('redis')
          .attempt(async () => {
            if (!(await this.rollups.ping())) throw new Error('Redis did not answer PONG');
          })
          .withTimeout(3000),
    ]);
  }
}
