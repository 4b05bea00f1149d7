import { setImmediate } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { HeldLease, JobLeases } from '../../database/leases/job-leases';
import { LeasedJob } from '../../database/leases/leased-job';
import { retryWhileBusy } from '../../database/sqlite-busy';
import { sqliteConnection } from '../../database/sqlite-connection';
import { affectedRows, Dialect, SqlCondition } from '../../database/sql';
import { DeltaRow, FoldedCounter, foldedCounters, FoldSql, sumByKey } from './fold-sql';

/** The lease (job_leases) instances sharing the database take turns on. */
export const COUNTER_FOLD_LEASE_NAME = 'eventlog_counter_fold';
/**
 * Delta rows per transaction: a batch holds its rows' locks (writers of those keys and slots
 * wait) and, on SQLite, the event loop, for one short transaction.
 */
export const COUNTER_FOLD_BATCH = 500;

export interface FoldResult {
  /** Delta rows folded into the totals (and deleted). */
  folded: number;
  /** Totals deleted because they came to zero. */
  zeroed: number;
}

/**
 * Keeps the event counters as small as the keys that live events have (issue 17 item 5). The
 * triggers add every change to a counter's deltas; every COUNTER_FOLD_INTERVAL_MS one instance
 * (the lease `eventlog_counter_fold`) moves them into the totals and deletes totals that reached
 * zero. Each batch is one transaction: its deltas leave and its totals change together, so a
 * count (totals plus deltas in one statement, one snapshot) is exact before, during and after.
 * A fold costs what was written since the last one, never what the tables hold.
 */
@Injectable()
export class CounterFold implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CounterFold.name);
  private readonly sql: FoldSql;
  private readonly counters: FoldedCounter[];
  private readonly job: LeasedJob<FoldResult>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: Dialect,
    leases: JobLeases,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.sql = new FoldSql(dialect);
    this.counters = foldedCounters(dialect);
    this.job = new LeasedJob(leases, COUNTER_FOLD_LEASE_NAME, { folded: 0, zeroed: 0 });
  }

  onApplicationBootstrap(): void {
    this.job.every(this.config.counterFoldIntervalMs, () => this.fold(), this.logger, 'folding the event counters failed');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true; // a run under way stops after its current batch
    await this.job.stop();
  }

  /** Folds every delta there is now (one run at a time; skipped while another instance folds). */
  fold(batchSize: number = COUNTER_FOLD_BATCH): Promise<FoldResult> {
    return this.job.run((lease) => this.foldAll(lease, batchSize));
  }

  private async foldAll(lease: HeldLease, batchSize: number): Promise<FoldResult> {
    const started = performance.now();
    const result: FoldResult = { folded: 0, zeroed: 0 };
    for (const counter of this.counters) {
      for (;;) {
        if (this.stopping || lease.lost) return result;
        const batch =
          this.dialect.name === 'mysql' ? await this.foldBatchMysql(counter, batchSize) : await this.foldBatchSqlite(counter, batchSize);
        result.folded += batch.folded;
        result.zeroed += batch.zeroed;
        // A short batch was the last; the rows a writer held are left for the next run.
        if (batch.folded < batchSize) break;
        // SQLite's batches run synchronously: let requests in between them.
        await setImmediate();
      }
    }
    if (result.folded > 0) {
      const ms = (performance.now() - started).toFixed(0);
      this.logger.debug(`folded ${result.folded} counter deltas in ${ms} ms, ${result.zeroed} totals reached zero`);
    }
    return result;
  }

  /** The statements of one batch, given the delta rows it read. */
  private batchStatements(
    counter: FoldedCounter,
    rows: DeltaRow[],
  ): { add: SqlCondition | null; zero: SqlCondition | null; remove: SqlCondition[] } {
    const totals = sumByKey(counter, rows).filter((total) => total.n !== 0);
    const keys = totals.map((total) => total.values.slice(0, counter.keys.length));
    return {
      add: totals.length > 0 ? this.sql.addToTotals(counter, totals) : null,
      zero: keys.length > 0 ? this.sql.deleteZeroTotals(counter, keys) : null,
      remove: this.sql.deleteDeltas(counter, rows),
    };
  }

  /**
   * MariaDB: READ COMMITTED (no gap locks), delta rows locked with SKIP LOCKED. The fold then
   * writes only rows it holds and the totals, which no writer touches, so it never waits for a
   * writer: a writer may wait for a batch to commit, never the other way round, and no deadlock
   * can form between them.
   */
  private async foldBatchMysql(counter: FoldedCounter, batchSize: number): Promise<FoldResult> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction('READ COMMITTED');
      try {
        const select = this.sql.selectBatch(counter, batchSize);
        const rows: DeltaRow[] = await runner.query(select.sql, select.params);
        let zeroed = 0;
        if (rows.length > 0) {
          const { add, zero, remove } = this.batchStatements(counter, rows);
          if (add) await runner.query(add.sql, add.params);
          if (zero) zeroed = await affectedRows(runner, zero);
          let deleted = 0;
          for (const statement of remove) deleted += await affectedRows(runner, statement);
          checkRemoved(rows.length, deleted);
        }
        await runner.commitTransaction();
        return { folded: rows.length, zeroed };
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * SQLite: one synchronous transaction on the app's one connection, so no request's statement
   * can run inside it (nor see half a batch); the batch size bounds how long it holds the loop.
   */
  private async foldBatchSqlite(counter: FoldedCounter, batchSize: number): Promise<FoldResult> {
    const database = sqliteConnection(this.dataSource);
    const work = database.transaction(() => {
      const select = this.sql.selectBatch(counter, batchSize);
      const rows = database.prepare(select.sql).all(...select.params) as DeltaRow[];
      if (rows.length === 0) return { folded: 0, zeroed: 0 };
      const { add, zero, remove } = this.batchStatements(counter, rows);
      if (add) database.prepare(add.sql).run(...add.params);
      const zeroed = zero ? Number((database.prepare(zero.sql).run(...zero.params) as { changes: number }).changes) : 0;
      const deleteRow = database.prepare(remove[0].sql);
      let deleted = 0;
      for (const statement of remove) deleted += Number((deleteRow.run(...statement.params) as { changes: number }).changes);
      checkRemoved(rows.length, deleted);
      return { folded: rows.length, zeroed };
    });
    // Inside a transaction someone else opened on the shared connection this becomes a savepoint.
    if (database.inTransaction) return work();
    return retryWhileBusy(() => work.immediate(), this.config.database.timeoutMs);
  }
}

/**
 * Every delta row a batch read (and holds) is deleted with it; anything else would fold those
 * rows again on the next batch, so the batch rolls back instead.
 */
function checkRemoved(read: number, deleted: number): void {
  if (deleted !== read) throw new Error(`a counter fold read ${read} delta rows but deleted ${deleted}; rolled back`);
}
