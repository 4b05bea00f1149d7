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
 * Read your writes on a Galera cluster (issue 16): with `wsrep_sync_wait` 1, a node first applies
 * every write set the cluster committed before a read (SELECT, SHOW, START TRANSACTION) runs, so a
 * client that wrote through one instance and node and reads (retrieve, lists and their counts,
 * history, the row a PATCH locks) through another sees its write. Set only where Galera is on
 * (`wsrep_on`), so a plain MariaDB keeps its default 0 and pays nothing; the cost on Galera is one
 * wait for the cluster's latest commit per read (a loopback or LAN round trip).
 */
export const WSREP_SYNC_WAIT = 'SET SESSION wsrep_sync_wait = IF(@@GLOBAL.wsrep_on, 1, 0)';

/**
 * Sets MYSQL_SQL_MODE on each new connection of `pool`, and WSREP_SYNC_WAIT. The pool announces a
 * connection before handing it out, and a connection runs its statements in order, so both are in
 * place before the first statement of any user; a connection that could not set the mode is never
 * used. A server without Galera's variables (not MariaDB's packages) refuses the second: ignored.
 */
export function withSqlMode(pool: Pool): Pool {
  pool.on('connection', (connection: PoolConnection) => {
    connection.query(`SET SESSION sql_mode = '${MYSQL_SQL_MODE}'`, (error) => {
      if (error) connection.destroy();
    });
    connection.query(WSREP_SYNC_WAIT, () => undefined);
  });
  return pool;
}

/** mysql2 whose pools set MYSQL_SQL_MODE; TypeORM takes it as its `driver` and only ever calls `createPool`. */
export const sessionMysql2 = { ...mysql2, createPool: (options: PoolOptions): Pool => withSqlMode(mysql2.createPool(options)) };
