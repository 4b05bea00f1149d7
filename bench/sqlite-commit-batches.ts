/**
 * What a create costs SQLite alone, one per transaction or in batches (the reason SQLite groups
 * concurrent writes, src/events/revisions/sqlite-event-writer.ts). Works on a copy of the bench
 * file, so the 1 000 000-event seed stays as it is:
 *
 *   BENCH_DB=sqlite npm run bench:seed
 *   npm run bench:sqlite-batches            # 30 000 creates, one per transaction, then 10 and 32 per transaction
 */
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { dialectFor } from '../src/database/sql';
import { newEventUuid } from '../src/events/event-uuid';
import { prepareCreationNow } from '../src/events/revisions/creation-write';
import { RevisionSql } from '../src/events/revisions/revision-sql';
import type { EventRecord, JsonObject } from '../src/events/event.types';

const SOURCE = process.env.BENCH_SQLITE_FILE ?? 'bench/data/eventlog_bench.sqlite';
const COPY = '/tmp/eventlog-commit-batches.sqlite';
const CREATES = Number(process.env.BENCH_CREATES ?? 30_000);
const BATCHES = [1, 10, 32];

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

function run(batch: number): number {
  rmSync(`${COPY}-wal`, { force: true });
  rmSync(`${COPY}-shm`, { force: true });
  copyFileSync(SOURCE, COPY);
  // As the product opens its file (src/database/data-source-options.ts), except the WAL checkpoint
  // interval: SQLite's default 1 000 pages, as when the README's numbers were measured.
  const db = new Database(COPY);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const prepared = new Map<string, Database.Statement>(); // the product caches its statements too
  const statement = (text: string) => prepared.get(text) ?? prepared.set(text, db.prepare(text)).get(text)!;
  const writes = Array.from({ length: CREATES }, (_, i) => prepareCreationNow(sql, event(i), actor));
  const start = process.hrtime.bigint();
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
    db.transaction(() => statements.forEach((s) => statement(s.sql).run(...s.params))).immediate();
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  db.close();
  return ms;
}

for (const batch of BATCHES) {
  const ms = run(batch);
  console.log(`${batch} per transaction: ${CREATES} creates in ${ms.toFixed(0)} ms, ${((ms / CREATES) * 1000).toFixed(0)} µs each`);
}
rmSync(COPY, { force: true });
