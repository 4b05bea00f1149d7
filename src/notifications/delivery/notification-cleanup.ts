import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, MoreThan } from 'typeorm';
import { Micros, nowMicros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { JobLeases } from '../../database/leases/job-leases';
import { LeasedJob } from '../../database/leases/leased-job';
import { EventsService } from '../../events';
import { Notification } from '../entities/notification.entity';
import { DeliverySql } from './delivery-sql';
import { QueueTransactions } from './queue-transactions';

/** authentik's `notification_cleanup` runs every 8 hours. */
export const NOTIFICATION_CLEANUP_INTERVAL_MS = 8 * 60 * 60 * 1000;
/** The lease (job_leases) instances sharing the database take turns on. */
export const NOTIFICATION_CLEANUP_LEASE_NAME = 'eventlog_notification_cleanup';
/** Rows per statement: bounded batches, like the purge's. */
const BATCH = 500;

export interface CleanupResult {
  notifications: number;
  deliveries: number;
}

/**
 * authentik's `notification_cleanup` ("Cleanup seen notifications and notifications whose event
 * expired."): deletes every notification that is seen or whose event is gone (expired, purged or
 * deleted; authentik's foreign key turns it null then). And eventlog's delivery log retention:
 * deliveries finished (delivered, failed, skipped) more than NOTIFICATION_DELIVERY_RETENTION
 * ago. Pending deliveries are never pruned. Every 8 hours while PURGE_ENABLED (the switch of the
 * other clean-ups), one instance at a time (the lease `eventlog_notification_cleanup`).
 */
@Injectable()
export class NotificationCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationCleanup.name);
  private readonly job: LeasedJob<CleanupResult>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    leases: JobLeases,
    private readonly events: EventsService,
    private readonly queue: QueueTransactions,
    private readonly sql: DeliverySql,
  ) {
    this.job = new LeasedJob(leases, NOTIFICATION_CLEANUP_LEASE_NAME, { notifications: 0, deliveries: 0 });
  }

  onApplicationBootstrap(): void {
    if (!this.config.purgeEnabled) return;
    this.job.every(NOTIFICATION_CLEANUP_INTERVAL_MS, () => this.run(), this.logger, 'notification cleanup failed');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One run now (nothing when another instance holds the lease); what it deleted. One run at a time. */
  run(now: Micros = nowMicros()): Promise<CleanupResult> {
    return this.job.run(() => this.cleanup(now));
  }

  private async cleanup(now: Micros): Promise<CleanupResult> {
    const notifications = await this.deleteNotifications();
    let deliveries = 0;
    for (;;) {
      const pruned = await this.queue.run(this.sql.pruneFinished(now - this.config.notifications.deliveryRetentionMicros, BATCH));
      deliveries += pruned;
      if (pruned < BATCH) break;
    }
    if (notifications + deliveries > 0) this.logger.log(`deleted ${notifications} notifications and ${deliveries} finished deliveries`);
    return { notifications, deliveries };
  }

  private async deleteNotifications(): Promise<number> {
    const repository = this.dataSource.getRepository(Notification);
    let deleted = (await repository.delete({ seen: true })).affected ?? 0;
    deleted += (await repository.delete({ eventUuid: IsNull() })).affected ?? 0;
    // The rest, in key order, a batch at a time: those whose event is no longer visible.
    let after = '';
    for (;;) {
      const rows = await repository.find({
        select: { uuid: true, eventUuid: true },
        where: { uuid: MoreThan(after) },
        order: { uuid: 'ASC' },
        take: BATCH,
      });
      if (rows.length === 0) break;
      const visible = await this.events.visibleUuids([...new Set(rows.map((row) => row.eventUuid!))]);
      const gone = rows.filter((row) => !visible.has(row.eventUuid!)).map((row) => row.uuid);
      if (gone.length > 0) deleted += (await repository.delete({ uuid: In(gone) })).affected ?? 0;
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].uuid;
    }
    return deleted;
  }
}
