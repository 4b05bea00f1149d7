import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { Micros, nowMicros } from '@app/common';
import { HeldLease, JobLeases } from '../../database/leases/job-leases';
import { affectedRows, Dialect, SqlCondition } from '../../database/sql';
import { AppMetrics } from '../../metrics/app-metrics';
import { EVENT_TABLE } from '../event.entity';
import { ChainedEventRow, toEventRecord } from '../event-row';
import { removalRevision } from '../revisions/revision-builder';
import { chainHeadOf } from '../revisions/revision-rows';
import { RevisionSql } from '../revisions/revision-sql';
import type { EventRevision, EventState } from '../revisions/revision.types';
import { chunksOf, ExpiredRow } from './purge-chunks';
import { PURGE_LEASE_NAME, PurgeQueries } from './purge-queries';
import type { PurgeDone, PurgeResult } from './purge.types';
import { RETENTION_OPTIONS, RetentionOptions } from './retention.options';

export interface PurgeRequest {
  /**
   * Events with `expires <= now` are deleted, revisions recorded at or before
   * `now - REVISION_RETENTION` too; fixed for the whole run. Default: the current time.
   */
  now?: Micros;
  batchSize?: number;
  /** Called after every batch with the totals so far (`npm run purge` reports progress with it). */
  onProgress?: (progress: { deleted: number; batches: number }) => void;
}

/**
 * Deletes expired events (docs/api-contract.md §5) in bounded batches, each in its own short transaction, together
 * with their rows in the dependent tables. An event's revisions stay: in the same transaction each
 * purged event gets a last revision of kind `purge` (the system's deletion, chained like any other,
 * its `before` the whole final state), so an edit of `expires` cannot make an event and its history
 * vanish. Revisions go only by their own retention (REVISION_RETENTION from when each was
 * recorded), deleted afterwards in bounded batches too. At most one run at a time: within the process, a
 * second call while one runs is skipped; across instances sharing the database, the lease
 * `eventlog_purge` decides (JobLeases: a row, so it holds across Galera nodes too), and a run
 * whose lease was taken over stops after its current batch.
 */
