import type { EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { EventRecord, EventWritableFields, JsonObject } from '../event.types';
import type { ChainedEvent } from './revision-rows';
import type { EventRevision } from './revision.types';

/** One event's chain and row, read at one instant (for re-checking a suspicious chain). */
export interface ChainSnapshot {
  revisions: EventRevision[];
  /** Undefined when there is no row; `unreadable` when its JSON does not parse (a direct edit). */
  row: ChainedEvent | undefined | 'unreadable';
}

/**
 * The only writer of `events` and `event_revisions`: each write and the revision describing it
 * commit together, and writes to one event are serialised so its revisions stay a chain.
 * Implemented per dialect (the fastest safe way differs, see each implementation).
 */
export abstract class EventWriter {
  /**
   * Stores a new event and its creation revision. With `manager`, both statements run in the
   * caller's transaction (they commit or roll back with it). Resolves to the event as stored: a
   * copy that round-tripped through JSON (the revision's state), exactly what a read returns.
   * Call it right after taking `event.created`: it enters the commit horizon before any pause.
   */
  abstract insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<EventRecord>;

  /** Writes the given fields of a visible event; the event as it is now, or null when not visible. */
  abstract patch(uuid: string, given: EventWritableFields, now: Micros, actor: JsonObject): Promise<EventRecord | null>;

  /** Deletes a visible event; false when not visible. */
  abstract delete(uuid: string, now: Micros, actor: JsonObject): Promise<boolean>;

  /** An event's revisions and row, consistent with each other. */
  abstract readChain(uuid: string): Promise<ChainSnapshot>;
}
