import type { Statement as PreparedStatement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { bytesToUuid, ChainedEventRow, uuidToBytes } from '../event-row';
import { CommitHorizon } from './commit-horizon';
import { ChainedEvent, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
import { ChainSnapshot, EventWriter, Rewrite } from './event-writer';
import { GROUP_COMMIT_LIMITS } from './group-commit';
import { gatherWhileArriving, SqliteSharedTransactions } from './sqlite-shared-transactions';
import { RevisionSql, Statement } from './revision-sql';
import { retryWhileBusy } from '../../database/sqlite-busy';
import { sqliteConnection } from '../../database/sqlite-connection';

/**
 * SQLite: the app has one connection and better-sqlite3 is synchronous, so a write transaction
 * run in one synchronous call cannot interleave with anything else in the process: that is the
 * per-event serialisation, with no lock to wait for and no round trip. The transaction begins
 * IMMEDIATE: while another process holds the write lock it is retried whole, between pauses
 * that leave the event loop free (sqlite-busy.ts), and answered 503 after DATABASE_TIMEOUT_MS.
 *
 * Writes that arrive together commit together: a commit's cost is mostly writing the pages its
 * statements dirtied to the WAL, and concurrent writes dirty many of the same pages (the ends of
 * the time-ordered indexes, the outbox, the counters). A write waits while others keep arriving,
 * a turn of the event loop at a time (gatherWhileArriving), then all that came run in one
 * transaction: creates as multi-row INSERTs (group commit, group-commit.ts), PATCHes and
 * DELETEs each in a savepoint of its own (sqlite-shared-transactions.ts). On 1M events a create
 * cost SQLite 278 µs of the loop one per transaction and 136 µs in batches of 32 (`npm run
 * bench:sqlite-batches`). A lone write waits one turn; each is answered only after its commit.
 */
export class SqliteEventWriter extends EventWriter {
  private readonly prepared = new Map<string, PreparedStatement>();
  /** PATCHes and DELETEs that arrive together share a transaction, each in a savepoint. */
  private readonly rewrites: SqliteSharedTransactions;

  constructor(
    sql: RevisionSql,
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
    horizon: CommitHorizon,
  ) {
    super(sql, horizon);
    // One batch at a time: a transaction holds the loop anyway, so a second could only wait.
    this.groupCreations({ ...GROUP_COMMIT_LIMITS, maxRunning: 1 }, (waiting) => gatherWhileArriving(waiting, GROUP_COMMIT_LIMITS.maxBatch));
    this.rewrites = new SqliteSharedTransactions(
      (body) => this.transaction(body),
      (work) => this.database.transaction(work)(),
      () => this.database.inTransaction,
    );
  }

  async readChain(uuid: string): Promise<ChainSnapshot> {
    // Two synchronous reads: no write can come between them.
    const revisions = this.all<RevisionRow>(this.sql.selectRevisions(uuid));
    const row = this.get<ChainedEventRow>(this.sql.selectChainedEvent(uuid));
    return { revisions: revisions.map(toRevision), row: readChainedEvent(row) };
  }

  existingUuids(uuids: string[]): Promise<Set<string>> {
    // Not through `prepared`: the text varies with the number of ids.
    const statement = this.sql.selectExistingUuids(uuids.map(uuidToBytes));
    const rows = this.database.prepare(statement.sql).all(...statement.params) as { event_uuid: Buffer }[];
    return Promise.resolve(new Set(rows.map((row) => bytesToUuid(row.event_uuid))));
  }

  protected async commit(statements: Statement[]): Promise<void> {
    await this.transaction(() => statements.forEach((statement) => this.run(statement)));
  }

  protected rewrite<T>(lock: Statement, change: (current: ChainedEvent) => Rewrite<T>): Promise<T | null> {
    return this.rewrites.run(() => {
      const row = this.get<ChainedEventRow>(lock);
      if (!row) return null;
      const { statements, result } = change(toChainedEvent(row));
      for (const statement of statements) this.run(statement);
      return result;
    });
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

  private get database() {
    return sqliteConnection(this.dataSource);
  }
}
