import { Inject, Injectable } from '@nestjs/common';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { DayCounts } from './unusual-absence.js';

/** A school's counts on a day. */
export interface SchoolDay extends DayCounts {
  urn: number;
  day: string;
}

/** What early warning reads of the daily roll-ups. */
@Injectable()
export class AlertsRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** Every school's counts (or only these schools') on these days. */
  schoolDays(dates: string[], urns?: number[]): Promise<SchoolDay[]> {
    return this.warehouse.query<SchoolDay>(
      `SELECT urn, toString(date) AS day, possible, authorised + unauthorised AS absent
       FROM school_daily FINAL
       WHERE date IN {dates:Array(Date)} ${urns ? 'AND urn IN {urns:Array(UInt32)}' : ''}
       SETTINGS do_not_merge_across_partitions_select_final = 1`,
      urns ? { dates, urns } : { dates },
    );
  }
}
