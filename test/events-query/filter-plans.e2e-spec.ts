import { nowMicros } from '@app/common';
import { and, buildListFilter, ListQuery, resolveDialect, visibleAt } from '../../src/events/query';
import { EVENT_ACTIONS } from '../../src/events/event-actions';
import { bytesToUuid } from '../../src/events/event-row';
import { EventsRepository } from '../../src/events/events.repository';
import { DEFAULT_EVENT_ORDERING } from '../../src/events/event.types';
import { buildListSelection } from '../../src/events/query';
import { PLAIN_SEARCH_MAX_ROWS } from '../../src/events/query/search/search-limits';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 4: the plans are checked on a table of at least 100 000 rows.
const FILLER_ROWS = 100_000;
const BATCH = 1000;
const COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];

/** Inserts `count` events, row `i` (0-based) with the values `row(i)` gives for COLUMNS, BATCH rows a statement. */
async function insertRows(t: TestApp, count: number, row: (i: number) => unknown[]): Promise<void> {
  const d = resolveDialect(t.dialect);
  const placeholders = `(${COLUMNS.map(() => '?').join(', ')})`;
  for (let start = 0; start < count; start += BATCH) {
    const params: unknown[] = [];
    for (let i = start; i < Math.min(start + BATCH, count); i++) params.push(...row(i));
    const rows = Math.min(BATCH, count - start);
    await t.dataSource.query(
      `INSERT INTO ${d.quote('events')} (${COLUMNS.map((c) => d.quote(c)).join(', ')}) VALUES ${Array(rows).fill(placeholders).join(', ')}`,
      params,
    );
  }
}

/** The indexes the plan of the list's COUNT query names, and whether it scans or reads rows. */
async function indexesUsed(t: TestApp, query: ListQuery): Promise<{ indexes: string[]; fullScan: boolean; readsRows: boolean }> {
  const d = resolveDialect(t.dialect);
  const where = and(visibleAt(nowMicros(), d), buildListFilter(query, d));
  const count = `SELECT COUNT(*) FROM ${d.quote('events')} WHERE ${where.sql}`;
  if (t.dialect === 'mysql') {
    type PlanRow = { table: string | null; type: string | null; key: string | null; Extra: string | null };
    const rows: PlanRow[] = await t.dataSource.query(`EXPLAIN ${count}`, where.params);
    const events = rows.filter((row) => row.table === 'events');
    return {
      indexes: events.flatMap((row) => (row.key ?? '').split(',').filter(Boolean)),
      fullScan: events.some((row) => row.type === 'ALL' || row.type === 'index'),
      readsRows: events.some((row) => !(row.Extra ?? '').includes('Using index')),
    };
  }
  const rows: { detail: string }[] = await t.dataSource.query(`EXPLAIN QUERY PLAN ${count}`, where.params);
  return {
    indexes: rows.flatMap((row) => /^SEARCH events USING (?:COVERING )?INDEX (\w+)/.exec(row.detail)?.[1] ?? []),
    fullScan: rows.some((row) => /^SCAN events\b/.test(row.detail)),
    readsRows: rows.some((row) => /^SEARCH events USING INDEX/.test(row.detail)),
  };
}

/**
 * Every list filter is an index lookup (issue 4): the plan of the list's COUNT query names the
 * filter's index and never scans the table, on 100 000 rows; the timing belongs to the benchmark.
 */
