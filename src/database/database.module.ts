import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, InjectConfig } from '../config/config.token';
import { dataSourceOptions } from './data-source-options';

/** The one DataSource; pending migrations run at start unless DATABASE_MIGRATE=false. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), retryAttempts: 2, retryDelay: 1000 }),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.runMigrations) return;
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) this.logger.log(`applied migration ${migration.name}`);
  }
}
