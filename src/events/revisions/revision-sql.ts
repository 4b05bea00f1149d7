import type { DatabaseType } from '../../config/app-config';
import { EVENT_TABLE } from '../event.entity';
import { toColumnValue, uuidToBytes } from '../events.repository';
import type { EventRecord, EventWritableFields } from '../event.types';
import { EVENT_WRITABLE_FIELDS } from '../event.types';
import type { EventRevision } from './revision.types';

export const REVISION_TABLE = 'event_revisions';

/** The event's columns as `toEventRecord` reads them, then the chain head. */
const EVENT_COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'] as const;
const HEAD_COLUMNS = ['revision_seq', 'revision_hash'] as const;
const REVISION_COLUMNS = [
  'event_uuid',
  'seq',
  'kind',
  'actor',
  'recorded',
  'fields',
  'before_state',
  'after_state',
  'prev_hash',
  'hash',
] as const;

/** A statement and its parameters, `?` placeholders in order. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Every statement of the audited write paths (create, PATCH/PUT, DELETE) and of reading a chain,
 * for one dialect. The event row carries its chain head (`revision_seq`, `revision_hash`), so a
 * write reads the head together with the row it locks and moves both in its one UPDATE.
 */
export class RevisionSql {
  readonly q: (identifier: string) => string;
  private readonly events: string;
  private readonly revisions: string;
  private readonly chainedColumns: string;
  private readonly revisionColumns: string;

  constructor(readonly dialect: DatabaseType) {
    this.q = dialect === 'mysql' ? (id) => `\`${id}\`` : (id) => `"${id}"`;
    this.events = this.q(EVENT_TABLE);
    this.revisions = this.q(REVISION_TABLE);
    this.chainedColumns = [...EVENT_COLUMNS, ...HEAD_COLUMNS].map(this.q).join(', ');
    this.revisionColumns = REVISION_COLUMNS.map(this.q).join(', ');
  }

  insertEvent(event: EventRecord, revision: EventRevision): Statement {
    const values = [
      uuidToBytes(event.uuid),
      ...EVENT_COLUMNS.slice(1).map((column) => toColumnValue(column, event[column as keyof EventRecord])),
      revision.seq,
      revision.hash,
    ];
    return { sql: `INSERT INTO ${this.events} (${this.chainedColumns}) VALUES (${placeholders(values.length)})`, params: values };
  }

  /** The visible event with its chain head; on MariaDB the row stays locked until the transaction ends. */
  selectForWrite(uuid: string, now: number): Statement {
    const lock = this.dialect === 'mysql' ? ' FOR UPDATE' : ''; // SQLite: the write transaction holds the database
    return {
      sql: `SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.q('event_uuid')} = ? AND ${this.q('expires')} > ?${lock}`,
      params: [uuidToBytes(uuid), now],
    };
  }

  /** Only the given columns, and the head: one UPDATE of a row the transaction has locked. */
  updateEvent(uuid: string, given: EventWritableFields, revision: EventRevision): Statement {
    const columns = EVENT_WRITABLE_FIELDS.filter((field) => given[field] !== undefined);
    const assignments = [...columns, ...HEAD_COLUMNS].map((column) => `${this.q(column)} = ?`).join(', ');
    return {
      sql: `UPDATE ${this.events} SET ${assignments} WHERE ${this.q('event_uuid')} = ?`,
      params: [...columns.map((column) => toColumnValue(column, given[column])), revision.seq, revision.hash, uuidToBytes(uuid)],
    };
  }

  deleteEvent(uuid: string): Statement {
    return { sql: `DELETE FROM ${this.events} WHERE ${this.q('event_uuid')} = ?`, params: [uuidToBytes(uuid)] };
  }

  insertRevision(revision: EventRevision): Statement {
    return this.insertRevisions([revision]);
  }

  /** One multi-row INSERT (the purge's revisions of a chunk of events). */
  insertRevisions(revisions: EventRevision[]): Statement {
    const rows = revisions.map(revisionValues);
    const tuples = rows.map((values) => `(${placeholders(values.length)})`).join(', ');
    return { sql: `INSERT INTO ${this.revisions} (${this.revisionColumns}) VALUES ${tuples}`, params: rows.flat() };
  }

  /** Event rows with their heads by primary key (the purge reads the rows it has locked). */
  selectChainedEvents(uuids: Buffer[]): Statement {
    return {
      sql: `SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.q('event_uuid')} IN (${placeholders(uuids.length)})`,
      params: uuids,
    };
  }

  /** One event's revisions, oldest first (the primary key's order). */
  selectRevisions(uuid: string): Statement {
    return {
      sql: `SELECT ${this.revisionColumns} FROM ${this.revisions} WHERE ${this.q('event_uuid')} = ? ORDER BY ${this.q('seq')}`,
      params: [uuidToBytes(uuid)],
    };
  }

  /** The event row with its head, whether visible or not. */
  selectChainedEvent(uuid: string): Statement {
    return {
      sql: `SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.q('event_uuid')} = ?`,
      params: [uuidToBytes(uuid)],
    };
  }

  /** The next `limit` revisions of all events after (event, seq), in primary-key order: a keyset walk. */
  revisionsAfter(after: { event: Buffer; seq: number } | null, limit: number): Statement {
    const order = `ORDER BY ${this.q('event_uuid')}, ${this.q('seq')} LIMIT ?`;
    if (!after) return { sql: `SELECT ${this.revisionColumns} FROM ${this.revisions} ${order}`, params: [limit] };
    const uuid = this.q('event_uuid');
    return {
      // `event_uuid >= ?` first: a plain range on the primary key; the OR then only trims its start.
      sql: `SELECT ${this.revisionColumns} FROM ${this.revisions} WHERE ${uuid} >= ? AND (${uuid} > ? OR ${this.q('seq')} > ?) ${order}`,
      params: [after.event, after.event, after.seq, limit],
    };
  }

  /** The next `limit` event rows (with heads) after `after`, in primary-key order. */
  eventsAfter(after: Buffer | null, limit: number): Statement {
    const order = `ORDER BY ${this.q('event_uuid')} LIMIT ?`;
    if (!after) return { sql: `SELECT ${this.chainedColumns} FROM ${this.events} ${order}`, params: [limit] };
    return {
      sql: `SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.q('event_uuid')} > ? ${order}`,
      params: [after, limit],
    };
  }
}

const placeholders = (n: number) => new Array(n).fill('?').join(', ');

/** A revision's column values, in REVISION_COLUMNS' order. */
function revisionValues(revision: EventRevision): unknown[] {
  return [
    Buffer.from(revision.event, 'hex'),
    revision.seq,
    revision.kind,
    JSON.stringify(revision.actor),
    revision.recorded,
    JSON.stringify(revision.fields),
    revision.before === null ? null : JSON.stringify(revision.before),
    revision.after === null ? null : JSON.stringify(revision.after),
    revision.prev_hash,
    revision.hash,
  ];
}
