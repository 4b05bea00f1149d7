import { nowMicros } from '@app/common';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  DAY,
  HOUR,
  insertEvents,
  invalidAction,
  iso,
  NO_CREDENTIALS,
  NO_PERMISSION,
  qs,
  STATS,
  TOP_PER_USER,
  VIEW,
  VOLUME,
} from './api-query-fixtures';

type Params = Record<string, string | number | (string | number)[]>;

/**
 * top_per_user, volume and stats (docs/api-contract.md §3.4) over HTTP with fixed data and exact bodies. Each
 * statistic has its own events: volume's and stats' carry their own brand name, which the list
 * filters select; top_per_user reads only `login`-like events with an authorized application.
 */
describe(`events statistics (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let viewer: UserFixture;
  let outsider: UserFixture;
  const NOW = nowMicros();
  const EXPIRED = NOW - HOUR;
  // The start of a 6-hour bucket 24 to 30 hours ago: every volume event's bucket is known.
  const B = Math.floor(NOW / (6 * HOUR)) * 6 * HOUR - 24 * HOUR;
  const APP_A = { pk: 'aaaa', name: 'App A' };
  const APP_B = { pk: 'bbbb', name: 'App B', meta: { launch_url: 'https://b.example' } };
  const APP_C = { pk: 'cccc', name: 'App C' };

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await createUserWithToken(t, { permissions: [VIEW] });
    outsider = await createUserWithToken(t, { permissions: ['authentik_events.add_event'] });
    const top = (authorized_application: unknown, user: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      user,
      context: { authorized_application },
      created: NOW - 2 * HOUR,
      ...extra,
    });
    const volume = (action: string, created: number, extra: Record<string, unknown> = {}) => ({
      action,
      created,
      user: { pk: 50, username: 'vol' },
      brand: { name: 'volume' },
      ...extra,
    });
    const stats = (action: string, age: number, user: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      action,
      created: NOW - age,
      user,
      brand: { name: 'stats' },
      ...extra,
    });
    await insertEvents(t, {
      p1: top(APP_A, { pk: 1 }),
      p2: top(APP_A, { pk: 1 }),
      p3: top(APP_A, { pk: 2 }),
      p4: top(APP_B, { pk: 3 }),
      p5: top(APP_B, {}),
      p6: top(APP_C, { pk: 1 }),
      p7: top('not an object', { pk: 1 }),
      p8: top(null, { pk: 1 }),
      p9: top(APP_A, { pk: 1 }, { action: 'login_failed' }),
      p10: top(APP_A, { pk: 5 }, { expires: EXPIRED }),
      p11: { user: { pk: 1 }, context: {}, created: NOW - HOUR },

      v1: volume('login', B + 1 * HOUR),
      v2: volume('login', B + 2 * HOUR, { user: { pk: 51, username: 'other' } }),
      v3: volume('login_failed', B + 3 * HOUR),
      v4: volume('model_created', B + 6 * HOUR - 1),
      v5: volume('authorize_application', B + 6 * HOUR),
      v6: volume('login', B + 7 * HOUR),
      v7: volume('login', B - 7 * DAY),
      v8: volume('login', B + 1 * HOUR, { expires: EXPIRED }),

      s1: stats('login', 1 * HOUR, { pk: 1 }),
      s2: stats('login_failed', 2 * DAY, { pk: 2 }),
      s3: stats('login', 10 * DAY, { pk: 1 }),
      s4: stats('logout', 30 * DAY, {}),
      s5: stats('login', 1 * HOUR, { pk: 9 }, { expires: EXPIRED }),
    });
  });
  afterAll(async () => t?.close());

  const get = (path: string, params: Params = {}, client = t.admin) => client.get(`${path}${qs(params)}`);

  describe('top_per_user', () => {
    const ALL_APPS = [
      { application: APP_A, counted_events: 3, unique_users: 2 },
      { application: APP_B, counted_events: 2, unique_users: 1 },
      { application: APP_C, counted_events: 1, unique_users: 1 },
    ];

    it.each<[Params, unknown[]]>([
      [{}, ALL_APPS],
      [{ action: 'login' }, ALL_APPS],
      [{ top_n: 2 }, ALL_APPS.slice(0, 2)],
      [{ top_n: 1 }, ALL_APPS.slice(0, 1)],
      [{ top_n: '15' }, ALL_APPS],
      [{ top_n: '1000000000000000000000' }, ALL_APPS],
      [{ action: 'login_failed' }, [{ application: APP_A, counted_events: 1, unique_users: 1 }]],
      [{ action: 'log' }, []],
      [{ action: 'LOGIN' }, []],
      [{ action: 'logout' }, []],
      // The list filters do not apply here (docs/api-contract.md §3.4), not even a bad one.
      [{ brand_name: 'nothing', username: 'nobody', actions: 'foo', search: 'x' }, ALL_APPS],
    ])('%j', async (params, expected) => {
      const res = await get(TOP_PER_USER, params);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    });

    it.each([
      ['0', 'Ensure this value is greater than or equal to 1.'],
      ['-5', 'Ensure this value is greater than or equal to 1.'],
      ['abc', 'A valid integer is required.'],
      ['1.5', 'A valid integer is required.'],
      ['', 'A valid integer is required.'],
    ])('top_n=%s is 400', async (topN, message) => {
      const res = await get(TOP_PER_USER, { top_n: topN });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ top_n: [message] });
    });

    it('a user with view_event sees the statistic', async () => {
      const res = await get(TOP_PER_USER, {}, viewer.client);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ALL_APPS);
    });

    it('a user without view_event gets [] (not a 403)', async () => {
      const res = await get(TOP_PER_USER, {}, outsider.client);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it('without credentials: 403', async () => {
      const res = await get(TOP_PER_USER, {}, t.anonymous);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(NO_CREDENTIALS);
    });
  });

  describe('volume', () => {
    const bucket = (action: string, start: number, count: number) => ({ action, time: iso(start), count });
    const LAST_7_DAYS = [
      bucket('login', B, 2),
      bucket('login_failed', B, 1),
      bucket('model_created', B, 1),
      bucket('authorize_application', B + 6 * HOUR, 1),
      bucket('login', B + 6 * HOUR, 1),
    ];
    const volume = (params: Params = {}, client = t.admin) => get(VOLUME, { brand_name: 'volume', ...params }, client);

    it.each<[Params, unknown[]]>([
      [{}, LAST_7_DAYS],
      [{ history_days: '' }, LAST_7_DAYS],
      [{ history_days: 7 }, LAST_7_DAYS],
      [{ history_days: '7.0' }, LAST_7_DAYS],
      [{ history_days: 9 }, [bucket('login', B - 7 * DAY, 1), ...LAST_7_DAYS]],
      [{ history_days: 61 }, [bucket('login', B - 7 * DAY, 1), ...LAST_7_DAYS]],
      [{ history_days: 0 }, []],
      [{ actions: 'login' }, [bucket('login', B, 2), bucket('login', B + 6 * HOUR, 1)]],
      [{ action: 'login' }, [bucket('login', B, 2), bucket('login_failed', B, 1), bucket('login', B + 6 * HOUR, 1)]],
      [{ username: 'other' }, [bucket('login', B, 1)]],
      [{ search: 'action = "authorize_application" or action = "model_created"' }, [LAST_7_DAYS[2], LAST_7_DAYS[3]]],
      [{ brand_name: 'nothing' }, []],
    ])('%j', async (params, expected) => {
      const res = await volume(params);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    });

    it("counts every visible event without filters, the other statistics' too", async () => {
      const res = await get(VOLUME, { actions: 'logout' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]); // stats' logout is 30 days old
      const month = await get(VOLUME, { actions: 'logout', history_days: 31 });
      const logoutBucket = Math.floor((NOW - 30 * DAY) / (6 * HOUR)) * 6 * HOUR;
      expect(month.body).toEqual([bucket('logout', logoutBucket, 1)]);
    });

    it.each<[Params, Record<string, unknown>]>([
      [{ history_days: -1 }, { history_days: ['Ensure this value is greater than or equal to 0.'] }],
      [{ history_days: 'abc' }, { history_days: ['A valid integer is required.'] }],
      [{ history_days: '1.5' }, { history_days: ['A valid integer is required.'] }],
      [{ actions: 'foo' }, invalidAction('foo')],
      [
        { history_days: 'x', actions: 'foo' },
        { ...invalidAction('foo'), history_days: ['A valid integer is required.'] },
      ],
    ])('%j is 400', async (params, body) => {
      const res = await volume(params);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(body);
    });

    it('a user with view_event sees it; without: 403', async () => {
      expect((await volume({}, viewer.client)).body).toEqual(LAST_7_DAYS);
      for (const params of [{}, { history_days: 'abc' }] as Params[]) {
        const res = await volume(params, outsider.client);
        expect(res.status).toBe(403);
        expect(res.body).toEqual(NO_PERMISSION);
      }
      const anonymous = await volume({}, t.anonymous);
      expect(anonymous.status).toBe(403);
      expect(anonymous.body).toEqual(NO_CREDENTIALS);
    });
  });

  describe('stats', () => {
    const stats = (params: Params = {}, client = t.admin) => get(STATS, { brand_name: 'stats', ...params }, client);
    const STEP_ERROR = (step: string) => `${step} is not in the correct format of 'hours=3;minutes=1'.`;

    it.each<[Params, unknown]>([
      [{ count_steps: ['hours=24', 'days=7'] }, { unique_users: 2, count_step: { hours24: 1, days7: 2 } }],
      [{ count_steps: 'weeks=3;days=2' }, { unique_users: 2, count_step: { weeks3days2: 3 } }],
      [{ count_steps: ['minutes=90', 'days=365'] }, { unique_users: 2, count_step: { minutes90: 1, days365: 4 } }],
      [{ count_steps: ' hours=24 ' }, { unique_users: 2, count_step: { hours24: 1 } }],
      [{ count_steps: ['hours=24', 'hours=24'] }, { unique_users: 2, count_step: { hours24: 1 } }],
      [{ count_steps: 'seconds=0' }, { unique_users: 2, count_step: { seconds0: 0 } }],
      [
        { count_steps: ['hours=24', 'days=7'], actions: 'login' },
        { unique_users: 1, count_step: { hours24: 1, days7: 1 } },
      ],
      [
        { count_steps: 'days=7', action: 'LOG' },
        { unique_users: 2, count_step: { days7: 2 } },
      ],
      [
        { count_steps: 'days=7', search: 'user.pk = 2' },
        { unique_users: 1, count_step: { days7: 1 } },
      ],
      [
        { count_steps: 'days=7', brand_name: 'nothing' },
        { unique_users: 0, count_step: { days7: 0 } },
      ],
    ])('%j', async (params, expected) => {
      const res = await stats(params);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    });

    it('keeps the steps in the order given', async () => {
      const res = await stats({ count_steps: ['days=7', 'hours=24', 'weeks=3;days=2'] });
      expect(Object.keys(res.body)).toEqual(['unique_users', 'count_step']);
      expect(Object.keys(res.body.count_step)).toEqual(['days7', 'hours24', 'weeks3days2']);
    });

    it.each<[Params, Record<string, unknown>]>([
      [{ count_steps: '24d' }, { count_steps: { '0': [STEP_ERROR('24d')] } }],
      [{ count_steps: ['hours=24', 'x', 'days=1', 'hours'] }, { count_steps: { '1': [STEP_ERROR('x')], '3': [STEP_ERROR('hours')] } }],
      [{ count_steps: 'years=1' }, { count_steps: { '0': [STEP_ERROR('years=1')] } }],
      [{ count_steps: '' }, { count_steps: { '0': ['This field may not be blank.'] } }],
      [{}, { count_steps: ['This field is required.'] }],
      [
        { count_steps: '24d', actions: 'foo' },
        { ...invalidAction('foo'), count_steps: { '0': [STEP_ERROR('24d')] } },
      ],
    ])('%j is 400', async (params, body) => {
      const res = await stats(params);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(body);
    });

    it("authentik's example: a bad step in DRF's words", async () => {
      const res = await t.admin.get(`${STATS}?count_steps=24d`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ count_steps: { '0': ["24d is not in the correct format of 'hours=3;minutes=1'."] } });
    });

    it('a user with view_event sees it; without: 403', async () => {
      expect((await stats({ count_steps: 'days=7' }, viewer.client)).body).toEqual({ unique_users: 2, count_step: { days7: 2 } });
      for (const params of [{ count_steps: 'days=7' }, {}] as Params[]) {
        const res = await stats(params, outsider.client);
        expect(res.status).toBe(403);
        expect(res.body).toEqual(NO_PERMISSION);
      }
      const anonymous = await stats({ count_steps: 'days=7' }, t.anonymous);
      expect(anonymous.status).toBe(403);
      expect(anonymous.body).toEqual(NO_CREDENTIALS);
    });
  });
});
