import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';

/**
 * The `sql_mode` the service's SQL is written for, set on every connection it opens, so that a
 * server configured otherwise cannot change what a statement means:
 *  - no NO_BACKSLASH_ESCAPES: mysql2 interpolates values client-side and escapes a quote as `\'`;
 *    under that mode `\` is an ordinary character, the quote ends the string and the rest of the
 *    value would run as SQL. The LIKE conditions' `ESCAPE '\\'` relies on it too;
 *  - no ANSI_QUOTES, PIPES_AS_CONCAT, ONLY_FULL_GROUP_BY, ...: nothing the queries are not written for;
 *  - STRICT_TRANS_TABLES: a value that does not fit its column is an error, never silently cut.
 * The rest is MariaDB's default.
 */
export const MYSQL_SQL_MODE = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/**
 * Sets MYSQL_SQL_MODE on each new connection of `pool`. The pool announces a connection before
 * handing it out, and a connection runs its statements in order, so the mode is in place before
 * the first statement of any user; a connection that could not set it is never used.
 */
export function withSqlMode(pool: Pool): Pool {
  pool.on('connection', (connection: PoolConnection) => {
    connection.query(`SET SESSION sql_mode = '${MYSQL_SQL_MODE}'`, (error) => {
      if (error) connection.destroy();
    });
  });
  return pool;
}

/** mysql2 whose pools set MYSQL_SQL_MODE; TypeORM takes it as its `driver` and only ever calls `createPool`. */
export const sessionMysql2 = { ...mysql2, createPool: (options: PoolOptions): Pool => withSqlMode(mysql2.createPool(options)) };
