import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { SchoolProfile } from './comparators.js';

/** What the school views read beyond the measures and the register: what their pupils are like. */
@Injectable()
export class SchoolProfilesRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /**
   * Each school's compulsory-age pupils in the period and the shares FSM eligible and with SEN (EHC plan or SEN
   * support), each pupil counted once with their latest characteristics; the phase is the register's (GIAS).
   */
  profiles(from: string, to: string): Promise<SchoolProfile[]> {
    return this.warehouse.query<SchoolProfile>(
      `SELECT urn, any(phase) AS phase, count() AS pupils,
              countIf(pupil_fsm = 'Y') * 100 / count() AS fsmPerc, countIf(pupil_sen IN ('E', 'K')) * 100 / count() AS senPerc
       FROM (
         SELECT urn, pupil_key, any(phase) AS phase, argMax(fsm, date) AS pupil_fsm, argMax(sen, date) AS pupil_sen
         FROM pupil_daily FINAL
         WHERE counted AND possible > 0 AND date BETWEEN {from:Date} AND {to:Date}
         GROUP BY urn, pupil_key
       )
       GROUP BY urn
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      { from, to },
    );
  }
}
