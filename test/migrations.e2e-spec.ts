import { EventsService } from '../src/events/events.service';
import { quote } from './events/event-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v3/events/events/';

/**
 * The latest migrations revert and come back (`npm run migration:revert`): the revisions' recorded
 * index; event counts by action and app (to counts by action only, rebuilt each way); on MariaDB
 * the long text columns, which revert only while every value still fits.
 */
describe(`migrations (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const countsByAction = async () =>
    (
      await t.dataSource.query(
        `SELECT ${quote(t, 'action')} AS action, SUM(${quote(t, 'n')}) AS n FROM ${quote(t, 'event_counts')} GROUP BY ${quote(t, 'action')} ORDER BY ${quote(t, 'action')}`,
      )
    ).map((row: { action: string; n: number | string }) => [row.action, Number(row.n)]);

  /**
   * Migrations after event counts by key: the long text columns (MariaDB only: SQLite never limited
   * them), the revisions' recorded index, then groups and policies.
   */
  const later = () => (t.dialect === 'mysql' ? 3 : 2);

  it('reverts groups to the superuser column and back, keeping who is superuser', async () => {
    const superusers = () =>
      t.dataSource.query(
        `SELECT u.${quote(t, 'username')} AS username FROM ${quote(t, 'group_members')} m JOIN ${quote(t, 'groups')} g ON g.${quote(t, 'group_uuid')} = m.${quote(t, 'group_uuid')} JOIN ${quote(t, 'users')} u ON u.${quote(t, 'id')} = m.${quote(t, 'user_id')} WHERE g.${quote(t, 'is_superuser')} = 1`,
      );
    expect(await superusers()).toEqual([{ username: 'akadmin' }]);
    await t.dataSource.undoLastMigration();
    const flagged = await t.dataSource.query(`SELECT ${quote(t, 'username')} AS username FROM ${quote(t, 'users')} WHERE ${quote(t, 'is_superuser')} = 1`);
    expect(flagged).toEqual([{ username: 'akadmin' }]);
    expect(await t.dataSource.runMigrations()).toHaveLength(1);
    expect(await superusers()).toEqual([{ username: 'akadmin' }]);
    expect((await t.admin.get('/api/v3/core/groups/?name=authentik%20Admins')).body.results[0]).toMatchObject({ is_superuser: true });
  });

  it('reverts and re-applies the index the revisions retention deletes through', async () => {
    const hasIndex = async () => {
      const sql =
        t.dialect === 'mysql'
          ? "SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'idx_event_revisions_recorded'"
          : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'idx_event_revisions_recorded'";
      return Number((await t.dataSource.query(sql))[0].n) > 0;
    };
    expect(await hasIndex()).toBe(true);
    await t.dataSource.undoLastMigration(); // groups and policies, which come after
    await t.dataSource.undoLastMigration();
    expect(await hasIndex()).toBe(false);
    expect(await t.dataSource.runMigrations()).toHaveLength(2);
    expect(await hasIndex()).toBe(true);
  });

  it('reverts and re-applies event counts by app, keeping the counts exact', async () => {
    for (const [action, app] of [['login', 'a.app'], ['login', 'b.app'], ['logout', 'a.app']]) {
      expect((await t.admin.post(EVENTS, { action, app })).status).toBe(201);
    }
    for (let i = 0; i <= later(); i++) await t.dataSource.undoLastMigration();
    expect(await countsByAction()).toEqual([['login', 2], ['logout', 1]]);
    const columns = await t.dataSource.query(`SELECT * FROM ${quote(t, 'event_counts')}`);
    expect(Object.keys(columns[0]).sort()).toEqual(['action', 'n', 'shard']);

    expect((await t.admin.post(EVENTS, { action: 'login', app: 'c.app' })).status).toBe(201); // old triggers count it
    expect(await t.dataSource.runMigrations()).toHaveLength(1 + later());
    expect(await countsByAction()).toEqual([['login', 3], ['logout', 1]]);
    expect(await t.app.get(EventsService).visibleApps()).toEqual(['a.app', 'b.app', 'c.app']);
  });

  const onMariaDb = process.env.TEST_DB === 'mariadb' ? it : it.skip;

  onMariaDb('reverts long text columns only while every value fits their former type, and re-applies them', async () => {
    const appType = async () =>
      (
        await t.dataSource.query(
          "SELECT DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND COLUMN_NAME = 'app'",
        )
      )[0].type;
    const long = 'l'.repeat(300);
    const created = await t.admin.post(EVENTS, { action: 'logout', app: long });
    expect(created.status).toBe(201);
    await t.dataSource.undoLastMigration(); // groups and policies, which come after
    await t.dataSource.undoLastMigration(); // the revisions' recorded index, which comes after

    await expect(t.dataSource.undoLastMigration()).rejects.toThrow('1 values of events.app do not fit varchar(255) NOT NULL');
    expect(await appType()).toBe('longtext');
    const again = await t.admin.post(EVENTS, { action: 'logout', app: long }); // the triggers still count it
    expect(again.status).toBe(201);
    expect(await t.app.get(EventsService).visibleApps()).toContain(long);

    for (const { pk } of [created.body, again.body]) {
      expect((await t.admin.patch(`${EVENTS}${pk}/`, { app: 'short.app' })).status).toBe(200);
    }
    const before = await countsByAction();
    await t.dataSource.undoLastMigration();
    expect(await appType()).toBe('varchar');
    expect(await countsByAction()).toEqual(before);

    expect(await t.dataSource.runMigrations()).toHaveLength(3);
    expect(await appType()).toBe('longtext');
    expect(await countsByAction()).toEqual(before);
    const apps = await t.app.get(EventsService).visibleApps();
    expect(apps).toContain('short.app');
    expect(apps).not.toContain(long);
  });
});
