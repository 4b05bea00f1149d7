import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeService } from './purge.service';

export const PURGE_JOB_NAME = 'purge-expired-events';

/** Runs the purge every 5 minutes (registered only when PURGE_ENABLED, see RetentionModule). */
@Injectable()
export class PurgeScheduler {
  private readonly logger = new Logger(PurgeScheduler.name);

  constructor(private readonly purge: PurgeService) {}

  @Cron(CronExpression.EVERY_5_MINUTES, { name: PURGE_JOB_NAME, waitForCompletion: true })
  async purgeExpiredEvents(): Promise<void> {
    try {
      await this.purge.purgeExpired();
    } catch (error) {
      // The next tick tries again; a failed run must not take the process down.
      this.logger.error(`purge failed: ${(error as Error).message}`);
    }
  }
}
