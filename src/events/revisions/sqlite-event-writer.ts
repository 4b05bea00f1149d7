import type { DataSource, EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { EventRecord, EventWritableFields, JsonObject } from '../event.types';
import { CommitHorizon } from './commit-horizon';
import { prepareCreation, prepareCreationNow } from './creation-write';
import { ChainSnapshot, EventWriter } from './event-writer';
import { changeRevision, deletionRevision } from './revision-builder';
import { ChainedEventRow, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
import { RevisionSql, Statement } from './revision-sql';
import { retryWhileBusy } from '../../database/sqlite-busy';

/** The parts of a better-sqlite3 `Database` used here (the driver TypeORM runs on). */
interface SqliteDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
  readonly inTransaction: boolean;
}

/**
 * SQLite: the app has one connection and better-sqlite3 is synchronous, so a write transaction
 * run in one synchronous call cannot interleave with anything else in the process: that is the
 * per-event serialisation, with no lock to wait for and no round trip. The transaction begins
 * IMMEDIATE: while another process holds the write lock it is retried whole, between pauses
 * that leave the event loop free (sqlite-busy.ts), and answered 503 after DATABASE_TIMEOUT_MS.
 */
export class SqliteEventWriter extends EventWriter {
  private readonly sql = new RevisionSql('sqlite');
  private readonly prepared = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
    private readonly horizon: CommitHorizon,
  ) {
    super();
  }

  async insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<EventRecord> {
    // While its revision is computed (in slices), while it waits for another process's write lock,
    // or in the caller's transaction, the event's `created` is older than its commit: stream
    // readers stop before it until then. Entered before the first pause.
    const committed = this.horizon.begin(event.created);
    try {
      if (manager) {
        // The caller's transaction is open on the one connection: no pause until it ends.
        const { statements, stored } = prepareCreationNow(this.sql, event, actor);
        for (const statement of statements) await manager.query(statement.sql, statement.params);
        return stored;
      }
      const { statements, stored } = await prepareCreation(this.sql, event, actor);
      await this.transaction(() => statements.forEach((statement) => this.run(statement)));
      return stored;
    } finally {
      committed();
    }
  }

  async patch(uuid: string, given: EventWritableFields, now: Micros, actor: JsonObject): Promise<EventRecord | null> {
    return this.transaction(() => {
      const row = this.get<ChainedEventRow>(this.sql.selectForWrite(uuid, now));
      if (!row) return null;
      const current = toChainedEvent(row);
      const { revision, updated } = changeRevision(current.event, given, current.head, actor, now);
      this.run(this.sql.updateEvent(uuid, given, revision));
      this.run(this.sql.insertRevision(revision));
      return updated;
    });
  }

  async delete(uuid: string, now: Micros, actor: JsonObject): Promise<boolean> {
    return this.transaction(() => {
      const row = this.get<ChainedEventRow>(this.sql.selectForWrite(uuid, now));
      if (!row) return false;
      const current = toChainedEvent(row);
      const revision = deletionRevision(current.event, current.head, actor, now);
      this.run(this.sql.deleteEvent(uuid));
      this.run(this.sql.insertRevision(revision));
      return true;
    });
  }

  async readChain(uuid: string): Promise<ChainSnapshot> {
    // Two synchronous reads: no write can come between them.
    const revisions = this.all<RevisionRow>(this.sql.selectRevisions(uuid));
    const row = this.get<ChainedEventRow>(this.sql.selectChainedEvent(uuid));
    return { revisions: revisions.map(toRevision), row: readChainedEvent(row) };
  }

  private async transaction<T>(work: () => T): Promise<T> {
    const transaction = this.database.transaction(work);
    // Inside a transaction someone else opened on the shared connection this becomes a savepoint.
    if (this.database.inTransaction) return transaction();
    return retryWhileBusy(() => transaction.immediate(), this.timeoutMs);
  }

  private run(statement: Statement): void {
    this.statement(statement.sql).run(...statement.params);
  }

  private get<T>(statement: Statement): T | undefined {
    return this.statement(statement.sql).get(...statement.params) as T | undefined;
  }

  private all<T>(statement: Statement): T[] {
    return this.statement(statement.sql).all(...statement.params) as T[];
  }

  private statement(sql: string) {
    let prepared = this.prepared.get(sql);
    if (!prepared) {
      prepared = this.database.prepare(sql);
      this.prepared.set(sql, prepared);
    }
    return prepared;
  }

  private get database(): SqliteDatabase {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }
}
