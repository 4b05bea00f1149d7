import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { RetentionModule } from '../events/retention/retention.module';
import { LoggingModule } from '../logging/logging.module';

/** Just what one purge needs: configuration, logs, the database and `PurgeService`; no HTTP, no schedule. */
@Module({})
export class PurgeCommandModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PurgeCommandModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RetentionModule.forRoot({ schedule: false, revisionRetentionMicros: config.revisionRetentionMicros }),
      ],
    };
  }
}