describe(`list filter plans (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const now = nowMicros();
    await insertRows(t, FILLER_ROWS, (i) => [
      Buffer.from(i.toString(16).padStart(32, '0'), 'hex'),
      JSON.stringify({ pk: i, username: `user${i}` }),
      // Every action about equally often, as in a real log: each filter selects a minority.
      EVENT_ACTIONS[i % EVENT_ACTIONS.length],
      'authentik.core',
      JSON.stringify({
        username: `ctx${i}`,
        model: { app: `app${i % 50}`, model_name: `model${i % 40}`, pk: `pk${i}` },
        authorized_application: { pk: `aa${i}` },
        device: { pk: `dev${i}` },
      }),
      `10.0.${i % 256}.${i % 7}`,
      now - i * 1_000_000,
      now + 1e12,
      JSON.stringify({ name: `Brand ${i}` }),
    ]);
    await t.dataSource.query(t.dialect === 'mysql' ? 'ANALYZE TABLE `events`' : 'ANALYZE');
  });
  afterAll(async () => t?.close());

  it.each<[ListQuery, string[]]>([
    [{ client_ip: '10.0.1.1' }, ['idx_events_client_ip_created']],
    [{ actions: 'login' }, ['idx_events_action_created']],
    [{ action: 'LOG' }, ['idx_events_action_created']],
    [{ action: 'deploy' }, ['idx_events_action_created']],
    [{ brand_name: 'Brand 5' }, ['idx_events_brand_name_created']],
    [{ brand_name: 'B'.repeat(250) }, ['idx_events_brand_name_created']],
    [{ context_model_pk: 'pk5' }, ['idx_events_context_model_pk_created']],
    [{ context_model_pk: '0005' }, ['idx_events_context_model_pk_created']],
    [{ context_model_name: 'model5' }, ['idx_events_context_model_name_created']],
    [{ context_model_app: 'app5' }, ['idx_events_context_model_app_created']],
    [{ context_authorized_app: 'aa-5' }, ['idx_events_context_authorized_app_created']],
    [{ context_device: 'dev5' }, ['idx_events_context_device_created']],
    // akadmin exists (the bootstrap user): all three ways `username` matches are index lookups.
    [
      { username: 'akadmin' },
      ['idx_events_user_username_created', 'idx_events_context_username_created', 'idx_events_context_model_pk_created'],
    ],
  ])('%j uses %j', async (query, expected) => {
    const plan = await indexesUsed(t, query);
    expect(plan.fullScan).toBe(false);
    expect(plan.indexes).toEqual(expect.arrayContaining(expected));
  });

  // SQLite writes a number's column text from its value, so a number's equality finds its rows
  // through the column's index (generatedColumnHoldsNumber); MariaDB keeps the number as written.
  const onSqlite = process.env.TEST_DB === 'mariadb' ? it.skip.each : it.each;
  onSqlite<[ListQuery, string[]]>([
    [{ search: 'user.pk = 99999' }, ['idx_events_user_pk_created']],
    [{ search: 'user.pk in (5, 6.5)' }, ['idx_events_user_pk_created']],
    [{ search: 'context.model.pk = -5 and action = "login"' }, ['idx_events_context_model_pk_created']],
  ])('SQLite: %j uses %j', async (query, expected) => {
    const plan = await indexesUsed(t, query);
    expect(plan.fullScan).toBe(false);
    expect(plan.indexes).toEqual(expect.arrayContaining(expected));
  });

  // MariaDB computes a virtual column from the row's JSON unless it reads it from its index: a
  // generated-column filter next to another condition is a semijoin on its own index, and the
  // count reads no row at all (src/events/query/search/conjunction.ts).
  const onMariaDb = process.env.TEST_DB === 'mariadb' ? it.each : it.skip.each;
  onMariaDb<[ListQuery, string[]]>([
    [{ actions: 'login', context_model_app: 'app5' }, ['idx_events_action_created', 'idx_events_context_model_app_created']],
    [{ client_ip: '10.0.5.5', context_model_app: 'app5' }, ['idx_events_client_ip_created', 'idx_events_context_model_app_created']],
    [
      { actions: 'login', search: 'context.model.app = "app5" and context.model.model_name = "model5"' },
      ['idx_events_action_created', 'idx_events_context_model_app_created', 'idx_events_context_model_name_created'],
    ],
    [
      { context_model_app: 'app5', context_model_name: 'model5' },
      ['idx_events_context_model_app_created', 'idx_events_context_model_name_created'],
    ],
  ])('MariaDB: %j reads only the indexes %j', async (query, expected) => {
    const plan = await indexesUsed(t, query);
    expect(plan).toEqual({ indexes: expect.arrayContaining(expected), fullScan: false, readsRows: false });
  });

  // A page whose semijoins are checked row by row as the walk goes (Dialect.semijoinsRowByRow;
  // on SQLite the same query) holds the same rows, in the same order, as the filler says.
  it.each([true, false])('a page with semijoins, checked row by row: %s', async (rowByRow) => {
    const selection = buildListSelection({ actions: 'login', context_model_app: 'app0', context_model_name: 'model0' }, t.dialect);
    expect(selection.semijoins).toBe(t.dialect === 'mysql');
    const login = EVENT_ACTIONS.indexOf('login');
    // created = now - i seconds: newest first is i ascending.
    const expected = Array.from({ length: FILLER_ROWS }, (_, i) => i).filter(
      (i) => i % EVENT_ACTIONS.length === login && i % 50 === 0 && i % 40 === 0,
    );
    expect(expected.length).toBeGreaterThan(5);
    const page = await t.app.get(EventsRepository).listPage({
      where: selection.where,
      ordering: DEFAULT_EVENT_ORDERING,
      limit: 3,
      offset: 2,
      now: nowMicros(),
      semijoinsRowByRow: rowByRow,
    });
    expect(page.map((row) => bytesToUuid(row.event_uuid))).toEqual(
      expected.slice(2, 5).map((i) =>
        i
          .toString(16)
          .padStart(32, '0')
          .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      ),
    );
  });

  // A plain word search reads only the newest PLAIN_SEARCH_MAX_ROWS events (row i is i seconds
  // old); the query language reaches every event through its indexes.
  it('a plain word search looks at the newest events only, the query language at all', async () => {
    expect(PLAIN_SEARCH_MAX_ROWS).toBe(10_000);
    const count = async (search: string) => {
      const res = await t.admin.get(`/api/v3/events/events/?page_size=5&search=${encodeURIComponent(search)}`);
      expect(res.status).toBe(200);
      return res.body.pagination.count as number;
    };
    // "user9999" is in rows 9999 (the 10 000th newest) and 99 990-99 999 (the oldest).
    expect(await count('user9999')).toBe(1);
    expect(await count('user99999')).toBe(0);
    expect(await count('user.username = "user99999"')).toBe(1);
    expect(await count('user.pk = 99999')).toBe(1);
    expect(await count('user.pk in (9999, 99999, 100000)')).toBe(2);
  });
});

/**
 * SQLite has no table statistics (nothing runs ANALYZE), so it prices every index equality
 * alike. Next to a condition found through a user's or an object's index, `conjunction` marks
 * the others likely(): the plan walks the few rows, not every `login` (here all of them).
 */
const onSqliteOnly = process.env.TEST_DB === 'mariadb' ? describe.skip : describe;
onSqliteOnly('list filter plans on SQLite without statistics', () => {
  let t: TestApp;
  const ROWS = 20_000;

  beforeAll(async () => {
    t = await startTestApp();
    const now = nowMicros();
    await insertRows(t, ROWS, (i) => [
      Buffer.from(i.toString(16).padStart(32, '0'), 'hex'),
      JSON.stringify({ pk: i % 2000, username: `user${i % 2000}` }),
      'login',
      'authentik.core',
      JSON.stringify({ model: { app: 'authentik_core', model_name: 'user', pk: `pk${i % 2000}` } }),
      '10.0.0.1',
      now - i * 1_000_000,
      now + 1e12,
      JSON.stringify({ name: 'Brand' }),
    ]);
    const stats: unknown[] = await t.dataSource.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'");
    expect(stats).toEqual([]);
  });
  afterAll(async () => t?.close());

  it.each<[ListQuery, string]>([
    [{ search: 'action = "login" and user.username = "user5"' }, 'idx_events_user_username_created'],
    [{ actions: 'login', search: 'user.pk = 5' }, 'idx_events_user_pk_created'],
    [{ search: 'user.pk in (5, 6) and action = "login" and client_ip = "10.0.0.1"' }, 'idx_events_user_pk_created'],
    [{ actions: 'login', context_model_pk: 'pk5' }, 'idx_events_context_model_pk_created'],
    [{ client_ip: '10.0.0.1', context_model_app: 'authentik_core', context_model_pk: 'pk5' }, 'idx_events_context_model_pk_created'],
  ])('%j walks %s', async (query, index) => {
    expect((await indexesUsed(t, query)).indexes).toEqual([index]);
  });

  it('and counts what it should', async () => {
    const res = await t.admin.get(`/api/v3/events/events/?page_size=5&actions=login&search=${encodeURIComponent('user.pk = 5')}`);
    expect(res.status).toBe(200);
    expect(res.body.pagination.count).toBe(ROWS / 2000);
  });
});
