import { yieldToEventLoop } from '@app/common';

/**
 * Turns of the event loop a batch of SQLite writes waits at most for company. Under load a
 * request reaches its write a turn or two after the one before it (its work is done in slices):
 * waiting one turn gave batches of about 10 creates at 32 connections, up to three turns batches
 * of all 32 in flight, and more creates per second at a lower p99 (bench, 1M events).
 */
const MAX_GATHER_TURNS = 3;

/**
 * Waits turn by turn while writes keep arriving (at most MAX_GATHER_TURNS or until `enough` are
 * waiting), so that they commit together; a lone write waits one turn.
 */
export async function gatherWhileArriving(waiting: () => number, enough: number): Promise<void> {
  for (let turn = 0; turn < MAX_GATHER_TURNS; turn++) {
    const before = waiting();
    await yieldToEventLoop();
    if (waiting() === before || waiting() >= enough) return;
  }
}

/** Runs `body` in one transaction of its own (the writer's: IMMEDIATE, retried while another process holds the lock). */
export type RunTransaction = (body: () => void) => Promise<void>;

/** Runs `work` in a savepoint: rolled back alone when it throws (better-sqlite3's nested transaction). */
export type RunSavepoint = <T>(work: () => T) => T;

interface Waiting {
  work: () => unknown;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

const MAX_SHARED = 100;

/**
 * Concurrent SQLite writes (a PATCH or DELETE each) share one transaction: each runs in a
 * savepoint of its own, so one that fails (its event gone, a refused value) is rolled back alone
 * and fails alone, and the others commit. A commit's cost is mostly writing the pages the
 * transaction dirtied to the WAL, once per transaction instead of once per write. Each caller is
 * answered only after the transaction holding its write has committed. A work must be
 * synchronous and may run more than once (the whole transaction is retried while another process
 * holds the lock): it reads what it changes inside itself.
 */
export class SqliteSharedTransactions {
  private readonly waiting: Waiting[] = [];
  private running = false;

  constructor(
    private readonly transaction: RunTransaction,
    private readonly savepoint: RunSavepoint,
    private readonly isOpen: () => boolean,
  ) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (result: unknown) => void, reject });
      this.start();
    });
  }

  private start(): void {
    if (this.running || this.waiting.length === 0) return;
    this.running = true;
    void this.runBatch().finally(() => {
      this.running = false;
      this.start();
    });
  }

  private async runBatch(): Promise<void> {
    await gatherWhileArriving(() => this.waiting.length, MAX_SHARED);
    const batch = this.waiting.splice(0, MAX_SHARED);
    let outcomes: Outcome[] = [];
    try {
      await this.transaction(() => {
        outcomes = batch.map((waiting) => this.attempt(waiting.work)); // afresh on every attempt
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) waiting.resolve(outcome.result);
      else waiting.reject(outcome.error);
    });
  }

  private attempt(work: () => unknown): Outcome {
    try {
      return { ok: true, result: this.savepoint(work) };
    } catch (error) {
      // Some errors make SQLite roll the whole transaction back: then nothing of the batch is
      // stored, and going on would run the rest outside any transaction. Fail the batch.
      if (!this.isOpen()) throw error;
      return { ok: false, error };
    }
  }
}
