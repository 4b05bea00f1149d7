import { nowMicros } from '@app/common';
import { buildListSelection, interpretSearch } from '../../src/events/query';
import { matchesQuery } from '../../src/events/query/search/evaluate';
import { parseQuery } from '../../src/events/query/search/parser';
import { startTestApp, TestApp } from '../support/test-app';
import { HOUR, insertEvents, namesMatching, StoredEvent } from './query-fixtures';

/**
 * The search language has two implementations: SQL (`compiler.ts`, lists) and in memory
 * (`evaluate.ts`, an event-matcher policy's `query` against the one event being delivered).
 * Here both answer the same queries over the same events on the real database, and must agree.
 */
describe(`search language: in memory agrees with ${process.env.TEST_DB ?? 'sqlite'}`, () => {
  let t: TestApp;
  let events: Record<string, StoredEvent>;
  const NOW = nowMicros();

  beforeAll(async () => {
    t = await startTestApp();
    events = await insertEvents(t, {
      login: {
        user: { pk: 4, username: 'jane' },
        client_ip: '10.0.0.1',
        context: { n: 3, ok: true, s: 'Hello', model: { app: 'authentik_core', model_name: 'user' } },
        created: NOW - 2 * HOUR,
      },
      failed: {
        action: 'login_failed',
        app: 'authentik.stages',
        context: { username: 'bob', n: 10, ok: false, nothing: null },
        created: NOW - HOUR,
      },
      no_ip: { action: 'model_created', context: { s: 'hello world', list: [1, 2] }, brand: { name: 'Acme' }, created: NOW - 3 * HOUR },
    });
  });
  afterAll(async () => t?.close());

  const inMemory = (query: string) =>
    Object.values(events)
      .filter((event) =>
        matchesQuery(parseQuery(query), {
          eventUuid: event.uuid,
          action: event.action,
          app: event.app,
          clientIp: event.client_ip,
          user: event.user,
          brand: event.brand,
          context: event.context,
          created: event.created,
        }),
      )
      .map((event) => event.name)
      .sort();

  it.each([
    'action = "login"',
    'action = "Login Failed"',
    'action != "login"',
    'action in ("login", "model_created")',
    'action not in ("login")',
    'app ~ "STAGES"',
    'app !~ "stages"',
    'app > "authentik.core"',
    'client_ip = "10.0.0.1"',
    'client_ip != "10.0.0.1"',
    'client_ip = None',
    'client_ip != None',
    'client_ip in ("10.0.0.1", None)',
    'client_ip not in ("10.0.0.1")',
    'user.pk = 4',
    'user.username != "jane"',
    'context.n > 5',
    'context.n <= 3',
    'context.n ~ 10',
    'context.n = "3"',
    'context.ok = True',
    'context.ok = False',
    'context.ok != True',
    'context.nothing = None',
    'context.missing = None',
    'context.missing != None',
    'context.s ~ "HELLO"',
    'context.s !~ "world"',
    'context.s > "A"',
    'context.username in ("bob", "jane")',
    'context.username not in ("bob")',
    'context.model.app = "authentik_core" and context.model.model_name = "user"',
    'brand.name = "Acme" or context.username = "bob"',
    '(action = "login" or action = "login_failed") and context.n != 3',
  ])('%s', async (query) => {
    expect(interpretSearch(query, t.dialect).mode).toBe('query');
    expect(inMemory(query)).toEqual(await namesMatching(t, events, interpretSearch(query, t.dialect).condition));
  });

  it('agrees on the event uuid and created', async () => {
    const { uuid, hex, created } = events.failed;
    const iso = new Date(created / 1000).toISOString();
    for (const query of [`event_uuid = "${uuid}"`, `event_uuid ~ "${hex.slice(4, 12)}"`, `created >= "${iso}"`, `created < "${iso}"`]) {
      expect([query, inMemory(query)]).toEqual([query, await namesMatching(t, events, interpretSearch(query, t.dialect).condition)]);
    }
  });

  // A top-level `or` of index ranges is read as a UNION of one branch per alternative
  // (compileAlternatives): the list finds the same events, each once, newest first, on every page.
  it.each([
    ['brand.name = "Acme" or context.username = "bob"', 2],
    ['(action = "login" or action = "login_failed") and context.n != 4', 2],
    ['action = "login" or action = "model_created" or client_ip = "10.0.0.1"', 3],
    ['action = "login_failed" or context.model.app = "authentik_core"', 2],
  ])('the list reads %s as a union of %d branches, as in memory', async (query, branches) => {
    const anyOf = buildListSelection({ search: query }, t.dialect).anyOf ?? [];
    // On SQLite a JSON path is never decided by its column alone: those `or`s stay one condition.
    if (t.dialect === 'mysql' || !query.includes('.')) expect(anyOf).toHaveLength(branches);
    const newestFirst = inMemory(query).sort((a, b) => events[b].created - events[a].created);
    const list = async (params: string) => {
      const res = await t.admin.get(`/api/v3/events/events/?search=${encodeURIComponent(query)}&${params}`);
      expect(res.status).toBe(200);
      const names = (res.body.results as { pk: string }[]).map(({ pk }) => Object.values(events).find((e) => e.uuid === pk)?.name);
      return { count: res.body.pagination.count as number, names };
    };
    expect(await list('page_size=100')).toEqual({ count: newestFirst.length, names: newestFirst });
    expect(await list('page_size=1&page=2')).toEqual({ count: newestFirst.length, names: newestFirst.slice(1, 2) });
  });
});