@Injectable()
export class PurgeService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PurgeService.name);
  private running: Promise<PurgeResult> | null = null;
  private stopping = false;

  private readonly revisionSql: RevisionSql;
  private readonly queries: PurgeQueries;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: Dialect,
    private readonly leases: JobLeases,
    @Inject(RETENTION_OPTIONS) private readonly options: RetentionOptions,
    // Absent in the purge command, which has no metrics to serve.
    @Optional() private readonly metrics?: AppMetrics,
  ) {
    this.revisionSql = new RevisionSql(dialect);
    this.queries = new PurgeQueries(dialect);
  }

  purgeExpired(request: PurgeRequest = {}): Promise<PurgeResult> {
    if (this.running) return Promise.resolve(this.counted({ status: 'skipped', reason: 'running in this process' }));
    const run = this.run(request.now ?? nowMicros(), request.batchSize ?? this.options.batchSize, request.onProgress).then(
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

  /** How many events a purge at `now` would delete; through idx_events_expires. */
  async countExpired(now: Micros = nowMicros()): Promise<number> {
    const count = this.queries.countExpired(now);
    const [row]: { expired: number | string }[] = await this.dataSource.query(count.sql, count.params);
    return Number(row?.expired ?? 0);
  }

  private async run(now: Micros, batchSize: number, onProgress: PurgeRequest['onProgress']): Promise<PurgeResult> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    }
    const leased = await this.leases.runOnce(PURGE_LEASE_NAME, (lease) => this.runLeased(lease, now, batchSize, onProgress));
    if (leased.ran) return leased.result;
    this.logger.debug('purge skipped: another instance is purging');
    return { status: 'skipped', reason: 'running on another instance' };
  }

  private async runLeased(lease: HeldLease, now: Micros, batchSize: number, onProgress: PurgeRequest['onProgress']): Promise<PurgeDone> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await this.deleteExpired(runner, lease, now, batchSize, onProgress);
      if (result.status === 'completed') result.revisionsDeleted = await this.deleteAgedRevisions(runner, lease, now, batchSize);
      if (this.stopping || lease.lost) result.status = 'interrupted';
      const message = `purged ${result.deleted} expired events in ${result.batches} batches, ${result.revisionsDeleted} aged-out revisions`;
      if (result.deleted > 0 || result.status === 'interrupted') this.logger.log(`${message} (${result.status})`);
      else this.logger.debug(message);
      return result;
    } finally {
      await runner.release();
    }
  }

  private async deleteExpired(
    runner: QueryRunner,
    lease: HeldLease,
    now: Micros,
    batchSize: number,
    onProgress: PurgeRequest['onProgress'],
  ): Promise<PurgeDone> {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (this.stopping || lease.lost) return { status: 'interrupted', deleted, batches, revisionsDeleted: 0 };
      const batch = await this.deleteBatch(runner, now, batchSize);
      if (batch.found === 0) break;
      deleted += batch.deleted;
      batches += 1;
      onProgress?.({ deleted, batches });
      if (batch.found < batchSize) break;
    }
    return { status: 'completed', deleted, batches, revisionsDeleted: 0 };
  }

  /** Revisions recorded at or before `now - REVISION_RETENTION`, oldest first, a bounded batch per statement. */
  private async deleteAgedRevisions(runner: QueryRunner, lease: HeldLease, now: Micros, batchSize: number): Promise<number> {
    const retention = this.options.revisionRetentionMicros ?? 0;
    if (retention <= 0) return 0;
    let deleted = 0;
    while (!this.stopping && !lease.lost) {
      // One short transaction per batch. READ COMMITTED: no gap locks on the index, so writes
      // appending new revisions never wait for (or deadlock with) a batch.
      await runner.startTransaction(this.dialect.batchIsolation);
      let affected: number;
      try {
        affected = await affectedRows(runner, this.queries.deleteAgedRevisions(now - retention, batchSize));
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
      deleted += affected;
      if (affected < batchSize) break;
    }
    return deleted;
  }

  /** One short transaction: find up to `batchSize` expired events, delete their dependents and them. */
  private async deleteBatch(runner: QueryRunner, now: Micros, batchSize: number): Promise<{ found: number; deleted: number }> {
    // READ COMMITTED: no gap locks, so concurrent creates (events and revisions) never deadlock with a batch.
    await runner.startTransaction(this.dialect.batchIsolation);
    try {
      const rows = await this.query<ExpiredRow[]>(runner, this.queries.selectExpiredBatch(now, batchSize));
      let deleted = 0;
      for (const chunk of chunksOf(rows)) deleted += await this.purgeChunk(runner, chunk, now);
      await runner.commitTransaction();
      return { found: rows.length, deleted };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /**
   * Appends the chunk's `purge` revisions in one INSERT, then deletes the rows. The rows are locked
   * (MariaDB: FOR UPDATE above; SQLite: the single writer), so each head read here is still the latest.
   */
  private async purgeChunk(runner: QueryRunner, uuids: Buffer[], now: Micros): Promise<number> {
    const rows = await this.query<ChainedEventRow[]>(runner, this.revisionSql.selectChainedEvents(uuids));
    if (rows.length > 0) await this.query(runner, this.revisionSql.insertRevisions(rows.map((row) => purgeRevision(row, now))));
    for (const table of this.options.dependentTables) await this.query(runner, this.queries.deleteByEventUuids(table, uuids));
    return affectedRows(runner, this.queries.deleteByEventUuids(EVENT_TABLE, uuids));
  }

  private query<T>(runner: QueryRunner, statement: SqlCondition): Promise<T> {
    return runner.query(statement.sql, statement.params) as Promise<T>;
  }
}

/**
 * The system's (`actor` `{}`) last revision of an expiring event, recorded at the purge's `now`,
 * its `before` the whole final state. A row whose JSON no longer parses (edited in the database;
 * verify reports it) is still purged and still leaves a revision, with `before` null: the trail
 * says it went, if not what it held.
 */
function purgeRevision(row: ChainedEventRow, now: Micros): EventRevision {
  return removalRevision(row.event_uuid.toString('hex'), finalState(row), chainHeadOf(row), {}, now, 'purge');
}

/** The row's state, as `stateOf` gives it but without its copy: the values were just parsed and are nobody else's. */
function finalState(row: ChainedEventRow): EventState | null {
  try {
    const { uuid: _uuid, ...state } = toEventRecord(row);
    return state;
  } catch {
    return null;
  }
}
