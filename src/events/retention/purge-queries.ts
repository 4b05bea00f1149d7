import { Dialect, join, raw, RawSql, sql, SqlCondition, values } from '../../database/sql';
import { EVENT_TABLE } from '../event.entity';
import { REVISION_TABLE } from '../revisions/revision-sql';

/** The lease (job_leases) instances sharing a database take turns on (see PurgeService). */
export const PURGE_LEASE_NAME = 'eventlog_purge';

/**
 * Every statement the purge runs of its own (the purge revisions' are RevisionSql's), built with
 * the `sql` template and the database's `Dialect`, kept together so they can be reviewed at once.
 * Expired events are found through idx_events_expires, oldest first, a bounded batch at a time;
 * aged-out revisions through idx_event_revisions_recorded the same way.
 */
export class PurgeQueries {
  private readonly events: RawSql;
  private readonly expires: RawSql;

  constructor(private readonly dialect: Dialect) {
    this.events = dialect.column(EVENT_TABLE);
    this.expires = dialect.column('expires');
  }

  /**
   * Up to `limit` expired events, oldest first, each with about the bytes of its JSON documents
   * (the bulk of its state and of its purge revision), so the purge can read and append as many
   * at a time as fit in a bounded chunk. Locked until the batch's transaction ends: a concurrent
   * write to one of these rows waits for the batch's (short) transaction.
   */
  selectExpiredBatch(now: number, limit: number): SqlCondition {
    const d = this.dialect;
    const bytes = join(
      ['user', 'context', 'brand'].map((column) => sql`COALESCE(${d.byteLength(sql`${d.column(column)}`)}, 0)`),
      ' + ',
    );
    return sql`SELECT ${d.column('event_uuid')}, ${bytes} AS bytes FROM ${this.events} WHERE ${this.expires} <= ${now} ORDER BY ${this.expires} LIMIT ${limit}${d.lockRows()}`;
  }

  /** Revisions recorded at or before `cutoff`, oldest first, at most `limit`. */
  deleteAgedRevisions(cutoff: number, limit: number): SqlCondition {
    return this.dialect.deleteOldest(REVISION_TABLE, 'recorded', cutoff, limit);
  }

  /** How many events a purge at `now` would delete (for `npm run purge`'s progress). */
  countExpired(now: number): SqlCondition {
    return sql`SELECT COUNT(*) AS expired FROM ${this.events} WHERE ${this.expires} <= ${now}`;
  }

  /** `DELETE FROM <table> WHERE event_uuid IN (?, ?, …)`: primary-key (or indexed) lookups only. */
  deleteByEventUuids(table: string, uuids: Buffer[]): SqlCondition {
    return sql`DELETE FROM ${this.table(table)} WHERE ${this.dialect.column('event_uuid')} IN (${values(uuids)})`;
  }

  private table(name: string): RawSql {
    // Dependent tables come from the application's options, never from a request; still only plain names.
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table name: ${name}`);
    return raw(this.dialect.quote(name));
  }
}
