// Register files for the ingest benchmarks: the simulator's schools' days as the API takes them, written to a
// directory (a national day is over a gigabyte of CSV), and the engine's own insert of the same files (the rate the
// ingest path is measured against).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTER_HEADER, schoolDay, sessionRows } from '../../pipelines/simulator/registers.js';
import type { SimSchool } from '../../pipelines/simulator/sim-school.js';
import { COUNTED_YEAR_GROUPS, REGISTER_CODES } from '../../server/src/contract/vocabulary.js';
import { post, type TestServer } from '../support/server.js';

export interface RegisterFiles {
  /** A temporary directory: the caller removes it. */
  dir: string;
  /** The files' paths, in the order they are posted (day by day, schools in order). */
  paths: string[];
  marks: number;
  /** Their counted possible sessions: what the national figures' possible sessions grow by once rolled up. */
  possible: number;
}

/** A new temporary directory of register files, none in it yet (the caller removes it). */
export function newRegisterFiles(): RegisterFiles {
  return { dir: mkdtempSync(join(tmpdir(), 'bench-registers-')), paths: [], marks: 0, possible: 0 };
}

/** Writes one register file of these rows (after the header) into the directory, counted. */
export function addRegisterFile(files: RegisterFiles, rows: string): void {
  files.marks += rows.split('\n').length - 1;
  files.possible += countedPossible(rows);
  const path = join(files.dir, `${String(files.paths.length).padStart(6, '0')}.csv`);
  writeFileSync(path, REGISTER_HEADER + rows);
  files.paths.push(path);
}

/** Each day's registers of `perFile` schools a file, the simulator's pupils. */
export function writeRegisterFiles(schools: SimSchool[], dates: string[], perFile: number): RegisterFiles {
  const files = newRegisterFiles();
  for (const date of dates) {
    for (let i = 0; i < schools.length; i += perFile) {
      const rows = schools
        .slice(i, i + perFile)
        .map((s) => {
          const day = schoolDay(s, date, 1);
          return sessionRows(day, 'AM') + sessionRows(day, 'PM');
        })
        .join('');
      addRegisterFile(files, rows);
    }
  }
  return files;
}

/** The engine's own CSV insert of the files, one after another (tests/bench/engine-insert.ts): seconds. */
export function engineInsertSeconds(files: RegisterFiles): number {
  const engineDir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  try {
    const out = execFileSync(process.execPath, ['dist/tests/bench/engine-insert.js', engineDir, ...files.paths], {
      encoding: 'utf8',
    });
    return (JSON.parse(out.trim()) as { seconds: number }).seconds;
  } finally {
    rmSync(engineDir, { recursive: true, force: true });
  }
}

/** Posts the files, `inFlight` at a time, each read just before it is sent; any answer but a 202 fails. */
export async function postRegisterFiles(
  server: TestServer,
  paths: string[],
  inFlight: number,
  token: string,
): Promise<void> {
  const queue = [...paths];
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const response = await post(server, '/api/v1/submissions', readFileSync(file), token);
        if (response.status !== 202) throw new Error(`refused: ${response.status} ${await response.text()}`);
      }
    }),
  );
}

/** Counted possible sessions in register rows: what a push's possible_sessions grows by once they are rolled up. */
export function countedPossible(csv: string): number {
  let n = 0;
  for (const line of csv.trim().split('\n')) {
    const cells = line.split(',');
    if (COUNTED_YEAR_GROUPS.has(cells[5]) && REGISTER_CODES.get(cells[4])?.category !== 'not_possible') n++;
  }
  return n;
}
