import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';
import { DatabaseTimeoutError } from './bounded-mysql2';

/**
 * The main SQLite connection's `busy_timeout`. better-sqlite3 waits for a lock synchronously, so
 * while another process held the write lock (`npm run purge`, a backup) a waiting write froze
 * every request for the whole timeout. It does not wait at all; `retryWhileBusy` waits instead,
 * between attempts, with the event loop free.
 */
export const MAIN_CONNECTION_BUSY_TIMEOUT_MS = 0;

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT...), also inside TypeORM's QueryFailedError. */
export function isSqliteBusy(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: unknown };
  return (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) || (driverError !== undefined && isSqliteBusy(driverError));
}

/**
 * Runs `attempt` again while it fails with SQLITE_BUSY, pausing 2, 4, ... up to 50 ms between
 * tries, for at most `timeoutMs`; then throws DatabaseTimeoutError (503). Only for work that did
 * nothing when it met the lock: one statement on its own, or a BEGIN IMMEDIATE.
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      if (Date.now() + pause > deadline) throw new DatabaseTimeoutError('waiting for the SQLite write lock', timeoutMs);
    }
    await sleep(pause);
  }
}

/**
 * Makes TypeORM's one SQLite connection wait for locks without blocking: its transactions begin
 * IMMEDIATE (they take the write lock first, so no later statement of theirs can meet it, and
 * the BEGIN alone is retried), and a statement outside a transaction is retried as it is.
 */
export function retryTypeormWhileBusy(dataSource: DataSource, timeoutMs: number): void {
  // The better-sqlite3 driver has a single query runner, shared by every caller.
  const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  (runner as { query: unknown }).query = (sql: string, ...rest: unknown[]) => {
    if (sql === 'BEGIN TRANSACTION') return retryWhileBusy(() => query('BEGIN IMMEDIATE TRANSACTION', ...rest), timeoutMs);
    // startTransaction marks the runner active before its BEGIN; after it the lock is held.
    if (runner.isTransactionActive) return query(sql, ...rest);
    return retryWhileBusy(() => query(sql, ...rest), timeoutMs);
  };
}
