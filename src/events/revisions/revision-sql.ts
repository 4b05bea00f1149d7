import { Dialect, join, raw, RawSql, sql, SqlCondition, values } from '../../database/sql';
import { EVENT_TABLE } from '../event.entity';
import { EVENT_COLUMNS, HEAD_COLUMNS, toColumnValue, toRowValues, uuidToBytes } from '../event-row';
import type { DocumentTexts } from '../event-row';
import type { EventRecord, FieldChanges } from '../event.types';
import { OutboxSql } from '../outbox/outbox-sql';
import type { EventRevision } from './revision.types';

export const REVISION_TABLE = 'event_revisions';

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
export type Statement = SqlCondition;

/**
 * Text values per multi-row INSERT: far under MariaDB's `max_allowed_packet` (16 MiB) even when
 * escaping doubles them.
 */
export const MAX_INSERT_TEXT_CHARS = 4 * 1024 * 1024;

/** Characters of text among a statement's values. */
export function textLength(statement: Statement): number {
  let length = 0;
  for (const param of statement.params) if (typeof param === 'string') length += param.length;
  return length;
}

/**
 * Every statement of the audited write paths (create, PATCH/PUT, DELETE), of reading a chain and
 * of the purge's revisions, for one dialect. The event row carries its chain head
 * (`revision_seq`, `revision_hash`), so a write reads the head together with the row it locks and
 * moves both in its one UPDATE.
 */
export class RevisionSql {
  private readonly events: RawSql;
  private readonly revisions: RawSql;
  private readonly uuid: RawSql;
  /** The event's columns as `toEventRecord` reads them, then the chain head. */
  private readonly chainedColumns: RawSql;
  private readonly revisionColumns: RawSql;
  private readonly outbox: OutboxSql;

  constructor(readonly dialect: Dialect) {
    this.outbox = new OutboxSql(dialect);
    const list = (columns: readonly string[]) => raw(columns.map((column) => dialect.quote(column)).join(', '));
    this.events = dialect.column(EVENT_TABLE);
    this.revisions = dialect.column(REVISION_TABLE);
    this.uuid = dialect.column('event_uuid');
    this.chainedColumns = list([...EVENT_COLUMNS, ...HEAD_COLUMNS]);
    this.revisionColumns = list(REVISION_COLUMNS);
  }

  insertEvent(event: EventRecord, revision: EventRevision): Statement {
    return this.insertEventRows([this.eventRow(event, revision)]);
  }

  /** A new event's row, with its creation revision as its chain head: `(?, ?, ...)`; `documents`: as `toRowValues`. */
  eventRow(event: EventRecord, revision: EventRevision, documents?: DocumentTexts): Statement {
    return sql`(${values([...toRowValues(event, documents), revision.seq, revision.hash])})`;
  }

  /** One multi-row INSERT of `eventRow`s (bulk ingest). */
  insertEventRows(rows: Statement[]): Statement {
    return sql`INSERT INTO ${this.events} (${this.chainedColumns}) VALUES ${join(rows, ', ')}`;
  }

  /** Which of these event ids exist (visible or not): a new event must not take one. */
  selectExistingUuids(uuids: Buffer[]): Statement {
    return sql`SELECT ${this.uuid} FROM ${this.events} WHERE ${this.uuid} IN (${values(uuids)})`;
  }

  /** The visible event with its chain head, locked until the transaction ends. */
  selectForWrite(uuid: string, now: number): Statement {
    return sql`SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.uuid} = ${uuidToBytes(uuid)} AND ${this.dialect.column('expires')} > ${now}${this.dialect.lockRows()}`;
  }

  /**
   * Event rows with their heads by primary key, locked until the transaction ends, visible or
   * not (a batch of PATCHes checks each one's instant itself). InnoDB locks the keys of an IN
   * list in the index's order.
   */
  selectForWriteMany(uuids: string[]): Statement {
    return sql`${this.selectChainedEvents(uuids.map(uuidToBytes))}${this.dialect.lockRows()}`;
  }

  /** Only the given columns, and the head: one UPDATE of a row the transaction has locked. */
  updateEvent(uuid: string, changes: FieldChanges, revision: EventRevision): Statement {
    // Only writable columns reach the SQL text, so `event_uuid` and `created` never change.
    const assignments = [
      ...changes.names.map((column) => this.assign(column, toColumnValue(column, changes.values[column]))),
      this.assign('revision_seq', revision.seq),
      this.assign('revision_hash', revision.hash),
    ];
    return sql`UPDATE ${this.events} SET ${join(assignments, ', ')} WHERE ${this.uuid} = ${uuidToBytes(uuid)}`;
  }

  deleteEvent(uuid: string): Statement {
    return sql`DELETE FROM ${this.events} WHERE ${this.uuid} = ${uuidToBytes(uuid)}`;
  }

  insertRevision(revision: EventRevision): Statement {
    return this.insertRevisions([revision]);
  }

