import type { Micros, PageRequest } from '@app/common';
import type { SqlCondition } from '../database/sql';
import type { CounterSelection } from './query/event-filters';

export type JsonObject = Record<string, unknown>;

/**
 * An event as the application holds it: JSON documents parsed, timestamps in microseconds
 * since the epoch, `uuid` in its dashed form. Field names follow the wire (docs/api-contract.md §2).
 */
export interface EventRecord {
  uuid: string;
  user: JsonObject;
  action: string;
  app: string;
  context: JsonObject;
  client_ip: string | null;
  created: Micros;
  expires: Micros;
  brand: JsonObject;
}

/** The fields a client may write; `uuid` and `created` are the server's. */
export type EventWritableFields = Partial<Omit<EventRecord, 'uuid' | 'created'>>;

/** What creating (or fully replacing) an event needs; everything else has a default. */
export type NewEvent = EventWritableFields & Pick<EventRecord, 'action' | 'app'>;

/** A condition over the `events` table with `?` placeholders (built by src/events/query). */
export type { SqlCondition } from '../database/sql';

/** Columns a list may be ordered by (`pk` on the wire is `event_uuid`). */
export const EVENT_SORT_COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'] as const;
export type EventSortColumn = (typeof EVENT_SORT_COLUMNS)[number];

export interface EventSortKey {
  column: EventSortColumn;
  descending: boolean;
}

/** authentik's default ordering, `-created` (ties are always broken by `event_uuid`). */
export const DEFAULT_EVENT_ORDERING: readonly EventSortKey[] = [{ column: 'created', descending: true }];

/**
 * One page of the list. `where` and `ordering` are the seams for the filters, search and
 * ordering of `src/events/query`; without them the list is every visible event, newest first.
 */
export interface EventListRequest {
  page: PageRequest;
  where?: SqlCondition;
  /** Rows must also match at least one of these (the `username` filter, see buildListSelection). */
  anyOf?: readonly SqlCondition[];
  ordering?: readonly EventSortKey[];
  /** Set when the event counters can count `where` (see ListSelection.counters): the same selection. */
  countFromCounters?: CounterSelection;
  /** `anyOf` narrowed by the custom actions the counters show (see ListSelection.anyOfGivenCustomActions). */
  anyOfGivenCustomActions?: (present: readonly string[]) => readonly SqlCondition[];
  /** `where` holds semijoins on indexes (see ListSelection.semijoins). */
  semijoins?: boolean;
  /** Only the newest this many events are read (see ListSelection.newestOnly). */
  newestOnly?: number;
}

/** The columns a client may write, in the wire's order. */
export const EVENT_WRITABLE_FIELDS = ['user', 'action', 'app', 'context', 'client_ip', 'expires', 'brand'] as const;
export type EventWritableField = (typeof EVENT_WRITABLE_FIELDS)[number];

/**
 * The fields one write actually gives, picked once (`pickWritableFields`) and used as they are
 * by the revision and the UPDATE: their names in the wire's order, and where their values are.
 */
export interface FieldChanges {
  readonly names: readonly EventWritableField[];
  readonly values: EventWritableFields;
}

/**
 * The writable fields actually given: keys outside `EVENT_WRITABLE_FIELDS` (such as `uuid` or
 * `created` from a careless caller) and `undefined` values are left out.
 */
export function pickWritableFields(fields: EventWritableFields): FieldChanges {
  return { names: EVENT_WRITABLE_FIELDS.filter((name) => fields[name] !== undefined), values: fields };
}
