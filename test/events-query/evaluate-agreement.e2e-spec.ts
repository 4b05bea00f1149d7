import { nowMicros } from '@app/common';
import { interpretSearch } from '../../src/events/query';
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
});
