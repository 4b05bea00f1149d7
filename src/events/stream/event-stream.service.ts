import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { nowMicros } from '@app/common';
import { HeavyReads } from '../../database/heavy-reads';
import { Dialect } from '../../database/sql';
import { eventJson } from '../dto/event.dto';
import type { EventRow } from '../event-row';
import { and, ListQuery, SqlCondition } from '../query';
import { CommitHorizon } from '../revisions/commit-horizon';
import { csvHeaderLine, csvLines } from './event-csv';
import { encodeCursor, STREAM_START, StreamPosition } from './stream-cursor';
import { StreamQueries } from './stream-queries';
import { parseStreamRequest, StreamFormat, StreamRequest } from './stream-request';

/** Events per query, and so at most this many rows in memory at once. */
export const STREAM_CHUNK = 1000;
/**
 * Events written out as text per turn of the event loop. A whole chunk at once held it for
 * 35–65 ms on an idle machine (converting and serializing 1000 events, before NDJSON copied the
 * stored documents as they are), over 200 ms on a busy one, and every other request waited that long.
 */
const EVENTS_PER_TURN = 100;

/** A stream whose end is already known: its cursor can be sent before the events. */
export interface OpenedStream {
  /** The cursor to resume from: the last event's, or the request's own when there is none. */
  nextCursor: string;
  /** The events' rows, a chunk at a time, read only as they are consumed. */
  chunks: AsyncIterable<EventRow[]>;
}

/**
 * `GET /events/events/stream/` and the data exports: every matching event in `created,
 * event_uuid` order, read by keyset pagination a chunk at a time, written as the consumer takes
 * it (backpressure), never held whole in memory.
 *
 * A response stops at an end fixed when it opens: events created later (or still being
 * committed, see CommitHorizon) are left for the next poll with the returned cursor.
 */
@Injectable()
export class EventStreamService {
  private readonly queries: StreamQueries;

  constructor(
    /** Each chunk is a read the caller's filters shape (see HeavyReads). */
    private readonly heavyReads: HeavyReads,
    private readonly horizon: CommitHorizon,
    private readonly dialect: Dialect,
  ) {
    this.queries = new StreamQueries(dialect);
  }

  /** The stream endpoint: its query parameters (400 when invalid) to a body and its cursor. */
  async fromQuery(query: ListQuery): Promise<{ format: StreamFormat; nextCursor: string; body: Readable }> {
    const request = parseStreamRequest(query, this.dialect);
    const opened = await this.open(request);
    return { format: request.format, nextCursor: opened.nextCursor, body: this.render(request.format, opened) };
  }

  async open(request: Omit<StreamRequest, 'format'>): Promise<OpenedStream> {
    const now = nowMicros();
    const scope = and(this.queries.visibleUpTo(now, this.horizon.safeUpperBound(now)), request.filter);
    const start = request.after ?? STREAM_START;
    const from = request.after ? and(scope, this.queries.after(request.after)) : scope;
    if (request.limit !== undefined && request.limit <= STREAM_CHUNK) {
      // One chunk holds the whole response: read it, and its last event is the cursor.
      const rows = await this.fetch(this.queries.page(from, request.limit));
      return { nextCursor: encodeCursor(rows.length > 0 ? positionOf(rows[rows.length - 1]) : start), chunks: inTurns(rows) };
    }
    const end = await this.lastKey(this.queries.lastKey(from, request.limit));
    if (!end) return { nextCursor: encodeCursor(start), chunks: inTurns([]) };
    return { nextCursor: encodeCursor(end), chunks: this.chunks(and(scope, this.queries.upTo(end)), request.after) };
  }

  /** The body in the requested format; NDJSON ends with `{"next_cursor": "..."}`. */
  render(format: StreamFormat, stream: OpenedStream): Readable {
    const lines = format === 'csv' ? csvBody(stream) : ndjsonBody(stream);
    // Strings, pulled one chunk at a time: the socket's backpressure paces the queries.
    return Readable.from(lines, { objectMode: false, highWaterMark: 64 * 1024 });
  }

  private async *chunks(where: SqlCondition, after: StreamPosition | undefined): AsyncGenerator<EventRow[]> {
    let position = after;
    for (;;) {
      const rows = await this.fetch(this.queries.page(position ? and(where, this.queries.after(position)) : where, STREAM_CHUNK));
      yield* inTurns(rows);
      if (rows.length < STREAM_CHUNK) return;
      position = positionOf(rows[rows.length - 1]);
    }
  }

  private fetch(query: SqlCondition): Promise<EventRow[]> {
    return this.heavyReads.query<EventRow>(query.sql, query.params);
  }

  private async lastKey(query: SqlCondition): Promise<StreamPosition | undefined> {
    const rows = await this.heavyReads.query<Pick<EventRow, 'created' | 'event_uuid'>>(query.sql, query.params);
    return rows.length > 0 ? positionOf(rows[0]) : undefined;
  }
}

function positionOf(row: Pick<EventRow, 'created' | 'event_uuid'>): StreamPosition {
  return { created: Number(row.created), uuidHex: row.event_uuid.toString('hex') };
}

/** The rows EVENTS_PER_TURN at a time (each part is written out before the next), letting other requests in between. */
async function* inTurns(rows: EventRow[]): AsyncGenerator<EventRow[]> {
  for (let at = 0; at < rows.length; at += EVENTS_PER_TURN) {
    if (at > 0) await nextTurn();
    yield rows.slice(at, at + EVENTS_PER_TURN);
  }
}

async function* ndjsonBody(stream: OpenedStream): AsyncGenerator<string> {
  for await (const rows of stream.chunks) yield rows.map((row) => `${eventJson(row)}\n`).join('');
  yield `${JSON.stringify({ next_cursor: stream.nextCursor })}\n`;
}

async function* csvBody(stream: OpenedStream): AsyncGenerator<string> {
  yield csvHeaderLine();
  for await (const rows of stream.chunks) yield csvLines(rows);
}
