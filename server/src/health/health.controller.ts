import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { RollupQueue } from '../rollup/rollup.queue.js';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
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
      () => this.indicators.check('clickhouse').attempt(async () => void (await this.warehouse.query('SELECT 1'))).withTimeout(3000),
      () => this.indicators.check('redis').attempt(async () => {
        if (!(await this.rollups.ping())) throw new Error('Redis did not answer PONG');
      }).withTimeout(3000),
    ]);
  }
}
