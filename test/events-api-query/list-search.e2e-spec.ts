import { nowMicros } from '@app/common';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, HOUR, insertEvents, iso, listedNames, namesOf, qs, StoredEvent } from './api-query-fixtures';

/**
 * `search` on GET /events/events/ (docs/api-contract.md §3.3.1) over HTTP: every operator, `and`/`or` precedence,
 * parentheses, JSON paths into user/context/brand, True/False/None/numbers, the plain-search
 * fallback, and hostile text that must match literally and never fail.
 */
describe(`events_events_list search (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  const T0 = nowMicros() - 24 * HOUR;
  const S = ['s_alice', 's_bob', 's_carol', 's_model'];
  const H = ['h_apostrophe', 'h_backslash', 'h_percent', 'h_quote', 'h_sql', 'h_underscore'];
  const ALL = [...H, ...S].sort();
  const except = (...names: string[]) => ALL.filter((name) => !names.includes(name));

  beforeAll(async () => {
    t = await startTestApp();
    const hostile = (note: string, hours: number) => ({ action: 'logout', app: 'h.app', context: { note }, created: T0 + hours * HOUR });
    ev = await insertEvents(t, {
      s_alice: {
        action: 'login',
        app: 'authentik.core',
        user: { pk: 1, username: 'alice', is_active: true },
        context: { dry_run: true, binding: { pk: 'a1b2' }, count: 5, note: null },
        client_ip: '10.0.0.1',
        brand: { name: 'Brand A' },
        created: T0,
      },
      s_bob: {
        action: 'login_failed',
        app: 'authentik.flows',
        user: { pk: 2, username: 'bob', is_active: false },
        context: { dry_run: false, count: 10, reason: 'bad password' },
        client_ip: null,
        brand: { name: 'Brand B' },
        created: T0 + 1 * HOUR,
      },
      s_carol: {
        action: 'policy_execution',
        app: 'authentik.policies',
        user: { pk: 3, username: 'carol' },
        context: { dry_run: true, binding: { pk: 'c3d4' }, count: 15.5 },
        client_ip: '192.0.2.7',
        brand: { name: 'Brand A' },
        created: T0 + 2 * HOUR,
      },
      s_model: {
        action: 'model_created',
        app: 'authentik.core',
        context: { model: { app: 'authentik_core', model_name: 'user', pk: 42, name: 'dave' } },
        client_ip: '10.0.0.2',
        created: T0 + 3 * HOUR,
      },
      h_percent: hostile('100% sure', 4),
      h_underscore: hostile('snake_case', 5),
      h_backslash: hostile('back\\slash', 6),
      h_quote: hostile('say "hi"', 7),
      h_apostrophe: hostile("it's", 8),
      h_sql: hostile("'; DROP TABLE events; --", 9),
    });
  });
  afterAll(async () => t?.close());

  const search = (text: string) => listedNames(t, ev, { search: text });

  describe('comparisons', () => {
    it.each([
      ['action = "login"', ['s_alice']],
      ['action != "login"', except('s_alice')],
      ['action = "Login Failed"', ['s_bob']],
      ['app ~ "CORE"', ['s_alice', 's_model']],
      ['app !~ "core"', except('s_alice', 's_model')],
      ['app = "authentik"', []],
      ['action in ("login", "login_failed")', ['s_alice', 's_bob']],
      ['action in ("login" "model_created")', ['s_alice', 's_model']],
      ['action not in ("login", "login_failed", "logout")', ['s_carol', 's_model']],
      ['client_ip = "10.0.0.1"', ['s_alice']],
      ['client_ip != "10.0.0.1"', except('s_alice')],
      ['client_ip = None', ['s_bob', ...H].sort()],
      ['client_ip != None', ['s_alice', 's_carol', 's_model']],
      ['client_ip ~ "10.0"', ['s_alice', 's_model']],
      ['client_ip in ("192.0.2.7", None)', ['s_bob', 's_carol', ...H].sort()],
    ])('%s', async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });

    it('compares created as a datetime with >, >=, <, <=, =, in', async () => {
      const at = iso(T0 + HOUR);
      expect(await search(`created > "${at}"`)).toEqual(except('s_alice', 's_bob'));
      expect(await search(`created >= "${at}"`)).toEqual(except('s_alice'));
      expect(await search(`created < "${at}"`)).toEqual(['s_alice']);
      expect(await search(`created <= "${at}"`)).toEqual(['s_alice', 's_bob']);
      expect(await search(`created = "${at}"`)).toEqual(['s_bob']);
      expect(await search(`created != "${at}"`)).toEqual(except('s_bob'));
      expect(await search(`created in ("${at}", "${iso(T0)}")`)).toEqual(['s_alice', 's_bob']);
    });

    it('compares event_uuid by value, and `~` over its hex digits', async () => {
      const { uuid } = ev.s_bob;
      expect(await search(`event_uuid = "${uuid}"`)).toEqual(['s_bob']);
      expect(await search(`event_uuid = "${uuid.toUpperCase().replace(/-/g, '')}"`)).toEqual(['s_bob']);
      expect(await search(`event_uuid != "${uuid}"`)).toEqual(except('s_bob'));
      expect(await search(`event_uuid in ("${uuid}" "${ev.s_carol.uuid}")`)).toEqual(['s_bob', 's_carol']);
      expect(await search(`event_uuid ~ "${ev.s_bob.hex.slice(0, 20)}"`)).toEqual(['s_bob']);
      expect(await search('event_uuid = "not-a-uuid"')).toEqual([]);
    });
  });

  describe('JSON paths', () => {
    it.each([
      ['user.username = "alice"', ['s_alice']],
      ['user.username ~ "AL"', ['s_alice']],
      ['user.username != "alice"', ['s_bob', 's_carol']],
      ['user.username !~ "a"', ['s_bob']],
      ['user.username in ("bob", "carol", "nobody")', ['s_bob', 's_carol']],
      ['user.is_active = True', ['s_alice']],
      ['user.is_active = False', ['s_bob']],
      ['user.pk = 2', ['s_bob']],
      ['user.pk = "2"', []],
      ['user.pk in (1, 3)', ['s_alice', 's_carol']],
      ['user.pk > 1', ['s_bob', 's_carol']],
      ['context.dry_run = True', ['s_alice', 's_carol']],
      ['context.dry_run = true', ['s_alice', 's_carol']],
      ['context.dry_run = False', ['s_bob']],
      ['context.binding.pk = "a1b2"', ['s_alice']],
      ['context.binding.pk != "a1b2"', ['s_carol']],
      ['context.count = 5', ['s_alice']],
      ['context.count = 15.5', ['s_carol']],
      ['context.count > 7', ['s_bob', 's_carol']],
      ['context.count >= 10', ['s_bob', 's_carol']],
      ['context.count < 10', ['s_alice']],
      ['context.count <= 10', ['s_alice', 's_bob']],
      ['context.count > -1.5e1', ['s_alice', 's_bob', 's_carol']],
      ['context.note = None', S],
      ['context.note != None', H],
      ['context.reason ~ "PASS"', ['s_bob']],
      ['context.model.pk = 42', ['s_model']],
      ['context.model.pk = "42"', []],
      ['context.model.model_name = "user" and context.model.app = "authentik_core"', ['s_model']],
      ['brand.name = "Brand A"', ['s_alice', 's_carol']],
      ['brand.name ~ "brand"', ['s_alice', 's_bob', 's_carol']],
      ['brand.name = None', ['s_model', ...H].sort()],
      ['context.no.such.key = "x"', []],
    ])('%s', async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe('and, or, parentheses', () => {
    it.each([
      // `and` binds tighter: bob OR (alice AND core)
      ['user.username = "bob" or user.username = "alice" and app = "authentik.core"', ['s_alice', 's_bob']],
      ['(user.username = "bob" or user.username = "alice") and app = "authentik.core"', ['s_alice']],
      ['action = "login" and client_ip = "10.0.0.9" or action = "model_created"', ['s_model']],
      ['action = "login" and (client_ip = "10.0.0.9" or action = "model_created")', []],
      ['((action = "login") or (action = "logout" and (context.note ~ "%")))', ['h_percent', 's_alice']],
      ['action = "login" OR action = "policy_execution" AND context.dry_run = TRUE', ['s_alice', 's_carol']],
      ['context.dry_run = True and brand.name = "Brand A" and user.pk = 3', ['s_carol']],
      ['action = "policy_execution" and context.dry_run = True and context.binding.pk = "c3d4"', ['s_carol']],
    ])('%s', async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });
  });

  describe('plain search when the text is not the language', () => {
    it.each([
      ['alice', ['s_alice']],
      ['alice core', ['s_alice']],
      ['alice,bob', []],
      ['bad password', ['s_bob']],
      ['LOGIN_FAILED', ['s_bob']],
      ['authentik.core', ['s_alice', 's_model']],
      ['10.0.0.1', ['s_alice']],
      ['policy_execution, 192.0.2.7', ['s_carol']],
      ['nosuchfield = "x"', []],
      ['user.username = alice', []],
      ['(action = "login"', []],
      ['created = 5', []],
      ['action', []],
    ])('%s', async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });

    it('finds an event by a dashed part of its pk', async () => {
      expect(await search(ev.s_bob.uuid.slice(0, 13))).toEqual(['s_bob']);
    });
  });

  describe('hostile text: literal, never an error', () => {
    it.each([
      ['%', ['h_percent']],
      ['100%', ['h_percent']],
      ['_', ['h_underscore', 's_alice', 's_bob', 's_carol', 's_model']],
      ['snake_case', ['h_underscore']],
      ['snake%case', []],
      ['\\', ['h_backslash', 'h_quote']], // the stored JSON text of `say "hi"` escapes its quotes
      ["'", ['h_apostrophe', 'h_sql']],
      ["it's", ['h_apostrophe']],
      ['DROP TABLE events', ['h_sql']],
      ["'; DROP TABLE events; --", ['h_sql']],
      ['" OR 1=1 --', []],
      ["' OR '1'='1", []],
      ['action = "x" or 1=1', []],
      ['action = "login\\" OR \\"1\\"=\\"1"', []],
      ['context.note = "100%"', []],
      ['context.note ~ "%"', ['h_percent']],
      ['context.note ~ "_"', ['h_underscore']],
      ['context.note = "back\\\\slash"', ['h_backslash']],
      ['context.note ~ "\\\\"', ['h_backslash']],
      ['context.note = "say \\"hi\\""', ['h_quote']],
      ['context.note = "it\'s"', ['h_apostrophe']],
      ['context.note = "\'; DROP TABLE events; --"', ['h_sql']],
      ['user.username = "alice\\u0000"', ['s_alice']],
      ['al\u0000ice', ['s_alice']],
      ['\u0000', ALL],
      ['ümlaut 🎉', []],
      ['))))((((', []],
      ['"', ALL], // every stored JSON document contains a quote
    ])('%j', async (query, expected) => {
      expect(await search(query)).toEqual(expected);
    });

    it('32 comparisons are still a query; more are a 400 that names the search', async () => {
      const query = Array.from({ length: 32 }, () => 'action = "login"').join(' or ');
      expect(await search(query)).toEqual(['s_alice']);
      const res = await t.admin.get(`${EVENTS}?search=${encodeURIComponent(`${query} or action = "login"`)}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ search: ['Ensure this search has no more than 32 words or comparisons.'] });
    });

    it('32 distinct words are a plain search; 10 000 characters of distinct words are a 400', async () => {
      const words = Array.from({ length: 32 }, (_, i) => `w${i}`).join(' ');
      expect(await search(words)).toEqual([]);
      let many = '';
      for (let i = 0; many.length < 9_990; i++) many += `w${i} `;
      const res = await t.admin.get(`${EVENTS}?search=${encodeURIComponent(many)}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ search: ['Ensure this search has no more than 32 words or comparisons.'] });
      expect(await search('x'.repeat(10_000))).toEqual([]);
    });

    it('deep nesting is not an error', async () => {
      expect(await search(`${'('.repeat(2000)}action = "login"${')'.repeat(2000)}`)).toEqual([]);
      expect(await search(`${'('.repeat(30)}action = "login"${')'.repeat(30)}`)).toEqual(['s_alice']);
    });

    it.each(['%', '%zz', '%ED%A0%80', '%C0%AF', '%FF%FE', '%00'])('raw %s in the query string is never a 5xx', async (raw) => {
      const res = await t.admin.get(`${EVENTS}?search=${raw}`);
      expect(res.status).toBeLessThan(500);
      expect([200, 400]).toContain(res.status);
    });

    it('a query string beyond 16 KiB is refused with 431, not a 5xx', async () => {
      const res = await t.admin.get(`${EVENTS}?search=${'%22'.repeat(10_000)}`);
      expect(res.status).toBe(431);
      expect(res.body).toEqual({ detail: 'Request header fields too large.' });
    });

    it('the table is intact afterwards', async () => {
      expect(await search('')).toEqual(ALL);
    });
  });
});

/**
 * A string equality on a path with an indexed generated column (`context.model.app`) may be
 * answered from that column alone (MariaDB). Whatever else is stored at the path must still be
 * told apart the way authentik's JSON comparison does: a number, boolean, null, object or array
 * whose text looks like the searched string does not match it; the string itself does.
 */
describe(`events_events_list search on an indexed JSON path (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  const T0 = nowMicros() - 24 * HOUR;
  const LONG = 'a'.repeat(100); // the column holds 100 characters

  /** What each event holds at context.model.app, by fixture name. */
  const STORED: Record<string, unknown> = {
    core: 'authentik_core',
    text_case: 'Authentik_Core ', // equal to `core` under MariaDB's utf8mb4_unicode_ci
    number_5: 5,
    text_5: '5',
    number_100: 100,
    number_negative: -7,
    text_negative: '-7',
    true: true,
    text_1: '1',
    text_true: 'true',
    false: false,
    text_0: '0',
    null: null,
    text_null: 'null',
    object: { a: 1 },
    text_object: '{"a":1}',
    empty_object: {},
    array: ['x'],
    empty_array: [],
    text_empty: '',
    text_with_nul: 'x\u0000y', // SQLite's substr stops at the NUL: its column is "x"
    text_long: LONG,
    text_longer: `${LONG}b`, // same 100-character column as text_long
  };
  const WITH_PATH = Object.keys(STORED).sort();

  beforeAll(async () => {
    t = await startTestApp();
    const events = Object.entries(STORED).map(([name, app], i) => [
      name,
      { action: 'model_updated', context: { model: { app } }, created: T0 + i * HOUR },
    ]);
    ev = await insertEvents(t, { ...Object.fromEntries(events), no_model: { action: 'login', context: {}, created: T0 - HOUR } });
  });
  afterAll(async () => t?.close());

  const search = (text: string) => listedNames(t, ev, { search: text });

  it.each([
    ['context.model.app = "authentik_core"', ['core']],
    ['action = "model_updated" and context.model.app = "authentik_core"', ['core']],
    ['context.model.app = "5"', ['text_5']],
    ['context.model.app = "100"', []],
    ['context.model.app = "-7"', ['text_negative']],
    ['context.model.app = "1"', ['text_1']],
    ['context.model.app = "true"', ['text_true']],
    ['context.model.app = "0"', ['text_0']],
    ['context.model.app = "false"', []],
    ['context.model.app = "null"', ['text_null']],
    ['context.model.app = "None"', []],
    ['context.model.app = "{\\"a\\":1}"', ['text_object']],
    ['context.model.app = "{}"', []],
    ['context.model.app = "[\\"x\\"]"', []],
    ['context.model.app = "[]"', []],
    ['context.model.app = ""', ['text_empty']],
    ['context.model.app = "x"', []],
    [`context.model.app = "${LONG}"`, ['text_long']],
    [`context.model.app = "${LONG}b"`, ['text_longer']],
    ['context.model.app in ("authentik_core", "5", "1", "null", "nothing")', ['core', 'text_1', 'text_5', 'text_null']],
    ['context.model.app in ("true", "[]", "{}")', ['text_true']],
    ['context.model.app = 5', ['number_5']],
    ['context.model.app = True', ['true']],
    ['context.model.app = None', ['no_model', 'null']],
  ])('%s', async (query, expected) => {
    expect(await search(query)).toEqual(expected);
  });

  it('`!=` and `not in` still count a null, object or array at the path as "not equal"', async () => {
    const others = WITH_PATH.filter((name) => name !== 'core');
    expect(await search('context.model.app != "authentik_core"')).toEqual(others);
    expect(await search('context.model.app not in ("authentik_core")')).toEqual(others);
    expect(await search('context.model.app != "5"')).toEqual(WITH_PATH.filter((name) => name !== 'text_5'));
  });

  // The filter compares the generated column: an object, array or null is no value there (on
  // SQLite, before migration 1796690000000, `{"a":1}` matched the object's JSON text).
  it.each([
    ['{"a":1}', ['text_object']],
    ['[]', []],
    ['null', ['text_null']],
    ['x', []], // the text before the NUL of "x\u0000y"
    ['authentik_core', ['core']],
  ])('the context_model_app filter: %s', async (value, expected) => {
    expect(await listedNames(t, ev, { context_model_app: value })).toEqual(expected);
  });
});

/**
 * On MariaDB a column-only term (`context.model.app = "authentik_core"`) ANDed with terms that
 * read more is asked of its own index as a semijoin (src/events/query/search/conjunction.ts).
 * The same events must match as with the plain condition, with `or`, with negations (where a
 * NULL column counts as "not equal"), with the list filters on either side, and in the count.
 */
describe(`events_events_list search: column-only terms combined with others (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  const T0 = nowMicros() - 24 * HOUR;

  beforeAll(async () => {
    t = await startTestApp();
    const model = (app: unknown, model_name?: string) => ({ model: model_name === undefined ? { app } : { app, model_name } });
    ev = await insertEvents(t, {
      upd_core_user: {
        action: 'model_updated',
        user: { username: 'alice' },
        context: model('authentik_core', 'user'),
        created: T0,
      },
      upd_core_group: { action: 'model_updated', context: model('authentik_core', 'group'), created: T0 + HOUR },
      upd_flows_user: {
        action: 'model_updated',
        user: { username: 'alice' },
        context: model('authentik_flows', 'user'),
        created: T0 + 2 * HOUR,
      },
      // Equal to authentik_core under MariaDB's utf8mb4_unicode_ci, which the index compares with.
      upd_core_case: { action: 'model_updated', context: model('Authentik_Core ', 'user'), created: T0 + 3 * HOUR },
      upd_null: { action: 'model_updated', context: model(null, 'user'), created: T0 + 4 * HOUR },
      upd_number: { action: 'model_updated', context: model(5), created: T0 + 5 * HOUR },
      upd_no_model: { action: 'model_updated', context: {}, created: T0 + 6 * HOUR },
      created_core_user: { action: 'model_created', context: model('authentik_core', 'user'), created: T0 + 7 * HOUR },
      login_core: { action: 'login', context: model('authentik_core', 'user'), created: T0 + 8 * HOUR },
      login_plain: { action: 'login', context: {}, created: T0 + 9 * HOUR },
      expired_core: {
        action: 'model_updated',
        context: model('authentik_core', 'user'),
        created: T0 - HOUR,
        expires: nowMicros() - HOUR,
      },
    });
  });
  afterAll(async () => t?.close());

  /** The names listed, newest first, after checking that the count agrees with them. */
  async function listed(params: Record<string, string>): Promise<string[]> {
    const res = await t.admin.get(`${EVENTS}${qs({ page_size: 100, ...params })}`);
    if (res.status !== 200) throw new Error(`list answered ${res.status} ${res.text}`);
    const names = namesOf(ev, res.body.results);
    expect(res.body.pagination.count).toBe(names.length);
    return names;
  }
  const search = (text: string) => listed({ search: text });

  it.each([
    ['action = "model_updated" and context.model.app = "authentik_core"', ['upd_core_group', 'upd_core_user']],
    ['action = "model_updated" and context.model.app = "authentik_core" and context.model.model_name = "user"', ['upd_core_user']],
    ['context.model.app = "authentik_core" and context.model.model_name = "user"', ['login_core', 'created_core_user', 'upd_core_user']],
    ['context.model.model_name = "user" and context.model.app = "authentik_core"', ['login_core', 'created_core_user', 'upd_core_user']],
    ['action = "model_updated" and (context.model.model_name = "user" and user.username = "alice")', ['upd_flows_user', 'upd_core_user']],
    [
      'context.model.app in ("authentik_core", "authentik_flows") and action = "model_updated"',
      ['upd_flows_user', 'upd_core_group', 'upd_core_user'],
    ],
    ['context.model.app = "authentik_core" and action != "model_updated"', ['login_core', 'created_core_user']],
    ['context.model.app = "authentik_core" and action not in ("model_updated", "login")', ['created_core_user']],
    ['context.model.app = "authentik_core" and context.model.model_name != "user"', ['upd_core_group']],
    [`context.model.app = "authentik_core" and created > "${iso(T0 + HOUR)}"`, ['login_core', 'created_core_user']],
  ])('and: %s', async (query, expected) => {
    expect(await search(query)).toEqual(expected);
  });

  it.each([
    [
      'context.model.app = "authentik_core" or action = "login"',
      ['login_plain', 'login_core', 'created_core_user', 'upd_core_group', 'upd_core_user'],
    ],
    [
      '(action = "model_updated" and context.model.app = "authentik_core") or action = "login"',
      ['login_plain', 'login_core', 'upd_core_group', 'upd_core_user'],
    ],
    [
      'action = "login" or action = "model_updated" and context.model.app = "authentik_core" and context.model.model_name = "user"',
      ['login_plain', 'login_core', 'upd_core_user'],
    ],
    [
      'action = "model_updated" and (context.model.app = "authentik_core" or context.model.app = "authentik_flows")',
      ['upd_flows_user', 'upd_core_group', 'upd_core_user'],
    ],
  ])('or: %s', async (query, expected) => {
    expect(await search(query)).toEqual(expected);
  });

  it('negations keep counting a null, a number or another text at the path as "not equal", and a missing path as neither', async () => {
    expect(await search('action = "model_updated" and context.model.app != "authentik_core"')).toEqual([
      'upd_number',
      'upd_null',
      'upd_core_case',
      'upd_flows_user',
    ]);
    expect(await search('context.model.model_name = "user" and context.model.app not in ("authentik_core")')).toEqual([
      'upd_null',
      'upd_core_case',
      'upd_flows_user',
    ]);
  });

  it('with the list filters, on either side', async () => {
    const updatedInCore = ['upd_core_group', 'upd_core_user'];
    expect(await listed({ actions: 'model_updated', context_model_app: 'authentik_core' })).toEqual(updatedInCore);
    expect(await listed({ context_model_app: 'authentik_core', search: 'action = "model_updated"' })).toEqual(updatedInCore);
    expect(await listed({ actions: 'model_updated', search: 'context.model.app = "authentik_core"' })).toEqual(updatedInCore);
    expect(await listed({ action: 'updated', search: 'context.model.app = "authentik_core"' })).toEqual(updatedInCore);
    expect(await listed({ context_model_app: 'authentik_core', search: 'context.model.model_name = "user"' })).toEqual([
      'login_core',
      'created_core_user',
      'upd_core_user',
    ]);
    expect(await listed({ context_model_name: 'user', context_model_app: 'authentik_core', actions: 'login' })).toEqual(['login_core']);
    expect(await listed({ action: 'model', search: 'context.model.app = "authentik_core" or action = "login"' })).toEqual([
      'created_core_user',
      'upd_core_group',
      'upd_core_user',
    ]);
    // `username` reads each of its alternatives as its own branch (a UNION), the semijoin in each.
    expect(await listed({ username: 'alice', search: 'action = "model_updated" and context.model.app = "authentik_core"' })).toEqual([
      'upd_core_user',
    ]);
  });

  it('pages of one event walk the same events in the same order', async () => {
    const query = 'action = "model_updated" and context.model.app in ("authentik_core", "authentik_flows")';
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await t.admin.get(`${EVENTS}${qs({ search: query, page_size: 1, page })}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination.count).toBe(3);
      pages.push(...namesOf(ev, res.body.results));
    }
    expect(pages).toEqual(['upd_flows_user', 'upd_core_group', 'upd_core_user']);
  });
});
