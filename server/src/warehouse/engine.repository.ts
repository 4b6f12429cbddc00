import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Lane, type Warehouse } from './warehouse.js';

/** What is asked of the engine itself rather than of its tables. */
@Injectable()
export class EngineRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Whether the engine answers at all: for readiness (interactive lane), and after a failed roll-up whether the fault
   * is in its slices or in the engine (background lane, behind every request's query).
   */
  answers(lane: Lane = 'interactive'): Promise<boolean> {
    return this.warehouse.query('SELECT 1', {}, lane).then(
      () => true,
      () => false,
    );
  }
}
