import { EVENT_TABLE } from '../event.entity';
import { REVISION_TABLE } from '../revisions/revision-sql';

/**
 * Every statement the purge runs, per dialect, kept together so they can be reviewed at once.
 * Expired events are found through idx_events_expires, oldest first, a bounded batch at a time;
 * aged-out revisions through idx_event_revisions_recorded the same way.
 */

/**
 * About the bytes of an event's JSON documents (the bulk of its state and of its purge revision),
 * so the purge can read and append as many events at a time as fit in a bounded chunk.
 */
const stateBytes = (...lengths: string[]) => lengths.map((length) => `COALESCE(${length}, 0)`).join(' + ');

// Named per database: instances sharing a database take turns, other databases are unaffected.
const MYSQL_LOCK_NAME = "LEFT(CONCAT('eventlog_purge:', DATABASE()), 64)";

export const MYSQL_PURGE_SQL = {
  /** Returns 1 when this connection now holds the lock, 0 when another one does (no waiting). */
  acquireLock: `SELECT GET_LOCK(${MYSQL_LOCK_NAME}, 0) AS acquired`,
  releaseLock: `SELECT RELEASE_LOCK(${MYSQL_LOCK_NAME}) AS released`,
  /** FOR UPDATE: a concurrent write to one of these rows waits for the batch's (short) transaction. */
  selectExpiredBatch: `SELECT event_uuid, ${stateBytes('LENGTH(`user`)', 'LENGTH(context)', 'LENGTH(brand)')} AS bytes FROM ${EVENT_TABLE} WHERE expires <= ? ORDER BY expires LIMIT ? FOR UPDATE`,
  /** Revisions recorded at or before the cutoff, oldest first; a single-table DELETE may carry ORDER BY and LIMIT. */
  deleteAgedRevisions: `DELETE FROM ${REVISION_TABLE} WHERE recorded <= ? ORDER BY recorded LIMIT ?`,
};

export const SQLITE_PURGE_SQL = {
  // SQLite has a single writer, so the batch's transaction already excludes concurrent writes.
  // LENGTH counts characters in a text; as a blob, bytes.
  selectExpiredBatch: `SELECT event_uuid, ${stateBytes('LENGTH(CAST("user" AS BLOB))', 'LENGTH(CAST(context AS BLOB))', 'LENGTH(CAST(brand AS BLOB))')} AS bytes FROM ${EVENT_TABLE} WHERE expires <= ? ORDER BY expires LIMIT ?`,
  // DELETE … LIMIT needs a compile option SQLite builds usually lack: bound the rowids instead.
  deleteAgedRevisions:
    `DELETE FROM ${REVISION_TABLE} WHERE rowid IN ` +
    `(SELECT rowid FROM ${REVISION_TABLE} WHERE recorded <= ? ORDER BY recorded LIMIT ?)`,
};

/** Both dialects: how many events a purge would delete (for `npm run purge`'s progress). */
export const PURGE_COUNT_SQL = `SELECT COUNT(*) AS expired FROM ${EVENT_TABLE} WHERE expires <= ?`;

/** `DELETE FROM <table> WHERE event_uuid IN (?, ?, …)`: primary-key (or indexed) lookups only. */
export function deleteByEventUuidsSql(table: string, count: number): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  return `DELETE FROM ${table} WHERE event_uuid IN (${new Array(count).fill('?').join(', ')})`;
}
