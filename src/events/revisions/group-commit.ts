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

/** How a batch and a lone item are committed (the writer's transactions). */
export interface BatchCommitter<Item, Result> {
  /** All the items in one transaction (multi-row statements); a result for each, in order. */
  commitTogether(items: Item[]): Promise<Result[]>;
  /** One item in a transaction of its own. */
  commitAlone(item: Item): Promise<Result>;
}

/** What the batching needs to know of an item besides the transactions. */
export interface BatchItems<Item> {
  /** Characters of text the item's rows carry (a batch stays far under MariaDB's packet limit); 0 when bounded elsewhere. */
  chars(item: Item): number;
  /** Items of one key never share a batch: two edits of one event must run one after the other. */
  key?(item: Item): string;
}

/** Creations are counted by their rows' text. */
export const CREATION_BATCHING: BatchItems<PendingCreation> = { chars: (creation) => creation.chars };

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
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
 * Group commit for concurrent single writes (issue 17 item 1): while `maxRunning` transactions
 * are in flight, new writes wait, and the next free slot commits everything that waited as one
 * transaction with multi-row statements (creates: one INSERT per table; PATCHes on MariaDB: one
 * locking read for all, see mysql-event-writer.ts). A lone request waits for nothing (a slot is
 * free); under load, one commit (one redo log flush, a few round trips) serves many requests.
 * Each caller's promise settles only after the transaction holding its rows has committed.
 *
 * When a batch fails (one row the database refuses, a deadlock), its items are committed one by
 * one, so only an item that fails alone fails: its batch-mates are not its hostages. When the
 * database is unreachable, retrying each would only wait again: all fail at once.
 */
export class GroupCommit<Item, Result> {
  private readonly waiting: Waiting<Item, Result>[] = [];
  private running = 0;
  /** A slot is waiting for company (`gather`): no other slot starts meanwhile, it will take them all. */
  private gathering = false;

  constructor(
    private readonly committer: BatchCommitter<Item, Result>,
    private readonly items: BatchItems<Item>,
    private readonly limits: GroupCommitLimits = GROUP_COMMIT_LIMITS,
    private readonly gather?: GatherCompany,
  ) {}

  commit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
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

  private async gatherBatch(gather: GatherCompany): Promise<Waiting<Item, Result>[]> {
    this.gathering = true;
    try {
      await gather(() => this.waiting.length);
    } finally {
      this.gathering = false;
    }
    return this.takeBatch();
  }

  /**
   * The oldest waiting items, as many as the batch limits allow (at least one). An item whose key
   * the batch holds already stays waiting, in its place, for a later batch.
   */
  private takeBatch(): Waiting<Item, Result>[] {
    const batch: Waiting<Item, Result>[] = [];
    const keys = new Set<string>();
    let chars = 0;
    let index = 0;
    while (index < this.waiting.length && batch.length < this.limits.maxBatch) {
      const next = this.waiting[index];
      const key = this.items.key?.(next.item);
      if (key !== undefined && keys.has(key)) {
        index++;
        continue;
      }
      chars += this.items.chars(next.item);
      if (batch.length > 0 && chars > this.limits.maxChars) break;
      batch.push(...this.waiting.splice(index, 1));
      if (key !== undefined) keys.add(key);
    }
    return batch;
  }

  private async flush(batch: Waiting<Item, Result>[]): Promise<void> {
    if (batch.length === 0) return;
    if (batch.length === 1) {
      await this.committer.commitAlone(batch[0].item).then(batch[0].resolve, batch[0].reject);
      return;
    }
    let results: Result[];
    try {
      results = await this.committer.commitTogether(batch.map((waiting) => waiting.item));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(batch.map((waiting) => this.committer.commitAlone(waiting.item).then(waiting.resolve, waiting.reject)));
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index]));
  }
}
