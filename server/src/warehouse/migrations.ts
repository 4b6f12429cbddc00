import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { forCluster } from './cluster.js';
import type { Warehouse } from './warehouse.js';

export const SQL_DIR = join(process.cwd(), 'sql');

/** Splits a .sql file into statements (no statement here holds a ';' inside a string literal). */
export function statements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

const MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (name String, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY name';

/**
 * Applies the numbered sql/NNNN_*.sql files not yet applied, in order, and records each. Frozen once landed. With a
 * cluster name, each statement is rewritten for the cluster (cluster.ts).
 */
export async function migrate(warehouse: Warehouse, dir = SQL_DIR, cluster?: string): Promise<string[]> {
  const rewrite = (statement: string) => (cluster ? forCluster(statement, cluster) : [statement]);
  for (const statement of rewrite(MIGRATIONS_TABLE)) await warehouse.command(statement);
  const done = new Set(
    (await warehouse.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
  );
  const files = (await readdir(dir)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files.filter((f) => !done.has(f))) {
    for (const statement of statements(await readFile(join(dir, file), 'utf8')).flatMap(rewrite))
      await warehouse.command(statement);
    await warehouse.command('INSERT INTO schema_migrations (name) VALUES ({name:String})', { name: file });
    applied.push(file);
  }
  return applied;
}

const queries = new Map<string, string>();
/** The text of sql/queries/<name>.sql, read once. */
export async function sqlQuery(name: string): Promise<string> {
  let text = queries.get(name);
  if (!text) {
    text = statements(await readFile(join(SQL_DIR, 'queries', `${name}.sql`), 'utf8'))[0];
    queries.set(name, text);
  }
  return text;
}
