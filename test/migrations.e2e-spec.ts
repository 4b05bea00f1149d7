import { EventsService } from '../src/events/events.service';
import { quote } from './events/event-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v3/events/events/';

/**
 * The latest migrations revert and come back (`npm run migration:revert`): the revisions' recorded
 * index, and event counts by action and app (to counts by action only, rebuilt each way).
 */
describe(`migrations (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('reverts and re-applies the index the revisions retention deletes through', async () => {
    const hasIndex = async () => {
      const sql =
        t.dialect === 'mysql'
          ? "SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'idx_event_revisions_recorded'"
          : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'idx_event_revisions_recorded'";
      return Number((await t.dataSource.query(sql))[0].n) > 0;
    };
    expect(await hasIndex()).toBe(true);
    await t.dataSource.undoLastMigration();
    expect(await hasIndex()).toBe(false);
    expect(await t.dataSource.runMigrations()).toHaveLength(1);
    expect(await hasIndex()).toBe(true);
    await t.dataSource.undoLastMigration(); // the next test reverts the migration before this one
  });

  it('reverts and re-applies event counts by app, keeping the counts exact', async () => {
    for (const [action, app] of [['login', 'a.app'], ['login', 'b.app'], ['logout', 'a.app']]) {
      expect((await t.admin.post(EVENTS, { action, app })).status).toBe(201);
    }
    const countsByAction = async () =>
      (
        await t.dataSource.query(
          `SELECT ${quote(t, 'action')} AS action, SUM(${quote(t, 'n')}) AS n FROM ${quote(t, 'event_counts')} GROUP BY ${quote(t, 'action')} ORDER BY ${quote(t, 'action')}`,
        )
      ).map((row: { action: string; n: number | string }) => [row.action, Number(row.n)]);

    await t.dataSource.undoLastMigration();
    expect(await countsByAction()).toEqual([['login', 2], ['logout', 1]]);
    const columns = await t.dataSource.query(`SELECT * FROM ${quote(t, 'event_counts')}`);
    expect(Object.keys(columns[0]).sort()).toEqual(['action', 'n', 'shard']);

    expect((await t.admin.post(EVENTS, { action: 'login', app: 'c.app' })).status).toBe(201); // old triggers count it
    expect(await t.dataSource.runMigrations()).toHaveLength(2);
    expect(await countsByAction()).toEqual([['login', 3], ['logout', 1]]);
    expect(await t.app.get(EventsService).visibleApps()).toEqual(['a.app', 'b.app', 'c.app']);
  });
});
