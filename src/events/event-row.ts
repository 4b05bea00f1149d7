import type { EventRecord, JsonObject } from './event.types';

/**
 * The shape of an `events` row as the application reads and writes it, in one place: the column
 * list, row ↔ record, and the UUID's 16 bytes. Every statement that reads or writes whole events
 * (the repository, the writers, the stream, the purge) takes its columns and mapping from here.
 */

/** The event's columns, in the order `toEventRecord` reads them and inserts write them. */
export const EVENT_COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** The row's chain head (src/events/revisions): the latest revision's seq and hash, 0 and null before the first. */
export const HEAD_COLUMNS = ['revision_seq', 'revision_hash'] as const;

/** `EVENT_COLUMNS` as both drivers return them: JSON as text, BIGINT possibly as a string. */
export interface EventRow {
  event_uuid: Buffer;
  user: string;
  action: string;
  app: string;
  context: string;
  client_ip: string | null;
  created: number | string;
  expires: number | string;
  brand: string;
}

/** An event row read together with its chain head (`HEAD_COLUMNS`). */
export interface ChainedEventRow extends EventRow {
  revision_seq: number | string;
  revision_hash: string | null;
}

/** The columns that hold JSON documents, as text. */
export const DOCUMENT_COLUMNS = ['user', 'context', 'brand'] as const;
export type DocumentColumn = (typeof DOCUMENT_COLUMNS)[number];

/** An event's JSON documents as the row stores them, for a caller that has serialised them already. */
export type DocumentTexts = Record<DocumentColumn, string>;

const JSON_COLUMNS = new Set<string>(DOCUMENT_COLUMNS);

/** `0f8e…` (dashed or not) → the 16 bytes stored in `event_uuid`. */
export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The one place a database row becomes an `EventRecord`. */
export function toEventRecord(row: EventRow): EventRecord {
  return {
    uuid: bytesToUuid(row.event_uuid),
    user: JSON.parse(row.user) as JsonObject,
    action: row.action,
    app: row.app,
    context: JSON.parse(row.context) as JsonObject,
    client_ip: row.client_ip,
    created: Number(row.created),
    expires: Number(row.expires),
    brand: JSON.parse(row.brand) as JsonObject,
  };
}

/** A column's value as it is written: JSON documents as text, the rest as they are. */
export function toColumnValue(column: string, value: unknown): unknown {
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

/** The record's values in `EVENT_COLUMNS` order, ready to bind; `documents`: its JSON documents' texts, when known. */
export function toRowValues(event: EventRecord, documents?: DocumentTexts): unknown[] {
  return [
    uuidToBytes(event.uuid),
    ...EVENT_COLUMNS.slice(1).map((column) =>
      documents && column in documents ? documents[column as DocumentColumn] : toColumnValue(column, event[column as keyof EventRecord]),
    ),
  ];
}
