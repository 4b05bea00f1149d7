import type { DataSource, EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { EventRecord, EventWritableFields, JsonObject } from '../event.types';
import { ChainSnapshot, EventWriter } from './event-writer';
import { changeRevision, creationRevision, deletionRevision } from './revision-builder';
import { ChainedEventRow, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
import { RevisionSql, Statement } from './revision-sql';

/** The parts of a better-sqlite3 `Database` used here (the driver TypeORM runs on). */
interface SqliteDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

/**
 * SQLite: the app has one connection and better-sqlite3 is synchronous, so a write transaction
 * run in one synchronous call cannot interleave with anything else in the process: that is the
 * per-event serialisation, with no lock to wait for and no round trip. It also means a create
 * takes its `created` and commits in the same step (see CommitHorizon).
 */
export class SqliteEventWriter extends EventWriter {
  private readonly sql = new RevisionSql('sqlite');
  private readonly prepared = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<void> {
    const revision = creationRevision(event, actor);
    const statements = [this.sql.insertEvent(event, revision), this.sql.insertRevision(revision)];
    if (manager) {
      for (const statement of statements) await manager.query(statement.sql, statement.params);
      return;
    }
    this.transaction(() => statements.forEach((statement) => this.run(statement)));
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

  private transaction<T>(work: () => T): T {
    // Inside a transaction someone else opened on the shared connection this becomes a savepoint.
    return this.database.transaction(work)();
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
