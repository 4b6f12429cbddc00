import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ChdbWarehouse } from './chdb-warehouse.js';
import { EngineRepository } from './engine.repository.js';
import { migrate } from './migrations.js';
import { ServerWarehouse } from './server-warehouse.js';
import { WAREHOUSE, type Warehouse } from './warehouse.js';

@Global()
@Module({
  providers: [
    {
      provide: WAREHOUSE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Warehouse> => {
        const warehouse = config.clickhouseUrl
          ? new ServerWarehouse(config.clickhouseUrl, config.clickhouseCluster)
          : new ChdbWarehouse(config.dataDir);
        const applied = await migrate(warehouse, undefined, config.clickhouseCluster);
        if (applied.length) new Logger('Warehouse').log(`Applied migrations: ${applied.join(', ')}`);
        return warehouse;
      },
    },
    EngineRepository,
  ],
  exports: [WAREHOUSE, EngineRepository],
})
export class WarehouseModule implements OnApplicationShutdown {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async onApplicationShutdown(): Promise<void> {
    await this.warehouse.close();
  }
}
