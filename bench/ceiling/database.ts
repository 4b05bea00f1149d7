import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';

/**
 * The ceiling's database access, the plainest each driver offers: mysql2's pool (text protocol),
 * or one better-sqlite3 connection in the ceiling's own process (synchronous: a statement holds
 * the event loop while it runs, which is what a developer gets from better-sqlite3 as is).
 */
export type Row = Record<string, unknown>;

export interface CeilingDatabase {
  rows(sql: string, params: unknown[]): Promise<Row[]>;
  run(sql: string, params: unknown[]): Promise<void>;
  end(): Promise<void>;
}

function mariadb(url: string, poolSize: number): CeilingDatabase {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_unicode_ci',
  });
  return {
    rows: async (sql, params) => (await pool.query<mysql.RowDataPacket[]>(sql, params))[0],
    run: async (sql, params) => {
      await pool.query(sql, params);
    },
    end: () => pool.end(),
  };
}

function sqlite(file: string): CeilingDatabase {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    rows: (sql, params) => Promise.resolve(prepared(sql).all(...params) as Row[]),
    run: (sql, params) => {
      prepared(sql).run(...params);
      return Promise.resolve();
    },
    end: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

/** `sqlite:<file>` or a mysql:// URL, as eventlog's DATABASE_URL. */
export function openCeilingDatabase(url: string, poolSize: number): CeilingDatabase {
  return /^sqlite:/i.test(url) ? sqlite(url.replace(/^sqlite:(\/\/)?/i, '')) : mariadb(url, poolSize);
}
