import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WAREHOUSE, type Warehouse } from '../warehouse/warehouse.js';
import type { Programme } from '../contract/api.js';

interface ProgrammeRow {
  id: string;
  name: string;
  start_date: string;
  urns: number[];
  created_by: string;
  created_role: string;
  created_ms: number;
}

const SELECT = `SELECT id, name, toString(start_date) AS start_date, urns, created_by, created_role,
                       toUnixTimestamp64Milli(created_at) AS created_ms
                FROM programmes`;

const toProgramme = (r: ProgrammeRow): Programme => ({
  id: r.id,
  name: r.name,
  startDate: r.start_date,
  urns: r.urns.map(Number),
  createdBy: r.created_by,
  createdRole: r.created_role,
  createdAt: new Date(Number(r.created_ms)).toISOString(),
});

@Injectable()
export class ProgrammesRepository {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  async all(): Promise<Programme[]> {
    return (await this.warehouse.query<ProgrammeRow>(`${SELECT} ORDER BY created_at DESC`)).map(toProgramme);
  }

  async find(id: string): Promise<Programme | undefined> {
    const [row] = await this.warehouse.query<ProgrammeRow>(`${SELECT} WHERE id = {id:String}`, { id });
    return row && toProgramme(row);
  }

  async create(
    fields: { name: string; startDate: string; urns: number[] },
    createdBy: string,
    createdRole: string,
  ): Promise<Programme> {
    const row = {
      id: randomUUID(),
      name: fields.name,
      start_date: fields.startDate,
      urns: [...new Set(fields.urns)].sort((a, b) => a - b),
      created_by: createdBy,
      created_role: createdRole,
      created_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
    };
    await this.warehouse.insert('programmes', Object.keys(row), Buffer.from(JSON.stringify(row)), 'JSONEachRow');
    return (await this.find(row.id))!;
  }
}
