/**
 * A chunk of events is read (with their whole state), given its purge revisions in one INSERT and
 * deleted in one statement. Bounded by the bytes of the events' JSON, so memory stays bounded with
 * large contexts and the INSERT well below MariaDB's default max_allowed_packet (16 MiB); and by
 * rows, so the INSERT's placeholders (10 a row) stay below SQLite's limit (32 766).
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
export const CHUNK_ROWS = 2000;

/** A row of the batch query. */
export interface ExpiredRow {
  event_uuid: Buffer;
  /** The bytes of its JSON documents; drivers may return the sum as a string. */
  bytes: number | string | null;
}

/** Consecutive uuids of the batch, each chunk within `maxBytes` and `maxRows` (an oversized event alone). */
export function chunksOf(rows: ExpiredRow[], maxBytes = CHUNK_BYTES, maxRows = CHUNK_ROWS): Buffer[][] {
  const chunks: Buffer[][] = [];
  let chunk: Buffer[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Number(row.bytes ?? 0);
    if (chunk.length > 0 && (bytes + size > maxBytes || chunk.length >= maxRows)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row.event_uuid);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
