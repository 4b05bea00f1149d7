import { EVENT_ACTIONS } from '../../event-actions';
import type { JsonSource } from '../../../database/sql/dialect';

/**
 * The fields the query language knows, in the order authentik declares them
 * (`EventViewSet.get_ql_fields` in authentik/events/api/events.py). The compiler and the
 * `autocomplete` description both read this list.
 */
export type SearchField =
  | {
      kind: 'text';
      name: string;
      /** A NULL column matches `!=` / `!~` / `not in` (Django's `exclude()` on a nullable field). */
      nullable: boolean;
      /** An index starts with the column: equality keeps an index-usable form. */
      indexed: boolean;
      /** The accepted values, when the field is a choice (labels are accepted too). */
      choices?: readonly string[];
    }
  | { kind: 'uuid'; name: 'event_uuid' }
  | { kind: 'json'; name: JsonSource }
  | { kind: 'datetime'; name: 'created' };

export const SEARCH_FIELDS: readonly SearchField[] = [
  { kind: 'text', name: 'action', nullable: false, indexed: true, choices: EVENT_ACTIONS },
  { kind: 'uuid', name: 'event_uuid' },
  { kind: 'text', name: 'app', nullable: false, indexed: false },
  { kind: 'text', name: 'client_ip', nullable: true, indexed: true },
  { kind: 'json', name: 'user' },
  { kind: 'json', name: 'brand' },
  { kind: 'json', name: 'context' },
  { kind: 'datetime', name: 'created' },
];

const BY_NAME = new Map(SEARCH_FIELDS.map((field) => [field.name, field]));

export function searchField(name: string): SearchField | undefined {
  return BY_NAME.get(name);
}
