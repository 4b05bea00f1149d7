import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { BenchConfig } from './config';
import { openPool } from './database';
import { EVENT_INSERT_COLUMNS, EventRowWriter, ScenarioData } from './scenarios';

/** What run.ts asks of the bench database besides seeding, on MariaDB or on SQLite. */
export interface BenchStore extends EventRowWriter {
  /** Deletes rows the benchmark created (newer than the seed), so the next run starts from the same data; how many. */
  removeBenchRows(anchorMicros: number): Promise<number>;
  /** Fails when sampled events are missing (a damaged or foreign seed). */
  checkSample(data: ScenarioData): Promise<void>;
  /** Kills statements still running after a measurement; how many (SQLite: none can outlive their process's request). */
  stopLeftoverQueries(): Promise<number>;
  /** Counter deltas eventlog's fold job has not folded into the totals yet (src/events/counters). */
  pendingCounterDeltas(): Promise<number>;
  /** One line about the database for the report, e.g. "MariaDB 11.8.3 (innodb_buffer_pool_size 128 MB)". */
  describe(): Promise<{ database: string; eventsTableMb: number }>;
  end(): Promise<void>;
}

const PENDING_DELTAS_SQL = 'SELECT (SELECT COUNT(*) FROM event_count_deltas) + (SELECT COUNT(*) FROM event_app_count_deltas) AS n';

const sampleKeys = (data: ScenarioData) => data.uuids.slice(0, 100).map((u) => Buffer.from(u.replace(/-/g, ''), 'hex'));
const missing = (found: number, wanted: number) =>
  new Error(`only ${found} of ${wanted} sampled events exist: reseed (drop table bench_meta)`);

function mariadbStore(config: BenchConfig): BenchStore {
  const pool = openPool(config, 2);
  return {
    async removeBenchRows(anchorMicros) {
      let removed = 0;
      for (;;) {
        const [result] = await pool.query<mysql.ResultSetHeader>('DELETE FROM events WHERE created > ? LIMIT 5000', [anchorMicros]);
        removed += result.affectedRows;
        if (result.affectedRows < 5000) return removed;
      }
    },
    async checkSample(data) {
      const some = sampleKeys(data);
      const [[row]] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE event_uuid IN (?)', [some]);
      if (Number(row.n) !== some.length) throw missing(Number(row.n), some.length);
    },
    /**
     * The ceiling's full-table COUNTs on a big table run on for minutes after the client gave up on
     * them; they are killed so they do not slow down the next measurement.
     */
    async stopLeftoverQueries() {
      const [rows] = await pool.query<mysql.RowDataPacket[]>(
        // Two seconds or more: not the last requests' statements finishing, which end on their own.
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND TIME >= 2 AND ID <> CONNECTION_ID()",
        [config.databaseName],
      );
      for (const row of rows) await pool.query('KILL QUERY ?', [row.id]).catch(() => undefined); // it may have ended meanwhile
      return rows.length;
    },
    async pendingCounterDeltas() {
      const [[row]] = await pool.query<mysql.RowDataPacket[]>(PENDING_DELTAS_SQL);
      return Number(row.n);
    },
    async describe() {
      const [[version]] = await pool.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp');
      const [[size]] = await pool.query<mysql.RowDataPacket[]>(
        `SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'`,
      );
      return {
        database: `MariaDB ${String(version.v)} (innodb_buffer_pool_size ${Math.round(Number(version.bp) / 1024 ** 2)} MB)`,
        eventsTableMb: Math.round(Number(size?.bytes ?? 0) / 1024 ** 2),
      };
    },
    async insertEvents(rows) {
      await pool.query(`INSERT INTO events (${EVENT_INSERT_COLUMNS}) VALUES ?`, [rows]);
    },
    async deleteEventsByAppPrefix(from, prefix) {
      for (;;) {
        const [result] = await pool.query<mysql.ResultSetHeader>('DELETE FROM events WHERE created >= ? AND app LIKE ? LIMIT 5000', [
          from,
          `${prefix}%`,
        ]);
        if (result.affectedRows < 5000) return;
      }
    },
    end: () => pool.end(),
  };
}

function sqliteStore(config: BenchConfig): BenchStore {
  const file = config.sqliteFile!;
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    removeBenchRows: (anchorMicros) =>
      Promise.resolve(
        withDb((db) =>
          db.transaction(() => {
            // No foreign key ties revisions to events; the created events' revisions go with them.
            db.prepare('DELETE FROM event_revisions WHERE event_uuid IN (SELECT event_uuid FROM events WHERE created > ?)').run(
              anchorMicros,
            );
            return db.prepare('DELETE FROM events WHERE created > ?').run(anchorMicros).changes;
          })(),
        ),
      ),
    checkSample: (data) =>
      Promise.resolve(
        withDb((db) => {
          const some = sampleKeys(data);
          const row = db
            .prepare(`SELECT COUNT(*) AS n FROM events WHERE event_uuid IN (${some.map(() => '?').join(', ')})`)
            .get(...some) as {
            n: number;
          };
          if (row.n !== some.length) throw missing(row.n, some.length);
        }),
      ),
    stopLeftoverQueries: () => Promise.resolve(0),
    pendingCounterDeltas: () => Promise.resolve(withDb((db) => (db.prepare(PENDING_DELTAS_SQL).get() as { n: number }).n)),
    describe: () =>
      Promise.resolve(
        withDb((db) => {
          const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
          return {
            database: `SQLite ${v} (better-sqlite3, file ${Math.round(statSync(file).size / 1024 ** 2)} MB, WAL)`,
            // The whole file: SQLite keeps no per-table size without the dbstat extension.
            eventsTableMb: Math.round(statSync(file).size / 1024 ** 2),
          };
        }),
      ),
    insertEvents: (rows) =>
      Promise.resolve(
        withDb((db) => {
          const insert = db.prepare(`INSERT INTO events (${EVENT_INSERT_COLUMNS}) VALUES (${rows[0].map(() => '?').join(', ')})`);
          db.transaction(() => rows.forEach((row) => insert.run(...row)))();
        }),
      ),
    deleteEventsByAppPrefix: (from, prefix) =>
      Promise.resolve(
        withDb((db) => {
          db.prepare("DELETE FROM events WHERE created >= ? AND app LIKE ? ESCAPE '\\'").run(from, `${prefix.replace(/[%_\\]/g, '\\$&')}%`);
        }),
      ),
    end: () => Promise.resolve(),
  };
}

export function openBenchStore(config: BenchConfig): BenchStore {
  return config.kind === 'sqlite' ? sqliteStore(config) : mariadbStore(config);
}
