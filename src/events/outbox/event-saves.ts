import { Injectable } from '@nestjs/common';

/**
 * In-process word that an event was just saved (its outbox entry is committed, or about to be
 * with the caller's transaction). Consumers of the outbox use it to look at once instead of
 * waiting for their next poll; the poll stays the guarantee (other instances' saves, entries
 * committed after the word).
 */
@Injectable()
export class EventSaves {
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after each save; returns the way to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
