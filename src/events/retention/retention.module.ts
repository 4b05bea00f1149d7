import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PurgeScheduler } from './purge.scheduler';
import { PurgeService } from './purge.service';
import { DEFAULT_RETENTION_OPTIONS, RETENTION_OPTIONS, RetentionOptions } from './retention.options';

export interface RetentionModuleOptions extends Partial<RetentionOptions> {
  /** Run the purge every 5 minutes (config.purgeEnabled). Off, `PurgeService` is still there to call. */
  schedule: boolean;
}

/** Deleting expired events (docs/api-contract.md §5): `PurgeService`, and its 5-minute schedule when enabled. */
@Module({})
export class RetentionModule {
  static forRoot({ schedule, ...options }: RetentionModuleOptions): DynamicModule {
    return {
      module: RetentionModule,
      imports: schedule ? [ScheduleModule.forRoot()] : [],
      providers: [
        { provide: RETENTION_OPTIONS, useValue: { ...DEFAULT_RETENTION_OPTIONS, ...options } },
        PurgeService,
        ...(schedule ? [PurgeScheduler] : []),
      ],
      exports: [PurgeService],
    };
  }
}
