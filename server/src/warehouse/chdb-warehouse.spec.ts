// The embedded engine's warehouse on a real chDB session: a request's query runs beside a roll-up's instead of waiting
// for it, roll-ups keep their order, and a value written into a statement as a literal reads back exactly as bound.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AT_ONCE, ChdbWarehouse, inlineParams } from './chdb-warehouse.js';
import { Secret, type Lane } from './warehouse.js';

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
async function finishingOrder(queries: [string, Lane, number][]): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(
    queries.map(([name, lane, seconds]) =>
      warehouse
        .query('SELECT {name:String} AS name, sleep({seconds:Float64})', { name, seconds }, lane)
        .then(() => order.push(name)),
    ),
  );
  return order;
}

describe('lanes', () => {
  it('answers a request while a roll-up statement runs', async () => {
    const order = await finishingOrder([
      ['rollup', 'background', 1],
      ['request', 'interactive', 0.05],
    ]);
    expect(order).toEqual(['request', 'rollup']);
  });

  it('runs background statements one at a time, in order', async () => {
    const order = await finishingOrder([
      ['rollup-1', 'background', 0.3],
      ['rollup-2', 'background', 0.01],
    ]);
    expect(order).toEqual(['rollup-1', 'rollup-2']);
  });

  it(`runs at most ${AT_ONCE.interactive} interactive statements at once`, async () => {
    const slow = Array.from({ length: AT_ONCE.interactive }, (_, i): [string, Lane, number] => [
      `slow-${i}`,
      'interactive',
      0.5,
    ]);
    // Were there a third connection, the quick statement would finish first; with two, it waits for a slow one's
    // connection. Which of it and the other slow one then finishes first is a race, so it is not asserted.
    const order = await finishingOrder([...slow, ['quick', 'interactive', 0]]);
    expect(order[0]).not.toBe('quick');
  });

  it('lets the statements under way finish when it closes, and takes no more', async () => {
    const other = new ChdbWarehouse(dir); // more connections to the same data
    const running = other.query<{ one: number }>('SELECT sleepEachRow(0.3) + 1 AS one FROM numbers(1)');
    const closed = other.close();
    await expect(running).resolves.toEqual([{ one: 1 }]);
    await closed;
    await expect(other.query('SELECT 1')).rejects.toThrow('closing');
  });

  it('binds a statement that carries a secret, and it reads back as given', async () => {
    const [row] = await warehouse.query<{ key: string; day: string }>('SELECT {key:String} AS key, {day:Date} AS day', {
      key: new Secret("k'ey\\"),
      day: '2026-12-04',
    });
    expect(row).toEqual({ key: "k'ey\\", day: '2026-12-04' });
  });
});

describe('inlineParams', () => {
  const hostile = [
    "'; DROP TABLE marks; --",
    "\\'); SELECT 1; --",
    'a\\',
    'line\nbreak\r\ttab\u0000nul\u001f\u007f',
    "O'Brien",
    'Zoë, 名前, 🙂',
    '{other:String}',
    '',
  ];

  it('writes every kind of value the statements declare so that it reads back exactly as a bound one', async () => {
    const sql = `SELECT {s:String} AS s, {strings:Array(String)} AS strings, {nested:Array(Array(String))} AS nested,
      {day:Date} AS day, {days:Array(Date)} AS days, {urns:Array(UInt32)} AS urns, {n:UInt32} AS n, {flag:UInt8} AS flag,
      {f:Array(Float32)} AS f, {at:DateTime64(6)} AS at, {id:UUID} AS id, toTypeName({none:Array(Date)}) AS none`;
    const params = {
      s: hostile[0],
      strings: hostile,
      nested: [hostile, []],
      day: '2026-02-28',
      days: ['2025-09-03', '2026-12-04'],
      urns: [100000, 4294967295],
      n: 7,
      flag: 1,
      f: [0.5, 12],
      at: '2026-12-04 09:15:00.123456',
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      none: [],
    };
    const [inlined] = await warehouse.query(sql, params);
    const [bound] = await warehouse.query(sql, { ...params, secret: new Secret('') }); // a Secret binds all of them
    expect(inlined).toEqual(bound);
    expect(inlined).toMatchObject({ s: hostile[0], strings: hostile, nested: [hostile, []], none: 'Array(Date)' });
  });

  it('keeps a hostile string inside its literal', async () => {
    for (const s of hostile) {
      const rows = await warehouse.query<{ s: string }>('SELECT {s:String} AS s', { s });
      expect(rows).toEqual([{ s }]);
    }
  });

  it('refuses a missing value, a value of the wrong kind and a type it does not know', () => {
    expect(() => inlineParams('SELECT {a:String}', {})).toThrow('No value for the parameter {a:String}');
    expect(() => inlineParams('SELECT {a:UInt32}', { a: '1; DROP TABLE marks' })).toThrow('is not a number');
    expect(() => inlineParams('SELECT {a:UInt32}', { a: Number.NaN })).toThrow('is not a number');
    expect(() => inlineParams('SELECT {a:Array(String)}', { a: 'x' })).toThrow('is not an array');
    expect(() => inlineParams('SELECT {a:String}', { a: { toString: () => "'" } })).toThrow('is not text');
    expect(() => inlineParams('SELECT {a:Identifier}', { a: 'marks' })).toThrow('does not write as a literal');
  });
});
