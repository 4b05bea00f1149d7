import { randomUUID } from 'node:crypto';
import cliProgress from 'cli-progress';
import mysql from 'mysql2/promise';
import { USERS } from './lib/catalog';
import { BenchConfig, loadBenchConfig } from './lib/config';
import { withoutSecondaryIndexes } from './lib/bulk-indexes';
import { BenchMeta, migrate, openPool, readMeta, recreateDatabase, schemaIsCurrent } from './lib/database';
import { DATASET_VERSION, EventGenerator, SeedResult } from './lib/dataset';
import { seedSqlite } from './lib/sqlite-seed';

const EVENT_COLUMNS = '(event_uuid, `user`, action, app, context, client_ip, created, expires, brand)';

/**
 * Seeds the bench database with `config.events` deterministic events (see dataset.ts) and the
 * 5 000 users they refer to. A database already seeded with the same size, generator and schema
 * is reused; otherwise the bench database is recreated from the product's migrations and filled.
 */
export async function seed(config: BenchConfig): Promise<SeedResult> {
  if (config.kind === 'sqlite') return seedSqlite(config);
  const existing = await readMeta(config);
  if (existing && (await reusable(config, existing))) {
    console.log(`seed: reusing ${config.events.toLocaleString('en')} events in ${config.databaseName}`);
    return { events: config.events, anchorMicros: Number(existing.anchor), reused: true, seconds: 0, rowsPerSecond: 0 };
  }
  console.log(`seed: (re)creating database ${config.databaseName} from the product's migrations`);
  await recreateDatabase(config);
  const pool = openPool(config, config.seedConnections);
  // Bulk load: the generator guarantees unique keys, and no foreign key points into the rows.
  pool.on('connection', (c) => c.query('SET SESSION unique_checks = 0, foreign_key_checks = 0'));
  const meta = new BenchMeta(pool);
  try {
    const anchorMicros = Date.now() * 1000;
    await meta.ensure();
    await meta.write({ version: DATASET_VERSION, events: config.events, anchor: anchorMicros, complete: 'false' });
    await seedUsers(pool, anchorMicros);
    const started = Date.now();
    const generator = new EventGenerator(config.events, anchorMicros);
    await withoutSecondaryIndexes(pool, 'events', () => seedEvents(pool, config, generator));
    process.stdout.write('seed: ANALYZE TABLE events ... ');
    await pool.query('ANALYZE TABLE events');
    console.log('done');
    const seconds = (Date.now() - started) / 1000;
    await meta.write({ complete: 'true', seeded_seconds: seconds.toFixed(1) });
    const rowsPerSecond = Math.round(config.events / seconds);
    console.log(
      `seed: ${config.events.toLocaleString('en')} events in ${seconds.toFixed(1)} s including indexes (${rowsPerSecond.toLocaleString('en')} rows/s)`,
    );
    return { events: config.events, anchorMicros, reused: false, seconds, rowsPerSecond };
  } finally {
    await pool.end();
  }
}

async function reusable(config: BenchConfig, meta: Record<string, string>): Promise<boolean> {
  if (meta.complete !== 'true' || Number(meta.events) !== config.events) return false;
  if (Number(meta.version) !== DATASET_VERSION) return false;
  // New migrations are applied to the seeded data, as in a deployment; an edited one forces a reseed.
  await migrate(config);
  if (!(await schemaIsCurrent(config))) {
    console.log(`seed: the product's migrations changed the schema since ${config.databaseName} was seeded`);
    return false;
  }
  const pool = openPool(config, 1);
  try {
    return (await countSeeded(pool, Number(meta.anchor))) === config.events;
  } finally {
    await pool.end();
  }
}

/** Rows the seed wrote (rows the benchmark itself created are newer than the anchor). */
export async function countSeeded(pool: mysql.Pool, anchorMicros: number): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE created <= ?', [anchorMicros]);
  return Number(rows[0].n);
}

async function seedUsers(pool: mysql.Pool, anchorMicros: number): Promise<void> {
  const rows = USERS.map((u) => [
    u.pk,
    randomUUID(),
    u.username,
    u.name,
    u.email,
    1,
    anchorMicros,
    anchorMicros,
    anchorMicros,
    'users',
    'internal',
    '{}',
  ]);
  for (let i = 0; i < rows.length; i += 1000) {
    await pool.query(
      `INSERT IGNORE INTO users (id, uuid, username, name, email, is_active, date_joined, last_updated, last_login, path, type, attributes) VALUES ?`,
      [rows.slice(i, i + 1000)],
    );
  }
}

/**
 * Row indexes sorted by event_uuid. Inserting random (v4) keys in key order appends to the
 * clustered index instead of splitting random pages, which keeps the load fast once the table
 * outgrows the buffer pool. What ends up in the table is the same.
 */
function primaryKeyOrder(generator: EventGenerator, total: number): Uint32Array {
  const keyed = new BigUint64Array(total);
  for (let i = 0; i < total; i++) keyed[i] = (BigInt(generator.uuidPrefix(i)) << 32n) | BigInt(i);
  keyed.sort();
  const order = new Uint32Array(total);
  for (let j = 0; j < total; j++) order[j] = Number(keyed[j] & 0xffffffffn);
  return order;
}

async function seedEvents(pool: mysql.Pool, config: BenchConfig, generator: EventGenerator): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format: 'seed: events |{bar}| {percentage}% {value}/{total} | {rate} rows/s | ETA {eta_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const order = primaryKeyOrder(generator, config.events);
  bar.start(config.events, 0, { rate: 0 });
  const started = Date.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < config.events) {
      const from = next;
      const to = Math.min(config.events, from + config.rowsPerInsert);
      next = to;
      const values = [];
      for (let j = from; j < to; j++) {
        const e = generator.row(order[j]);
        values.push([
          e.uuid,
          JSON.stringify(e.user),
          e.action,
          e.app,
          JSON.stringify(e.context),
          e.clientIp,
          e.created,
          e.expires,
          JSON.stringify(e.brand),
        ]);
      }
      await pool.query(`INSERT INTO events ${EVENT_COLUMNS} VALUES ?`, [values]);
      done += to - from;
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) });
    }
  };
  try {
    await Promise.all(Array.from({ length: config.seedConnections }, worker));
  } finally {
    bar.stop();
  }
}

if (require.main === module) {
  seed(loadBenchConfig()).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('seed failed:', error);
      process.exit(1);
    },
  );
}
