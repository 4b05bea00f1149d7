import { yieldToEventLoop } from '@app/common';
import type { Micros } from '@app/common';
import type { Principal } from '@app/auth';
import { DOCUMENT_COLUMNS } from '../event-row';
import type { DocumentColumn, DocumentTexts } from '../event-row';
import type { EventRecord, FieldChanges, JsonObject } from '../event.types';
import { EMPTY_HEAD, sealRevision, sealRevisionSliced } from './revision-hash';
import { EVENT_STATE_FIELDS } from './revision.types';
import type { ChainHead, EventRevision, EventState, RevisionContent } from './revision.types';

/** A user snapshot, or anything carrying one (the authenticated `Principal`). */
export type RevisionActorSource = Principal | { pk: number | string; username: string; email: string } | undefined;

/** Who a revision names: `{"pk", "username", "email"}` of the acting user, `{}` for the system. */
export function actorSnapshot(source: RevisionActorSource): JsonObject {
  if (!source) return {};
  const user = 'user' in source ? source.user : source;
  return { pk: user.pk, username: user.username, email: user.email };
}

const uuidHex = (uuid: string): string => uuid.replace(/-/g, '').toLowerCase();

/** The state as JSON holds it, so the hash covers exactly what is stored and read back. */
export function stateOf(event: EventRecord): EventState {
  const { uuid: _uuid, ...state } = event;
  return jsonCopy(state);
}

/**
 * A new event's state as JSON holds it (`stateOf`), with the texts a creation stores: each JSON
 * document serialised once for the event's row, and the whole state's text (the creation
 * revision's `after`, members in EVENT_STATE_FIELDS' order) put together from them. The state
 * is that text parsed: the same copy as `stateOf`'s, for one serialisation of the context where
 * the copy, the row and the revision took three (creation-write.ts).
 */
export interface StateJson {
  state: EventState;
  text: string;
  documents: DocumentTexts;
}

export function stateJson(event: EventRecord): StateJson {
  const documents = {} as DocumentTexts;
  for (const column of DOCUMENT_COLUMNS) documents[column] = JSON.stringify(event[column]);
  let text = '';
  for (const field of EVENT_STATE_FIELDS) {
    const value = field in documents ? documents[field as DocumentColumn] : JSON.stringify(event[field]);
    // Left out when undefined, as JSON.stringify leaves such a member out.
    if (value !== undefined) text += `${text === '' ? '{' : ','}"${field}":${value}`;
  }
  text = text === '' ? '{}' : `${text}}`;
  return { state: JSON.parse(text) as EventState, text, documents };
}

/** The first link of an event's chain: its whole initial state (`json`), recorded when it was created. */
export function creationRevision(event: EventRecord, actor: JsonObject, json: StateJson = stateJson(event)): EventRevision {
  return sealRevision(creationContent(event, actor, json), EMPTY_HEAD);
}

/**
 * `creationRevision` for the write path: the same revision, computed in slices that let other
 * requests run (an event's context may hold 70 000 keys). A creation's head is the genesis hash,
 * so all of it can be done before the write transaction begins. `json` is the caller's: one
 * native pass of each kind, a few hundred ms at most on a 1 MiB body.
 */
export async function creationRevisionSliced(event: EventRecord, actor: JsonObject, json: StateJson): Promise<EventRevision> {
  const content = creationContent(event, actor, json);
  await yieldToEventLoop();
  return sealRevisionSliced(content, EMPTY_HEAD);
}

function creationContent(event: EventRecord, actor: JsonObject, json: StateJson): RevisionContent {
  return {
    event: uuidHex(event.uuid),
    seq: 1,
    kind: 'create',
    actor,
    recorded: event.created,
    fields: [...EVENT_STATE_FIELDS],
    before: null,
    after: json.state,
  };
}

/**
 * A PATCH or PUT: the given fields (all of them, changed or not: they were written) with their
 * values before and after. Returns the event as it is after the change, too.
 */
export function changeRevision(
  current: EventRecord,
  changes: FieldChanges,
  head: ChainHead,
  actor: JsonObject,
  recorded: Micros,
): { revision: EventRevision; updated: EventRecord } {
  const fields = [...changes.names];
  const before: Partial<EventState> = {};
  const after: Partial<EventState> = {};
  const updated: EventRecord = { ...current };
  for (const field of fields) {
    (before as JsonObject)[field] = jsonCopy(current[field]);
    (after as JsonObject)[field] = jsonCopy(changes.values[field]);
    (updated as unknown as JsonObject)[field] = (after as JsonObject)[field];
  }
  const revision = sealRevision(
    { event: uuidHex(current.uuid), seq: head.seq + 1, kind: 'update', actor, recorded, fields, before, after },
    head,
  );
  return { revision, updated };
}

/** The last link: the whole final state. `purge`: removed by the retention purge, by the system. */
export function deletionRevision(
  current: EventRecord,
  head: ChainHead,
  actor: JsonObject,
  recorded: Micros,
  kind: 'delete' | 'purge' = 'delete',
): EventRevision {
  return removalRevision(current.uuid, stateOf(current), head, actor, recorded, kind);
}

/**
 * `deletionRevision` from a final state the caller already owns, taken as it is (no copy: the
 * purge builds thousands from rows it has just parsed). `before` is null when the stored state
 * could not be read (a row edited in the database, which verify reports).
 */
export function removalRevision(
  uuid: string,
  before: EventState | null,
  head: ChainHead,
  actor: JsonObject,
  recorded: Micros,
  kind: 'delete' | 'purge',
): EventRevision {
  return sealRevision(
    { event: uuidHex(uuid), seq: head.seq + 1, kind, actor, recorded, fields: [...EVENT_STATE_FIELDS], before, after: null },
    head,
  );
}

/** The kinds after which the event no longer exists. */
export const isRemoval = (revision: EventRevision): boolean => revision.kind === 'delete' || revision.kind === 'purge';

/**
 * Applies a revision to the state before it (`null`: the event does not exist). The state may be
 * partial: a chain whose oldest revisions were removed by their retention starts from what its
 * remaining revisions tell.
 */
export function applyRevision<S extends Partial<EventState>>(state: S | null, revision: EventRevision): S | null {
  if (isRemoval(revision)) return null;
  if (revision.kind === 'create') return { ...(revision.after as S) };
  return { ...(state as S), ...(revision.after as Partial<EventState>) };
}

function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
