import { SliceClock, yieldToEventLoop } from '@app/common';
import type { EventRecord, JsonObject } from '../event.types';
import { creationRevision, creationRevisionSliced, stateJson } from './revision-builder';
import type { StateJson } from './revision-builder';
import type { Dialect } from '../../database/sql';
import { MAX_INSERT_TEXT_CHARS, RevisionSql, Statement, textLength } from './revision-sql';
import type { EventRevision, EventState } from './revision.types';

export interface CreationWrite {
  statements: Statement[];
  /** The creation revision: its hash tells, after a lost connection, whether the write is stored. */
  revision: EventRevision;
  /** The event exactly as a read returns it (the revision's JSON copy of the state). */
  stored: EventRecord;
  /** The rows the statements insert, for a group commit's multi-row INSERTs (group-commit.ts). */
  eventRow: Statement;
  revisionRow: Statement;
}

/**
 * A new event's INSERTs (row, revision, outbox entry), prepared before its transaction begins: the creation revision
 * (copy, canonical JSON, hash) depends on nothing stored, so this CPU work runs in slices
 * between other requests instead of inside a transaction that holds the loop (SQLite) or a
 * connection (MariaDB). `stored` is the revision's JSON copy of the state: the event exactly as
 * a read returns it, without copying the context once more.
 */
export async function prepareCreation(sql: RevisionSql, event: EventRecord, actor: JsonObject): Promise<CreationWrite> {
  // Most events are small: in one go a login event's revision took 21 µs of CPU, sliced 31 µs (and two turns).
  if (isSmallEvent(event)) return prepareCreationNow(sql, event, actor);
  const json = stateJson(event);
  return creationWrite(sql, event, json, await creationRevisionSliced(event, actor, json));
}

/** The same without pausing, for an event written in an SQLite transaction that is already open (see mayPauseInTransactions). */
export function prepareCreationNow(sql: RevisionSql, event: EventRecord, actor: JsonObject): CreationWrite {
  const json = stateJson(event);
  return creationWrite(sql, event, json, creationRevision(event, actor, json));
}

export interface CreationsWrite {
  statements: Statement[];
  /** The events exactly as reads return them, in the order given. */
  stored: EventRecord[];
  /** The last revision written: all commit together, so it is stored exactly when they all are (a retry checks it). */
  last: EventRevision;
}

/**
 * Rows per multi-row INSERT. SQLite binds at most 32 766 values per statement (11 per event)
 * and caches a prepared statement per text, so its chunks stay modest; MariaDB's statements are
 * text, and fewer of them are fewer round trips. A chunk also closes once its text values pass
 * MAX_INSERT_TEXT_CHARS (revision-sql.ts).
 */
const CHUNK_ROWS: Record<Dialect['name'], number> = { sqlite: 200, mysql: 1000 };

/**
 * JSON members and items up to which an event's revision is computed in one go: a few hundred
 * microseconds at most. Larger events take `creationRevisionSliced`, which pauses inside one
 * event; between events the loop is let go every SLICE_MS. Both give the same revision and
 * hash; the generator-based one costs about three times the CPU, which small events (most
 * single creates, a bulk's usual items) would pay for nothing.
 */
const SMALL_EVENT_NODES = 2048;

/**
 * Many new events (bulk ingest): each revision exactly as `prepareCreation` computes it (the
 * same canonical JSON and hash), then multi-row INSERTs in chunks: a chunk's events, then their
 * revisions, then their outbox entries (an outbox consumer sees every saved event, bulk or not).
 */
export async function prepareCreations(sql: RevisionSql, events: EventRecord[], actor: JsonObject): Promise<CreationsWrite> {
  const statements: Statement[] = [];
  const stored: EventRecord[] = [];
  const chunkRows = CHUNK_ROWS[sql.dialect.name];
  let eventRows: Statement[] = [];
  let revisionRows: Statement[] = [];
  let revisions: EventRevision[] = [];
  let chars = 0;
  const flush = () => {
    statements.push(sql.insertEventRows(eventRows), sql.insertRevisionRows(revisionRows), sql.insertOutboxEntries(revisions));
    [eventRows, revisionRows, revisions, chars] = [[], [], [], 0];
  };
  const clock = new SliceClock();
  let last: EventRevision | undefined;
  for (const event of events) {
    const json = stateJson(event);
    const revision = isSmallEvent(event) ? creationRevision(event, actor, json) : await creationRevisionSliced(event, actor, json);
    const eventRow = sql.eventRow(event, revision, json.documents);
    const revisionRow = sql.revisionRow(revision, json.text);
    eventRows.push(eventRow);
    revisionRows.push(revisionRow);
    revisions.push(revision);
    stored.push({ uuid: event.uuid, ...(revision.after as EventState) });
    last = revision;
    chars += textLength(eventRow) + textLength(revisionRow);
    if (eventRows.length === chunkRows || chars >= MAX_INSERT_TEXT_CHARS) flush();
    if (clock.due()) await clock.pause();
  }
  if (eventRows.length > 0) flush();
  if (!last) throw new Error('prepareCreations needs at least one event');
  await yieldToEventLoop();
  return { statements, stored, last };
}

/** Whether the event's JSON fields hold at most SMALL_EVENT_NODES members and items: its revision is computed in one go. */
function isSmallEvent(event: EventRecord): boolean {
  return isSmall([event.user, event.context, event.brand], SMALL_EVENT_NODES);
}

/** Whether these JSON values hold at most `budget` members and items in all (stops counting past it). */
function isSmall(values: unknown[], budget: number): boolean {
  const pending = [...values];
  let seen = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    const children = Array.isArray(value) ? value : Object.values(value as object);
    seen += children.length;
    if (seen > budget) return false;
    for (const child of children) if (child !== null && typeof child === 'object') pending.push(child);
  }
  return true;
}

function creationWrite(sql: RevisionSql, event: EventRecord, json: StateJson, revision: EventRevision): CreationWrite {
  const eventRow = sql.eventRow(event, revision, json.documents);
  const revisionRow = sql.revisionRow(revision, json.text);
  const statements = [sql.insertEventRows([eventRow]), sql.insertRevisionRows([revisionRow]), sql.insertOutboxEntry(revision)];
  return { statements, revision, stored: { uuid: event.uuid, ...(revision.after as EventState) }, eventRow, revisionRow };
}
