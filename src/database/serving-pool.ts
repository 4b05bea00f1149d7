import type { Pool as PromisePool, PoolOptions } from 'mysql2/promise';
import type { AppConfig } from '../config/app-config';
import { boundedMysql2 } from './bounded-mysql2';
import { failoverFor } from './failover/database-failover';

/**
 * How every MariaDB connection of the service talks: TypeORM's and every pool of its own. One
 * statement per call, everywhere: a value that ever reached the SQL text could not append a
 * statement of its own.
 */
export const MYSQL_SESSION = {
  timezone: 'Z',
  charset: 'utf8mb4_unicode_ci',
  supportBigNumbers: true,
  bigNumberStrings: false,
  multipleStatements: false,
  // No call-site stack captured for every query (mysql2's promise API does it by default): it
  // cost about 5 % of a PATCH's CPU; an error still carries the server's code and message.
  trace: false,
};

/** Fail fast (503) instead of queueing forever while the database is away. */
export const MYSQL_POOL_EXTRA = { queueLimit: 200, enableKeepAlive: true };

/**
 * A mysql2 promise pool with the serving DataSource's settings and its DATABASE_TIMEOUT_MS
 * bounds (see bounded-mysql2.ts), for code that uses mysql2 directly (the event writer, the heavy
 * reads), following the instance's host (failover/) when DATABASE_URL lists several. Whoever
 * creates it ends it (`pool.end()`) at shutdown.
 */
export function createServingPool(config: AppConfig, options: Pick<PoolOptions, 'connectionLimit'> = {}): PromisePool {
  const { url, timeoutMs, poolSize } = config.database;
  return boundedMysql2(timeoutMs, failoverFor(config))
    .createPool({ uri: url, ...MYSQL_SESSION, ...MYSQL_POOL_EXTRA, connectTimeout: timeoutMs, connectionLimit: poolSize, ...options })
    .promise();
}
