import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

export const BOUNDARY_FILE = 'england-utla.geojson';

/** The LA boundary GeoJSON (ONS, OGL), loaded once from REFERENCE_DIR; never committed. */
@Injectable()
export class BoundariesService implements OnModuleInit {
  private readonly logger = new Logger(BoundariesService.name);
  geojson: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const path = join(this.config.referenceDir, BOUNDARY_FILE);
    try {
      this.geojson = await readFile(path, 'utf8');
    } catch {
      this.logger.warn(`No boundary file at ${path}: the map panel will say so, everything else works`);
    }
  }
}
