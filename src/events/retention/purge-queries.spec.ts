import { resolveDialect } from '../../database/sql';
import { inline, placeholderProblems } from '../../database/sql/testing';
import { PurgeQueries } from './purge-queries';

const mysql = new PurgeQueries(resolveDialect('mysql'));
const sqlite = new PurgeQueries(resolveDialect('sqlite'));
const UUIDS = [Buffer.alloc(16, 1), Buffer.alloc(16, 2), Buffer.alloc(16, 3)];

describe('purge queries', () => {
  it('deletes by a list of event uuids, one placeholder each', () => {
    expect(sqlite.deleteByEventUuids('events', UUIDS).sql).toBe('DELETE FROM "events" WHERE "event_uuid" IN (?, ?, ?)');
    expect(mysql.deleteByEventUuids('events', UUIDS).params).toEqual(UUIDS);
  });

  it.each(['events; DROP TABLE users', 'Events', '`events`', ''])('refuses %p as a table name', (table) => {
    expect(() => mysql.deleteByEventUuids(table, UUIDS)).toThrow('not a table name');
  });

  it('finds a bounded batch of expired events oldest first, through idx_events_expires, with their sizes', () => {
    for (const queries of [mysql, sqlite]) {
      const batch = queries.selectExpiredBatch(100, 5);
      expect(placeholderProblems(batch)).toEqual([]);
      expect(batch.params).toEqual([100, 5]);
      expect(batch.sql).toMatch(
        /^SELECT .event_uuid., .*LENGTH.* AS bytes FROM .events. WHERE .expires. <= \? ORDER BY .expires. LIMIT \?/,
      );
    }
    expect(mysql.selectExpiredBatch(100, 5).sql).toMatch(/FOR UPDATE$/);
    expect(sqlite.selectExpiredBatch(100, 5).sql).toContain('LENGTH(CAST("user" AS BLOB))');
  });

  it('deletes aged-out revisions a bounded batch at a time, oldest first, through idx_event_revisions_recorded', () => {
    expect(inline(mysql.deleteAgedRevisions(100, 5))).toBe(
      'DELETE FROM `event_revisions` WHERE `recorded` <= 100 ORDER BY `recorded` LIMIT 5',
    );
    expect(inline(sqlite.deleteAgedRevisions(100, 5))).toBe(
      'DELETE FROM "event_revisions" WHERE rowid IN (SELECT rowid FROM "event_revisions" WHERE "recorded" <= 100 ORDER BY "recorded" LIMIT 5)',
    );
  });
});
