import { deepFreeze } from '../testing/deep-freeze';
import { isSecretKey, maskQueryArgs, maskSecrets, MASKED_VALUE } from './mask-secrets';
import { CIRCULAR_REFERENCE } from './sanitize-for-json';

const M = MASKED_VALUE;

describe('isSecretKey', () => {
  it.each([
    'api',
    'API_URL',
    'authorization',
    'oauth_state',
    'token',
    'access_token',
    'key',
    'ssh_key_id',
    'secret',
    'client_secret',
    'password',
    'PASSWORD_HASH',
    'passphrase',
    'signature',
    'HTTP_COOKIE',
    'http_cookie_jar',
  ])('%s is a secret key', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['passing', 'PASSING', 'is_passing', 'passing_password', 'username', 'email', 'cookie', 'path', 'sign', 'ap i'])(
    '%s is not a secret key',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );

  it('is exactly 20 asterisks', () => {
    expect(M).toBe('*'.repeat(20));
  });
});

describe('maskSecrets', () => {
  it('masks the scalar value of a secret key, whatever its type', () => {
    expect(maskSecrets({ password: 'hunter2', token: 123, api: true, secret: null, key: '' })).toEqual({
      password: M,
      token: M,
      api: M,
      secret: M,
      key: M,
    });
  });

  it('keeps values of other keys and of keys matching "passing"', () => {
    expect(maskSecrets({ username: 'jane', passing: true, policy_passing: false, count: 3 })).toEqual({
      username: 'jane',
      passing: true,
      policy_passing: false,
      count: 3,
    });
  });

  it('walks an object under a secret key, masking only its own secret keys', () => {
    expect(maskSecrets({ auth: { method: 'password', token: 'abc', nested: { client_secret: 's', id: 1 } } })).toEqual({
      auth: { method: 'password', token: M, nested: { client_secret: M, id: 1 } },
    });
  });

  it('finds secrets at any depth under ordinary keys', () => {
    expect(maskSecrets({ a: { b: { c: { api_key: 'k' } } } })).toEqual({ a: { b: { c: { api_key: M } } } });
  });

  it('walks a diff entry under a secret key like any object, so diffs are built from masked states', () => {
    // authentik's enterprise audit masks each serialized model state, then diffs the masked states.
    expect(maskSecrets({ password: { previous_value: 'a', new_value: 'b' } })).toEqual({
      password: { previous_value: 'a', new_value: 'b' },
    });
    const before = maskSecrets({ username: 'jane', password: 'old' });
    const after = maskSecrets({ username: 'jane', password: 'new' });
    expect([before, after]).toEqual([
      { username: 'jane', password: M },
      { username: 'jane', password: M },
    ]);
  });

  it('masks each scalar of an array under a secret key', () => {
    expect(maskSecrets({ tokens: ['a', 2, null, false] })).toEqual({ tokens: [M, M, M, M] });
  });

  it('walks objects inside an array under a secret key, by their own keys', () => {
    expect(maskSecrets({ tokens: [{ id: 1, key: 'k' }, 'raw'] })).toEqual({ tokens: [{ id: 1, key: M }, M] });
  });

  it('masks nested arrays under a secret key the same way', () => {
    expect(maskSecrets({ keys: [['a', ['b']], []] })).toEqual({ keys: [[M, [M]], []] });
  });

  it('keeps the scalars of an array under an ordinary key, walking its objects', () => {
    expect(maskSecrets({ items: ['a', { password: 'p', name: 'n' }] })).toEqual({ items: ['a', { password: M, name: 'n' }] });
  });

  it('walks a top-level array and keeps a top-level scalar', () => {
    expect(maskSecrets([{ token: 't' }, 'plain'])).toEqual([{ token: M }, 'plain']);
    expect(maskSecrets('password')).toBe('password');
  });

  it('keeps empty containers under a secret key', () => {
    expect(maskSecrets({ secret: {}, tokens: [] })).toEqual({ secret: {}, tokens: [] });
  });

  it('never modifies its input', () => {
    const input = deepFreeze({ password: 'p', nested: { token: 't', list: [{ key: 'k' }] }, tokens: ['a'] });
    const before = JSON.stringify(input);
    expect(maskSecrets(input)).toEqual({ password: M, nested: { token: M, list: [{ key: M }] }, tokens: [M] });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('does not hang on a cycle', () => {
    const node: Record<string, unknown> = { token: 't' };
    node.self = node;
    expect(maskSecrets(node)).toEqual({ token: M, self: CIRCULAR_REFERENCE });
  });
});

describe('maskQueryArgs', () => {
  it('masks secret query-string args', () => {
    expect(maskQueryArgs('?token=abc')).toEqual({ token: M });
    expect(maskQueryArgs('token=abc&page=2&passing=1')).toEqual({ token: M, page: '2', passing: '1' });
  });

  it('decodes percent-escapes and "+" and keeps blank values', () => {
    expect(maskQueryArgs('?q=a+b%20c&empty=&flag')).toEqual({ q: 'a b c', empty: '', flag: '' });
  });

  it('keeps the last value of a repeated key, as Django QueryDict.items() does', () => {
    expect(maskQueryArgs('?a=1&a=2&api_key=x&api_key=y')).toEqual({ a: '2', api_key: M });
  });

  it('removes NUL characters before masking', () => {
    expect(maskQueryArgs('?tok%00en=abc&q=a%00b')).toEqual({ token: M, q: 'ab' });
  });

  it('is empty for an empty query string', () => {
    expect(maskQueryArgs('')).toEqual({});
    expect(maskQueryArgs('?')).toEqual({});
  });

  it('keeps a "__proto__" arg as an ordinary key', () => {
    const args = maskQueryArgs('?__proto__=x');
    expect(Object.keys(args)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
  });
});
