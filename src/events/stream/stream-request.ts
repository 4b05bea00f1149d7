import { ApiException, badRequest, DrfMessage, lastValue } from '@app/common';
import type { Dialect } from '../../database/sql';
import { buildListFilter, ListQuery } from '../query';
import type { SqlCondition } from '../query';
import { decodeCursor, StreamPosition } from './stream-cursor';

export const STREAM_FORMATS = ['ndjson', 'csv'] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** `GET /events/events/stream/` as the service takes it. */
export interface StreamRequest {
  format: StreamFormat;
  /** At most this many events; none: every event up to now. */
  limit?: number;
  /** Resume strictly after this position. */
  after?: StreamPosition;
  /** The list filters of docs/api-contract.md §3.3 (`ordering` and the page parameters do not apply). */
  filter: SqlCondition;
}

/**
 * Reads `format`, `limit`, `cursor` and the list filters; every problem of every parameter in
 * one DRF-style 400 (`{"cursor": ["Invalid cursor."]}`, `{"limit": [...]}`, `{"actions": [...]}`).
 */
export function parseStreamRequest(query: ListQuery, dialect: Dialect): StreamRequest {
  const errors: Record<string, string[]> = {};
  const format = text(query.format) || 'ndjson';
  if (!(STREAM_FORMATS as readonly string[]).includes(format)) errors.format = [DrfMessage.choice(format)];

  let limit: number | undefined;
  const rawLimit = text(query.limit);
  if (rawLimit) {
    if (!/^[-+]?\d+$/.test(rawLimit)) errors.limit = [DrfMessage.integer];
    else if (Number(rawLimit) < 1) errors.limit = [DrfMessage.minValue(1)];
    else if (!Number.isSafeInteger(Number(rawLimit))) errors.limit = [DrfMessage.maxValue(Number.MAX_SAFE_INTEGER)];
    else limit = Number(rawLimit);
  }

  let after: StreamPosition | undefined;
  const rawCursor = lastValue(query.cursor);
  if (rawCursor !== undefined) {
    after = typeof rawCursor === 'string' ? (decodeCursor(rawCursor.trim()) ?? undefined) : undefined;
    if (!after) errors.cursor = ['Invalid cursor.'];
  }

  let filter: SqlCondition | undefined;
  try {
    filter = buildListFilter(query, dialect);
  } catch (error) {
    if (!(error instanceof ApiException) || error.getStatus() !== 400) throw error;
    Object.assign(errors, error.body);
  }
  if (Object.keys(errors).length > 0 || !filter) throw badRequest(errors);
  return { format: format as StreamFormat, limit, after, filter };
}

function text(value: unknown): string {
  const last = lastValue(value);
  return typeof last === 'string' ? last.trim() : '';
}
