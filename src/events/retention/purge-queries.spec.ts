import { deleteByEventUuidsSql, MYSQL_PURGE_SQL, SQLITE_PURGE_SQL } from './purge-queries';

describe('purge queries', () => {
  it('deletes by a list of event uuids, one placeholder each', () => {
    expect(deleteByEventUuidsSql('events', 3)).toBe('DELETE FROM events WHERE event_uuid IN (?, ?, ?)');
  });

  it.each(['events; DROP TABLE users', 'Events', '`events`', ''])('refuses %p as a table name', (table) => {
    expect(() => deleteByEventUuidsSql(table, 1)).toThrow('not a table name');
  });

  it('finds a bounded batch of expired events oldest first, through idx_events_expires, with their sizes', () => {
    for (const sql of [MYSQL_PURGE_SQL.selectExpiredBatch, SQLITE_PURGE_SQL.selectExpiredBatch]) {
      expect(sql).toMatch(/^SELECT event_uuid, .*LENGTH.* AS bytes FROM events WHERE expires <= \? ORDER BY expires LIMIT \?/);
    }
    expect(MYSQL_PURGE_SQL.selectExpiredBatch).toMatch(/FOR UPDATE$/);
  });

  it('names the MariaDB lock per database and never waits for it', () => {
    expect(MYSQL_PURGE_SQL.acquireLock).toBe("SELECT GET_LOCK(LEFT(CONCAT('eventlog_purge:', DATABASE()), 64), 0) AS acquired");
    expect(MYSQL_PURGE_SQL.releaseLock).toContain("RELEASE_LOCK(LEFT(CONCAT('eventlog_purge:', DATABASE()), 64))");
  });

  it('deletes aged-out revisions a bounded batch at a time, oldest first, through idx_event_revisions_recorded', () => {
    expect(MYSQL_PURGE_SQL.deleteAgedRevisions).toBe('DELETE FROM event_revisions WHERE recorded <= ? ORDER BY recorded LIMIT ?');
    expect(SQLITE_PURGE_SQL.deleteAgedRevisions).toBe(
      'DELETE FROM event_revisions WHERE rowid IN (SELECT rowid FROM event_revisions WHERE recorded <= ? ORDER BY recorded LIMIT ?)',
    );
  });
});
