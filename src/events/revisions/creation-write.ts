import { yieldToEventLoop } from '@app/common';
import type { EventRecord, JsonObject } from '../event.types';
import { creationRevisionSliced } from './revision-builder';
import type { RevisionSql, Statement } from './revision-sql';
import type { EventState } from './revision.types';

/**
 * A new event's two INSERTs, prepared before its transaction begins: the creation revision
 * (copy, canonical JSON, hash) depends on nothing stored, so this CPU work runs in slices
 * between other requests instead of inside a transaction that holds the loop (SQLite) or a
 * connection (MariaDB). `stored` is the revision's JSON copy of the state: the event exactly as
 * a read returns it, without copying the context once more.
 */
export async function prepareCreation(
  sql: RevisionSql,
  event: EventRecord,
  actor: JsonObject,
): Promise<{ statements: Statement[]; stored: EventRecord }> {
  const revision = await creationRevisionSliced(event, actor);
  const statements = [sql.insertEvent(event, revision), sql.insertRevision(revision)];
  await yieldToEventLoop(); // the statements' JSON texts were one native pass each
  return { statements, stored: { uuid: event.uuid, ...(revision.after as EventState) } };
}