  /** The "event saved" journal entry of a creation or change: every save that notifies writes one, in its transaction. */
  insertOutboxEntry(revision: EventRevision): Statement {
    return this.outbox.insert(revision);
  }

  /** The outbox entries of revisions appended together (bulk ingest). */
  insertOutboxEntries(revisions: readonly EventRevision[]): Statement {
    return this.outbox.insertMany(revisions);
  }

  /** One multi-row INSERT (the purge's revisions of a chunk of events). */
  insertRevisions(revisions: EventRevision[]): Statement {
    return this.insertRevisionRows(revisions.map((revision) => this.revisionRow(revision)));
  }

  /**
   * Multi-row INSERTs of these revisions, a new one whenever the text values pass
   * MAX_INSERT_TEXT_CHARS (a batch of PATCHes may carry large contexts).
   */
  insertRevisionsChunked(revisions: EventRevision[]): Statement[] {
    const statements: Statement[] = [];
    let rows: Statement[] = [];
    let chars = 0;
    for (const revision of revisions) {
      const row = this.revisionRow(revision);
      if (rows.length > 0 && chars + textLength(row) > MAX_INSERT_TEXT_CHARS) {
        statements.push(this.insertRevisionRows(rows));
        [rows, chars] = [[], 0];
      }
      rows.push(row);
      chars += textLength(row);
    }
    if (rows.length > 0) statements.push(this.insertRevisionRows(rows));
    return statements;
  }

  /** A revision's row: `(?, ?, ...)`; `afterText`: the JSON text of its `after`, when the caller has it (stateJson). */
  revisionRow(revision: EventRevision, afterText?: string): Statement {
    return sql`(${values(revisionValues(revision, afterText))})`;
  }

  /** One multi-row INSERT of `revisionRow`s. */
  insertRevisionRows(rows: Statement[]): Statement {
    return sql`INSERT INTO ${this.revisions} (${this.revisionColumns}) VALUES ${join(rows, ', ')}`;
  }

  /** Event rows with their heads by primary key (the purge reads the rows it has locked). */
  selectChainedEvents(uuids: Buffer[]): Statement {
    return sql`SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.uuid} IN (${values(uuids)})`;
  }

  /** One event's revisions, oldest first (the primary key's order). */
  selectRevisions(uuid: string): Statement {
    return sql`SELECT ${this.revisionColumns} FROM ${this.revisions} WHERE ${this.uuid} = ${uuidToBytes(uuid)} ORDER BY ${this.dialect.column('seq')}`;
  }

  /** The event row with its head, whether visible or not. */
  selectChainedEvent(uuid: string): Statement {
    return sql`SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.uuid} = ${uuidToBytes(uuid)}`;
  }

  /** One revision's hash: whether that revision, exactly, is stored. */
  selectRevisionHash(uuid: string, seq: number): Statement {
    return sql`SELECT ${this.dialect.column('hash')} FROM ${this.revisions} WHERE ${this.uuid} = ${uuidToBytes(uuid)} AND ${this.dialect.column('seq')} = ${seq}`;
  }

  /** The next `limit` revisions of all events after (event, seq), in primary-key order: a keyset walk. */
  revisionsAfter(after: { event: Buffer; seq: number } | null, limit: number): Statement {
    const seq = this.dialect.column('seq');
    const order = sql`ORDER BY ${this.uuid}, ${seq} LIMIT ${limit}`;
    if (!after) return sql`SELECT ${this.revisionColumns} FROM ${this.revisions} ${order}`;
    // `event_uuid >= ?` first: a plain range on the primary key; the OR then only trims its start.
    return sql`SELECT ${this.revisionColumns} FROM ${this.revisions} WHERE ${this.uuid} >= ${after.event} AND (${this.uuid} > ${after.event} OR ${seq} > ${after.seq}) ${order}`;
  }

  /** The next `limit` event rows (with heads) after `after`, in primary-key order. */
  eventsAfter(after: Buffer | null, limit: number): Statement {
    const order = sql`ORDER BY ${this.uuid} LIMIT ${limit}`;
    if (!after) return sql`SELECT ${this.chainedColumns} FROM ${this.events} ${order}`;
    return sql`SELECT ${this.chainedColumns} FROM ${this.events} WHERE ${this.uuid} > ${after} ${order}`;
  }

  private assign(column: string, value: unknown): SqlCondition {
    return sql`${this.dialect.column(column)} = ${value}`;
  }
}

/** A revision's column values, in REVISION_COLUMNS' order. */
function revisionValues(revision: EventRevision, afterText?: string): unknown[] {
  return [
    Buffer.from(revision.event, 'hex'),
    revision.seq,
    revision.kind,
    JSON.stringify(revision.actor),
    revision.recorded,
    JSON.stringify(revision.fields),
    revision.before === null ? null : JSON.stringify(revision.before),
    revision.after === null ? null : (afterText ?? JSON.stringify(revision.after)),
    revision.prev_hash,
    revision.hash,
  ];
}
