import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import cliProgress from 'cli-progress';
import { USERS } from './catalog';
import { BenchConfig } from './config';
import { migrate } from './database';
import { DATASET_VERSION, EventGenerator, SeedResult } from './dataset';

/**
 * The SQLite bench file: the product's migrations, then the same deterministic events as the
 * MariaDB seed (dataset.ts), written by better-sqlite3 directly with multi-row INSERTs in one
 * process. The counters stay exact because the product's triggers run for every row (they are
 * part of what is loaded, as on MariaDB); the events carry no revisions, like the MariaDB seed
 * (an event's chain starts at its first edit). No ANALYZE: the product never runs it, so the
 * planner sees what a newcomer's file gives it.
 */

const EVENT_COLUMNS = '"event_uuid", "user", "action", "app", "context", "client_ip", "created", "expires", "brand"';
/** 9 parameters a row: 500 rows stay far below SQLite's 32 766 parameters per statement. */
const ROWS_PER_INSERT = 500;
/** Rows per transaction: the rollback journal and the page cache stay small. */
const ROWS_PER_TRANSACTION = 50_000;

function removeFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

function readMeta(file: string): Record<string, string> | null {
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bench_meta'`).get();
    if (!table) return null;
    const rows = db.prepare('SELECT k, v FROM bench_meta').all() as { k: string; v: string }[];
    return Object.fromEntries(rows.map((r) => [r.k, r.v]));
  } finally {
    db.close();
  }
}

function writeMeta(db: Database.Database, values: Record<string, string | number>): void {
  db.exec('CREATE TABLE IF NOT EXISTS bench_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  const upsert = db.prepare('INSERT INTO bench_meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
  for (const [k, v] of Object.entries(values)) upsert.run(k, String(v));
}

/** Every table, index and trigger the product's migrations made, as SQL (not the harness's own table). */
function schemaOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name <> 'bench_meta' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`,
      )
      .all() as { type: string; name: string; sql: string }[];
    return rows.map((r) => `${r.type} ${r.name}: ${r.sql}`).join('\n');
  } finally {
    db.close();
  }
}

/** Whether the file's schema is what the product's migrations make of an empty file today. */
async function schemaIsCurrent(config: BenchConfig, file: string): Promise<boolean> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'eventlog-bench-schema-'));
  const scratch = join(scratchDir, 'schema.sqlite');
  try {
    await migrate({ ...config, databaseUrl: `sqlite:${scratch}` });
    return schemaOf(file) === schemaOf(scratch);
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function reusable(config: BenchConfig, file: string, meta: Record<string, string>): Promise<boolean> {
  if (meta.complete !== 'true' || Number(meta.events) !== config.events || Number(meta.version) !== DATASET_VERSION) return false;
  await migrate(config); // new migrations are applied, as in a deployment; an edited one forces a reseed
  if (!(await schemaIsCurrent(config, file))) {
    console.log(`seed: the product's migrations changed the schema since ${file} was seeded`);
    return false;
  }
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT COUNT(*) AS n FROM events WHERE created <= ?').get(Number(meta.anchor)) as { n: number };
    return row.n === config.events;
  } finally {
    db.close();
  }
}

function seedUsers(db: Database.Database, anchorMicros: number): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO users (id, uuid, username, name, email, is_active, date_joined, last_updated, last_login, path, type, attributes)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 'users', 'internal', '{}')`,
  );
  db.transaction(() => {
    for (const u of USERS) insert.run(u.pk, randomUUID(), u.username, u.name, u.email, anchorMicros, anchorMicros, anchorMicros);
  })();
}

function eventValues(generator: EventGenerator, i: number): unknown[] {
  const e = generator.row(i);
  return [
    e.uuid,
    JSON.stringify(e.user),
    e.action,
    e.app,
    JSON.stringify(e.context),
    e.clientIp,
    e.created,
    e.expires,
    JSON.stringify(e.brand),
  ];
}

/** Rows in `created` order, as an audit log is written, so the table's pages follow time. */
function seedEvents(db: Database.Database, config: BenchConfig, generator: EventGenerator): void {
  const placeholders = (rows: number) => Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const full = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${placeholders(ROWS_PER_INSERT)}`);
  const insertRows = (from: number, to: number) => {
    const statement =
      to - from === ROWS_PER_INSERT ? full : db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${placeholders(to - from)}`);
    const values: unknown[] = [];
    for (let i = from; i < to; i++) values.push(...eventValues(generator, i));
    statement.run(values);
  };
  const bar = new cliProgress.SingleBar(
    {
      format: 'seed: events |{bar}| {percentage}% {value}/{total} | {rate} rows/s | ETA {eta_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(config.events, 0, { rate: 0 });
  const started = Date.now();
  const transaction = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += ROWS_PER_INSERT) insertRows(i, Math.min(to, i + ROWS_PER_INSERT));
  });
  try {
    for (let from = 0; from < config.events; from += ROWS_PER_TRANSACTION) {
      const to = Math.min(config.events, from + ROWS_PER_TRANSACTION);
      transaction(from, to);
      bar.update(to, { rate: Math.round(to / Math.max(0.001, (Date.now() - started) / 1000)) });
    }
  } finally {
    bar.stop();
  }
}

/**
 * Loading with events' secondary indexes in place updates thirteen B-trees at random places per
 * row; dropping them and creating them again afterwards (each one sorted in one pass) is several
 * times faster. They come back from the migration's own SQL, kept from sqlite_master.
 */
function withoutSecondaryIndexes(db: Database.Database, load: () => void): void {
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name`)
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  load();
  const started = Date.now();
  for (const [n, index] of indexes.entries()) {
    process.stdout.write(`seed: index ${n + 1}/${indexes.length} ${index.name} ... `);
    const t = Date.now();
    db.exec(index.sql);
    console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  console.log(`seed: ${indexes.length} indexes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function seedSqlite(config: BenchConfig): Promise<SeedResult> {
  const file = config.sqliteFile!;
  const existing = readMeta(file);
  if (existing && (await reusable(config, file, existing))) {
    console.log(`seed: reusing ${config.events.toLocaleString('en')} events in ${file}`);
    return { events: config.events, anchorMicros: Number(existing.anchor), reused: true, seconds: 0, rowsPerSecond: 0 };
  }
  console.log(`seed: (re)creating ${file} from the product's migrations`);
  removeFile(file);
  mkdirSync(dirname(file), { recursive: true });
  await migrate(config);
  const db = new Database(file);
  try {
    // A bulk load into a file nobody else has open: no WAL and no fsync until the end (WAL is
    // switched back on afterwards, as the product opens it). 256 MB of page cache.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    const anchorMicros = Date.now() * 1000;
    writeMeta(db, { version: DATASET_VERSION, events: config.events, anchor: anchorMicros, complete: 'false' });
    seedUsers(db, anchorMicros);
    const started = Date.now();
    const generator = new EventGenerator(config.events, anchorMicros);
    withoutSecondaryIndexes(db, () => seedEvents(db, config, generator));
    const seconds = (Date.now() - started) / 1000;
    db.pragma('journal_mode = WAL');
    writeMeta(db, { complete: 'true', seeded_seconds: seconds.toFixed(1) });
    const rowsPerSecond = Math.round(config.events / seconds);
    console.log(
      `seed: ${config.events.toLocaleString('en')} events in ${seconds.toFixed(1)} s including indexes (${rowsPerSecond.toLocaleString('en')} rows/s)`,
    );
    return { events: config.events, anchorMicros, reused: false, seconds, rowsPerSecond };
  } finally {
    db.close();
  }
}
