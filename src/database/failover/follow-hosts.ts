import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import { sessionMysql2 } from '../session-mysql2';
import type { HostFailover } from './host-failover';

/** What mysql2's Pool keeps of the settings its new connections copy; not in its typings. */
interface Mysql2PoolInternals {
  config: { connectionLimit: number; connectionConfig: { host: string; port: number } };
}

type ConnectionCallback = (error: NodeJS.ErrnoException | null, connection: PoolConnection) => unknown;

/**
 * Makes `pool` connect to `failover`'s current host. Each connection stays on the host it was
 * opened to, so a transaction (one connection) never spans two hosts; after a failover, every
 * connection to the host left behind is closed when it would next be handed out, and new ones go
 * to the current host (mysql2 copies the pool's connection settings for each new connection).
 * The first connection waits for the first check of the hosts; a connection that cannot be opened
 * makes `failover` check the hosts at once. Ending the pool stops its share of the periodic checks.
 */
export function followHosts(pool: Pool, failover: HostFailover): Pool {
  const { config } = pool as unknown as Mysql2PoolInternals;
  failover.open();
  const getConnection = pool.getConnection.bind(pool);
  const onCurrentHost = (connection: PoolConnection) => {
    const { host, port } = connection.config;
    return host === failover.current.host && Number(port) === failover.current.port;
  };
  const attempt = (callback: ConnectionCallback, closable: number) => {
    config.connectionConfig.host = failover.current.host;
    config.connectionConfig.port = failover.current.port;
    getConnection((error, connection) => {
      if (error) {
        failover.suspect();
        return callback(error, connection);
      }
      if (onCurrentHost(connection) || closable === 0) return callback(null, connection);
      connection.destroy();
      attempt(callback, closable - 1);
    });
  };
  pool.getConnection = (callback: ConnectionCallback) => {
    // At most every pooled connection is on the old host; one more try opens a new one.
    void failover.ready().then(() => attempt(callback, config.connectionLimit + 1));
  };
  const end = pool.end.bind(pool) as Pool['end'];
  let ended = false;
  pool.end = ((callback?: (error: NodeJS.ErrnoException | null) => void) => {
    if (!ended) failover.close();
    ended = true;
    return end(callback);
  }) as Pool['end'];
  return pool;
}

/** sessionMysql2 whose pools follow `failover` (none: sessionMysql2 itself); for TypeORM's unbounded DataSources (migrations, CLI). */
export function sessionMysql2FollowingHosts(failover: HostFailover | undefined): typeof sessionMysql2 {
  if (!failover) return sessionMysql2;
  return { ...sessionMysql2, createPool: (options: PoolOptions): Pool => followHosts(sessionMysql2.createPool(options), failover) };
}
