import type { OnApplicationShutdown } from '@nestjs/common';

/**
 * The reads whose cost a caller shapes: list pages and counts (filters, `search`), statistics
 * and the stream. They run apart from everything else, at most DATABASE_READ_CONCURRENCY at a
 * time, so that a burst of expensive ones never takes what retrieve, create, edits and readiness
 * need:
 *  - SQLite: on worker threads with read-only connections of their own (better-sqlite3 is
 *    synchronous: on the main thread one slow search froze every request);
 *  - MariaDB: on a pool of their own, beside the main one, with the same DATABASE_TIMEOUT_MS bounds.
 * Every statement is bounded by DATABASE_TIMEOUT_MS from the call (waiting included): past it, 503.
 */
export abstract class HeavyReads implements OnApplicationShutdown {
  abstract query<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]>;

  abstract onApplicationShutdown(): Promise<void>;
}
