import { rm } from 'node:fs/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Micros, nowMicros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { JobLeases } from '../database/leases/job-leases';
import { LeasedJob } from '../database/leases/leased-job';
import { DataExportsRepository } from './data-exports.repository';
import { exportFilePath, partialExportFilePath } from './export-files';
import { ExportJobs } from './export-jobs';

/** How often expired exports are looked for (a cheap indexed query when there are none). */
export const EXPORT_CLEANUP_INTERVAL_MS = 60_000;
/** Exports deleted per query: a bounded batch, like the purge's. */
const CLEANUP_BATCH = 100;
/** The lease (job_leases) instances sharing the database take turns on. */
const EXPORT_CLEANUP_LEASE_NAME = 'eventlog_export_cleanup';

/**
 * Deletes exports EXPORT_RETENTION after they were requested: the file (and any unfinished one),
 * then the row, so a crash in between leaves a row whose download answers 404 and is deleted by
 * the next run. Runs every minute while PURGE_ENABLED (the same switch as the events' purge);
 * exports this process is still producing are left for a later run. One instance at a time across
 * those sharing the database runs it (the lease `eventlog_export_cleanup`, see JobLeases).
 */
@Injectable()
export class ExportCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExportCleanup.name);
  private readonly job: LeasedJob<number>;

  constructor(
    private readonly exports: DataExportsRepository,
    private readonly jobs: ExportJobs,
    leases: JobLeases,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.job = new LeasedJob(leases, EXPORT_CLEANUP_LEASE_NAME, 0);
  }

  onApplicationBootstrap(): void {
    if (!this.config.purgeEnabled) return;
    this.job.every(EXPORT_CLEANUP_INTERVAL_MS, () => this.deleteExpired(), this.logger, 'deleting expired exports failed');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Deletes the exports requested at or before `now - EXPORT_RETENTION`; returns how many. One run at a time. */
  deleteExpired(now: Micros = nowMicros()): Promise<number> {
    const cutoff = now - this.config.exports.retentionMicros;
    return this.job.run(() => this.run(cutoff));
  }

  private async run(cutoff: Micros): Promise<number> {
    let deleted = 0;
    for (;;) {
      const found = await this.exports.requestedUpTo(cutoff, CLEANUP_BATCH);
      const ids = found.filter((id) => !this.jobs.isRunning(id));
      for (const id of ids) {
        await rm(exportFilePath(this.config.dataDir, id), { force: true });
        await rm(partialExportFilePath(this.config.dataDir, id), { force: true });
        await this.exports.delete(id);
        deleted += 1;
      }
      // The last batch, or one made only of running exports (the next query would return them again).
      if (found.length < CLEANUP_BATCH || ids.length === 0) break;
    }
    if (deleted > 0) this.logger.log(`deleted ${deleted} expired exports`);
    return deleted;
  }
}
