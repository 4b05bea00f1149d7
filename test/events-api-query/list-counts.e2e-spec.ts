import Database from 'better-sqlite3';
import { nowMicros } from '@app/common';
import { APP_OPTIONS_LIMIT, EventsRepository } from '../../src/events/events.repository';
import { EventsService } from '../../src/events/events.service';
import { PurgeService } from '../../src/events/retention/purge.service';
import { quote } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const EVENTS = '/api/v3/events/events/';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// Unfiltered and action-only lists are counted from per-action counters kept by triggers; the
// count must stay exact through every kind of write, including SQL that bypasses the service.
describe(`list counts from the action counters (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const count = async (query = '') => {
    const res = await t.admin.get(`${EVENTS}?page_size=1${query}`);
    expect(res.status).toBe(200);
    return res.body.pagination.count as number;
  };
  const countAll = async () => ({
    all: await count(),
    login: await count('&action=login'),
    loginExact: await count('&actions=login'),
    logout: await count('&action=LOGOUT'),
    custom: await count('&action=foo'),
  });
  const create = async (action: string) => (await t.admin.post(EVENTS, { action, app: 'tests' })).body.pk as string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('stays exact through creates, action changes, deletes, expiry, SQL and the purge', async () => {
    expect(await countAll()).toEqual({ all: 0, login: 0, loginExact: 0, logout: 0, custom: 0 });
    const [a, b] = [await create('login'), await create('login_failed')];
    await create('logout');
    await t.app.get(EventsService).record('foo');
    expect(await countAll()).toEqual({ all: 4, login: 2, loginExact: 1, logout: 1, custom: 1 });

    expect((await t.admin.patch(`${EVENTS}${b}/`, { action: 'logout' })).status).toBe(200);
    expect(await countAll()).toEqual({ all: 4, login: 1, loginExact: 1, logout: 2, custom: 1 });

    expect((await t.admin.delete(`${EVENTS}${a}/`)).status).toBe(204);
    expect(await countAll()).toEqual({ all: 3, login: 0, loginExact: 0, logout: 2, custom: 1 });

    // Expired but not purged yet: invisible at once.
    await t.dataSource.query(`UPDATE ${quote(t, 'events')} SET ${quote(t, 'expires')} = 1 WHERE ${quote(t, 'action')} = 'custom_foo'`);
    expect(await countAll()).toEqual({ all: 2, login: 0, loginExact: 0, logout: 2, custom: 0 });

    const purge = await t.app.get(PurgeService).purgeExpired();
    expect(purge).toMatchObject({ deleted: 1 });
    expect(await countAll()).toEqual({ all: 2, login: 0, loginExact: 0, logout: 2, custom: 0 });

    // Rows written by SQL are counted too (the triggers live in the database).
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    expect(await countAll()).toEqual({ all: 0, login: 0, loginExact: 0, logout: 0, custom: 0 });
  });

  it('matches the scanning count when other filters are combined', async () => {
    await create('login');
    await create('login');
    expect(await count('&action=login&client_ip=10.9.9.9')).toBe(0);
    expect(await count('&action=login&search=login')).toBe(2);
  });

  // The list's autocomplete offers the apps of visible events from the same counters (keyed by
  // action and app); it is cached for a minute, so the service's answer is checked directly.
  it('keeps the visible apps exact through creates, app changes, case variants, deletes and expiry', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    const apps = () => t.app.get(EventsRepository).visibleApps(nowMicros());
    const post = async (app: string) => (await t.admin.post(EVENTS, { action: 'login', app })).body.pk as string;
    expect(await apps()).toEqual([]);

    const [one, two] = [await post('authentik.core'), await post('authentik.core')];
    const upper = await post('Authentik.core');
    await post('x.app');
    expect(await apps()).toEqual(['Authentik.core', 'authentik.core', 'x.app']);

    expect((await t.admin.patch(`${EVENTS}${upper}/`, { app: 'authentik.flows' })).status).toBe(200);
    expect(await apps()).toEqual(['authentik.core', 'authentik.flows', 'x.app']);

    expect((await t.admin.delete(`${EVENTS}${one}/`)).status).toBe(204);
    expect(await apps()).toEqual(['authentik.core', 'authentik.flows', 'x.app']); // `two` is still there

    await t.dataSource.query(`UPDATE ${quote(t, 'events')} SET ${quote(t, 'expires')} = 1 WHERE ${quote(t, 'app')} = 'x.app'`);
    expect(await apps()).toEqual(['authentik.core', 'authentik.flows']);
    expect((await t.admin.delete(`${EVENTS}${two}/`)).status).toBe(204);
    expect(await apps()).toEqual(['authentik.flows']);
  });

  it('offers only the APP_OPTIONS_LIMIT apps with the most events when there are more', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    const frequent = Array.from({ length: APP_OPTIONS_LIMIT }, (_, i) => `app.${String(i).padStart(3, '0')}`);
    // Each frequent app twice, one more app once: the one left out.
    const items = [...frequent, ...frequent, 'app.rare'].map((app) => ({ action: 'login', app }));
    expect((await t.admin.post(`${EVENTS}bulk/`, items)).status).toBe(201);
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(frequent);
  });

  // context_model_app / context_model_name (with or without action) count from the same counters.
  it('counts model filters exactly through creates, context edits, deletes, expiry and SQL', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    const model = (app: unknown, name: unknown) => ({ model: { app, model_name: name, pk: 1 } });
    const post = async (action: string, context: Record<string, unknown>) =>
      (await t.admin.post(EVENTS, { action, app: 'tests', context })).body.pk as string;
    const counts = async () => ({
      core: await count('&context_model_app=authentik_core'),
      coreUser: await count('&context_model_app=authentik_core&context_model_name=user'),
      user: await count('&context_model_name=user'),
      updatedCore: await count('&action=model_updated&context_model_app=authentik_core'),
      upperCore: await count('&context_model_app=Authentik_core'),
      padded: await count('&context_model_app=authentik_core%20'), // stripped like every filter value
      numeric: await count('&context_model_app=5'),
    });
    const a = await post('model_created', model('authentik_core', 'user'));
    const b = await post('model_updated', model('authentik_core', 'group'));
    await post('model_updated', model('Authentik_core', 'user'));
    await post('model_updated', model(5, 'user'));
    await post('login', {});
    await post('login', { model: 'not an object' });
    const expected = { core: 2, coreUser: 1, user: 3, updatedCore: 1, upperCore: 1, padded: 2, numeric: 1 };
    expect(await counts()).toEqual(expected);

    expect((await t.admin.patch(`${EVENTS}${b}/`, { context: model('authentik_core', 'user') })).status).toBe(200);
    expect(await counts()).toEqual({ ...expected, coreUser: 2, user: 4 });
    expect((await t.admin.patch(`${EVENTS}${a}/`, { context: {} })).status).toBe(200);
    expect(await counts()).toEqual({ ...expected, core: 1, coreUser: 1, user: 3, updatedCore: 1, padded: 1 });

    expect((await t.admin.delete(`${EVENTS}${b}/`)).status).toBe(204);
    expect(await counts()).toEqual({ ...expected, core: 0, coreUser: 0, user: 2, updatedCore: 0, padded: 0 });

    await t.dataSource.query(
      `UPDATE ${quote(t, 'events')} SET ${quote(t, 'expires')} = 1 WHERE ${quote(t, 'context')} LIKE '%Authentik_core%'`,
    );
    expect(await counts()).toEqual({ core: 0, coreUser: 0, user: 1, updatedCore: 0, upperCore: 0, padded: 0, numeric: 1 });

    // The counters agree with a count that reads the rows (a search forces that path).
    expect(await count('&context_model_name=user&search=model')).toBe(await count('&context_model_name=user'));
  });

  // A search of equalities the counters decide (action, the model's app and name) is counted from
  // them too: the same numbers as the count that reads the rows (a `created` term forces that
  // path), through writes. Values a generated column could confuse with a string (an array, a
  // string with a NUL, which SQLite's substr used to cut short) are not counted as one.
  it('counts counter-decided searches exactly, as the scanning count does', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    const searches = [
      'action = "model_updated" and context.model.app = "authentik_core"',
      'action in ("model_updated", "Model Created") and context.model.model_name = "user"',
      'context.model.app = "authentik_core" and context.model.model_name = "group"',
      'action = "login"',
    ];
    const both = async () =>
      Promise.all(
        searches.map(async (search) => {
          const counted = await count(`&search=${encodeURIComponent(search)}`);
          const scanned = await count(`&search=${encodeURIComponent(`${search} and created > "2000-01-01"`)}`);
          return { search, counted, scanned };
        }),
      );
    const post = async (action: string, context: Record<string, unknown>) =>
      (await t.admin.post(EVENTS, { action, app: 'tests', context })).body.pk as string;
    const model = (app: unknown, name: unknown) => ({ model: { app, model_name: name, pk: 1 } });
    const a = await post('model_updated', model('authentik_core', 'user'));
    await post('model_updated', model('authentik_core', 'group'));
    await post('model_created', model('authentik_core', 'user'));
    await post('model_updated', model('Authentik_core', 'user'));
    await post('model_updated', model(['authentik_core'], 'user'));
    await post('model_updated', model('authentik_core\u0000x', 'group\u0000y'));
    await post('login', {});
    let results = await both();
    expect(results.map((r) => r.scanned)).toEqual([2, 4, 1, 1]);
    for (const r of results) expect(r.counted).toBe(r.scanned);

    expect((await t.admin.patch(`${EVENTS}${a}/`, { action: 'login' })).status).toBe(200);
    results = await both();
    expect(results.map((r) => r.scanned)).toEqual([1, 3, 1, 2]);
    for (const r of results) expect(r.counted).toBe(r.scanned);
  });

  // On SQLite the counters' parts are kept between list reads while nothing is written and no
  // event expires (src/database/kept-while-unchanged.ts): both must still show at once.
  it('drops an event from the count at its expiry, with no write in between', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    await create('login');
    const expiry = Date.now() + 2_500;
    const expiring = await t.admin.post(EVENTS, { action: 'login', app: 'tests', expires: new Date(expiry).toISOString() });
    expect(expiring.status).toBe(201);
    // The creations' own follow-up writes (their outbox entries' dispatch) come first, so that the
    // counts below are read, and kept, in a time with no write at all.
    await sleep(1_000);
    expect(await countAll()).toMatchObject({ all: 2, login: 2 });
    expect(await countAll()).toMatchObject({ all: 2, login: 2 });
    await sleep(expiry + 50 - Date.now());
    expect(await countAll()).toMatchObject({ all: 1, login: 1 });
  });

  const onSqlite = (process.env.TEST_DB ?? 'sqlite') === 'sqlite' ? it : it.skip;
  onSqlite('counts what another connection to the SQLite file writes (another process, the CLI)', async () => {
    await t.dataSource.query(`DELETE FROM ${quote(t, 'events')}`);
    await create('login');
    await create('logout');
    expect(await countAll()).toMatchObject({ all: 2, login: 1, logout: 1 });
    const other = new Database((t.dataSource.options as { database: string }).database);
    try {
      other.pragma('busy_timeout = 5000');
      other.prepare(`DELETE FROM "events" WHERE "action" = 'logout'`).run();
    } finally {
      other.close();
    }
    expect(await countAll()).toMatchObject({ all: 1, login: 1, logout: 0 });
  });
});
