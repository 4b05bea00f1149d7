import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { checkpointsInBackground, SqliteCheckpointer } from './sqlite-checkpointer';

const configFor = (type: 'sqlite' | 'mysql', url: string) => ({ database: { type, url } }) as AppConfig;
const FAST = { intervalMs: 5, restartAfterPages: 50, restartWaitMs: 20 };

/** Waits until `check` holds, polling, for at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

describe('SqliteCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventlog-checkpointer-'));
    file = join(dir, 'db.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // As the serving connection would be if the thread did nothing: no copy of its own for a long time.
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (from: number, count: number) =>
    db.transaction(() => {
      const statement = db.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
      for (let i = from; i < from + count; i++) statement.run(i, 'x'.repeat(1000));
    })();
  const databaseBytes = () => statSync(file).size;
  const pageBytes = () => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

  /** The WAL header's checkpoint sequence number: it goes up each time the WAL starts over. */
  const walGeneration = () => {
    const header = readFileSync(`${file}-wal`);
    return header.length >= 16 ? header.readUInt32BE(12) : -1;
  };

  it('copies what the main connection wrote to the WAL into the database file', async () => {
    insert(0, 2000);
    expect(databaseBytes()).toBeLessThan(pageBytes() / 10); // still in the WAL

    const switches: boolean[] = [];
    const checkpointer = new SqliteCheckpointer(configFor('sqlite', file), async (on) => switches.push(on), {
      ...FAST,
      restartAfterPages: 1e9,
    });
    await checkpointer.onApplicationBootstrap();
    try {
      expect(await eventually(() => databaseBytes() >= pageBytes())).toBe(true);
    } finally {
      await checkpointer.onApplicationShutdown();
    }
    expect(switches).toEqual([false]); // the main connection's own checkpoints off, and left off by a normal stop
  });

  it('starts the WAL over while the main connection keeps committing, and every commit survives', async () => {
    insert(0, 50);
    const first = walGeneration();
    const checkpointer = new SqliteCheckpointer(configFor('sqlite', file), async () => undefined, FAST);
    await checkpointer.onApplicationBootstrap();
    let rows = 50;
    try {
      // Commits keep coming back to back, as under load (the thread runs beside this loop): a
      // copy never catches up with the last commit on its own, the RESTART makes it.
      let restarted = false;
      for (const deadline = Date.now() + 5000; !restarted && Date.now() < deadline; rows += 20) {
        insert(rows, 20);
        restarted = walGeneration() !== first;
      }
      expect(restarted).toBe(true);
    } finally {
      await checkpointer.onApplicationShutdown();
    }
    expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: rows });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('gives the main connection its own checkpoints back when the thread stops unexpectedly', async () => {
    const switches: boolean[] = [];
    const checkpointer = new SqliteCheckpointer(configFor('sqlite', join(dir, 'gone.sqlite')), async (on) => switches.push(on), FAST);
    await checkpointer.onApplicationBootstrap(); // the thread cannot open the file, and ends
    expect(await eventually(() => switches.length === 2)).toBe(true);
    expect(switches).toEqual([false, true]);
    await checkpointer.onApplicationShutdown();
  });

  it('runs only for an SQLite file', () => {
    expect(checkpointsInBackground(configFor('sqlite', '/data/eventlog.sqlite'))).toBe(true);
    expect(checkpointsInBackground(configFor('sqlite', ':memory:'))).toBe(false);
    expect(checkpointsInBackground(configFor('mysql', 'mysql://root@127.0.0.1/test'))).toBe(false);
  });

  it('leaves an in-memory database alone', async () => {
    const switches: boolean[] = [];
    const checkpointer = new SqliteCheckpointer(configFor('sqlite', ':memory:'), async (on) => switches.push(on), FAST);
    await checkpointer.onApplicationBootstrap();
    await expect(checkpointer.onApplicationShutdown()).resolves.toBeUndefined();
    expect(switches).toEqual([]);
  });
});
