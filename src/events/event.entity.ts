import { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import type { DatabaseType } from '../config/app-config';

/**
 * One row of the `events` table as TypeORM sees it (its schema and migrations; queries use
 * event-row.ts). JSON documents (`user`, `context`, `brand`) are stored as text;
 * timestamps are microseconds since the epoch; the UUID is 16 raw bytes.
 */
export interface EventEntity {
  eventUuid: Buffer;
  user: string;
  action: string;
  app: string;
  context: string;
  clientIp: string | null;
  created: number;
  expires: number;
  brand: string;
  /** The latest revision's seq and hash (src/events/revisions): 0 and null before the first one. */
  revisionSeq: number;
  revisionHash: string | null;
}

/**
 * JSON paths the list filters look up, materialised as indexed generated columns so that a
 * filter is an index range scan instead of a JSON parse of every row. Values are text on both
 * dialects (`user.pk` 5 becomes "5"); pks are stored without dashes, as the filters compare them.
 *
 * The initial migrations build their columns from this table. Before changing an entry, copy
 * the current table into those migrations (so existing history stays what it was) and add a new
 * migration for the change.
 */
export const EVENT_JSON_COLUMNS = {
  user_pk: { source: 'user', path: '$.pk', length: 64, stripDashes: false },
  user_username: { source: 'user', path: '$.username', length: 191, stripDashes: false },
  context_username: { source: 'context', path: '$.username', length: 191, stripDashes: false },
  context_model_app: { source: 'context', path: '$.model.app', length: 100, stripDashes: false },
  context_model_name: { source: 'context', path: '$.model.model_name', length: 100, stripDashes: false },
  context_model_pk: { source: 'context', path: '$.model.pk', length: 64, stripDashes: true },
  context_authorized_app: { source: 'context', path: '$.authorized_application.pk', length: 64, stripDashes: true },
  context_device: { source: 'context', path: '$.device.pk', length: 64, stripDashes: true },
  brand_name: { source: 'brand', path: '$.name', length: 191, stripDashes: false },
} as const;

export type EventJsonColumn = keyof typeof EVENT_JSON_COLUMNS;

/** The SQL expression a generated column is computed from, per dialect. */
export function jsonColumnExpression(dialect: DatabaseType, column: EventJsonColumn): string {
  const { source, path, length, stripDashes } = EVENT_JSON_COLUMNS[column];
  // Values longer than the column are cut, so an over-long value can never fail an insert;
  // the filters compare long input against the full JSON value instead (see event-filters.ts).
  if (dialect === 'mysql') {
    const value = `JSON_VALUE(\`${source}\`, '${path}')`;
    return `LEFT(${stripDashes ? `REPLACE(${value}, '-', '')` : value}, ${length})`;
  }
  const value = `json_extract("${source}", '${path}')`;
  if (stripDashes) return `substr(replace(${value}, '-', ''), 1, ${length})`;
  // What MariaDB's JSON_VALUE gives, so that a short value proves the JSON string (see
  // generated-columns.ts): strings (NULL if they hold a NUL, which substr would cut at), numbers
  // as JSON literals, true / false as 1 / 0, and NULL for null, objects and arrays.
  return (
    `CASE json_type("${source}", '${path}') ` +
    `WHEN 'text' THEN CASE WHEN instr(${value}, char(0)) = 0 THEN substr(${value}, 1, ${length}) END ` +
    `WHEN 'integer' THEN substr(CAST(${value} AS TEXT), 1, ${length}) ` +
    `WHEN 'real' THEN substr(json_quote(${value}), 1, ${length}) ` +
    `WHEN 'true' THEN '1' WHEN 'false' THEN '0' END`
  );
}

export const EVENT_TABLE = 'events';

/** The columns every list index ends with: list order, then the visibility check. */
const LIST_KEY_TAIL = ['created', 'eventUuid', 'expires'];

/** The entity for TypeORM (and its CLI): the UUID column type differs by dialect. */
export function eventEntitySchema(dialect: DatabaseType): EntitySchema<EventEntity> {
  const json: EntitySchemaColumnOptions = { type: dialect === 'mysql' ? 'longtext' : 'text' };
  const generated: Record<string, EntitySchemaColumnOptions> = {};
  for (const name of Object.keys(EVENT_JSON_COLUMNS) as EventJsonColumn[]) {
    generated[name] = {
      type: 'varchar',
      length: EVENT_JSON_COLUMNS[name].length,
      name,
      nullable: true,
      insert: false,
      update: false,
      select: false,
      generatedType: 'VIRTUAL',
      asExpression: jsonColumnExpression(dialect, name),
    };
  }
  return new EntitySchema<EventEntity>({
    name: 'Event',
    tableName: EVENT_TABLE,
    columns: {
      eventUuid: {
        name: 'event_uuid',
        primary: true,
        type: dialect === 'mysql' ? 'binary' : 'blob',
        length: dialect === 'mysql' ? 16 : undefined,
      },
      user: { ...json, name: 'user' },
      action: { type: 'varchar', length: 64 },
      // authentik's TextField: unbounded (LONGTEXT on MariaDB since 1764220000000).
      app: dialect === 'mysql' ? { type: 'longtext' } : { type: 'varchar', length: 255 },
      context: { ...json, name: 'context' },
      clientIp: { type: 'varchar', length: 45, nullable: true, name: 'client_ip' },
      created: { type: 'bigint' },
      expires: { type: 'bigint' },
      brand: { ...json, name: 'brand' },
      revisionSeq: { type: 'int', name: 'revision_seq', default: 0 },
      revisionHash: { type: 'varchar', length: 64, name: 'revision_hash', nullable: true },
      ...(generated as Record<string, EntitySchemaColumnOptions>),
    },
    // Every list index ends in LIST_KEY_TAIL, see the migrations.
    indices: [
      { name: 'idx_events_created', columns: [...LIST_KEY_TAIL] },
      { name: 'idx_events_expires', columns: ['expires'] },
      { name: 'idx_events_action_created', columns: ['action', ...LIST_KEY_TAIL] },
      { name: 'idx_events_client_ip_created', columns: ['clientIp', ...LIST_KEY_TAIL] },
      ...(Object.keys(EVENT_JSON_COLUMNS) as EventJsonColumn[]).map((name) => ({
        name: `idx_events_${name}_created`,
        columns: [name, ...LIST_KEY_TAIL],
      })),
    ],
  });
}
