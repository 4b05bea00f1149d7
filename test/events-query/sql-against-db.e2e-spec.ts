import { formatMicros, nowMicros } from '@app/common';
import {
  buildListFilter,
  buildSearchCondition,
  interpretSearch,
  ListQuery,
  orderBySql,
  parseOrdering,
  resolveDialect,
  sql,
  statsStatistics,
  topPerUserStatistics,
  visibleAt,
  volumeStatistics,
} from '../../src/events/query';
import { EventsRepository } from '../../src/events/events.repository';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { DAY, FixtureEvent, HOUR, insertEvents, namesMatching, StoredEvent } from './query-fixtures';

/**
 * The SQL of src/events/query run against the real engine (TEST_DB=sqlite|mariadb): JSON
 * functions, typed JSON comparisons, byte-exact text, LIKE escaping and UUID bytes must give the
 * same answers on both. Expected sets are written out by hand.
 */
describe(`query SQL against ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  let alicePk: number;
  const NOW0 = nowMicros();
  // A 6-hour bucket boundary 30 to 36 hours ago, so volume buckets are known exactly.
  const BASE = Math.floor(NOW0 / (6 * HOUR)) * 6 * HOUR - 30 * HOUR;
  const TIE = NOW0 - 12 * HOUR;

  /** The events under test; `alicePk` is known only once the user exists. */
  function fixtureEvents(alicePk: number): Record<string, FixtureEvent> {
    const alice = { pk: alicePk, username: 'alice', email: 'alice@example.com' };
    return {
      login_alice: {
        user: alice,
        context: { authorized_application: { pk: 'aaaa', name: 'App A' } },
        client_ip: '10.0.0.1',
        brand: { name: 'Brand example.com' },
        created: BASE + 1 * HOUR,
      },
      login_alice2: {
        user: alice,
        context: { authorized_application: { pk: 'aaaa', name: 'App A' } },
        client_ip: '10.0.0.2',
        created: BASE + 13 * HOUR,
      },
      login_bob: {
        user: { pk: 7, username: 'Bob' },
        context: { authorized_application: { pk: 'bbbb', name: 'App B' }, username: 'bob' },
        created: NOW0 - 2 * HOUR,
      },
      login_weird_app: { context: { authorized_application: 'not an object' }, created: NOW0 - 8 * HOUR },
      failed_bob: {
        action: 'login_failed',
        context: { username: 'bob', dry_run: false, count: 10, s: '5' },
        created: NOW0 - 3 * HOUR,
      },
      model_alice: {
        action: 'model_updated',
        user: { pk: 1, username: 'akadmin' },
        context: { model: { app: 'authentik_core', model_name: 'user', pk: alicePk, name: 'alice' } },
        client_ip: '::1',
        created: NOW0 - 30 * DAY,
      },
      policy: {
        action: 'policy_execution',
        app: 'authentik.policies',
        user: { pk: 1, username: 'akadmin' },
        context: { dry_run: true, binding: { pk: 'a1b2c3' }, count: 5, ratio: 0.5, s: 'x', t: 'true', n: null, list: [1, 2] },
        client_ip: '10.0.0.1',
        created: NOW0 - 10 * DAY,
      },
      token_model: {
        action: 'model_created',
        context: {
          model: { app: 'authentik_core', model_name: 'token', pk: '0f8e4b2c1d3a4e5f8a9b0c1d2e3f4a5b' },
          device: { pk: 'de-v1' },
        },
        created: NOW0 - 1 * HOUR,
      },
      hostile: {
        action: 'custom_',
        app: '100%_done\\',
        user: { username: 'Ünïcode' },
        context: { note: `it's "quoted" \\ back O'Brien`, 'we"ird': { 'k\\ey': 1 } },
        client_ip: '2001:db8::1',
        brand: { name: 'Brand ' },
        created: NOW0 - 5 * HOUR,
      },
      long: {
        action: 'custom_',
        app: 'x',
        user: { username: 'u'.repeat(200) },
        brand: { name: 'B'.repeat(250) },
        context: { model: { pk: `${'p'.repeat(40)}-${'p'.repeat(40)}` } },
        created: NOW0 - 6 * HOUR,
      },
      upper: {
        app: 'AUTHENTIK.CORE',
        user: { username: 'ALICE' },
        brand: { name: 'BRAND EXAMPLE.COM' },
        created: NOW0 - 4 * HOUR,
      },
      tie1: { action: 'logout', created: TIE },
      tie2: { action: 'logout', created: TIE },
      tie3: { action: 'logout', created: TIE },
      expired: {
        user: alice,
        context: { authorized_application: { pk: 'aaaa', name: 'App A' } },
        created: NOW0 - 400 * DAY,
        expires: NOW0 - HOUR,
      },
    };
  }

  beforeAll(async () => {
    t = await startTestApp();
    alicePk = (await createUserWithToken(t, { username: 'alice' })).pk;
    ev = await insertEvents(t, fixtureEvents(alicePk));
  });
  afterAll(async () => t?.close());

  const VISIBLE = () =>
    Object.keys(fixtureEvents(0))
      .filter((name) => name !== 'expired')
      .sort();
  const except = (...names: string[]) => VISIBLE().filter((name) => !names.includes(name));
  const filter = (query: ListQuery) => namesMatching(t, ev, buildListFilter(query, t.dialect));
  const search = (text: string) => namesMatching(t, ev, buildSearchCondition(text, t.dialect));

  describe('list filters', () => {
    it('no filter, or only unknown parameters: every visible event', async () => {
      expect(await filter({})).toEqual(VISIBLE());
      expect(await filter({ unknown: 'x', page: '3', username: '' })).toEqual(VISIBLE());
    });

    it.each<[ListQuery, string[]]>([
      [{ action: 'LOGIN' }, ['failed_bob', 'login_alice', 'login_alice2', 'login_bob', 'login_weird_app', 'upper']],
      [{ action: 'model_' }, ['model_alice', 'token_model']],
      [{ action: 'nomatch' }, []],
      [{ actions: ['logout', 'custom_'] }, ['hostile', 'long', 'tie1', 'tie2', 'tie3']],
      [{ actions: 'policy_execution' }, ['policy']],
      [{ client_ip: '10.0.0.1' }, ['login_alice', 'policy']],
      [{ client_ip: '2001:DB8::1' }, []],
      [{ client_ip: '10.0.0.1 ' }, ['login_alice', 'policy']],
      [{ username: 'bob' }, ['failed_bob', 'login_bob']],
      [{ username: 'Bob' }, ['login_bob']],
      [{ username: 'ALICE' }, ['upper']],
      [{ username: 'nobody' }, []],
      [{ username: 'u'.repeat(200) }, ['long']],
      [{ username: 'u'.repeat(199) }, []],
      [{ brand_name: 'Brand example.com' }, ['login_alice']],
      [{ brand_name: 'brand example.com' }, []],
      [{ brand_name: 'Brand' }, []],
      [{ brand_name: 'B'.repeat(250) }, ['long']],
      [{ brand_name: `${'B'.repeat(249)}C` }, []],
      [{ brand_name: 'B'.repeat(191) }, []],
      [{ context_model_pk: '0f8e4b2c-1d3a-4e5f-8a9b-0c1d2e3f4a5b' }, ['token_model']],
      [{ context_model_pk: '0F8E4B2C1D3A4E5F8A9B0C1D2E3F4A5B' }, []],
      [{ context_model_pk: 'p'.repeat(80) }, ['long']],
      [{ context_model_pk: 'p'.repeat(79) }, []],
      [{ context_model_name: 'token' }, ['token_model']],
      [{ context_model_name: 'TOKEN' }, []],
      [{ context_model_app: 'authentik_core' }, ['model_alice', 'token_model']],
      [{ context_authorized_app: 'aaaa' }, ['login_alice', 'login_alice2']],
      [{ context_authorized_app: 'a-a-a-a' }, ['login_alice', 'login_alice2']],
      [{ context_authorized_app: 'cccc' }, []],
      [{ context_device: 'dev1' }, ['token_model']],
      [{ context_device: 'de-v-1' }, ['token_model']],
      [{ context_device: 'dev2' }, []],
      [{ username: 'alice', client_ip: '10.0.0.2' }, ['login_alice2']],
      [{ actions: 'login', brand_name: 'Brand example.com', context_authorized_app: 'aaaa' }, ['login_alice']],
      [{ action: 'login', search: 'user.username = "Bob"' }, ['login_bob']],
    ])('%j', async (query, expected) => {
      expect(await filter(query)).toEqual(expected);
    });

    it('username: the user named, through user.username and through context.model (user pk as text)', async () => {
      expect(await filter({ username: 'alice' })).toEqual(['login_alice', 'login_alice2', 'model_alice']);
    });

    it('context_model_pk: the integer pk, also written with leading zeros', async () => {
      expect(await filter({ context_model_pk: String(alicePk) })).toEqual(['model_alice']);
      expect(await filter({ context_model_pk: `00${alicePk}` })).toEqual(['model_alice']);
      expect(await filter({ context_model_pk: `${alicePk}0` })).toEqual([]);
    });
  });

  describe('search: the query language', () => {
    const UPPER_APP_OR_CORE = [
      'failed_bob',
      'login_alice',
      'login_alice2',
      'login_bob',
      'login_weird_app',
      'model_alice',
      'tie1',
      'tie2',
      'tie3',
      'token_model',
      'upper',
    ];

    it.each<[string, string[]]>([
      ['action = "login"', ['login_alice', 'login_alice2', 'login_bob', 'login_weird_app', 'upper']],
      ['action = "Login Failed"', ['failed_bob']],
      ['action = "LOGIN"', []],
      ['action in ("logout", "Policy Execution")', ['policy', 'tie1', 'tie2', 'tie3']],
      ['app ~ "CORE"', UPPER_APP_OR_CORE],
      ['app !~ "core"', ['hostile', 'long', 'policy']],
      ['app = "authentik.core "', []],
      ['app > "authentik.core"', ['long', 'policy']],
      ['app <= "AUTHENTIK.CORE"', ['hostile', 'upper']],
      ['client_ip = "10.0.0.1"', ['login_alice', 'policy']],
      ['client_ip = None', except('hostile', 'login_alice', 'login_alice2', 'model_alice', 'policy')],
      ['client_ip != None', ['hostile', 'login_alice', 'login_alice2', 'model_alice', 'policy']],
      ['client_ip != "10.0.0.1"', except('login_alice', 'policy')],
      ['client_ip not in ("10.0.0.1", "::1")', except('login_alice', 'policy', 'model_alice')],
      ['client_ip ~ "DB8"', ['hostile']],
      ['context.dry_run = True', ['policy']],
      ['context.dry_run = False', ['failed_bob']],
      ['context.dry_run != True', ['failed_bob']],
      ['context.dry_run = None', except('failed_bob', 'policy')],
      ['context.t = True', []],
      ['context.t = "true"', ['policy']],
      ['context.count = 5', ['policy']],
      ['context.count = "5"', []],
      ['context.count > 5', ['failed_bob']],
      ['context.count >= 5', ['failed_bob', 'policy']],
      ['context.count < 10', ['policy']],
      ['context.count <= 10.0', ['failed_bob', 'policy']],
      ['context.count in (10, 11)', ['failed_bob']],
      ['context.count not in (10)', ['policy']],
      ['context.count != 5', ['failed_bob']],
      ['context.s = 5', []],
      ['context.s = "5"', ['failed_bob']],
      ['context.s in ("5", "x")', ['failed_bob', 'policy']],
      ['context.s > "4"', ['failed_bob', 'policy']],
      ['context.ratio = 0.5', ['policy']],
      ['context.ratio < 1', ['policy']],
      ['context.n = None', VISIBLE()],
      ['context.n != None', []],
      ['context.list = 1', []],
      ['context.list ~ "1"', ['policy']],
      ['context.binding.pk = "a1b2c3"', ['policy']],
      ['context.binding.pk = "A1B2C3"', []],
      ['context.binding.pk ~ "B2"', ['policy']],
      ['context.binding.pk !~ "b2"', []],
      ['context.model.model_name in ("user", "token")', ['model_alice', 'token_model']],
      ['context.authorized_application.name = "App A"', ['login_alice', 'login_alice2']],
      ['context.note ~ "o\'brien"', ['hostile']],
      ['context.note ~ "\\"quoted\\" \\\\ back"', ['hostile']],
      ['context.note ~ "%"', []],
      ['user.username = "alice"', ['login_alice', 'login_alice2']],
      ['user.username ~ "ALI"', ['login_alice', 'login_alice2', 'upper']],
      ['user.username ~ "nïc"', ['hostile']],
      ['user.pk = 7', ['login_bob']],
      ['user.pk > 1', ['login_bob', 'login_alice', 'login_alice2'].sort()],
      ['brand.name = "Brand example.com"', ['login_alice']],
      ['brand.name = "Brand"', []],
      ['brand.name = "Brand "', ['hostile']],
      [
        'action = "login" or action = "login_failed" and client_ip = "10.0.0.1"',
        ['login_alice', 'login_alice2', 'login_bob', 'login_weird_app', 'upper'],
      ],
      ['(action = "login" or action = "login_failed") and client_ip = None', ['failed_bob', 'login_bob', 'login_weird_app', 'upper']],
      ['ACTION = "login"', []],
    ])('%s', async (text, expected) => {
      if (text === 'ACTION = "login"') {
        // Field names are case-sensitive: not a query, so a plain search for three words.
        expect(interpretSearch(text, t.dialect).mode).toBe('plain');
      } else {
        expect(interpretSearch(text, t.dialect).mode).toBe('query');
      }
      expect(await search(text)).toEqual(expected);
    });

    it('context.model.pk compares the JSON number, not its text', async () => {
      expect(await search(`context.model.pk = ${alicePk}`)).toEqual(['model_alice']);
      expect(await search(`context.model.pk = "${alicePk}"`)).toEqual([]);
    });

    it('event_uuid: bytes from a UUID with or without dashes; not a UUID matches nothing', async () => {
      const { uuid, hex } = ev.policy;
      expect(await search(`event_uuid = "${uuid}"`)).toEqual(['policy']);
      expect(await search(`event_uuid = "${hex.toUpperCase()}"`)).toEqual(['policy']);
      expect(await search('event_uuid = "zzz"')).toEqual([]);
      expect(await search('event_uuid != "zzz"')).toEqual(VISIBLE());
      expect(await search(`event_uuid != "${uuid}"`)).toEqual(except('policy'));
      expect(await search(`event_uuid in ("${uuid}", "${ev.hostile.uuid}", "bad")`)).toEqual(['hostile', 'policy']);
      expect(await search(`event_uuid ~ "${hex.slice(4, 16).toUpperCase()}"`)).toEqual(['policy']);
      expect(await search(`event_uuid ~ "${uuid.slice(4, 18)}"`)).toEqual(['policy']);
      const sorted = Object.values(ev).sort((a, b) => (a.hex < b.hex ? -1 : 1));
      const middle = sorted[Math.floor(sorted.length / 2)];
      const above = sorted
        .filter((e) => e.hex > middle.hex && e.name !== 'expired')
        .map((e) => e.name)
        .sort();
      expect(await search(`event_uuid > "${middle.uuid}"`)).toEqual(above);
    });

    it('created: datetimes in UTC, every comparison', async () => {
      const iso = (micros: number) => formatMicros(micros) as string;
      expect(await search(`created = "${iso(TIE)}"`)).toEqual(['tie1', 'tie2', 'tie3']);
      expect(await search(`created > "${iso(NOW0 - 7 * DAY)}" and created < "${iso(NOW0 - 5 * HOUR)}"`)).toEqual([
        'login_alice',
        'login_alice2',
        'login_weird_app',
        'long',
        'tie1',
        'tie2',
        'tie3',
      ]);
      expect(await search(`created <= "${iso(NOW0 - 10 * DAY)}"`)).toEqual(['model_alice', 'policy']);
      expect(await search(`created >= "${iso(NOW0 - 2 * HOUR)}"`)).toEqual(['login_bob', 'token_model']);
      expect(await search(`created in ("${iso(TIE)}", "${iso(ev.hostile.created)}")`)).toEqual(['hostile', 'tie1', 'tie2', 'tie3']);
      expect(await search(`created != "${iso(TIE)}" and action = "logout"`)).toEqual([]);
    });

    it('JSON keys needing escapes are addressed exactly (path built from quoted segments)', async () => {
      const d = resolveDialect(t.dialect);
      const condition = sql`${d.jsonScalarText('context', ['we"ird', 'k\\ey'])} = '1'`;
      expect(await namesMatching(t, ev, condition)).toEqual(['hostile']);
    });
  });

  describe('search: plain words', () => {
    it.each<[string, string[]]>([
      ['alice 10.0.0.2', ['login_alice2']],
      ['ALICE', ['login_alice', 'login_alice2', 'model_alice', 'upper']],
      ['bob,"App', ['login_bob']],
      ['100%_done\\', ['hostile']],
      ['%_', ['hostile']],
      ['%', ['hostile']],
      ['\\', ['hostile']],
      ["O'Brien", ['hostile']],
      ["it's", ['hostile']],
      ['quoted', ['hostile']],
      ['ad\0min', ['model_alice', 'policy']],
      ['aka\0dmin', ['model_alice', 'policy']],
      ["'; DROP TABLE events; --", []],
      ['" OR 1=1 --', []],
      ['? ??', []],
      ['x'.repeat(10_000), []],
    ])('%p', async (text, expected) => {
      expect(interpretSearch(text, t.dialect).mode).toBe('plain');
      expect(await search(text)).toEqual(expected);
    });

    it('finds an event by its uuid, with or without dashes', async () => {
      expect(await search(ev.policy.uuid)).toEqual(['policy']);
      expect(await search(ev.policy.hex.toUpperCase())).toEqual(['policy']);
    });

    it('the most distinct words a search takes (32) run without error', async () => {
      const text = Array.from({ length: 32 }, (_, i) => `w${i.toString(36)}`).join(' ');
      expect(await search(text)).toEqual([]);
      expect(await search(`akadmin ${'%_\\'.repeat(3000)}`)).toEqual([]);
    });

    it('leaves the table intact', async () => {
      expect(await filter({})).toEqual(VISIBLE());
    });
  });

  describe('ordering', () => {
    const ordered = async (raw: string) => {
      const d = resolveDialect(t.dialect);
      const where = visibleAt(nowMicros(), d);
      const rows: { id: Buffer }[] = await t.dataSource.query(
        `SELECT ${d.quote('event_uuid')} AS id FROM ${d.quote('events')} WHERE ${where.sql} ORDER BY ${orderBySql(parseOrdering(raw), d)}`,
        where.params,
      );
      return rows.map((row) => Buffer.from(row.id).toString('hex'));
    };
    const byHex = (a: StoredEvent, b: StoredEvent) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0);
    const visible = () => Object.values(ev).filter((e) => e.name !== 'expired');

    it.each([
      'pk',
      '-pk',
      'user',
      '-user',
      'action',
      '-action',
      'app',
      '-app',
      'context',
      '-context',
      'client_ip',
      '-client_ip',
      'created',
      '-created',
      'expires',
      '-expires',
      'brand',
      '-brand',
    ])('orders by %s without error, every visible event once', async (raw) => {
      const hexes = await ordered(raw);
      expect([...hexes].sort()).toEqual(
        visible()
          .map((e) => e.hex)
          .sort(),
      );
    });

    it('breaks ties by pk in the direction of the last key', async () => {
      const expectedAsc = visible()
        .sort((a, b) => a.created - b.created || byHex(a, b))
        .map((e) => e.hex);
      expect(await ordered('created')).toEqual(expectedAsc);
      expect(await ordered('-created')).toEqual([...expectedAsc].reverse());
      expect(await ordered('')).toEqual([...expectedAsc].reverse());
      const expectedAction = visible().sort(
        (a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0) || b.created - a.created || byHex(b, a),
      );
      expect(await ordered('action,-created')).toEqual(expectedAction.map((e) => e.hex));
    });

    it('pages walked with LIMIT/OFFSET see every event exactly once', async () => {
      const d = resolveDialect(t.dialect);
      const seen: string[] = [];
      for (let offset = 0; offset < 20; offset += 2) {
        const where = visibleAt(nowMicros(), d);
        const rows: { id: Buffer }[] = await t.dataSource.query(
          `SELECT ${d.quote('event_uuid')} AS id FROM ${d.quote('events')} WHERE ${where.sql} ORDER BY ${orderBySql(parseOrdering('action'), d)} LIMIT ? OFFSET ?`,
          [...where.params, 2, offset],
        );
        seen.push(...rows.map((row) => Buffer.from(row.id).toString('hex')));
      }
      expect(seen).toEqual(await ordered('action'));
      expect(new Set(seen).size).toBe(visible().length);
    });
  });

  describe('statistics', () => {
    const run = async <T>(query: { sql: string; params: unknown[]; toResponse(rows: Record<string, unknown>[]): T }) =>
      query.toResponse(await t.dataSource.query(query.sql, query.params));

    it('top_per_user: visible login events per authorized application object, most first', async () => {
      expect(await run(topPerUserStatistics({}, t.dialect, nowMicros()))).toEqual([
        { application: { pk: 'aaaa', name: 'App A' }, counted_events: 2, unique_users: 1 },
        { application: { pk: 'bbbb', name: 'App B' }, counted_events: 1, unique_users: 1 },
      ]);
      expect(await run(topPerUserStatistics({ top_n: '1' }, t.dialect, nowMicros()))).toEqual([
        { application: { pk: 'aaaa', name: 'App A' }, counted_events: 2, unique_users: 1 },
      ]);
      expect(await run(topPerUserStatistics({ action: 'logout' }, t.dialect, nowMicros()))).toEqual([]);
    });

    it('volume: 6-hour UTC buckets per action, ordered by time then action', async () => {
      expect(await run(volumeStatistics({ username: 'alice', history_days: '2' }, t.dialect, nowMicros()))).toEqual([
        { action: 'login', time: formatMicros(BASE), count: 1 },
        { action: 'login', time: formatMicros(BASE + 12 * HOUR), count: 1 },
      ]);
      const all = await run(volumeStatistics({}, t.dialect, nowMicros()));
      const recent = visible7Days();
      const expected = new Map<string, number>();
      for (const e of recent) {
        const key = `${formatMicros(Math.floor(e.created / (6 * HOUR)) * 6 * HOUR)}|${e.action}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      expect(all).toEqual(
        [...expected.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([key, count]) => ({ action: key.split('|')[1], time: key.split('|')[0], count })),
      );
      expect(await run(volumeStatistics({ history_days: '0' }, t.dialect, nowMicros()))).toEqual([]);
    });

    it('stats: distinct user pks and counts per step over the filtered events', async () => {
      expect(await run(statsStatistics({ actions: 'login', count_steps: ['hours=24', 'days=7'] }, t.dialect, nowMicros()))).toEqual({
        unique_users: 2,
        count_step: { hours24: 4, days7: 5 },
      });
      expect(await run(statsStatistics({ username: 'nobody', count_steps: 'hours=1' }, t.dialect, nowMicros()))).toEqual({
        unique_users: 0,
        count_step: { hours1: 0 },
      });
      expect(await run(statsStatistics({ count_steps: 'weeks=3;days=2' }, t.dialect, nowMicros()))).toEqual({
        unique_users: 3,
        count_step: { weeks3days2: except('model_alice').length },
      });
    });

    it('autocomplete: distinct apps of visible events, byte-sorted, from the counters', async () => {
      expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual([
        '100%_done\\',
        'AUTHENTIK.CORE',
        'authentik.core',
        'authentik.policies',
        'x',
      ]);
    });

    function visible7Days(): StoredEvent[] {
      return Object.values(ev).filter((e) => e.name !== 'expired' && e.created >= NOW0 - 7 * DAY);
    }
  });
});
