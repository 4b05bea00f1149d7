import { rm } from 'node:fs/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Micros, nowMicros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { JobLeases } from '../database/leases/job-leases';
import { DataExportsRepository } from './data-exports.repository';
import { exportFilePath, partialExportFilePath } from './export-files';
import { ExportJobs } from './export-jobs';

/** How often expired exports are looked for (a cheap indexed query when there are none). */
export const EXPORT_CLEANUP_INTERVAL_MS = 60_000;
/** Exports deleted per query: a bounded batch, like the purge's. */
const CLEANUP_BATCH = 100;
/** The lease (job_leases) instances sharing the database take turns on. */
export const EXPORT_CLEANUP_LEASE_NAME = 'eventlog_export_cleanup';

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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly exports: DataExportsRepository,
    private readonly jobs: ExportJobs,
    private readonly leases: JobLeases,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.purgeEnabled) return;
    this.timer = setInterval(() => {
      this.deleteExpired().catch((error: Error) => this.logger.error(`deleting expired exports failed: ${error.message}`));
    }, EXPORT_CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes the exports requested at or before `now - EXPORT_RETENTION`; returns how many. One run at a time. */
  deleteExpired(now: Micros = nowMicros()): Promise<number> {
    if (this.running) return this.running;
    const cutoff = now - this.config.exports.retentionMicros;
    this.running = this.leases
      .runOnce(EXPORT_CLEANUP_LEASE_NAME, () => this.run(cutoff))
      .then((leased) => (leased.ran ? leased.result : 0))
      .finally(() => (this.running = null));
    return this.running;
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
