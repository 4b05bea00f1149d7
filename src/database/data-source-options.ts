import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { boundedMysql2 } from './bounded-mysql2';
import { entitiesFor } from './entities';
import { failoverFor } from './failover/database-failover';
import { sessionMysql2FollowingHosts } from './failover/follow-hosts';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import { MYSQL_POOL_EXTRA, MYSQL_SESSION } from './serving-pool';
import { MAIN_CONNECTION_BUSY_TIMEOUT_MS } from './sqlite-busy';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceUse {
  /**
   * The DataSource that serves requests: on MariaDB every pool wait and statement is bounded by
   * DATABASE_TIMEOUT_MS (see bounded-mysql2.ts). Off for migrations, the CLI and bulk tools,
   * whose statements may rightly take long.
   */
  serving?: boolean;
}

/**
 * WAL pages after which a commit copies the WAL back into the database file (SQLite's default is
 * 1 000), while no checkpointer thread does it (sqlite-checkpointer.ts: the TypeORM CLI,
 * migrations at start, a thread that stopped). That copy runs inside the committing call, on the
 * event loop, and costs what the WAL holds: measured under the bench's PATCH load on 1M events,
 * transactions over 15 ms went from 268-274 to 32-35 a run and the longest from 37-43 ms to
 * 24-27 ms with 250, the longest event-loop block from 46-48 ms to 35-36 ms and PATCH p99 from
 * 43-44 to 32-36 ms; creates lost about a tenth (1 627-1 685 against 1 440-1 504 req/s: a larger
 * WAL lets more writes to one page share a copy). The embedded default favours never stalling the
 * loop.
 */
const WAL_AUTOCHECKPOINT_PAGES = 250;

/** The pragma that gives commits their own checkpoints (above), or takes them away while the checkpointer thread runs. */
export function commitCheckpointsPragma(on: boolean): string {
  return `wal_autocheckpoint = ${on ? WAL_AUTOCHECKPOINT_PAGES : 0}`;
}

/**
 * One place that turns configuration into TypeORM options, used by the app and by the
 * TypeORM CLI (`ormconfig.ts`). Schema changes only ever come from migrations.
 */
export function dataSourceOptions(config: AppConfig, { serving = false }: DataSourceUse = {}): DataSourceOptions {
  const common = {
    entities: entitiesFor(config.database.type),
    synchronize: false,
    migrationsRun: false, // run explicitly at start, see DatabaseModule
    namingStrategy: new SnakeNamingStrategy(),
    // Failures reach the error filter, which logs them without SQL parameters (digests, keys).
    logging: false,
  };
  if (config.database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      // Either way the pool sets the session's sql_mode, which the SQL and its escaping rely on, and
      // follows the instance's choice among several hosts (failover/); `url` names the first one.
      driver: serving ? boundedMysql2(config.database.timeoutMs, failoverFor(config)) : sessionMysql2FollowingHosts(failoverFor(config)),
      url: config.database.url,
      migrations: MYSQL_MIGRATIONS,
      ...MYSQL_SESSION,
      connectTimeout: config.database.timeoutMs,
      poolSize: config.database.poolSize,
      extra: MYSQL_POOL_EXTRA,
    };
  }
  // Only DATA_DIR is ours to create; another missing folder is a typo (see database-check.ts).
  if (config.database.url !== ':memory:' && resolve(dirname(config.database.url)) === resolve(config.dataDir)) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.url,
    migrations: SQLITE_MIGRATIONS,
    enableWAL: config.database.url !== ':memory:',
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // Serving: waits for the write lock happen between retries (sqlite-busy.ts), not inside the driver.
      db.pragma(`busy_timeout = ${serving ? MAIN_CONNECTION_BUSY_TIMEOUT_MS : config.database.timeoutMs}`);
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      db.pragma(commitCheckpointsPragma(true));
    },
  };
}
