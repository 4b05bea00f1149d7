import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions, QueryError } from 'mysql2';
import { followHosts } from './failover/follow-hosts';
import type { HostFailover } from './failover/host-failover';
import { sessionMysql2 } from './session-mysql2';

/** `code` of the errors below; `isDatabaseUnavailable` maps it to 503 like any unreachable database. */
export const DATABASE_TIMEOUT_CODE = 'DATABASE_TIMEOUT';

export class DatabaseTimeoutError extends Error {
  readonly code = DATABASE_TIMEOUT_CODE;

  constructor(step: string, timeoutMs: number) {
    super(`database timeout: ${step} took longer than ${timeoutMs} ms`);
  }
}

type Callback = (error: unknown, ...results: unknown[]) => void;
type QueryFunction = (...args: unknown[]) => unknown;

/** Wraps `callback` so that only its first call counts and `late` sees the ones after. */
function firstCallOnly(callback: Callback, late: Callback = () => undefined): Callback {
  let settled = false;
  return (error, ...results) => {
    if (settled) return late(error, ...results);
    settled = true;
    callback(error, ...results);
  };
}

/**
 * mysql2 with every wait bounded by `timeoutMs`, so that a database that is down, or up but not
 * answering (a frozen server, a black-holed network), costs a request at most about that long:
 *  - waiting for a pooled connection (which includes opening one) gives up after `timeoutMs`;
 *  - each statement gives up after `timeoutMs`, counted from the call, and the connection it ran
 *    on is destroyed, since its answer may still arrive and would confuse the next statement;
 *  - MariaDB itself aborts a statement after `timeoutMs` (`max_statement_time`), so a statement
 *    the client gave up on does not keep running and holding locks on the server.
 * mysql2 offers a connect timeout but no bound on pool waits, and its own query timeout starts
 * only when the statement reaches the front of the connection's queue. TypeORM takes this module
 * as its `driver`; it only ever calls `createPool`. Its pools set the session's sql_mode like every
 * pool of the service (session-mysql2.ts), and with several hosts follow `failover` (follow-hosts.ts):
 * inside the bounds, so a wait for the first check of the hosts is bounded too.
 */
export function boundedMysql2(timeoutMs: number, failover?: HostFailover) {
  return {
    ...mysql2,
    createPool: (options: PoolOptions): Pool => {
      const pool = sessionMysql2.createPool(options);
      return boundPool(failover ? followHosts(pool, failover) : pool, timeoutMs);
    },
  };
}

function boundPool(pool: Pool, timeoutMs: number): Pool {
  pool.on('connection', (connection: PoolConnection) => {
    boundStatements(connection, timeoutMs);
    // MariaDB only (MySQL names it max_execution_time and limits only SELECT): an error is ignored.
    connection.query(`SET SESSION max_statement_time = ${timeoutMs / 1000}`, () => undefined);
  });
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback: (error: NodeJS.ErrnoException | null, connection: PoolConnection) => unknown) => {
    // A connection that arrives after the caller gave up goes straight back to the pool.
    const settle = firstCallOnly(callback as Callback, (_error, connection) => (connection as PoolConnection | undefined)?.release());
    const timer = setTimeout(() => settle(new DatabaseTimeoutError('waiting for a connection', timeoutMs)), timeoutMs);
    getConnection((error, connection) => {
      clearTimeout(timer);
      settle(error, connection);
    });
  };
  return pool;
}

function boundStatements(connection: PoolConnection, timeoutMs: number): void {
  const query = connection.query.bind(connection) as QueryFunction;
  const bounded: QueryFunction = (...args) => {
    const last = args.length - 1;
    // Without a callback (streaming) the caller handles the events itself.
    if (typeof args[last] !== 'function') return query(...args);
    const settle = firstCallOnly(args[last] as Callback);
    const timer = setTimeout(() => {
      connection.destroy();
      settle(new DatabaseTimeoutError('a statement', timeoutMs));
    }, timeoutMs);
    args[last] = (error: QueryError | null, ...results: unknown[]) => {
      clearTimeout(timer);
      settle(error, ...results);
    };
    return query(...args);
  };
  (connection as unknown as { query: QueryFunction }).query = bounded;
}
