import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { nowMicros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import type { EventRecord } from '../event.types';
import { buildListFilter } from '../query';
import { EventRecorder } from '../recording';
import { csvHeaderLine, csvLines } from '../stream/event-csv';
import { EventStreamService } from '../stream/event-stream.service';
import type { DataExportRecord } from './data-export.types';
import { DataExportsRepository } from './data-exports.repository';
import { exportFilePath, exportsDirectory, passedMilestone } from './export-files';

/** A progress line per this many rows, so a long export shows it is moving. */
export const EXPORT_PROGRESS_EVERY = 10_000;

export interface ExportRequester {
  pk: number;
  username: string;
  email: string;
}

/**
 * Produces export files in the background, in this process (SPEC §3.5): the events are read
 * with the stream's keyset queries and written as CSV with backpressure, to a temporary file
 * renamed into place when complete. Then an `export_ready` event is recorded and the export
 * marked completed. A failed export stays incomplete (logged); on shutdown running exports stop
 * after their current chunk and stay incomplete too.
 */
@Injectable()
export class ExportJobs implements OnModuleDestroy {
  private readonly logger = new Logger(ExportJobs.name);
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly stream: EventStreamService,
    private readonly exports: DataExportsRepository,
    private readonly events: EventRecorder,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  start(job: DataExportRecord, requester: ExportRequester): void {
    const run: Promise<void> = this.generate(job, requester)
      .catch((error: Error) => this.logger.error(`export ${job.id} failed: ${error.message}`))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async generate(job: DataExportRecord, requester: ExportRequester): Promise<void> {
    const file = exportFilePath(this.config.dataDir, job.id);
    const partial = `${file}.partial`;
    await mkdir(exportsDirectory(this.config.dataDir), { recursive: true, mode: 0o700 });
    const opened = await this.stream.open({ filter: buildListFilter(job.queryParams, this.config.database.type) });
    const progress = { written: 0 };
    try {
      await pipeline(Readable.from(this.csv(job, opened.chunks, progress)), createWriteStream(partial, { mode: 0o600 }));
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

  private async *csv(job: DataExportRecord, chunks: AsyncIterable<EventRecord[]>, progress: { written: number }): AsyncGenerator<string> {
    yield csvHeaderLine();
    for await (const events of chunks) {
      if (this.stopping) throw new Error('the application is shutting down');
      yield csvLines(events);
      const milestone = passedMilestone(progress.written, progress.written + events.length, EXPORT_PROGRESS_EVERY);
      progress.written += events.length;
      if (milestone !== null) this.logger.log(`export ${job.id}: ${milestone} events written`);
    }
  }
}
