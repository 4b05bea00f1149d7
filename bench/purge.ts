import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { JobLeases } from '../src/database/leases/job-leases';
import { dialectFor } from '../src/database/sql';
import type { EventRecord } from '../src/events/event.types';
import { PurgeService } from '../src/events/retention/purge.service';
import { creationRevision } from '../src/events/revisions/revision-builder';
import { RevisionSql } from '../src/events/revisions/revision-sql';

/**
 * `npx ts-node -r tsconfig-paths/register --transpile-only bench/purge.ts`: seeds BENCH_PURGE_EVENTS
 * expired events (each with its `create` revision, contexts of about 200 bytes) into a scratch
 * SQLite file and a scratch MariaDB database, then times one PurgeService run over them and checks
 * that every event left exactly one `purge` revision. The scratch databases are removed afterwards.
 */

const EVENTS = Number(process.env.BENCH_PURGE_EVENTS ?? 20_000);
const MYSQL_SERVER = process.env.BENCH_PURGE_MYSQL ?? 'mysql://root@127.0.0.1:3306';
const DIALECTS = (process.env.BENCH_PURGE_DATABASES ?? 'sqlite,mariadb').split(',');
const SEED_ROWS = 500;
const HOUR = 3_600_000_000;

function expiredEvent(i: number, now: number): EventRecord {
  return {
    uuid: randomUUID(),
    user: { pk: i % 50, username: `user${i % 50}`, email: `user${i % 50}@example.com` },
    action: 'login',
    app: 'authentik.events.signals',
    context: {
      http_request: { path: '/if/flow/default-authentication-flow/', method: 'GET', args: { next: `/#/${i}` } },
      auth_method: 'password',
      ua: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0',
    },
    client_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    created: now - 48 * HOUR + i,
    expires: now - HOUR,
    brand: { pk: 'b1', name: 'authentik' },
  };
}

/** Events and their create revisions, SEED_ROWS per multi-row INSERT, in one transaction. */
async function seed(dataSource: DataSource, now: number): Promise<void> {
  const sql = new RevisionSql(dialectFor(dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite'));
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  for (let start = 0; start < EVENTS; start += SEED_ROWS) {
    const events = Array.from({ length: Math.min(SEED_ROWS, EVENTS - start) }, (_, k) => expiredEvent(start + k, now));
    const revisions = events.map((event) => creationRevision(event, {}));
    const inserts = events.map((event, k) => sql.insertEvent(event, revisions[k]));
    const [head] = inserts[0].sql.split(' VALUES ');
    const tuples = inserts.map((insert) => insert.sql.split(' VALUES ')[1]).join(', ');
    await runner.query(
      `${head} VALUES ${tuples}`,
      inserts.flatMap((insert) => insert.params),
    );
    const statement = sql.insertRevisions(revisions);
    await runner.query(statement.sql, statement.params);
  }
  await runner.commitTransaction();
  await runner.release();
}

async function measure(dialect: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eventlog-purge-bench-'));
  const database = `eventlog_purge_bench_${process.pid}`;
  const server = dialect === 'mariadb' ? await mysql.createConnection(MYSQL_SERVER) : null;
  await server?.query(`CREATE DATABASE \`${database}\``);
  const url = server ? `${MYSQL_SERVER}/${database}` : `sqlite:${dataDir}/bench.sqlite`;
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, DATABASE_TIMEOUT_MS: '600000' }, () => 'x'.repeat(64));
  const dataSource = new DataSource(dataSourceOptions(config));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const now = Date.now() * 1000;
    const seeded = performance.now();
    await seed(dataSource, now);
    const sqlDialect = dialectFor(config.database.type);
    const purge = new PurgeService(dataSource, sqlDialect, new JobLeases(dataSource, sqlDialect, config), {
      batchSize: 5000,
      dependentTables: [],
      revisionRetentionMicros: 0,
    });
    const started = performance.now();
    const result = await purge.purgeExpired({ now });
    const seconds = (performance.now() - started) / 1000;
    const [{ n }] = await dataSource.query(`SELECT COUNT(*) AS n FROM event_revisions WHERE kind = 'purge'`);
    const [{ left }] = await dataSource.query(`SELECT COUNT(*) AS \`left\` FROM events`);
    if (result.status !== 'completed' || result.deleted !== EVENTS || Number(n) !== EVENTS || Number(left) !== 0) {
      throw new Error(`${dialect}: unexpected outcome ${JSON.stringify({ result, purgeRevisions: n, left })}`);
    }
    console.log(
      `${dialect.padEnd(8)} ${EVENTS} events (seeded in ${((started - seeded) / 1000).toFixed(1)} s): ` +
        `purge ${seconds.toFixed(2)} s, ${Math.round(EVENTS / seconds)} events/s, ${result.batches} batches`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await server?.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const dialect of DIALECTS) await measure(dialect);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
