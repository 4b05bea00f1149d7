import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ApiException, nowMicros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { buildListFilter, csvHeaderLine, csvLines, EventRecorder, EventStreamService } from '../events';
import type { OpenedStream } from '../events';
import type { DataExportRecord } from './data-export.types';
import { DataExportsRepository } from './data-exports.repository';
import { exportFilePath, exportsDirectory, partialExportFilePath, passedMilestone, writeChunks } from './export-files';

/** A progress line per this many rows, so a long export shows it is moving. */
export const EXPORT_PROGRESS_EVERY = 10_000;

/** What a client told to wait is told to wait: a guess, exports of a few thousand events take seconds. */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

export interface ExportRequester {
  pk: number;
  username: string;
  email: string;
}

/** 429 for an export request over the limits: DRF's `{"detail"}` body, the wait in `Retry-After`. */
export class ExportsBusyException extends ApiException {
  readonly retryAfterSeconds = EXPORT_RETRY_AFTER_SECONDS;

  constructor(reason: string) {
    super(429, { detail: `${reason} Try again once one has completed.` });
  }
}

/** A running export's place in the limits; given back exactly once when it ends. */
export type ExportSlot = () => void;

/**
 * Produces export files in the background, in this process (docs/api-contract.md §3.5): the events are read
 * with the stream's keyset queries and written as CSV with backpressure, to a temporary file
 * renamed into place when complete. Then an `export_ready` event is recorded and the export
 * marked completed. A failed export stays incomplete (logged); on shutdown running exports stop
 * after their current chunk and stay incomplete too.
 *
 * Exports are bounded (issue 13): at most EXPORT_MAX_RUNNING_PER_USER per user and
 * EXPORT_MAX_RUNNING in total run at once in this process; a request over either limit is refused
 * with 429 before anything is stored (`reserve`), so no request can queue up unbounded work.
 */
@Injectable()
export class ExportJobs implements OnModuleDestroy {
  private readonly logger = new Logger(ExportJobs.name);
  private readonly running = new Set<Promise<void>>();
  private readonly runningIds = new Set<string>();
  private readonly runningByUser = new Map<number, number>();
  private runningTotal = 0;
  private stopping = false;

  constructor(
    private readonly stream: EventStreamService,
    private readonly exports: DataExportsRepository,
    private readonly events: EventRecorder,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Takes a place for a new export of `userPk`, or throws ExportsBusyException. Synchronous, so
   * concurrent requests cannot both see the last free place.
   */
  reserve(userPk: number): ExportSlot {
    const { maxRunningPerUser, maxRunning } = this.config.exports;
    const mine = this.runningByUser.get(userPk) ?? 0;
    if (mine >= maxRunningPerUser) {
      throw new ExportsBusyException(
        `You already have ${mine} export${mine === 1 ? '' : 's'} running (at most ${maxRunningPerUser} at a time).`,
      );
    }
    if (this.runningTotal >= maxRunning) throw new ExportsBusyException(`Too many exports are running (at most ${maxRunning} at a time).`);
    this.runningByUser.set(userPk, mine + 1);
    this.runningTotal += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runningTotal -= 1;
      const left = (this.runningByUser.get(userPk) ?? 1) - 1;
      if (left > 0) this.runningByUser.set(userPk, left);
      else this.runningByUser.delete(userPk);
    };
  }

  /** Produces the export in the background; its slot is given back when it ends, however it ends. */
  start(job: DataExportRecord, requester: ExportRequester, slot: ExportSlot): void {
    this.runningIds.add(job.id);
    const run: Promise<void> = this.generate(job, requester)
      .catch((error: Error) => this.logger.error(`export ${job.id} failed: ${error.message}`))
      .finally(() => {
        this.running.delete(run);
        this.runningIds.delete(job.id);
        slot();
      });
    this.running.add(run);
  }

  /** Whether this process is producing the export (its files must not be removed meanwhile). */
  isRunning(id: string): boolean {
    return this.runningIds.has(id);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async generate(job: DataExportRecord, requester: ExportRequester): Promise<void> {
    const file = exportFilePath(this.config.dataDir, job.id);
    const partial = partialExportFilePath(this.config.dataDir, job.id);
    await mkdir(exportsDirectory(this.config.dataDir), { recursive: true, mode: 0o700 });
    const opened = await this.stream.open({ filter: buildListFilter(job.queryParams, this.config.database.type) });
    const progress = { written: 0 };
    try {
      await writeChunks(this.csv(job, opened.chunks, progress), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    await this.events.record('export_ready', {
      user: requester,
      context: {
        message: 'Event export generated successfully',
        export: { app: 'authentik_reports', model_name: 'dataexport', pk: job.id.replace(/-/g, ''), name: `DataExport object (${job.id})` },
      },
    });
    await this.exports.markCompleted(job.id, nowMicros());
    this.logger.log(`export ${job.id} completed: ${progress.written} events`);
  }

  private async *csv(job: DataExportRecord, chunks: OpenedStream['chunks'], progress: { written: number }): AsyncGenerator<string> {
    yield csvHeaderLine();
    for await (const rows of chunks) {
      if (this.stopping) throw new Error('the application is shutting down');
      yield csvLines(rows);
      const milestone = passedMilestone(progress.written, progress.written + rows.length, EXPORT_PROGRESS_EVERY);
      progress.written += rows.length;
      if (milestone !== null) this.logger.log(`export ${job.id}: ${milestone} events written`);
    }
  }
}
