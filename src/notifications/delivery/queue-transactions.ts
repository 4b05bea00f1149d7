import type { DataSource } from 'typeorm';
import { affectedRowsAlone, type SqlCondition } from '../../database/sql';
import { retryWhileBusy } from '../../database/sqlite-busy';
import { sqliteConnection } from '../../database/sqlite-connection';

/** Statements to run after a claim, and what the caller gets back. */
export interface ClaimOutcome<T> {
  statements: SqlCondition[];
  result: T;
}

/**
 * The two work queues (outbox → deliveries, due deliveries → receivers) claim rows, decide, and
 * write the decision atomically; how that is done is each engine's:
 * - MariaDB: one READ COMMITTED transaction on a connection of its own; the claim locks its rows
 *   `FOR UPDATE SKIP LOCKED`, so instances sharing the database take different rows and never
 *   wait for each other, and a dead instance's rows are free again when its connection drops.
 * - SQLite: one process, whose one loop per queue is the only claimer: the claim reads outside a
 *   transaction, `decide` runs (it may read and pause), then the statements run in one
 *   synchronous IMMEDIATE transaction, which nothing else in the process can enter.
 */
export abstract class QueueTransactions {
  abstract claim<R, T>(claim: SqlCondition, decide: (rows: R[]) => Promise<ClaimOutcome<T>>): Promise<T>;

  /** One statement on its own; the rows it changed. */
  abstract run(statement: SqlCondition): Promise<number>;

  static for(dataSource: DataSource, timeoutMs: number): QueueTransactions {
    return dataSource.options.type === 'mysql'
      ? new MysqlQueueTransactions(dataSource)
      : new SqliteQueueTransactions(dataSource, timeoutMs);
  }
}

class MysqlQueueTransactions extends QueueTransactions {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async claim<R, T>(claim: SqlCondition, decide: (rows: R[]) => Promise<ClaimOutcome<T>>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // No gap locks: a claim must not block the event writes that append to the outbox.
      await runner.startTransaction('READ COMMITTED');
      try {
        const rows = (await runner.query(claim.sql, [...claim.params])) as R[];
        const { statements, result } = await decide(rows);
        for (const statement of statements) await runner.query(statement.sql, [...statement.params]);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  run(statement: SqlCondition): Promise<number> {
    return affectedRowsAlone(this.dataSource, statement);
  }
}

class SqliteQueueTransactions extends QueueTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async claim<R, T>(claim: SqlCondition, decide: (rows: R[]) => Promise<ClaimOutcome<T>>): Promise<T> {
    const rows = this.database.prepare(claim.sql).all(...claim.params) as R[];
    const { statements, result } = await decide(rows);
    if (statements.length > 0) {
      const write = this.database.transaction(() => {
        for (const statement of statements) this.database.prepare(statement.sql).run(...statement.params);
      });
      await retryWhileBusy(() => write.immediate(), this.timeoutMs);
    }
    return result;
  }

  async run(statement: SqlCondition): Promise<number> {
    return retryWhileBusy(() => this.database.prepare(statement.sql).run(...statement.params).changes, this.timeoutMs);
  }

  private get database() {
    return sqliteConnection(this.dataSource);
  }
}
