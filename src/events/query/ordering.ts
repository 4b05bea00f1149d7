import { lastValue } from '@app/common';
import type { EventSortColumn, EventSortKey } from '../event.types';
import { Dialect, resolveDialect, SqlDialect } from '../../database/sql/dialect';

/** `ordering` names (the serializer's fields) → columns; `pk` is `event_uuid`. */
const ORDERING_FIELDS: Readonly<Record<string, EventSortColumn>> = {
  pk: 'event_uuid',
  user: 'user',
  action: 'action',
  app: 'app',
  context: 'context',
  client_ip: 'client_ip',
  created: 'created',
  expires: 'expires',
  brand: 'brand',
};

const DEFAULT_ORDERING: readonly EventSortKey[] = [{ column: 'created', descending: true }];

/**
 * DRF's OrderingFilter on `?ordering=`: comma-separated names, each optionally prefixed with one
 * `-`; unknown names are dropped; nothing valid left means the default `-created`. A name given
 * twice counts once (the first). The primary key always ends the list, in the direction of the
 * last key, so equal values still have one fixed order and pages never repeat or skip rows.
 */
export function parseOrdering(raw: unknown): EventSortKey[] {
  const text = lastValue(raw);
  const keys: EventSortKey[] = [];
  if (typeof text === 'string') {
    for (const term of text.split(',').map((t) => t.trim())) {
      const descending = term.startsWith('-');
      const name = descending ? term.slice(1) : term;
      if (!Object.hasOwn(ORDERING_FIELDS, name)) continue;
      const column = ORDERING_FIELDS[name];
      if (!keys.some((key) => key.column === column)) keys.push({ column, descending });
    }
  }
  const ordering = keys.length > 0 ? keys : [...DEFAULT_ORDERING];
  if (!ordering.some((key) => key.column === 'event_uuid')) {
    ordering.push({ column: 'event_uuid', descending: ordering[ordering.length - 1].descending });
  }
  return ordering;
}

/** `"created" DESC, "event_uuid" DESC`: the ORDER BY list (without the keywords). */
export function orderBySql(keys: readonly EventSortKey[], dialectName: SqlDialect | Dialect): string {
  const dialect = resolveDialect(dialectName);
  return keys.map((key) => `${dialect.quote(key.column)} ${key.descending ? 'DESC' : 'ASC'}`).join(', ');
}
