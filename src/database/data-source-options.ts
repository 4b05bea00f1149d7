import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { entitiesFor } from './entities';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * One place that turns configuration into TypeORM options, used by the app and by the
 * TypeORM CLI (`ormconfig.ts`). Schema changes only ever come from migrations.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: entitiesFor(config.database.type),
    synchronize: false,
    migrationsRun: false, // run explicitly at start, see DatabaseModule
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error' as const],
  };
  if (config.database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      url: config.database.url,
      migrations: MYSQL_MIGRATIONS,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      supportBigNumbers: true,
      bigNumberStrings: false,
      connectTimeout: config.database.timeoutMs,
      poolSize: config.database.poolSize,
      extra: {
        // Fail fast (503) instead of queueing forever while the database is away.
        queueLimit: 200,
        enableKeepAlive: true,
      },
    };
  }
  if (config.database.url !== ':memory:') mkdirSync(dirname(config.database.url), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.url,
    migrations: SQLITE_MIGRATIONS,
    enableWAL: config.database.url !== ':memory:',
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma(`busy_timeout = ${config.database.timeoutMs}`);
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
    },
  };
}
