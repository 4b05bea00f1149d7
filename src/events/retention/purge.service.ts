import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { Micros, nowMicros } from '@app/common';
import { AppMetrics } from '../../metrics/app-metrics';
import { EVENT_TABLE } from '../event.entity';
import { deleteByEventUuidsSql, MYSQL_PURGE_SQL, SQLITE_PURGE_SQL } from './purge-queries';
import { RETENTION_OPTIONS, RetentionOptions } from './retention.options';

/** `interrupted`: the application began shutting down; the next run deletes the rest. */
export interface PurgeDone {
  status: 'completed' | 'interrupted';
  deleted: number;
  batches: number;
}

export interface PurgeSkipped {
  status: 'skipped';
  reason: 'running in this process' | 'running on another instance';
}

export type PurgeResult = PurgeDone | PurgeSkipped;

export interface PurgeRequest {
  /** Events with `expires <= now` are deleted; fixed for the whole run. Default: the current time. */
  now?: Micros;
  batchSize?: number;
}

/**
 * Deletes expired events (SPEC §5) in bounded batches, each in its own short transaction, together
 * with their rows in the dependent tables. At most one run at a time: within the process, a
 * second call while one runs is skipped; across instances sharing a MariaDB database, a named
 * database lock decides (SQLite serves a single instance).
 */
@Injectable()
export class PurgeService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PurgeService.name);
  private running: Promise<PurgeResult> | null = null;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(RETENTION_OPTIONS) private readonly options: RetentionOptions,
    // Absent in the purge command, which has no metrics to serve.
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  purgeExpired(request: PurgeRequest = {}): Promise<PurgeResult> {
    if (this.running) return Promise.resolve(this.counted({ status: 'skipped', reason: 'running in this process' }));
    const run = this.run(request.now ?? nowMicros(), request.batchSize ?? this.options.batchSize).then(
      (result) => this.counted(result),
      (error: unknown) => {
        this.metrics?.purgeFinished('failed');
        throw error;
      },
    );
    this.running = run.finally(() => (this.running = null));
    return this.running;
  }

  private counted(result: PurgeResult): PurgeResult {
    this.metrics?.purgeFinished(result);
    return result;
  }

  /** Lets a running purge finish its current batch instead of losing its connection mid-way. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async run(now: Micros, batchSize: number): Promise<PurgeResult> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      if (this.isMysql && !(await this.acquireLock(runner))) {
        this.logger.debug('purge skipped: another instance is purging');
        return { status: 'skipped', reason: 'running on another instance' };
      }
      try {
        const result = await this.deleteExpired(runner, now, batchSize);
        const message = `purged ${result.deleted} expired events in ${result.batches} batches`;
        if (result.deleted > 0 || result.status === 'interrupted') this.logger.log(`${message} (${result.status})`);
        else this.logger.debug(message);
        return result;
      } finally {
        // Should the connection be gone, MariaDB has released its lock already.
        if (this.isMysql) {
          await runner
            .query(MYSQL_PURGE_SQL.releaseLock)
            .catch((error: Error) => this.logger.warn(`releasing the purge lock failed: ${error.message}`));
        }
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteExpired(runner: QueryRunner, now: Micros, batchSize: number): Promise<PurgeDone> {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (this.stopping) return { status: 'interrupted', deleted, batches };
      const batch = await this.deleteBatch(runner, now, batchSize);
      if (batch.found === 0) break;
      deleted += batch.deleted;
      batches += 1;
      if (batch.found < batchSize) break;
    }
    return { status: 'completed', deleted, batches };
  }

  /** One short transaction: find up to `batchSize` expired events, delete their dependents and them. */
  private async deleteBatch(runner: QueryRunner, now: Micros, batchSize: number): Promise<{ found: number; deleted: number }> {
    // READ COMMITTED: no gap locks, so concurrent creates (events and revisions) never deadlock with a batch.
    await runner.startTransaction(this.isMysql ? 'READ COMMITTED' : undefined);
    try {
      const sql = this.isMysql ? MYSQL_PURGE_SQL : SQLITE_PURGE_SQL;
      const rows: { event_uuid: Buffer }[] = await runner.query(sql.selectExpiredBatch, [now, batchSize]);
      const uuids = rows.map((row) => row.event_uuid);
      let deleted = 0;
      if (uuids.length > 0) {
        for (const table of this.options.dependentTables) await runner.query(deleteByEventUuidsSql(table, uuids.length), uuids);
        const result = await runner.query(deleteByEventUuidsSql(EVENT_TABLE, uuids.length), uuids, true);
        deleted = result.affected ?? 0;
      }
      await runner.commitTransaction();
      return { found: uuids.length, deleted };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /** GET_LOCK belongs to the connection: the runner keeps that one connection for the whole run. */
  private async acquireLock(runner: QueryRunner): Promise<boolean> {
    const [row]: { acquired: number | string | null }[] = await runner.query(MYSQL_PURGE_SQL.acquireLock);
    return Number(row?.acquired) === 1;
  }

  private get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }
}
