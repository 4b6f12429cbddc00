// The embedded engine's lanes, on a real chDB session: a request's query goes before waiting roll-ups, and roll-ups
// still get their turn under a stream of requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ChdbWarehouse, INTERACTIVE_RUN } from './chdb-warehouse.js';
import type { Lane } from './warehouse.js';

let dir: string;
let warehouse: ChdbWarehouse;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chdb-lanes-'));
  warehouse = new ChdbWarehouse(dir);
});
afterAll(async () => {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Queues the queries in this order, all at once, and gives the order they finished in. */
async function finishingOrder(queries: [string, Lane][]): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(
    queries.map(([name, lane]) =>
      warehouse.query('SELECT {name:String} AS name, sleep(0.01)', { name }, lane).then(() => order.push(name)),
    ),
  );
  return order;
}

it('runs a waiting interactive query before waiting background ones', async () => {
  const order = await finishingOrder([
    ['rollup-1', 'background'],
    ['rollup-2', 'background'],
    ['request-1', 'interactive'],
    ['request-2', 'interactive'],
  ]);
  // rollup-1 was running already when the requests came.
  expect(order).toEqual(['rollup-1', 'request-1', 'request-2', 'rollup-2']);
});

it('lets a background query through after a run of interactive ones', async () => {
  const requests = Array.from({ length: INTERACTIVE_RUN + 2 }, (_, i): [string, Lane] => [
    `request-${i}`,
    'interactive',
  ]);
  const order = await finishingOrder([['first', 'interactive'], ['rollup', 'background'], ...requests]);
  // 'first' and then more requests, INTERACTIVE_RUN in a row, then the roll-up, then the other requests.
  expect(order.indexOf('rollup')).toBe(INTERACTIVE_RUN);
});
