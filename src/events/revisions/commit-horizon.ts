import { Injectable } from '@nestjs/common';
import type { Micros } from '@app/common';

/**
 * The newest `created` a reader may hand out a cursor for without skipping an event later.
 *
 * An event's `created` is taken before its INSERT commits. On MariaDB two creates can commit out
 * of order (A takes created=100, B takes 101, B commits first): a reader that returned B and
 * resumed after 101 would never see A. So while creates are in flight, readers stop just before
 * the oldest of them. On SQLite a create is in flight while it waits for another process's write
 * lock (or runs in a caller's transaction). The registry is per process: instances sharing a database
 * do not see each other's creates (see README, "Streaming events").
 */
@Injectable()
export class CommitHorizon {
  private readonly inFlight = new Map<number, number>(); // created → how many creates hold it

  /** Call synchronously right after taking `created`; call the returned function once committed (or failed). */
  begin(created: Micros): () => void {
    this.inFlight.set(created, (this.inFlight.get(created) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const holders = (this.inFlight.get(created) ?? 1) - 1;
      if (holders > 0) this.inFlight.set(created, holders);
      else this.inFlight.delete(created);
    };
  }

  /** Events created at or before this instant are all committed (as far as this process knows). */
  safeUpperBound(now: Micros): Micros {
    let bound = now;
    for (const created of this.inFlight.keys()) bound = Math.min(bound, created - 1);
    return bound;
  }
}
