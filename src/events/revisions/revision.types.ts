import type { Micros } from '@app/common';
import type { EventRecord, JsonObject } from '../event.types';

/**
 * What a revision records: the event's creation, a change of some fields, its deletion through
 * the API, or its removal by the retention purge (the system's deletion, after `expires`).
 */
export const REVISION_KINDS = ['create', 'update', 'delete', 'purge'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/**
 * An event's state as revisions record it: every field but the primary key (which the revision
 * names as `event`), timestamps as integer microseconds.
 */
export type EventState = Omit<EventRecord, 'uuid'>;

/** The fields of `EventState`, in the wire's order. */
export const EVENT_STATE_FIELDS = ['user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'] as const;
export type EventStateField = (typeof EVENT_STATE_FIELDS)[number];

/**
 * Exactly what a revision's hash covers (see README "Verifying the audit chain"). `before` holds
 * the values of `fields` before the change (null for a creation), `after` their new values (null
 * for a deletion or purge); a creation's `after` and a deletion's or purge's `before` are the whole state.
 */
export interface RevisionContent {
  /** The event's UUID as 32 lower-case hex digits. */
  event: string;
  /** 1 for the first revision of the event, then consecutive. */
  seq: number;
  kind: RevisionKind;
  /** Who made the change: `{"pk", "username", "email"}`, or `{}` for the system. */
  actor: JsonObject;
  /** When, in microseconds since the epoch. */
  recorded: Micros;
  fields: EventStateField[];
  before: Partial<EventState> | null;
  after: Partial<EventState> | null;
}

/** A stored revision: its content, the hash of the revision before it, and its own hash. */
export interface EventRevision extends RevisionContent {
  prev_hash: string;
  hash: string;
}

/** The event's latest revision, kept on the event row so a write reads it with the row lock. */
export interface ChainHead {
  /** 0 when the event has no revision yet. */
  seq: number;
  hash: string;
}
