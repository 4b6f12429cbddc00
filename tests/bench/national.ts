// The bench's `national` part (not in the default parts: about 20-25 minutes here): two whole national school days,
// England's ~20,900 simulated schools (scale 1, about 16 M marks a day), posted to one server four files at a time in
// files of a few schools, as issue 25 measures ingest, each until every roll-up is done. The first day finds an empty
// store; the second, a store that holds the nation's pupils (as every school day after the first). What it reports for
// each: acknowledged (all 202s) and rolled up, as a share of the engine's own CSV insert of the first day's files, the
// server's peak memory and CPU, and whether the national figures hold every counted possible session the files carry.
// Method and results: docs/benchmarks.md (A national day through the API).
import { rmSync } from 'node:fs';
import { queryAsync } from 'chdb';
import { REGISTER_HEADER } from '../../pipelines/simulator/registers.js';
import type { SimSchool } from '../../pipelines/simulator/sim-school.js';
import { giasCsv, syntheticSchools } from '../../pipelines/simulator/synthetic-schools.js';
import { inlineParams } from '../../server/src/warehouse/chdb-warehouse.js';
import { post, settled, startServer } from '../support/server.js';
import { cpuSeconds, log, memoryOf, rollupStatements, statementsBetween } from './stats.js';
import { GENERATED_MARKS, generatedColumns } from './generate.js';
import {
  addRegisterFile,
  engineInsertSeconds,
  newRegisterFiles,
  postRegisterFiles,
  type RegisterFiles,
} from './register-files.js';

/** Schools a file: about 30,000 marks, as the ingest part's files hold. */
const SCHOOLS_PER_FILE = 40;
const IN_FLIGHT = 4;

export async function nationalPart(dates: string[], serverNodeArgs: string[]): Promise<void> {
  const schools = syntheticSchools(1, 1, dates[0]);
  log(
    `\n## A national day\n${schools.length.toLocaleString('en-GB')} schools' registers (the bench generator's pupils), a school day after another on one server, in files of ${SCHOOLS_PER_FILE} schools posted ${IN_FLIGHT} at a time:`,
  );
  const server = await startServer({ METRICS_PORT: '0' }, serverNodeArgs);
  try {
    await post(server, '/api/v1/reference/schools', giasCsv(schools), server.token('admin'));
    const submitter = server.token('submitter');
    let engineRate = 0;
    for (const date of dates) {
      let t = performance.now();
      const files = await generatedRegisterFiles(schools, date);
      const written = (performance.now() - t) / 1000;
      try {
        log(
          `- ${date}: ${files.marks.toLocaleString('en-GB')} marks in ${files.paths.length} files (written in ${written.toFixed(0)} s)`,
        );
        // The engine's own insert of the first day's files (the next days' are the same size).
        if (!engineRate) {
          const engineSeconds = engineInsertSeconds(files);
          engineRate = files.marks / engineSeconds;
          log(
            `  - engine's own CSV insert: ${engineSeconds.toFixed(1)} s, ${Math.round(engineRate).toLocaleString('en-GB')} marks/s`,
          );
        }
        const statements0 = await rollupStatements(server.metricsUrl);
        const cpu0 = cpuSeconds(server.process.pid!);
        t = performance.now();
        await postRegisterFiles(server, files.paths, IN_FLIGHT, submitter);
        const stored = (performance.now() - t) / 1000;
        const storedCpu = cpuSeconds(server.process.pid!) - cpu0;
        const storedPeak = memoryOf(server.process.pid!).peakMb;
        await settled(server, 3_600_000);
        const e2e = (performance.now() - t) / 1000;
        const e2eCpu = cpuSeconds(server.process.pid!) - cpu0;
        const share = (seconds: number) => ((files.marks / seconds / engineRate) * 100).toFixed(0);
        log(
          `  - acknowledged (all 202s) in ${stored.toFixed(0)} s, ${Math.round(files.marks / stored).toLocaleString('en-GB')} marks/s: ${share(stored)}% of the engine's rate; server CPU ${storedCpu.toFixed(0)} s; server peak ${storedPeak} MB`,
        );
        log(
          `  - stored and rolled up in ${e2e.toFixed(0)} s, ${Math.round(files.marks / e2e).toLocaleString('en-GB')} marks/s: ${share(e2e)}% of the engine's rate; server CPU ${e2eCpu.toFixed(0)} s; server peak ${memoryOf(server.process.pid!).peakMb} MB`,
        );
        log(`    ${statementsBetween(statements0, await rollupStatements(server.metricsUrl))}`);
        const response = await fetch(`${server.url}/api/v1/measures?level=national&from=${date}&to=${date}`, {
          headers: { authorization: `Bearer ${server.token('dfe')}` },
        });
        const { rows } = (await response.json()) as { rows: { possible_sessions: number }[] };
        const possible = Math.max(...rows.map((r) => r.possible_sessions));
        log(
          `  - England's possible sessions that day: ${possible.toLocaleString('en-GB')}; in the files: ${files.possible.toLocaleString('en-GB')}${possible === files.possible ? '' : ' (DIFFERENT)'}`,
        );
      } finally {
        rmSync(files.dir, { recursive: true, force: true });
      }
    }
  } finally {
    await server.stop();
  }
}

/**
 * The day's registers of SCHOOLS_PER_FILE schools a file, made by the bench's generator (tests/bench/generate.ts) in
 * an in-memory engine: the simulator's own pupils (a year of absences each) would take minutes and gigabytes for 8 M.
 */
async function generatedRegisterFiles(schools: SimSchool[], date: string): Promise<RegisterFiles> {
  const files = newRegisterFiles();
  const sql = `SELECT ${REGISTER_HEADER.trim()} FROM (${GENERATED_MARKS}) ORDER BY urn, upn, session
               SETTINGS format_custom_escaping_rule = 'Raw', format_custom_field_delimiter = ','`;
  for (let i = 0; i < schools.length; i += SCHOOLS_PER_FILE) {
    const params = { ...generatedColumns(schools.slice(i, i + SCHOOLS_PER_FILE)), dates: [date], seed: '1' };
    addRegisterFile(files, (await queryAsync(inlineParams(sql, params), { format: 'CustomSeparated' })).text());
  }
  return files;
}
