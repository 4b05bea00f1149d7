import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, InjectConfig } from '../config/config.token';
import { createHeavyReads } from './create-heavy-reads';
import { commitCheckpointsPragma, dataSourceOptions } from './data-source-options';
import { HeavyReads } from './heavy-reads';
import { JobLeases } from './leases/job-leases';
import { Dialect, dialectFor } from './sql';
import { retryTypeormWhileBusy } from './sqlite-busy';
import { SqliteCheckpointer } from './sqlite-checkpointer';

/**
 * The one DataSource, the `Dialect` every statement is built with, `HeavyReads` for the
 * reads a caller can make expensive, and `JobLeases` for jobs run once across instances; pending
 * migrations run at start unless DATABASE_MIGRATE=false. On an SQLite file a thread copies the
 * WAL back (SqliteCheckpointer).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config, { serving: true }), retryAttempts: 2, retryDelay: 1000 }),
    }),
  ],
  providers: [
    {
      provide: HeavyReads,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => createHeavyReads(config, dataSource),
    },
    { provide: Dialect, inject: [APP_CONFIG], useFactory: (config: AppConfig) => dialectFor(config.database.type) },
    JobLeases,
    {
      provide: SqliteCheckpointer,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) =>
        new SqliteCheckpointer(config, (on) => dataSource.query(`PRAGMA ${commitCheckpointsPragma(on)}`)),
    },
  ],
  exports: [HeavyReads, Dialect, JobLeases],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.type === 'sqlite') retryTypeormWhileBusy(this.dataSource, this.config.database.timeoutMs);
    if (!this.config.database.runMigrations) return;
    const applied = await this.runMigrations();
    for (const migration of applied) this.logger.log(`applied migration ${migration.name}`);
  }

  /**
   * A migration may take long (ALTER TABLE on a big table), so on MariaDB it runs on a connection
   * of its own, free of the serving pool's statement time limit. SQLite has no such limit (and an
   * in-memory database exists only on the serving connection).
   */
  private async runMigrations() {
    if (this.config.database.type !== 'mysql') return this.dataSource.runMigrations({ transaction: 'each' });
    const oneConnection = { ...this.config, database: { ...this.config.database, poolSize: 1 } };
    const migrator = new DataSource(dataSourceOptions(oneConnection));
    await migrator.initialize();
    try {
      return await migrator.runMigrations({ transaction: 'each' });
    } finally {
      await migrator.destroy();
    }
  }
}
