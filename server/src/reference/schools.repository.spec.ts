// The school list's copy in memory, on a real chDB session: an upload here is seen at once; one by another instance (a
// row written straight to the table) within 10 s while in use, and never more than a minute late.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { ChdbWarehouse } from '../warehouse/chdb-warehouse.js';
import { migrate } from '../warehouse/migrations.js';
import { SCHOOL_COLUMNS, SchoolsRepository, type SchoolRow } from './schools.repository.js';

let dir: string;
let warehouse: ChdbWarehouse;
let schools: SchoolsRepository;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'register-'));
  warehouse = new ChdbWarehouse(dir);
  await migrate(warehouse);
  schools = new SchoolsRepository(warehouse);
  await schools.loadLocalAuthorities();
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

const school = (urn: number, name: string): SchoolRow => ({
  urn,
  la_code: '202',
  name,
  type_of_establishment: 'Academy converter',
  status: 'Open',
  phase_of_education: 'Primary',
  phase: 'Primary',
  number_of_pupils: 200,
  percentage_fsm: 20,
  trust_code: '',
  trust_name: '',
  lsoa: '',
  lsoa_name: '',
  msoa: '',
  msoa_name: '',
  ofsted_last_inspection: null,
  updated_at: '2026-12-01 08:00:00.000000',
});

/** Another instance's upload: the row written to the table without this repository knowing. */
const elsewhere = (row: SchoolRow) =>
  warehouse.insert('schools', SCHOOL_COLUMNS, Buffer.from(JSON.stringify(row)), 'JSONEachRow');

/** Date.now() this many ms from now, from here on. */
function later(ms: number): void {
  const now = Date.now() + ms;
  jest.spyOn(Date, 'now').mockReturnValue(now);
}

it("sees its own upload at once, with the school's LA and region", async () => {
  await schools.list();
  await schools.upsert([school(100001, 'Argyle Primary')]);
  expect((await schools.list()).get(100001)).toMatchObject({
    name: 'Argyle Primary',
    laCode: '202',
    laName: 'Camden',
    regionCode: 'E12000007',
  });
});

it("sees another instance's upload within 10 s while in use, without making a caller wait", async () => {
  await schools.list();
  await elsewhere(school(100002, 'Brecknock Primary'));
  expect((await schools.list()).has(100002)).toBe(false); // a fresh copy
  later(11_000);
  expect((await schools.list()).has(100002)).toBe(false); // the copy it had, while the next is read
  for (let i = 0; i < 100 && !(await schools.list()).has(100002); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await schools.list()).has(100002)).toBe(true);
});

it('waits for the register when its copy is more than a minute old', async () => {
  await schools.list();
  await elsewhere(school(100003, 'Carlton Primary'));
  later(75_000); // the copy was read 11 s ahead, in the last test's time
  expect((await schools.list()).has(100003)).toBe(true);
});
