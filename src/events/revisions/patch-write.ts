import type { Micros } from '@app/common';
import type { EventRecord, FieldChanges, JsonObject } from '../event.types';
import type { BatchItems } from './group-commit';
import { changeRevision } from './revision-builder';
import type { ChainedEvent } from './revision-rows';
import type { RevisionSql, Statement } from './revision-sql';
import type { EventRevision } from './revision.types';

/** A PATCH or PUT waiting for its transaction: which event, what changes, when and by whom. */
export interface PendingPatch {
  uuid: string;
  changes: FieldChanges;
  /** The request's instant: the event must be visible (`expires` after it), and its revision is recorded then. */
  now: Micros;
  actor: JsonObject;
}

/** What a PATCH writes once it holds the event's row: the row's UPDATE and the revision it appends. */
export interface PatchWrite {
  update: Statement;
  revision: EventRevision;
  /** The event as it is after the change (what the caller gets). */
  updated: EventRecord;
}

/** The write of `patch` on the locked row `current`; null when the event is not visible at the patch's instant. */
export function patchWrite(sql: RevisionSql, patch: PendingPatch, current: ChainedEvent): PatchWrite | null {
  if (current.event.expires <= patch.now) return null;
  const { revision, updated } = changeRevision(current.event, patch.changes, current.head, patch.actor, patch.now);
  return { update: sql.updateEvent(patch.uuid, patch.changes, revision), revision, updated };
}

/**
 * How PATCHes share transactions (group-commit.ts): two edits of one event never share a batch
 * (the second must see the first's head). Their text is not counted here: the writer splits a
 * batch's revision rows into INSERTs of bounded size (mysql-event-writer.ts).
 */
export const PATCH_BATCHING: BatchItems<PendingPatch> = { chars: () => 0, key: (patch) => patch.uuid };
