import { nowMicros } from '@app/common';
import { EVENT_ACTIONS } from '../../src/events/event-actions';
import { quote } from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  EVENTS,
  HOUR,
  insertEvents,
  invalidAction,
  listedNames,
  NO_CREDENTIALS,
  NO_PERMISSION,
  qs,
  StoredEvent,
  VIEW,
} from './api-query-fixtures';

/**
 * GET /events/events/ over HTTP: every filter of docs/api-contract.md §3.3 with a positive and a negative case,
 * combinations, `actions` validation, the three ways `username` matches, `autocomplete`, and
 * permissions. Events are written with SQL (chosen JSON), except where an endpoint records them.
 */
describe(`events_events_list filters (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  let alicePk: number;
  const NOW = nowMicros();
  const ALL = ['authorize_carol', 'custom', 'failed_bob', 'login_alice', 'model_int', 'model_user_alice', 'model_uuid'];
  const AUTHORIZED_APP = 'aaaa1111-bbbb-2222-cccc-3333dddd4444';
  const DEVICE = '01234567-89ab-cdef-0123-456789abcdef';
  const GROUP_PK = '0f8e1d2c-3b4a-5968-7766-554433221100';

  beforeAll(async () => {
    t = await startTestApp();
    alicePk = (await createUserWithToken(t, { username: 'alice' })).pk;
    const alice = { pk: alicePk, username: 'alice' };
    ev = await insertEvents(t, {
      login_alice: {
        user: alice,
        client_ip: '10.0.0.1',
        brand: { name: 'Brand A' },
        context: {
          authorized_application: { pk: AUTHORIZED_APP.replace(/-/g, ''), name: 'App A' },
          device: { pk: DEVICE.replace(/-/g, '') },
        },
        created: NOW - 7 * HOUR,
      },
      failed_bob: {
        action: 'login_failed',
        user: { pk: 12, username: 'bob' },
        client_ip: '10.0.0.2',
        brand: { name: 'Brand B' },
        context: { username: 'alice' },
        created: NOW - 6 * HOUR,
      },
      authorize_carol: {
        action: 'authorize_application',
        user: { pk: 13, username: 'carol' },
        client_ip: '10.0.0.10',
        brand: { name: 'Brand A' },
        context: { authorized_application: { pk: 'eeee1111ffff2222eeee3333ffff4444', name: 'App E' } },
        created: NOW - 5 * HOUR,
      },
      model_uuid: {
        action: 'model_updated',
        user: alice,
        context: { model: { app: 'authentik_core', model_name: 'group', pk: GROUP_PK.replace(/-/g, ''), name: 'admins' } },
        created: NOW - 4 * HOUR,
      },
      model_int: {
        action: 'model_deleted',
        app: 'authentik.flows',
        context: { model: { app: 'authentik_flows', model_name: 'flow', pk: 7, name: 'welcome' } },
        created: NOW - 3 * HOUR,
      },
      model_user_alice: {
        action: 'model_created',
        user: { pk: 1, username: 'akadmin' },
        context: { model: { app: 'authentik_core', model_name: 'user', pk: alicePk, name: 'alice' } },
        created: NOW - 2 * HOUR,
      },
      custom: { action: 'custom_thing_happened', app: 'custom.module', created: NOW - 1 * HOUR },
      expired_alice: { user: alice, app: 'expired.app', client_ip: '10.0.0.1', created: NOW - 8 * HOUR, expires: NOW - HOUR },
    });
  });
  afterAll(async () => t?.close());

  const names = (params: Record<string, string | number | (string | number)[]> = {}) => listedNames(t, ev, params);

  it('describes the searchable fields in autocomplete, with the apps of the visible events', async () => {
    const res = await t.admin.get(EVENTS);
    expect(res.status).toBe(200);
    expect(res.body.autocomplete).toEqual({
      current_model: 'authentik_events.event',
      models: {
        'authentik_events.event': {
          action: { type: 'str', nullable: false, options: [...EVENT_ACTIONS] },
          event_uuid: { type: 'str', nullable: false, options: [] },
          app: { type: 'str', nullable: false, options: ['authentik.core', 'authentik.flows', 'custom.module'] },
          client_ip: { type: 'str', nullable: false, options: [] },
          user: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_user' },
          brand: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_brand' },
          context: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_context' },
          created: { type: 'datetime', nullable: false, options: [] },
        },
        'authentik_events.event_user': {},
        'authentik_events.event_brand': {},
        'authentik_events.event_context': {},
      },
    });
  });

  it('without filters lists every visible event, never the expired one', async () => {
    expect(await names()).toEqual(ALL);
  });

  it.each([
    // [filter, value, expected names]
    ['action', 'login', ['failed_bob', 'login_alice']],
    ['action', 'LOGIN', ['failed_bob', 'login_alice']],
    ['action', 'authorize', ['authorize_carol']],
    ['action', 'model', ['model_int', 'model_user_alice', 'model_uuid']],
    ['action', 'thing_happ', ['custom']],
    ['action', 'nothing', []],
    ['action', '%', []],
    ['actions', 'login', ['login_alice']],
    ['actions', 'model_deleted', ['model_int']],
    ['actions', 'logout', []],
    ['client_ip', '10.0.0.1', ['login_alice']],
    ['client_ip', '10.0.0.10', ['authorize_carol']],
    ['client_ip', '10.0.0', []],
    ['client_ip', '10.0.0.3', []],
    ['username', 'alice', ['failed_bob', 'login_alice', 'model_user_alice', 'model_uuid']],
    ['username', 'bob', ['failed_bob']],
    ['username', 'ALICE', []],
    ['username', 'ali', []],
    ['username', 'nobody', []],
    ['brand_name', 'Brand A', ['authorize_carol', 'login_alice']],
    ['brand_name', 'Brand B', ['failed_bob']],
    ['brand_name', 'brand a', []],
    ['brand_name', 'Brand', []],
    ['context_model_pk', GROUP_PK, ['model_uuid']],
    ['context_model_pk', GROUP_PK.replace(/-/g, ''), ['model_uuid']],
    ['context_model_pk', GROUP_PK.toUpperCase(), []],
    ['context_model_pk', '7', ['model_int']],
    ['context_model_pk', '007', ['model_int']],
    ['context_model_pk', '8', []],
    ['context_model_name', 'group', ['model_uuid']],
    ['context_model_name', 'flow', ['model_int']],
    ['context_model_name', 'Group', []],
    ['context_model_app', 'authentik_core', ['model_user_alice', 'model_uuid']],
    ['context_model_app', 'authentik_flows', ['model_int']],
    ['context_model_app', 'authentik', []],
    ['context_authorized_app', AUTHORIZED_APP, ['login_alice']],
    ['context_authorized_app', AUTHORIZED_APP.replace(/-/g, ''), ['login_alice']],
    ['context_authorized_app', 'eeee1111-ffff-2222-eeee-3333ffff4444', ['authorize_carol']],
    ['context_authorized_app', 'aaaa1111', []],
    ['context_device', DEVICE, ['login_alice']],
    ['context_device', DEVICE.replace(/-/g, ''), ['login_alice']],
    ['context_device', AUTHORIZED_APP, []],
  ])('%s=%s', async (filter, value, expected) => {
    expect(await names({ [filter]: value })).toEqual(expected);
  });

  it('context_model_pk matches the pk of a user as an integer', async () => {
    expect(await names({ context_model_pk: alicePk })).toEqual(['model_user_alice']);
  });

  it('actions is repeatable: any of the values', async () => {
    expect(await names({ actions: ['login', 'model_deleted', 'custom_'] })).toEqual(['login_alice', 'model_int']);
    expect(await names({ actions: ['login', 'login'] })).toEqual(['login_alice']);
  });

  it.each([
    [{ actions: 'foo' }, 'foo'],
    [{ actions: 'LOGIN' }, 'LOGIN'],
    [{ actions: 'custom_thing_happened' }, 'custom_thing_happened'],
    [{ actions: ['login', 'bogus', 'worse'] }, 'bogus'],
    [{ actions: '' }, ''],
    [{ actions: 'foo', page: 99 }, 'foo'],
    [{ actions: 'foo', page: 'abc' }, 'foo'],
  ])('refuses actions %j with 400 in DRF words, before any page is checked', async (params, bad) => {
    const res = await t.admin.get(`${EVENTS}${qs(params)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(invalidAction(bad));
  });

  it.each([
    [{ action: 'login', client_ip: '10.0.0.1' }, ['login_alice']],
    [{ action: 'login', client_ip: '10.0.0.10' }, []],
    [{ username: 'alice', actions: 'model_updated' }, ['model_uuid']],
    [{ username: 'alice', actions: ['login', 'login_failed'] }, ['failed_bob', 'login_alice']],
    [{ username: 'alice', brand_name: 'Brand B' }, ['failed_bob']],
    [{ brand_name: 'Brand A', action: 'authorize', search: 'carol' }, ['authorize_carol']],
    [{ brand_name: 'Brand A', search: 'bob' }, []],
    [{ context_model_app: 'authentik_core', context_model_name: 'group', context_model_pk: GROUP_PK }, ['model_uuid']],
    [{ context_model_app: 'authentik_flows', context_model_name: 'group' }, []],
    [{ context_authorized_app: AUTHORIZED_APP, context_device: DEVICE, username: 'alice', client_ip: '10.0.0.1' }, ['login_alice']],
    [{ context_authorized_app: AUTHORIZED_APP, username: 'bob' }, []],
  ])('combines %j (AND)', async (params, expected) => {
    expect(await names(params)).toEqual(expected);
  });

  it('ignores unknown parameters', async () => {
    expect(await names({ foo: 'bar', user: 'bob', app: 'nothing', pk: 'x', format: 'csv' })).toEqual(ALL);
  });

  it('treats an empty value as no filter and strips surrounding whitespace', async () => {
    expect(await names({ client_ip: '', username: '  ', brand_name: '' })).toEqual(ALL);
    expect(await names({ client_ip: ' 10.0.0.1 ' })).toEqual(['login_alice']);
  });

  it('reads a repeated single-value filter by its last value', async () => {
    expect(await names({ client_ip: ['10.0.0.2', '10.0.0.1'] })).toEqual(['login_alice']);
  });

  it('matches SQL-looking filter values literally', async () => {
    for (const value of ["' OR '1'='1", '10.0.0.1" OR 1=1 --', "alice' --", '%', '_', '\\', '1 OR 1=1']) {
      for (const filter of ['client_ip', 'username', 'brand_name', 'context_model_pk', 'context_device', 'action']) {
        // `action` is a substring match: `_` is in every action but `login` (see below).
        const expected = filter === 'action' && value === '_' ? ALL.filter((name) => name !== 'login_alice') : [];
        expect([filter, value, await names({ [filter]: value })]).toEqual([filter, value, expected]);
      }
    }
    expect(await names()).toEqual(ALL);
  });

  it('action: `_` and `%` are characters, not LIKE wildcards', async () => {
    expect(await names({ action: '_' })).toEqual(ALL.filter((name) => name !== 'login_alice'));
    expect(await names({ action: 'login_' })).toEqual(['failed_bob']);
    expect(await names({ action: 'log_n' })).toEqual([]);
    expect(await names({ action: 'l%n' })).toEqual([]);
  });

  it('action: finds the custom actions that exist when the list is read, ignoring case, and counts them alike', async () => {
    // Read by name from the counters: a custom action first written now is found, an expired one is not.
    const later = await insertEvents(t, {
      relogin: { action: 'custom_ReLogin_sync', app: 'custom.later', created: NOW - HOUR / 2 },
      gone: { action: 'custom_login_gone', app: 'custom.later', created: NOW - 8 * HOUR, expires: NOW - HOUR },
    });
    try {
      const all = { ...ev, ...later };
      expect(await listedNames(t, all, { action: 'login' })).toEqual(['failed_bob', 'login_alice', 'relogin']);
      expect(await listedNames(t, all, { action: 'RELOGIN' })).toEqual(['relogin']);
      expect(await listedNames(t, all, { action: 'gone' })).toEqual([]);
      const page = await t.admin.get(`${EVENTS}?action=login&page_size=2`);
      expect(page.body.pagination).toMatchObject({ count: 3, total_pages: 2 });
      expect(page.body.results.map((event: { action: string }) => event.action)).toEqual(['custom_ReLogin_sync', 'login_failed']);
    } finally {
      await t.dataSource.query(`DELETE FROM ${quote(t, 'events')} WHERE ${quote(t, 'app')} = 'custom.later'`);
    }
    expect(await names({ action: 'login' })).toEqual(['failed_bob', 'login_alice']);
  });

  it('refuses a NUL character in a filter with 400', async () => {
    const res = await t.admin.get(`${EVENTS}?client_ip=10.0.0.1%00&username=a%00`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ client_ip: ['Null characters are not allowed.'], username: ['Null characters are not allowed.'] });
  });

  describe('permissions', () => {
    it('403 for a user without view_event, even with filters', async () => {
      const user = await createUserWithToken(t, { permissions: ['authentik_events.add_event'] });
      for (const path of [EVENTS, `${EVENTS}?username=alice`, `${EVENTS}?actions=foo`]) {
        const res = await user.client.get(path);
        expect(res.status).toBe(403);
        expect(res.body).toEqual(NO_PERMISSION);
      }
    });

    it('403 without credentials', async () => {
      const res = await t.anonymous.get(EVENTS);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(NO_CREDENTIALS);
    });

    it('a user with view_event sees the filtered list', async () => {
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      expect(await listedNames(t, ev, { username: 'bob' }, viewer.client)).toEqual(['failed_bob']);
    });
  });

  // Last: the API records events of its own here, which would show up in the lists above.
  describe('username, with a user created through the API', () => {
    it("matches the user's model event, and events whose user or context names the user", async () => {
      const created = await t.admin.post('/api/v3/core/users/', { username: 'dora', name: 'Dora' });
      expect(created.status).toBe(201);
      const byUser = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core', user: { pk: 99, username: 'dora' } });
      const byContext = await t.admin.post(EVENTS, { action: 'logout', app: 'authentik.core', context: { username: 'dora' } });
      const bySomeoneElse = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core', user: { username: 'dorothy' } });
      expect([byUser.status, byContext.status, bySomeoneElse.status]).toEqual([201, 201, 201]);

      const res = await t.admin.get(`${EVENTS}?username=dora&ordering=created`);
      expect(res.status).toBe(200);
      expect(res.body.results.map((e: { action: string }) => e.action)).toEqual(['model_created', 'login', 'logout']);
      const [modelEvent, login, logout] = res.body.results;
      expect(modelEvent.context.model).toEqual({ app: 'authentik_core', model_name: 'user', pk: created.body.pk, name: 'Dora' });
      expect([login.pk, logout.pk]).toEqual([byUser.body.pk, byContext.body.pk]);

      const other = await t.admin.get(`${EVENTS}?username=dor`);
      expect(other.body.results).toEqual([]);
      const filtered = await t.admin.get(`${EVENTS}?username=dora&context_model_name=user&actions=model_created`);
      expect(filtered.body.results.map((e: { pk: string }) => e.pk)).toEqual([modelEvent.pk]);
    });
  });
});
