import type { Micros } from '@app/common';

/**
 * A read of the database kept while its answer cannot have changed: no write since (the same
 * content mark, see sqliteContentMark) and no instant passed that changes it. The read says how
 * long it holds for later instants (`validBefore`: for the visible events' counts, the next
 * `expires` to come); an earlier instant than the one it was read for is read afresh. A null
 * mark keeps nothing (inside a transaction; always, on a database without one).
 */
export class KeptWhileUnchanged<T> {
  private kept?: { mark: string; readAt: Micros; validBefore: Micros | null; value: T };

  constructor(
    private readonly mark: () => string | null,
    private readonly read: (now: Micros) => Promise<T>,
    /** The first instant after `now` at which the answer may differ, or null when none. */
    private readonly validBefore: (now: Micros) => Promise<Micros | null>,
  ) {}

  async get(now: Micros): Promise<T> {
    // Taken before the read: a write during it changes the mark, so the value is not kept past that write.
    const mark = this.mark();
    const kept = this.kept;
    if (mark !== null && kept?.mark === mark && now >= kept.readAt && (kept.validBefore === null || now < kept.validBefore)) {
      return kept.value;
    }
    const value = await this.read(now);
    if (mark !== null) this.kept = { mark, readAt: now, validBefore: await this.validBefore(now), value };
    return value;
  }
}
