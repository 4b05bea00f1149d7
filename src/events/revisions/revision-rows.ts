import { ChainedEventRow, toEventRecord } from '../event-row';
import type { EventRecord } from '../event.types';
import { EMPTY_HEAD } from './revision-hash';
import type { ChainHead, EventRevision, RevisionKind } from './revision.types';

/** A revision row as both drivers return it: JSON as text, integers possibly as strings. */
export interface RevisionRow {
  event_uuid: Buffer;
  seq: number | string;
  kind: string;
  actor: string;
  recorded: number | string;
  fields: string;
  before_state: string | null;
  after_state: string | null;
  prev_hash: string;
  hash: string;
}

export interface ChainedEvent {
  event: EventRecord;
  head: ChainHead;
}

/**
 * A stored revision. Text that is not JSON (only a direct edit of the table makes that) is kept
 * as the string it is: the hash check then reports the revision instead of the read failing.
 */
export function toRevision(row: RevisionRow): EventRevision {
  return {
    event: row.event_uuid.toString('hex'),
    seq: Number(row.seq),
    kind: row.kind as RevisionKind,
    actor: parseLenient(row.actor) as EventRevision['actor'],
    recorded: Number(row.recorded),
    fields: parseLenient(row.fields) as EventRevision['fields'],
    before: row.before_state === null ? null : (parseLenient(row.before_state) as EventRevision['before']),
    after: row.after_state === null ? null : (parseLenient(row.after_state) as EventRevision['after']),
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

export function toChainedEvent(row: ChainedEventRow): ChainedEvent {
  return { event: toEventRecord(row), head: chainHeadOf(row) };
}

/** The last revision the row names (its chain head); a row without history starts from the genesis hash. */
export function chainHeadOf(row: ChainedEventRow): ChainHead {
  const seq = Number(row.revision_seq);
  return seq === 0 ? EMPTY_HEAD : { seq, hash: row.revision_hash ?? '' };
}

/** The row for the verifier: a row whose JSON does not parse was edited directly, which it reports. */
export function readChainedEvent(row: ChainedEventRow | undefined): ChainedEvent | undefined | 'unreadable' {
  if (!row) return undefined;
  try {
    return toChainedEvent(row);
  } catch {
    return 'unreadable';
  }
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
