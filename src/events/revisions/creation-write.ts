import { yieldToEventLoop } from '@app/common';
import type { EventRecord, JsonObject } from '../event.types';
import { creationRevision, creationRevisionSliced } from './revision-builder';
import type { RevisionSql, Statement } from './revision-sql';
import type { EventRevision, EventState } from './revision.types';

export interface CreationWrite {
  statements: Statement[];
  /** The event exactly as a read returns it (the revision's JSON copy of the state). */
  stored: EventRecord;
}

/**
 * A new event's INSERTs (row, revision, outbox entry), prepared before its transaction begins: the creation revision
 * (copy, canonical JSON, hash) depends on nothing stored, so this CPU work runs in slices
 * between other requests instead of inside a transaction that holds the loop (SQLite) or a
 * connection (MariaDB). `stored` is the revision's JSON copy of the state: the event exactly as
 * a read returns it, without copying the context once more.
 */
export async function prepareCreation(sql: RevisionSql, event: EventRecord, actor: JsonObject): Promise<CreationWrite> {
  const write = creationWrite(sql, event, await creationRevisionSliced(event, actor));
  await yieldToEventLoop(); // the statements' JSON texts were one native pass each
  return write;
}

/** The same without pausing, for an event written in an SQLite transaction that is already open (see mayPauseInTransactions). */
export function prepareCreationNow(sql: RevisionSql, event: EventRecord, actor: JsonObject): CreationWrite {
  return creationWrite(sql, event, creationRevision(event, actor));
}

function creationWrite(sql: RevisionSql, event: EventRecord, revision: EventRevision): CreationWrite {
  const statements = [sql.insertEvent(event, revision), sql.insertRevision(revision), sql.insertOutboxEntry(revision)];
  return { statements, stored: { uuid: event.uuid, ...(revision.after as EventState) } };
}
