import { nowMicros } from '@app/common';
import { EventsRepository } from '../src/events/events.repository';
import { quote } from './events/event-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v3/events/events/';

/**
 * The latest migrations revert and come back (`npm run migration:revert`): the outbox and deliveries; the folded counts; the job leases; the
 * notification rules; the notification
 * tables; groups (back to the superuser column); the revisions' recorded index; event counts by action and app (to counts by action only, rebuilt each way); on MariaDB
 * the long text columns, which revert only while every value still fits.
 */
describe(`migrations (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // No background jobs: they would run on the schema a test has reverted, and race its DDL.
    t = await startTestApp({ COUNTER_FOLD_INTERVAL_MS: '0', NOTIFICATION_WORKERS: 'false' });
  });
  afterAll(async () => t?.close());

  /** Non-zero counts by action: `event_counts`, plus the deltas not folded yet where the counts are folded. */
  const countsByAction = async () => {
    const byAction = (table: string) =>
      t.dataSource.query(
        `SELECT ${quote(t, 'action')} AS action, SUM(${quote(t, 'n')}) AS n FROM ${quote(t, table)} GROUP BY ${quote(t, 'action')}`,
      ) as Promise<{ action: string; n: number | string }[]>;
    const folded = (await t.dataSource.query(
      t.dialect === 'mysql'
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'event_count_deltas'"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'event_count_deltas'",
    )) as unknown[];
    const rows = [...(await byAction('event_counts')), ...(folded.length > 0 ? await byAction('event_count_deltas') : [])];
    const sums = new Map<string, number>();
    for (const row of rows) sums.set(row.action, (sums.get(row.action) ?? 0) + Number(row.n));
    return [...sums].filter(([, n]) => n !== 0).sort(([x], [y]) => (x < y ? -1 : 1));
  };

  /** Migrations after the revisions' recorded index: groups and policies, the notification tables, the rules, the job leases, the folded counts, the notification delivery tables. */
  const AFTER_INDEX = 6;
  /**
   * Migrations after event counts by key: the long text columns (MariaDB only: SQLite never limited
   * them), then the revisions' recorded index and those after it.
   */
  const later = () => (t.dialect === 'mysql' ? 2 : 1) + AFTER_INDEX;

  /**
   * The running code writes an `event_outbox` row with every save of an event. Tests that write
   * events on a reverted schema give it that table (the last migration's) meanwhile, and take it
   * away again before the migrations come back.
   */
  const addOutbox = () =>
    t.dataSource.query(
      t.dialect === 'mysql'
        ? 'CREATE TABLE `event_outbox` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `event_uuid` binary(16) NOT NULL, `revision` char(64) NOT NULL, `recorded` bigint NOT NULL)'
        : 'CREATE TABLE "event_outbox" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "event_uuid" blob NOT NULL, "revision" char(64) NOT NULL, "recorded" bigint NOT NULL)',
    );
  const dropOutbox = () => t.dataSource.query(`DROP TABLE ${quote(t, 'event_outbox')}`);

  /**
   * Migrations newer than the delivery tables, SQLite only: the sparse context indexes (MariaDB
   * has no partial indexes) and the string-proving generated columns (MariaDB's always were).
   */
  const newest = () => (t.dialect === 'sqlite' ? 2 : 0);

  /** Reverts the `newest` migrations and then the last `n` before them. */
  const undo = async (n: number) => {
    for (let i = 0; i < newest() + n; i++) await t.dataSource.undoLastMigration();
  };
  /** Applies what `undo(n)` reverted; the number applied, less the `newest`. */
  const redo = async () => (await t.dataSource.runMigrations()).length - newest();

  const onSqlite = (process.env.TEST_DB ?? 'sqlite') === 'sqlite' ? it : it.skip;

  onSqlite('reverts the sparse context indexes to whole ones and back; a filter on one finds its events either way', async () => {
    const definitions = async () =>
      (
        await t.dataSource.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_events_context_%' ORDER BY name")
      ).map((row: { sql: string }) => row.sql);
    const partial = (sqls: string[]) => sqls.map((text) => / WHERE "context_\w+" IS NOT NULL$/.test(text));
    const pk = `sparse${Date.now()}`;
    const created = await t.admin.post(EVENTS, {
      action: 'model_created',
      app: 'sparse',
      context: { model: { app: 'a', model_name: 'm', pk } },
    });
    expect(created.status).toBe(201);
    const found = async () => (await t.admin.get(`${EVENTS}?context_model_pk=${pk}`)).body.results.map((e: { pk: string }) => e.pk);

    expect(partial(await definitions())).toEqual(Array(6).fill(true));
    await t.dataSource.undoLastMigration(); // the string-proving columns
    await t.dataSource.undoLastMigration();
    expect(partial(await definitions())).toEqual(Array(6).fill(false));
    expect(await found()).toEqual([created.body.pk]);
    expect(await t.dataSource.runMigrations()).toHaveLength(2);
    expect(partial(await definitions())).toEqual(Array(6).fill(true));
    expect(await found()).toEqual([created.body.pk]);
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')} WHERE ${quote(t, 'app')} = 'sparse'`); // later tests count by action
  });

  onSqlite('reverts the string-proving columns to plain casts and back, recounting the model counters exactly', async () => {
    const apps: [string, unknown][] = [
      ['string', 'plain'],
      ['number', 5],
      ['real', 1.5],
      ['boolean', true],
      ['object', { a: 1 }],
      ['nul', 'x\u0000y'],
      ['null', null],
    ];
    for (const [name, app] of apps) {
      const created = await t.admin.post(EVENTS, {
        action: 'model_updated',
        app: `columns.${name}`,
        context: { model: { app, model_name: name } },
      });
      expect(created.status).toBe(201);
    }
    const columns = async () =>
      Object.fromEntries(
        (
          await t.dataSource.query(
            `SELECT "app", "context_model_app" AS "column" FROM "events" WHERE "app" LIKE 'columns.%' ORDER BY "app"`,
          )
        ).map((row: { app: string; column: string | null }) => [row.app.slice('columns.'.length), row.column]),
      );
    /** The model counters (totals plus unfolded deltas) against a count of the events themselves. */
    const countersAgree = async () => {
      const key = `"action", COALESCE("context_model_app", '') AS "app", COALESCE("context_model_name", '') AS "name"`;
      const counted = await t.dataSource.query(
        `SELECT "action", "app", "name", SUM("n") AS "n" FROM (
           SELECT "action", "context_model_app" AS "app", "context_model_name" AS "name", "n" FROM "event_counts"
           UNION ALL SELECT "action", "context_model_app", "context_model_name", "n" FROM "event_count_deltas")
         GROUP BY 1, 2, 3 HAVING SUM("n") <> 0 ORDER BY 1, 2, 3`,
      );
      const actual = await t.dataSource.query(`SELECT ${key}, COUNT(*) AS "n" FROM "events" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
      expect(counted).toEqual(actual);
      return counted.length;
    };
    const proving = { boolean: '1', nul: null, null: null, number: '5', object: null, real: '1.5', string: 'plain' };
    const search = async () =>
      (await t.admin.get(`${EVENTS}?search=${encodeURIComponent('context.model.app = "plain"')}`)).body.results.map(
        (e: { app: string }) => e.app,
      );

    // An index an operator added by hand, without quotes, is kept through both directions.
    await t.dataSource.query('CREATE INDEX idx_operator_model_app ON events (context_model_app, action)');
    const operatorIndex = async () =>
      (await t.dataSource.query("SELECT name FROM sqlite_master WHERE name = 'idx_operator_model_app'")).length;

    expect(await columns()).toEqual(proving);
    expect(await countersAgree()).toBeGreaterThan(0);
    await t.dataSource.undoLastMigration();
    expect(await operatorIndex()).toBe(1);
    expect(await columns()).toEqual({ ...proving, nul: 'x', object: '{"a":1}' });
    await countersAgree();
    expect(await search()).toEqual(['columns.string']);
    expect(await t.dataSource.runMigrations()).toHaveLength(1);
    expect(await columns()).toEqual(proving);
    await countersAgree();
    expect(await search()).toEqual(['columns.string']);
    expect(await operatorIndex()).toBe(1);
    await t.dataSource.query('DROP INDEX idx_operator_model_app');
    await t.dataSource.query(`DELETE FROM "events" WHERE "app" LIKE 'columns.%'`); // later tests count by action
  });

  it('reverts and re-applies the event outbox and the notification deliveries', async () => {
    const sql =
      t.dialect === 'mysql'
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('event_outbox', 'notification_deliveries')"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('event_outbox', 'notification_deliveries')";
    const tables = async () => (await t.dataSource.query(sql)).map((row: { name: string }) => row.name).sort();
    expect(await tables()).toEqual(['event_outbox', 'notification_deliveries']);
    await undo(1);
    expect(await tables()).toEqual([]);
    expect(await redo()).toBe(1);
    expect(await tables()).toEqual(['event_outbox', 'notification_deliveries']);
  });

  it('reverts folded counts to one table by every key (rebuilt from the events) and back, keeping the counts exact', async () => {
    for (const [action, app] of [
      ['login', 'fold.a'],
      ['login', 'fold.b'],
      ['logout', 'fold.a'],
    ]) {
      expect((await t.admin.post(EVENTS, { action, app })).status).toBe(201);
    }
    const byAction = await countsByAction();
    await undo(2); // the delivery tables, which come after, then the folded counts
    const columns = await t.dataSource.query(`SELECT * FROM ${quote(t, 'event_counts')}`);
    expect(Object.keys(columns[0]).sort()).toEqual(
      ['action', 'app', 'context_model_app', 'context_model_name', 'n', 'shard', ...(t.dialect === 'mysql' ? ['app_digest'] : [])].sort(),
    );
    expect(await countsByAction()).toEqual(byAction);
    await addOutbox();
    expect((await t.admin.post(EVENTS, { action: 'login', app: 'fold.c' })).status).toBe(201); // the former triggers count it
    await dropOutbox();
    expect(await redo()).toBe(2);
    expect(await countsByAction()).toEqual(byAction.map(([action, n]) => [action, action === 'login' ? Number(n) + 1 : n]));
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(expect.arrayContaining(['fold.a', 'fold.b', 'fold.c']));
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')} WHERE ${quote(t, 'app')} LIKE 'fold.%'`);
  });

  it('reverts and re-applies the job leases table', async () => {
    const leases = () => t.dataSource.query(`SELECT COUNT(*) AS n FROM ${quote(t, 'job_leases')}`);
    expect(await leases()).toEqual([{ n: expect.anything() }]);
    await undo(3); // the delivery tables and the folded counts, which come after, then the leases
    await expect(leases()).rejects.toThrow();
    expect(await redo()).toBe(3);
    expect(await leases()).toEqual([{ n: expect.anything() }]);
  });

  it('reverts and re-applies the notification rules', async () => {
    const sql =
      t.dialect === 'mysql'
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'notification_rule%'"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'notification_rule%'";
    const tables = async () => (await t.dataSource.query(sql)).map((row: { name: string }) => row.name).sort();
    expect(await tables()).toEqual(['notification_rule_transports', 'notification_rules']);
    await undo(4); // the delivery tables, the folded counts and the job leases, which come after, then the rules
    expect(await tables()).toEqual([]);
    expect(await redo()).toBe(4);
    expect(await tables()).toEqual(['notification_rule_transports', 'notification_rules']);
  });

  it('reverts and re-applies the notification tables', async () => {
    const tables = async () => {
      const sql =
        t.dialect === 'mysql'
          ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('notifications', 'notification_transports')"
          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('notifications', 'notification_transports')";
      return (await t.dataSource.query(sql)).map((row: { name: string }) => row.name).sort();
    };
    expect(await tables()).toEqual(['notification_transports', 'notifications']);
    await undo(5); // the delivery tables, the folded counts, the job leases and the rules, which come after, then the notification tables
    expect(await tables()).toEqual([]);
    expect(await redo()).toBe(5);
    expect(await tables()).toEqual(['notification_transports', 'notifications']);
  });

  it('reverts groups to the superuser column and back, keeping who is superuser', async () => {
    const superusers = () =>
      t.dataSource.query(
        `SELECT u.${quote(t, 'username')} AS username FROM ${quote(t, 'group_members')} m JOIN ${quote(t, 'groups')} g ON g.${quote(t, 'group_uuid')} = m.${quote(t, 'group_uuid')} JOIN ${quote(t, 'users')} u ON u.${quote(t, 'id')} = m.${quote(t, 'user_id')} WHERE g.${quote(t, 'is_superuser')} = 1`,
      );
    expect(await superusers()).toEqual([{ username: 'akadmin' }]);
    await undo(6); // the delivery tables, the folded counts, the job leases, the rules and the notification tables, which come after, then groups
    const flagged = await t.dataSource.query(
      `SELECT ${quote(t, 'username')} AS username FROM ${quote(t, 'users')} WHERE ${quote(t, 'is_superuser')} = 1`,
    );
    expect(flagged).toEqual([{ username: 'akadmin' }]);
    expect(await redo()).toBe(6);
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
    await undo(1 + AFTER_INDEX);
    expect(await hasIndex()).toBe(false);
    expect(await redo()).toBe(1 + AFTER_INDEX);
    expect(await hasIndex()).toBe(true);
  });

  it('reverts and re-applies event counts by app, keeping the counts exact', async () => {
    for (const [action, app] of [
      ['login', 'a.app'],
      ['login', 'b.app'],
      ['logout', 'a.app'],
    ]) {
      expect((await t.admin.post(EVENTS, { action, app })).status).toBe(201);
    }
    await undo(1 + later());
    expect(await countsByAction()).toEqual([
      ['login', 2],
      ['logout', 1],
    ]);
    const columns = await t.dataSource.query(`SELECT * FROM ${quote(t, 'event_counts')}`);
    expect(Object.keys(columns[0]).sort()).toEqual(['action', 'n', 'shard']);

    await addOutbox();
    expect((await t.admin.post(EVENTS, { action: 'login', app: 'c.app' })).status).toBe(201); // old triggers count it
    await dropOutbox();
    expect(await redo()).toBe(1 + later());
    expect(await countsByAction()).toEqual([
      ['login', 3],
      ['logout', 1],
    ]);
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(['a.app', 'b.app', 'c.app']);
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
    // The migrations after the long text columns: the revisions' recorded index and those after it.
    await undo(1 + AFTER_INDEX);
    await addOutbox();
    await expect(t.dataSource.undoLastMigration()).rejects.toThrow('1 values of events.app do not fit varchar(255) NOT NULL');
    expect(await appType()).toBe('longtext');
    const again = await t.admin.post(EVENTS, { action: 'logout', app: long }); // the triggers still count it
    expect(again.status).toBe(201);
    // The counts of that schema (one table by every key; the app reads need the latest one).
    const [{ n }] = await t.dataSource.query('SELECT SUM(`n`) AS n FROM `event_counts` WHERE `app` = ?', [long]);
    expect(Number(n)).toBe(2);

    for (const { pk } of [created.body, again.body]) {
      expect((await t.admin.patch(`${EVENTS}${pk}/`, { app: 'short.app' })).status).toBe(200);
    }
    const before = await countsByAction();
    await t.dataSource.undoLastMigration();
    expect(await appType()).toBe('varchar');
    expect(await countsByAction()).toEqual(before);

    await dropOutbox();
    expect(await redo()).toBe(2 + AFTER_INDEX);
    expect(await appType()).toBe('longtext');
    expect(await countsByAction()).toEqual(before);
    const apps = await t.app.get(EventsRepository).visibleApps(nowMicros());
    expect(apps).toContain('short.app');
    expect(apps).not.toContain(long);
  });
});
