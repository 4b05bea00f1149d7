import { matchesQuery, QueryableEvent } from './evaluate';
import { parseQuery } from './parser';
import { QueryLanguageError } from './ast';

const CREATED = Date.UTC(2026, 6, 1, 12, 0, 0) * 1000;

const event = (fields: Partial<QueryableEvent> = {}): QueryableEvent => ({
  eventUuid: '0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b',
  action: 'login_failed',
  app: 'authentik.core',
  clientIp: '10.0.0.1',
  user: { pk: 4, username: 'jane', email: 'jane@example.com' },
  brand: { name: 'Brand' },
  context: { username: 'jane', count: 10, dry_run: false, nothing: null, model: { app: 'authentik_core', model_name: 'user' } },
  created: CREATED,
  ...fields,
});

const matches = (query: string, fields?: Partial<QueryableEvent>) => matchesQuery(parseQuery(query), event(fields));

describe('the search language against one event', () => {
  it.each([
    ['action = "login_failed"', true],
    ['action = "Login Failed"', true],
    ['action != "login"', true],
    ['action in ("login", "login_failed")', true],
    ['action not in ("login", "login_failed")', false],
    ['app ~ "CORE"', true],
    ['app !~ "core"', false],
    ['app > "authentik.a"', true],
    ['client_ip = "10.0.0.1"', true],
    ['client_ip = None', false],
    ['event_uuid = "0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b"', true],
    ['event_uuid ~ "8a6b-7c8d"', true],
    ['event_uuid = "not a uuid"', false],
    ['created = "2026-07-01T12:00:00Z"', true],
    ['created < "2026-07-01"', false],
    ['created >= "2026-07-01"', true],
    ['user.username = "jane"', true],
    ['user.pk = 4', true],
    ['user.pk = "4"', false],
    ['context.count > 9', true],
    ['context.count ~ 10', true],
    ['context.dry_run = False', true],
    ['context.nothing = None', true],
    ['context.missing = None', true],
    ['context.model.app = "authentik_core" and context.model.model_name = "user"', true],
    ['brand.name = "Other" or action = "login_failed"', true],
  ])('%s → %s', (query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  it('a missing key is unknown: it matches neither = nor !=, as in SQL', () => {
    expect(matches('context.missing = "x"')).toBe(false);
    expect(matches('context.missing != "x"')).toBe(false);
    expect(matches('context.missing != "x" or action = "login_failed"')).toBe(true);
  });

  it('a NULL client_ip matches != (Django adds IS NULL), but not =', () => {
    expect(matches('client_ip != "10.0.0.1"', { clientIp: null })).toBe(true);
    expect(matches('client_ip = "10.0.0.1"', { clientIp: null })).toBe(false);
    expect(matches('client_ip = None', { clientIp: null })).toBe(true);
    expect(matches('client_ip in ("a", None)', { clientIp: null })).toBe(true);
  });

  it('refuses unknown fields and values of the wrong type, as the SQL compiler does', () => {
    expect(() => matches('nope = "x"')).toThrow(QueryLanguageError);
    expect(() => matches('action = 5')).toThrow(QueryLanguageError);
    expect(() => matches('created ~ "2026"')).toThrow(QueryLanguageError);
  });
});
