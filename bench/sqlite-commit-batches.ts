/**
 * What a create costs SQLite alone, one per transaction or in batches (the reason SQLite groups
 * concurrent writes, src/events/revisions/sqlite-event-writer.ts). Works on a copy of the bench
 * file, so the 1 000 000-event seed stays as it is:
 *
 *   BENCH_DB=sqlite npm run bench:seed
 *   npm run bench:sqlite-batches            # 30 000 creates, one per transaction, then 10 and 32 per transaction
 *   BENCH_BATCHES=32 BENCH_SQLITE_SQL='PRAGMA cache_size = -65536' npm run bench:sqlite-batches
 */
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { dialectFor } from '../src/database/sql';
import { newEventUuid } from '../src/events/event-uuid';
import { prepareCreationNow } from '../src/events/revisions/creation-write';
import { RevisionSql } from '../src/events/revisions/revision-sql';
import type { EventRecord, JsonObject } from '../src/events/event.types';
import type { AppConfig } from '../src/config/app-config';
import { commitCheckpointsPragma } from '../src/database/data-source-options';
import { SqliteCheckpointer } from '../src/database/sqlite-checkpointer';

const SOURCE = process.env.BENCH_SQLITE_FILE ?? 'bench/data/eventlog_bench.sqlite';
const COPY = '/tmp/eventlog-commit-batches.sqlite';
const CREATES = Number(process.env.BENCH_CREATES ?? 30_000);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,10,32').split(',').map(Number);
/**
 * SQL run on the copy before the clock starts, to measure a change against the product's schema
 * or settings: `BENCH_SQLITE_SQL='PRAGMA cache_size = -65536'`, `'DROP TRIGGER events_count_insert'`.
 */
const SETUP_SQL = process.env.BENCH_SQLITE_SQL ?? '';
/** BENCH_CHECKPOINTER=1: the service's WAL checkpointer thread runs beside the commits (src/database/sqlite-checkpointer.ts). */
const CHECKPOINTER = process.env.BENCH_CHECKPOINTER === '1';
/** Microseconds of other work between two commits, as a server's loop does (default none). */
const GAP_US = Number(process.env.BENCH_GAP_US ?? 0);

const sql = new RevisionSql(dialectFor('sqlite'));
const actor: JsonObject = { pk: 0, username: 'bench' };
const context: JsonObject = {
  http_request: { args: {}, path: '/api/v3/flows/executor/default-authentication-flow/', method: 'GET', user_agent: 'Mozilla/5.0' },
  geo: { city: 'Berlin', country: 'DE' },
};

function event(i: number): EventRecord {
  const created = Date.now() * 1000 + i;
  const user = { pk: 5 + (i % 50), email: `user${i % 50}@example.com`, username: `user${i % 50}` };
  const brand = { pk: 'default', app: 'authentik_brands', name: 'Default brand', model_name: 'brand' };
  return {
    uuid: newEventUuid(),
    user,
    action: 'login',
    app: 'authentik.events.signals',
    context,
    client_ip: '10.0.0.1',
    created,
    expires: created + 365 * 86_400e6,
    brand,
  };
}

/** Busy-waits `us` microseconds: the other work a server's loop does between two commits. */
function otherWork(us: number): void {
  const until = process.hrtime.bigint() + BigInt(us * 1000);
  while (process.hrtime.bigint() < until);
}

async function run(batch: number): Promise<number> {
  rmSync(`${COPY}-wal`, { force: true });
  rmSync(`${COPY}-shm`, { force: true });
  copyFileSync(SOURCE, COPY);
  // As the product opens its file (src/database/data-source-options.ts).
  const db = new Database(COPY);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // As the product: the commits' own checkpoints, or (BENCH_CHECKPOINTER=1) the service's thread.
  db.pragma(commitCheckpointsPragma(true));
  const config = { database: { type: 'sqlite', url: COPY } } as AppConfig;
  const checkpointer = CHECKPOINTER ? new SqliteCheckpointer(config, async (on) => db.pragma(commitCheckpointsPragma(on))) : null;
  await checkpointer?.onApplicationBootstrap();
  if (SETUP_SQL) db.exec(SETUP_SQL);
  const prepared = new Map<string, Database.Statement>(); // the product caches its statements too
  const statement = (text: string) => prepared.get(text) ?? prepared.set(text, db.prepare(text)).get(text)!;
  const writes = Array.from({ length: CREATES }, (_, i) => prepareCreationNow(sql, event(i), actor));
  let commitNs = 0n;
  for (let i = 0; i < CREATES; i += batch) {
    const group = writes.slice(i, i + batch);
    const statements =
      group.length === 1
        ? group[0].statements
        : [
            sql.insertEventRows(group.map((w) => w.eventRow)),
            sql.insertRevisionRows(group.map((w) => w.revisionRow)),
            sql.insertOutboxEntries(group.map((w) => w.revision)),
          ];
    const start = process.hrtime.bigint();
    db.transaction(() => statements.forEach((s) => statement(s.sql).run(...s.params))).immediate();
    commitNs += process.hrtime.bigint() - start;
    if (GAP_US > 0) {
      otherWork(GAP_US);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const ms = Number(commitNs) / 1e6;
  await checkpointer?.onApplicationShutdown();
  db.close();
  return ms;
}

async function main(): Promise<void> {
  for (const batch of BATCHES) {
    const ms = await run(batch);
    console.log(
      `${batch} per transaction: ${CREATES} creates in ${ms.toFixed(0)} ms of commits, ${((ms / CREATES) * 1000).toFixed(0)} µs each`,
    );
  }
  rmSync(COPY, { force: true });
}

void main();
