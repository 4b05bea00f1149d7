import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as mysql from 'mysql2/promise';
import { EventGenerator } from './lib/dataset';
import { cpuMs, installCleanup, processIdsNamed, rssMb } from './lib/processes';
import { emptyDatabase, startBuiltService } from './lib/service';

/*
 * Bulk ingest into MariaDB through the real service (`npm run bench:bulk`, see bench/README.md):
 * a fresh database, the built service as production runs it, BULK_EVENTS events of the seed's
 * kind sent as JSON arrays of BULK_BATCH over BULK_CONCURRENCY connections. Prints events/s, the
 * service's resident memory as the load goes on, and checks that every event, its revision and
 * the counters are there.
 */

const ROOT = join(__dirname, '..');
const TOKEN = 'bench-bulk-token-0123456789abcdef';

function setting(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name}: expected a positive integer, got "${raw}"`);
  return Number(raw);
}

const DATABASE_URL = process.env.BULK_DATABASE_URL?.trim() || 'mysql://root@127.0.0.1:3306/eventlog_bulk_bench';
const EVENTS = setting('BULK_EVENTS', 100_000);
const BATCH = setting('BULK_BATCH', 1000);
const CONCURRENCY = setting('BULK_CONCURRENCY', 4);

/** The request bodies, built before the clock starts so the client's work is not measured. */
function bodies(): string[] {
  const generator = new EventGenerator(EVENTS, Date.now() * 1000);
  const result: string[] = [];
  for (let start = 0; start < EVENTS; start += BATCH) {
    const items = [];
    for (let i = start; i < Math.min(EVENTS, start + BATCH); i++) {
      const row = generator.row(i);
      items.push({ user: row.user, action: row.action, app: row.app, context: row.context, client_ip: row.clientIp, brand: row.brand });
    }
    result.push(JSON.stringify(items));
  }
  return result;
}

/**
 * The database server's process when it runs on this machine (exactly one mariadbd or mysqld), so
 * that its CPU can be printed beside the service's: which of the two limits the rate.
 */
function localDatabaseServer(): number | undefined {
  const pids = processIdsNamed('mariadbd', 'mysqld');
  return pids.length === 1 ? pids[0] : undefined;
}

/** CPU seconds a process used between two `cpuMs` readings, or `?` when one is missing. */
const cpuSecondsBetween = (before: number | null, after: number | null): string =>
  before === null || after === null ? '?' : ((after - before) / 1000).toFixed(1);

async function main(): Promise<void> {
  installCleanup();
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nest build)`);
  await emptyDatabase(DATABASE_URL, 'BULK_DATABASE_URL');
  // BULK_PROFILE=<dir>: a V8 CPU profile of the service, written there when it stops.
  const profile = process.env.BULK_PROFILE;
  const service = await startBuiltService({
    databaseUrl: DATABASE_URL,
    token: TOKEN,
    env: { BULK_MAX_EVENTS: String(Math.max(BATCH, 1000)) },
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  const { server, base } = service;
  try {
    const prepared = bodies();
    const bytes = prepared.reduce((sum, body) => sum + body.length, 0);
    console.log(
      `bulk: ${EVENTS} events in ${prepared.length} requests of ${BATCH} (${(bytes / 1e6).toFixed(1)} MB), ${CONCURRENCY} connections`,
    );
    const rss: string[] = [];
    let next = 0;
    let done = 0;
    const database = localDatabaseServer();
    const cpuBefore = cpuMs(server.pid);
    const databaseCpuBefore = database === undefined ? null : cpuMs(database);
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (next < prepared.length) {
        const body = prepared[next++];
        const res = await fetch(`${base}/api/v3/events/events/bulk/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
          body,
        });
        if (res.status !== 201) throw new Error(`bulk answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
        done++;
        if (done % Math.max(1, Math.floor(prepared.length / 10)) === 0) rss.push(`${rssMb(server.pid)?.toFixed(0)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`bulk: ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s`);
    console.log(`bulk: eventlog RSS (MB) after each tenth: ${rss.join(' ')}`);
    console.log(`bulk: eventlog used ${cpuSecondsBetween(cpuBefore, cpuMs(server.pid))} s of CPU in those ${seconds.toFixed(1)} s`);
    if (database === undefined) console.log('bulk: the database server is not one local mariadbd/mysqld: its CPU is not measured');
    else console.log(`bulk: the database server (pid ${database}) used ${cpuSecondsBetween(databaseCpuBefore, cpuMs(database))} s of CPU`);

    const db = await mysql.createConnection(DATABASE_URL);
    const [[events]] = (await db.query('SELECT COUNT(*) AS n FROM `events`')) as unknown as [[{ n: number }]];
    const [[revisions]] = (await db.query("SELECT COUNT(*) AS n FROM `event_revisions` WHERE `kind` = 'create'")) as unknown as [
      [{ n: number }],
    ];
    // The counters: their totals plus the deltas not folded yet (src/events/counters).
    const [[counted]] = (await db.query(
      'SELECT (SELECT COALESCE(SUM(`n`), 0) FROM `event_counts`) + (SELECT COALESCE(SUM(`n`), 0) FROM `event_count_deltas`) AS n',
    )) as unknown as [[{ n: number }]];
    await db.end();
    console.log(`bulk: rows ${events.n}, creation revisions ${revisions.n}, counters ${counted.n}`);
    if (Number(events.n) < EVENTS || Number(revisions.n) !== Number(events.n) || Number(counted.n) !== Number(events.n)) {
      throw new Error('bulk: rows, revisions and counters disagree');
    }
  } finally {
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
