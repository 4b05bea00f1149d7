import { Dialect, join, raw, sql, SqlCondition, values } from '../../database/sql';
import { bytesToUuid } from '../event-row';
import type { EventRevision } from '../revisions/revision.types';

export const EVENT_OUTBOX_TABLE = 'event_outbox';

/**
 * One saved revision of an event that whoever consumes saves (the notification rules) has not
 * handled yet. Written in the save's own transaction, so it exists exactly when the save does.
 */
export interface OutboxEntry {
  id: number;
  eventUuid: string;
  /** The revision's hash: which save this is (an edit is a new revision, so a new entry). */
  revision: string;
  /** When the revision was recorded, microseconds since the epoch. */
  recorded: number;
}

interface OutboxRow {
  id: number | string;
  event_uuid: Buffer;
  revision: string;
  recorded: number | string;
}

/**
 * The statements of `event_outbox`, a generic "event saved" journal: the events module writes it
 * and knows nothing of who reads it. One narrow INSERT per save; the table has no index but its
 * key, which is the order consumers claim in.
 */
export class OutboxSql {
  constructor(private readonly dialect: Dialect) {}

  /** The entry for a revision just appended (creation or change). */
  insert(revision: EventRevision): SqlCondition {
    return this.insertMany([revision]);
  }

  /** The entries for revisions appended together (bulk ingest): one multi-row INSERT. */
  insertMany(revisions: readonly EventRevision[]): SqlCondition {
    const rows = revisions.map((revision) => sql`(${values([Buffer.from(revision.event, 'hex'), revision.hash, revision.recorded])})`);
    return sql`INSERT INTO ${this.dialect.column(EVENT_OUTBOX_TABLE)} (${this.dialect.column('event_uuid')}, ${this.dialect.column('revision')}, ${this.dialect.column('recorded')}) VALUES ${join(rows, ', ')}`;
  }

  /** The oldest `limit` entries, locked for the transaction and skipped by other claimers (MariaDB). */
  claim(limit: number): SqlCondition {
    const columns = ['id', 'event_uuid', 'revision', 'recorded'].map((c) => this.dialect.quote(c)).join(', ');
    return sql`SELECT ${raw(columns)} FROM ${this.dialect.column(EVENT_OUTBOX_TABLE)} ORDER BY ${this.dialect.column('id')} LIMIT ${limit}${this.dialect.lockRowsSkippingLocked()}`;
  }

  /** Removes handled entries. */
  delete(ids: readonly number[]): SqlCondition {
    return sql`DELETE FROM ${this.dialect.column(EVENT_OUTBOX_TABLE)} WHERE ${this.dialect.column('id')} IN (${values([...ids])})`;
  }
}

export function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return { id: Number(row.id), eventUuid: bytesToUuid(row.event_uuid), revision: row.revision, recorded: Number(row.recorded) };
}
