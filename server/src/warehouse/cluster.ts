// Cluster mode (CLICKHOUSE_CLUSTER): the same migrations, rewritten for a ClickHouse cluster.
//
// The big tables (raw marks and the daily and year roll-ups) are sharded by school: a school's marks, its replacements
// and its roll-ups all live on one shard, so FINAL (which replaces a mark by its later one) and the roll-up of a
// (school, date) slice are exact shard by shard, and a query over many schools runs on every shard at once. Each is a
// Replicated*MergeTree `<name>_local` on every node, with a Distributed `<name>` over them (shard key cityHash64(urn)).
// Everything else is small reference or bookkeeping data (schools, LAs, targets, identities, the audit log) or sums
// over all schools (la_daily, la_monthly, la_enrolments: a few hundred rows a day, recomputed from every shard's rows):
// one full replicated copy on every node, so the joins inside a sharded query find it locally and an area's figures are
// local.

export const SHARDED_TABLES = new Set([
  'marks',
  'school_daily',
  'pupil_daily',
  'pupil_weekly',
  'school_cohort_daily',
  'school_enrolments',
]);

const CREATE =
  /^CREATE TABLE IF NOT EXISTS (\w+)\s*(\([\s\S]*\))\s*ENGINE\s*=\s*(\w*MergeTree)(?:\(([^)]*)\))?([\s\S]*)$/;
const ALTER = /^ALTER TABLE (\w+) ([\s\S]*)$/;
const VIEW = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+) AS\s+(SELECT [\s\S]*?\bFROM )(\w+)([\s\S]*)$/;

/** One migration statement as the cluster needs it (one or more statements). */
export function forCluster(statement: string, cluster: string): string[] {
  const create = CREATE.exec(statement.trim());
  if (create) {
    const [, table, columns, engine, args, rest] = create;
    const replicated = (name: string, path: string) =>
      `ENGINE = Replicated${engine}('/clickhouse/tables/${path}/{database}/${name}', '{replica}'${args ? `, ${args}` : ''})${rest}`;
    if (!SHARDED_TABLES.has(table))
      return [`CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${cluster} ${columns} ${replicated(table, 'all')}`];
    const local = `${table}_local`;
    return [
      `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER ${cluster} ${columns} ${replicated(local, '{shard}')}`,
      `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${cluster} AS ${local} ENGINE = Distributed(${cluster}, currentDatabase(), ${local}, cityHash64(urn))`,
    ];
  }
  const alter = ALTER.exec(statement.trim());
  if (alter) {
    const [, table, change] = alter;
    // A sharded table's column is in its local tables and its Distributed table; a data-skipping index only in the
    // former.
    const tables = !SHARDED_TABLES.has(table)
      ? [table]
      : /^(ADD|MATERIALIZE|DROP) INDEX/.test(change)
        ? [`${table}_local`]
        : [`${table}_local`, table];
    return tables.map((t) => `ALTER TABLE ${t} ON CLUSTER ${cluster} ${change}`);
  }
  // A view that copies the rows written to one table into another: on every node, between the node's own tables (a
  // sharded table's local ones: a row is copied on the shard that holds it, into the same shard's table).
  const view = VIEW.exec(statement.trim());
  if (view) {
    const [, name, target, select, source, rest] = view;
    if (SHARDED_TABLES.has(source) !== SHARDED_TABLES.has(target))
      throw new Error(`Cluster mode cannot copy rows between a sharded and a whole table: ${name}`);
    const local = (table: string) => (SHARDED_TABLES.has(table) ? `${table}_local` : table);
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} ON CLUSTER ${cluster} TO ${local(target)} AS ${select}${local(source)}${rest}`,
    ];
  }
  // A back-fill of data runs once, through the Distributed tables: it reads every shard and writes each row to its own.
  if (/^INSERT INTO \w+\s+SELECT\s/.test(statement.trim())) return [statement.trim()];
  throw new Error(`Cluster mode cannot rewrite this migration statement: ${statement.slice(0, 80)}...`);
}
