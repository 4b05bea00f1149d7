import type { Principal } from '@app/auth';
import { AS_USER_SNAPSHOT, MASKED_VALUE, UserEntity, Uuid } from '@app/common';
import { deepFreeze } from '@app/common/testing/deep-freeze';
import { parseTrustedProxies } from '../../config/trusted-proxies';
import { normalizeAction, recordedEvent, RecordingDefaults, userSnapshotOf } from './recorded-event';
import type { RecordableRequest } from './recording.types';

const DEFAULTS: RecordingDefaults = { app: 'authentik.events', trustedProxies: parseTrustedProxies('') };
const PRINCIPAL: Principal = {
  user: { pk: 4, uuid: 'u', username: 'akadmin', name: 'Admin', email: 'root@example.com', is_superuser: true },
  permissions: new Set(),
  tokenIdentifier: 'admin-token',
};

function request(overrides: Partial<RecordableRequest> = {}): RecordableRequest {
  return {
    url: '/api/v3/core/users/?token=abc&page=2',
    method: 'POST',
    headers: { 'user-agent': 'curl/8.5', 'x-forwarded-for': '198.51.100.7' },
    raw: { id: 'req-1' },
    socket: { remoteAddress: '10.0.0.2' },
    principal: PRINCIPAL,
    ...overrides,
  };
}

describe('normalizeAction', () => {
  it.each(['login', 'model_created', 'access_request_revoked', 'custom_'])('keeps the known action %s', (action) => {
    expect(normalizeAction(action)).toBe(action);
  });

  it.each([
    ['foo', 'custom_foo'],
    ['LOGIN', 'custom_LOGIN'],
    ['', 'custom_'],
  ])('stores %p as %p', (action, stored) => {
    expect(normalizeAction(action)).toBe(stored);
  });

  it('keeps a name that is already custom, instead of doubling the prefix', () => {
    expect(normalizeAction('custom_foo')).toBe('custom_foo');
  });
});

describe('userSnapshotOf', () => {
  it('takes pk, username and email of a principal', () => {
    expect(userSnapshotOf(PRINCIPAL)).toEqual({ pk: 4, username: 'akadmin', email: 'root@example.com' });
  });

  it('keeps only the snapshot keys of a snapshot, including who it acts for', () => {
    const snapshot = {
      pk: 7,
      username: 'jane',
      email: 'j@example.com',
      password: 'x',
      on_behalf_of: { pk: 8, username: 'bob', email: '' },
    };
    expect(userSnapshotOf(snapshot)).toEqual({
      pk: 7,
      username: 'jane',
      email: 'j@example.com',
      on_behalf_of: { pk: 8, username: 'bob', email: '' },
    });
  });

  it('asks a user entity for its snapshot', () => {
    const entity: UserEntity = { [AS_USER_SNAPSHOT]: () => ({ pk: 9, username: 'svc', email: 's@example.com' }) };
    expect(userSnapshotOf(entity)).toEqual({ pk: 9, username: 'svc', email: 's@example.com' });
  });
});

describe('recordedEvent', () => {
  it('without options: normalised action, default app, no user, empty context, no client IP', () => {
    expect(recordedEvent('foo', {}, DEFAULTS)).toEqual({
      event: { action: 'custom_foo', app: 'authentik.events', user: {}, context: {}, client_ip: null, brand: undefined },
      actor: undefined,
    });
  });

  it('takes the app given, trimmed, and falls back to the default for a blank one', () => {
    expect(recordedEvent('login', { app: ' authentik.flows ' }, DEFAULTS).event.app).toBe('authentik.flows');
    expect(recordedEvent('login', { app: '  ' }, DEFAULTS).event.app).toBe('authentik.events');
  });

  it('with a request: http_request, the principal as user and actor, the socket address', () => {
    const { event, actor } = recordedEvent('login', { request: request() }, DEFAULTS);
    expect(event).toEqual({
      action: 'login',
      app: 'authentik.events',
      user: { pk: 4, username: 'akadmin', email: 'root@example.com' },
      context: {
        http_request: {
          path: '/api/v3/core/users/',
          method: 'POST',
          args: { token: MASKED_VALUE, page: '2' },
          user_agent: 'curl/8.5',
          request_id: 'req-1',
        },
      },
      client_ip: '10.0.0.2',
      brand: undefined,
    });
    expect(actor).toBe(PRINCIPAL);
  });

  it('believes X-Forwarded-For only from a trusted proxy', () => {
    const trusting = { ...DEFAULTS, trustedProxies: parseTrustedProxies('10.0.0.0/8') };
    expect(recordedEvent('login', { request: request() }, trusting).event.client_ip).toBe('198.51.100.7');
    const garbage = request({ headers: { 'x-forwarded-for': 'not-an-ip' } });
    expect(recordedEvent('login', { request: garbage }, trusting).event.client_ip).toBe('255.255.255.255');
  });

  it('an anonymous request has no user', () => {
    const { event, actor } = recordedEvent('login_failed', { request: request({ principal: undefined }) }, DEFAULTS);
    expect(event.user).toEqual({});
    expect(actor).toBeUndefined();
  });

  it('an explicit user wins over the request principal, which stays the actor', () => {
    const { event, actor } = recordedEvent('login', { request: request(), user: { pk: 1, username: 'x', email: '' } }, DEFAULTS);
    expect(event.user).toEqual({ pk: 1, username: 'x', email: '' });
    expect(actor).toBe(PRINCIPAL);
  });

  it('sanitises, then masks the context, and the request wins over a caller-made http_request', () => {
    const context = {
      when: new Date('2026-07-01T12:00:00.123Z'),
      id: new Uuid('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b'),
      tags: new Set(['a', 'b']),
      error: new Error('boom'),
      credentials: { password: 'hunter2', username: 'jane', passing: true },
      api_keys: ['k1', 'k2'],
      http_request: { path: '/forged/' },
    };
    expect(recordedEvent('custom_thing', { context, request: request() }, DEFAULTS).event.context).toEqual({
      when: '2026-07-01T12:00:00.123000Z',
      id: '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b',
      tags: ['a', 'b'],
      error: 'boom',
      credentials: { password: MASKED_VALUE, username: 'jane', passing: true },
      api_keys: [MASKED_VALUE, MASKED_VALUE],
      http_request: expect.objectContaining({ path: '/api/v3/core/users/' }),
    });
  });

  it('never modifies the caller objects', () => {
    const options = deepFreeze({ context: { token: 'abc', nested: { secret: 's' } }, brand: { name: 'Brand x' }, request: request() });
    const { event } = recordedEvent('login', options, DEFAULTS);
    expect(event.context).toMatchObject({ token: MASKED_VALUE, nested: { secret: MASKED_VALUE } });
    expect(event.brand).toEqual({ name: 'Brand x' });
    expect(options.context).toEqual({ token: 'abc', nested: { secret: 's' } });
  });

  it('refuses a context that is not a plain object', () => {
    expect(() => recordedEvent('login', { context: new Map() as unknown as Record<string, unknown> }, DEFAULTS)).toThrow(TypeError);
  });
});
