// The engine's own CSV insert rate, for the ingest ratio: register files into a table of the file's own columns, parsed
// by ClickHouse (chDB), one after another. Run by tests/bench/register-files.ts as
// `node dist/tests/bench/engine-insert.js DIR FILE...` (each file read just before its insert, as the API reads a body).
import { readFileSync } from 'node:fs';
import { Session } from 'chdb';

const [dir, ...files] = process.argv.slice(2);
const session = new Session(dir);
await session.queryAsync(`CREATE TABLE register (urn UInt32, upn String, date Date, session LowCardinality(String), code LowCardinality(String),
  year_group LowCardinality(String), sex LowCardinality(String), fsm LowCardinality(String), sen LowCardinality(String), eal LowCardinality(String),
  ethnicity LowCardinality(String), cin LowCardinality(String), cla LowCardinality(String), lsoa LowCardinality(String))
  ENGINE = MergeTree ORDER BY (urn, date, upn, session)`);
const t0 = performance.now();
for (const file of files)
  await session.insert({ table: 'register', values: readFileSync(file), format: 'CSVWithNames' });
const seconds = (performance.now() - t0) / 1000;
session.close();
console.log(JSON.stringify({ seconds }));
