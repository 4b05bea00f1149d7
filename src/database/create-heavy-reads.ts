import type { DataSource } from 'typeorm';
import type { Pool } from 'mysql2/promise';
import type { QueryValues } from 'mysql2';
import type { AppConfig } from '../config/app-config';
import { HeavyReads } from './heavy-reads';
import { createServingPool } from './serving-pool';
import { SqliteReadWorkers } from './sqlite-read-workers';

export function createHeavyReads(config: AppConfig, dataSource: DataSource): HeavyReads {
  const { type, url, timeoutMs, readConcurrency } = config.database;
  if (type === 'mysql') return new MysqlHeavyReads(createServingPool(config, { connectionLimit: readConcurrency }));
  // An in-memory database exists only on the main connection: no worker can open it.
  if (url === ':memory:') return new MainConnectionReads(dataSource);
  return new SqliteReadWorkers(url, readConcurrency, timeoutMs);
}

class MysqlHeavyReads extends HeavyReads {
  constructor(private readonly pool: Pool) {
    super();
  }

  async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const [rows] = await this.pool.query(sql, [...params] as QueryValues);
    return rows as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** `:memory:` SQLite (tests, experiments): no isolation, the reads run on the main connection. */
class MainConnectionReads extends HeavyReads {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.dataSource.query(sql, [...params]);
  }

  async onApplicationShutdown(): Promise<void> {}
}
