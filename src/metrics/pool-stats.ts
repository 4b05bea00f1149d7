import type { DataSource } from 'typeorm';

/** A connection pool at one moment. */
export interface PoolStats {
  inUse: number;
  idle: number;
  /** Requests queued for a connection. */
  waiting: number;
  max: number;
}

/** What mysql2's Pool keeps; not in its typings, so read defensively. */
interface Mysql2PoolState {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  _closed?: boolean;
  config?: { connectionLimit?: number };
}

/**
 * A mysql2 pool's use, from its internal queues (mysql2 has no public API for it; the metrics
 * e2e test fails should an upgrade rename them). Accepts the callback pool or its promise wrapper.
 */
export function mysqlPoolStats(pool: unknown): PoolStats | null {
  const state = ((pool as { pool?: unknown }).pool ?? pool) as Mysql2PoolState;
  if (!state || state._closed || !state._allConnections || !state._freeConnections || !state._connectionQueue) return null;
  const open = state._allConnections.length;
  const idle = state._freeConnections.length;
  return { inUse: open - idle, idle, waiting: state._connectionQueue.length, max: state.config?.connectionLimit ?? 0 };
}

/**
 * The serving DataSource's pool. SQLite (better-sqlite3) is one synchronous connection: never
 * busy while a scrape (on the same thread) reads it, and nothing ever waits in a queue.
 */
export function dataSourcePoolStats(dataSource: DataSource): PoolStats | null {
  if (!dataSource.isInitialized) return null;
  if (dataSource.options.type === 'mysql') return mysqlPoolStats((dataSource.driver as unknown as { pool?: unknown }).pool);
  return { inUse: 0, idle: 1, waiting: 0, max: 1 };
}
