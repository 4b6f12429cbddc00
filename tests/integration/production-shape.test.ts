// The production shape, checked where it cannot run: docker-compose.yml against the code's configuration, and the
// migrations rewritten for a ClickHouse cluster, parsed by ClickHouse's own parser (chDB).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { parse } from 'yaml';
import { ENVIRONMENT, loadConfig } from '../../server/src/config/config.js';
import { forCluster, SHARDED_TABLES } from '../../server/src/warehouse/cluster.js';
import { SQL_DIR, statements } from '../../server/src/warehouse/migrations.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { clickhouse, redis, api, worker } = compose.services;

/** The environment as Compose would give it, with the secrets it asks for filled in. */
function resolved(environment: Record<string, string>): Record<string, string> {
  const secrets: Record<string, string> = {
    CLICKHOUSE_PASSWORD: 'p'.repeat(32),
    JWT_SECRET: 'j'.repeat(32),
    PUPIL_KEY: 'k'.repeat(32),
    UPN_KEY: 'u'.repeat(32),
  };
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [
      k,
      String(v).replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) => secrets[name]),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it('has ClickHouse and Redis at pinned versions, Redis persisting, both with volumes and health checks', () => {
    for (const service of [clickhouse, redis]) {
      expect(service.image).toMatch(/:\d+\.\d+/);
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
      expect(service.volumes?.length).toBeGreaterThan(0);
    }
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('gives the API and the workers an environment the server accepts, in production', () => {
    const names = Object.keys(ENVIRONMENT.shape);
    for (const service of [api, worker]) {
      for (const key of Object.keys(service.environment!)) expect(names).toContain(key);
      const config = loadConfig(resolved(service.environment!));
      expect(config).toMatchObject({ env: 'production', authMode: 'jwt', simulator: { enabled: false } });
      expect(new URL(config.clickhouseUrl!).host).toBe('clickhouse:8123');
      expect(new URL(config.redisUrl).hostname).toBe('redis');
    }
    expect(loadConfig(resolved(api.environment!)).worker).toBe(false);
    expect(loadConfig(resolved(worker.environment!)).worker).toBe(true);
  });

  it('publishes the port the API listens on, checks its readiness, and runs the worker entry point', () => {
    const config = loadConfig(resolved(api.environment!));
    expect(api.ports).toEqual([`${config.port}:${config.port}`]);
    // The metrics port is reachable on the compose network only: exposed, never published.
    expect(config.metricsPort).toBeDefined();
    expect(config.metricsPort).not.toBe(config.port);
    expect(api.expose).toEqual([String(config.metricsPort)]);
    expect(api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${config.port}/api/health/ready`);
    expect(worker.command).toEqual(['node', 'dist/server/src/worker.js']);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.worker).toBe('node dist/server/src/worker.js');
  });
});

describe('cluster mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attendance-cluster-sql-'));
  const session = new Session(dir);
  afterAll(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const migrations = readdirSync(SQL_DIR)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
  const rewritten = migrations.flatMap((file) =>
    statements(readFileSync(join(SQL_DIR, file), 'utf8')).flatMap((s) => forCluster(s, 'attendance')),
  );

  it('rewrites every migration into statements ClickHouse parses', async () => {
    expect(rewritten.length).toBeGreaterThan(migrations.length);
    for (const statement of rewritten) {
      // Every change of schema on every node; a back-fill of data once, through the Distributed tables.
      if (!statement.startsWith('INSERT INTO ')) expect(statement).toContain('ON CLUSTER attendance');
      await expect(session.queryBindAsync(`EXPLAIN AST ${statement}`, {}, { format: 'TSV' })).resolves.toBeDefined();
    }
  });

  it('shards marks and roll-ups by school, and keeps a full copy of the rest on every node', () => {
    for (const table of SHARDED_TABLES) {
      expect(rewritten).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER attendance [\\s\\S]*ENGINE = ReplicatedReplacingMergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${table}_local', '\\{replica\\}'`,
          ),
        ),
      );
      expect(rewritten).toContain(
        `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER attendance AS ${table}_local ENGINE = Distributed(attendance, currentDatabase(), ${table}_local, cityHash64(urn))`,
      );
    }
    expect(rewritten).toContainEqual(
      expect.stringMatching(
        /^CREATE TABLE IF NOT EXISTS schools ON CLUSTER attendance [\s\S]*ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/all\/\{database\}\/schools', '\{replica\}', updated_at\)/,
      ),
    );
    expect(rewritten).toContainEqual(expect.stringMatching(/^ALTER TABLE schools ON CLUSTER attendance ADD COLUMN/));
    // A data-skipping index belongs to the shards' tables, not to the Distributed table over them.
    expect(rewritten).toContain(
      'ALTER TABLE marks_local ON CLUSTER attendance ADD INDEX IF NOT EXISTS received_at_range received_at TYPE minmax GRANULARITY 1',
    );
    expect(rewritten).not.toContainEqual(
      expect.stringMatching(/^ALTER TABLE marks ON CLUSTER attendance (ADD|MATERIALIZE) INDEX/),
    );
    expect(rewritten).toContainEqual(
      expect.stringMatching(/^INSERT INTO pupil_weekly\s+SELECT [\s\S]*\sFROM pupil_daily FINAL\s/),
    );
    // A view copies a sharded table's rows on their shard, and a whole table's on the node written to.
    expect(rewritten).toContainEqual(
      expect.stringMatching(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS school_enrolments_of_days ON CLUSTER attendance TO school_enrolments_local AS SELECT [\s\S]*\sFROM school_daily_local$/,
      ),
    );
    expect(rewritten).toContainEqual(
      expect.stringMatching(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS la_enrolments_of_days ON CLUSTER attendance TO la_enrolments AS SELECT [\s\S]*\sFROM la_daily\s+WHERE topic = ''$/,
      ),
    );
    expect(rewritten).toContainEqual(
      expect.stringMatching(
        /^CREATE TABLE IF NOT EXISTS la_daily ON CLUSTER attendance [\s\S]*ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/all\/\{database\}\/la_daily', '\{replica\}', computed_at\)/,
      ),
    );
  });

  it('is refused without a ClickHouse server', () => {
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'attendance', DATA_DIR: dir })).toThrow(/CLICKHOUSE_URL/);
  });
});
