import type { EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import { mayPauseInTransactions } from '../../database/transaction-pauses';
import { bytesToUuid, uuidToBytes } from '../event-row';
import type { EventRecord, FieldChanges, JsonObject } from '../event.types';
import type { CommitHorizon } from './commit-horizon';
import { CreationWrite, prepareCreation, prepareCreationNow, prepareCreations } from './creation-write';
import { CREATION_BATCHING, GatherCompany, GroupCommit, GroupCommitLimits, PendingCreation } from './group-commit';
import { PATCH_BATCHING, PendingPatch, patchWrite } from './patch-write';
import { deletionRevision } from './revision-builder';
import type { ChainedEvent } from './revision-rows';
import { RevisionSql, Statement, textLength } from './revision-sql';
import type { EventRevision } from './revision.types';

/** One event's chain and row, read at one instant (for re-checking a suspicious chain). */
export interface ChainSnapshot {
  revisions: EventRevision[];
  /** Undefined when there is no row; `unreadable` when its JSON does not parse (a direct edit). */
  row: ChainedEvent | undefined | 'unreadable';
}

/** What a PATCH or DELETE writes once it holds the row: its statements, and what the caller gets. */
export interface Rewrite<T> {
  statements: Statement[];
  result: T;
  /** The revision it appends (a writer that retries checks for it; see mysql-event-writer.ts). */
  revision: EventRevision;
}

/**
 * The only writer of `events` and `event_revisions`: each write and the revision describing it
 * commit together, and writes to one event are serialised so its revisions stay a chain. The
 * steps are written here once; how a transaction runs (and so how writes to one event queue up)
 * is each dialect's, see the implementations.
 */
export abstract class EventWriter {
  /** Set by a writer that groups concurrent single creates (`groupCreations`). */
  private group: GroupCommit<PendingCreation, void> | null = null;
  /** Set by a writer that groups concurrent PATCHes (`groupPatches`). */
  private patchGroup: GroupCommit<PendingPatch, EventRecord | null> | null = null;

  protected constructor(
    protected readonly sql: RevisionSql,
    private readonly horizon: CommitHorizon,
  ) {}

  /**
   * Stores a new event, its creation revision and its outbox entry. With `manager`, the statements run in the
   * caller's transaction (they commit or roll back with it). Resolves to the event as stored: a
   * copy that round-tripped through JSON (the revision's state), exactly what a read returns.
   * Call it right after taking `event.created`: it enters the commit horizon before any pause.
   */
  async insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<EventRecord> {
    // While its revision is computed (in slices), while it waits for a lock, or in the caller's
    // transaction, the event's `created` is older than its commit: stream readers stop before it
    // until then. Entered before the first pause.
    const committed = this.horizon.begin(event.created);
    try {
      // In a caller's transaction that may not pause (SQLite's one connection), the revision is computed in one go.
      const write =
        manager && !mayPauseInTransactions(this.sql.dialect.name)
          ? prepareCreationNow(this.sql, event, actor)
          : await prepareCreation(this.sql, event, actor);
      if (manager) {
        await runIn(manager, write.statements);
      } else {
        await this.commitCreation(write);
      }
      return write.stored;
    } finally {
      committed();
    }
  }

  /**
   * A new event's write computed now, in slices, to run later in a caller's transaction that may
   * not pause (SQLite's one connection): the caller prepares before opening it, so a large event
   * costs the transaction only its INSERTs. Like `insert`, call it right after taking
   * `event.created`; then `run` it in the transaction, or `discard` it.
   */
  async prepareInsert(event: EventRecord, actor: JsonObject): Promise<PreparedInsert> {
    const committed = this.horizon.begin(event.created);
    try {
      return new PreparedInsert(await prepareCreation(this.sql, event, actor), committed);
    } catch (error) {
      committed();
      throw error;
    }
  }

  /**
   * Stores many new events and their creation revisions in one transaction of their own
   * (multi-row INSERTs; bulk ingest): all of them or, when a statement fails, none. Each
   * revision is the one `insert` would write. Resolves to the events as stored, in order.
   */
  async insertMany(events: EventRecord[], actor: JsonObject): Promise<EventRecord[]> {
    const committed = events.map((event) => this.horizon.begin(event.created));
    try {
      const { statements, stored, last } = await prepareCreations(this.sql, events, actor);
      await this.commit(statements, last);
      return stored;
    } finally {
      for (const done of committed) done();
    }
  }

  /** Which of these event ids are taken (by a visible event or not); lower-case dashed, as given. */
  abstract existingUuids(uuids: string[]): Promise<Set<string>>;

  /** Writes the changed fields of a visible event; the event as it is now, or null when not visible. */
  patch(uuid: string, changes: FieldChanges, now: Micros, actor: JsonObject): Promise<EventRecord | null> {
    // One spelling per event (lower case, dashed), as the rows read back: a caller in the app may write it otherwise.
    const patch: PendingPatch = { uuid: bytesToUuid(uuidToBytes(uuid)), changes, now, actor };
    return this.patchGroup ? this.patchGroup.commit(patch) : this.patchAlone(patch);
  }

  /** One PATCH in a transaction of its own. */
  private patchAlone(patch: PendingPatch): Promise<EventRecord | null> {
    return this.rewrite(this.sql.selectForWrite(patch.uuid, patch.now), (current) => {
      // The lock read only a visible row, so there is a write.
      const { update, revision, updated } = patchWrite(this.sql, patch, current)!;
      return { statements: [update, this.sql.insertRevision(revision), this.sql.insertOutboxEntry(revision)], result: updated, revision };
    });
  }

  /** Deletes a visible event; false when not visible. */
  async delete(uuid: string, now: Micros, actor: JsonObject): Promise<boolean> {
    const deleted = await this.rewrite(this.sql.selectForWrite(uuid, now), (current) => {
      const revision = deletionRevision(current.event, current.head, actor, now);
      return { statements: [this.sql.deleteEvent(uuid), this.sql.insertRevision(revision)], result: true, revision };
    });
    return deleted ?? false;
  }

  /**
   * From now on, concurrent single creates share transactions (group-commit.ts): a batch is one
   * multi-row INSERT each for the events, their revisions and their outbox entries, stored exactly
   * when its last revision is (what a retry checks). For the writer's constructor.
   */
  protected groupCreations(limits: GroupCommitLimits, gather?: GatherCompany): void {
    this.group = new GroupCommit(
      {
        commitTogether: async (creations) => {
          const statements = [
            this.sql.insertEventRows(creations.map((creation) => creation.eventRow)),
            this.sql.insertRevisionRows(creations.map((creation) => creation.revisionRow)),
            this.sql.insertOutboxEntries(creations.map((creation) => creation.revision)),
          ];
          await this.commit(statements, creations[creations.length - 1].revision);
          return creations.map(() => undefined);
        },
        commitAlone: (creation) => this.commit(creation.statements, creation.revision),
      },
      CREATION_BATCHING,
      limits,
      gather,
    );
  }

  /**
   * From now on, concurrent PATCHes share transactions: `together` writes a batch (distinct
   * events) in one, with a result for each in order; a batch that fails is retried one by one
   * (group-commit.ts). For a writer whose PATCHes are round trips (MariaDB).
   */
  protected groupPatches(limits: GroupCommitLimits, together: (patches: PendingPatch[]) => Promise<(EventRecord | null)[]>): void {
    this.patchGroup = new GroupCommit({ commitTogether: together, commitAlone: (patch) => this.patchAlone(patch) }, PATCH_BATCHING, limits);
  }

  private commitCreation(write: CreationWrite): Promise<void> {
    if (!this.group) return this.commit(write.statements, write.revision);
    const { eventRow, revisionRow, revision, statements } = write;
    return this.group.commit({ eventRow, revisionRow, revision, statements, chars: textLength(eventRow) + textLength(revisionRow) });
  }

  /** An event's revisions and row, consistent with each other. */
  abstract readChain(uuid: string): Promise<ChainSnapshot>;

  /** Runs the statements, which append `revision`, in one transaction of their own. */
  protected abstract commit(statements: Statement[], revision: EventRevision): Promise<void>;

  /**
   * In one transaction: runs `lock` (the visible row with its head, held until the end), then
   * the statements `change` returns for it, then commits. Null, and nothing written, when `lock`
   * finds no row. `change` is synchronous: work never pauses inside an open SQLite transaction.
   */
  protected abstract rewrite<T>(lock: Statement, change: (current: ChainedEvent) => Rewrite<T>): Promise<T | null>;
}

/** A new event's statements, computed ahead of the transaction that runs them (`EventWriter.prepareInsert`). */
export class PreparedInsert {
  private settled = false;

  constructor(
    private readonly write: CreationWrite,
    private readonly committed: () => void,
  ) {}

  /** The event exactly as a read returns it once stored. */
  get stored(): EventRecord {
    return this.write.stored;
  }

  /** Runs the INSERTs in the caller's transaction (they commit or roll back with it). Once. */
  async run(manager: EntityManager): Promise<EventRecord> {
    if (this.settled) throw new Error('a prepared insert runs once');
    try {
      await runIn(manager, this.write.statements);
      return this.write.stored;
    } finally {
      this.discard();
    }
  }

  /** Not to be run after all (or run): its event leaves the commit horizon. Safe to call again. */
  discard(): void {
    if (this.settled) return;
    this.settled = true;
    this.committed();
  }
}

async function runIn(manager: EntityManager, statements: Statement[]): Promise<void> {
  for (const statement of statements) await manager.query(statement.sql, statement.params);
}
