import { isDatabaseUnavailable } from '@app/common';
import type { Statement } from './revision-sql';
import type { EventRevision } from './revision.types';

/** A single create waiting for its commit: its rows, its revision, and its own statements for when it must go alone. */
export interface PendingCreation {
  eventRow: Statement;
  revisionRow: Statement;
  /** Its creation revision (its outbox entry, and what a retry after a lost connection looks for). */
  revision: EventRevision;
  statements: Statement[];
  /** Characters of text its rows carry (a batch stays far under MariaDB's packet limit). */
  chars: number;
}

/** How a batch and a lone creation are committed (the writer's transactions). */
export interface CreationCommitter {
  /** All the creations in one transaction: one multi-row INSERT for the events, one for the revisions, one for their outbox entries. */
  commitTogether(creations: PendingCreation[]): Promise<void>;
  /** One creation in a transaction of its own. */
  commitAlone(creation: PendingCreation): Promise<void>;
}

interface Waiting {
  creation: PendingCreation;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Limits of one batch, and how many transactions run at once. */
export interface GroupCommitLimits {
  maxBatch: number;
  maxChars: number;
  maxRunning: number;
}

export const GROUP_COMMIT_LIMITS: GroupCommitLimits = { maxBatch: 100, maxChars: 4 * 1024 * 1024, maxRunning: 4 };

/**
 * Before a batch is taken, lets its company arrive (SQLite: see sqlite-event-writer.ts); `waiting`
 * tells how many creations wait so far. Without it a batch is taken as soon as a slot is free,
 * which only batches while transactions are in flight: right for MariaDB, whose commits are round
 * trips, never for a writer whose transaction runs in one synchronous call (its slot is always
 * free again by the next request).
 */
export type GatherCompany = (waiting: () => number) => Promise<void>;

/**
 * Group commit for concurrent single creates (issue 17 item 1): while `maxRunning` transactions
 * are in flight, new creations wait, and the next free slot commits everything that waited as one
 * transaction with multi-row INSERTs. A lone request waits for nothing (a slot is free); under
 * load, one commit (one redo log flush, one round trip per statement) serves many requests.
 * Each caller's promise settles only after the transaction holding its rows has committed.
 *
 * When a batch fails (one row the database refuses, a deadlock), its creations are committed
 * one by one, so only a creation that fails alone fails: its batch-mates are not its hostages.
 * When the database is unreachable, retrying each would only wait again: all fail at once.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  /** A slot is waiting for company (`gather`): no other slot starts meanwhile, it will take them all. */
  private gathering = false;

  constructor(
    private readonly committer: CreationCommitter,
    private readonly limits: GroupCommitLimits = GROUP_COMMIT_LIMITS,
    private readonly gather?: GatherCompany,
  ) {}

  commit(creation: PendingCreation): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ creation, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.limits.maxRunning && this.waiting.length > 0 && !this.gathering) {
      this.running++;
      const flushed = this.gather ? this.gatherBatch(this.gather).then((batch) => this.flush(batch)) : this.flush(this.takeBatch());
      void flushed.finally(() => {
        this.running--;
        this.startBatches();
      });
    }
  }

  private async gatherBatch(gather: GatherCompany): Promise<Waiting[]> {
    this.gathering = true;
    try {
      await gather(() => this.waiting.length);
    } finally {
      this.gathering = false;
    }
    return this.takeBatch();
  }

  /** The oldest waiting creations, as many as the batch limits allow (at least one). */
  private takeBatch(): Waiting[] {
    let count = 0;
    let chars = 0;
    while (count < this.waiting.length && count < this.limits.maxBatch) {
      chars += this.waiting[count].creation.chars;
      if (count > 0 && chars > this.limits.maxChars) break;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async flush(batch: Waiting[]): Promise<void> {
    if (batch.length === 0) return;
    if (batch.length === 1) {
      await this.committer.commitAlone(batch[0].creation).then(batch[0].resolve, batch[0].reject);
      return;
    }
    try {
      await this.committer.commitTogether(batch.map((waiting) => waiting.creation));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(batch.map((waiting) => this.committer.commitAlone(waiting.creation).then(waiting.resolve, waiting.reject)));
      return;
    }
    for (const waiting of batch) waiting.resolve();
  }
}
