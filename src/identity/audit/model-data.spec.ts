import { MASKED_VALUE, sanitizeForJson } from '@app/common';
import { modelDiff } from '../../events';
import { Role } from '../entities/role.entity';
import { Token } from '../entities/token.entity';
import { User } from '../entities/user.entity';
import { pythonDateTime, tokenName } from './model-refs';
import { tokenState, userState } from './model-states';

const TOKEN_UUID = 'e61e7677-edb4-4246-96b8-e259dce9db82';
const ROLE_UUID = '0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
const JULY_1 = Date.UTC(2026, 6, 1, 12, 0, 0) * 1000;

function user(fields: Partial<User> = {}): User {
  return Object.assign(new User(), {
    id: 7,
    uuid: '4c1f0d8e-2b3a-4c5d-8e9f-0a1b2c3d4e5f',
    username: 'jane',
    name: 'Jane Doe',
    email: 'jane@example.com',
    isActive: true,
    lastLogin: null,
    dateJoined: JULY_1,
    lastUpdated: JULY_1,
    passwordChangeDate: JULY_1,
    path: 'users',
    type: 'internal',
    attributes: {},
    ...fields,
  });
}

function token(fields: Partial<Token> = {}): Token {
  return Object.assign(new Token(), {
    tokenUuid: TOKEN_UUID,
    identifier: 'ci',
    keyDigest: 'digest-1',
    keyEncrypted: 'sealed',
    intent: 'api',
    userId: 7,
    description: '',
    expires: JULY_1 + 123_456,
    expiring: true,
    managed: null,
    ...fields,
  });
}

describe('pythonDateTime', () => {
  it('writes str() of a UTC datetime', () => {
    expect(pythonDateTime(JULY_1 + 123_456)).toBe('2026-07-01 12:00:00.123456+00:00');
    expect(pythonDateTime(JULY_1 + 5)).toBe('2026-07-01 12:00:00.000005+00:00');
  });

  it('leaves out a zero fraction, as Python does', () => {
    expect(pythonDateTime(JULY_1)).toBe('2026-07-01 12:00:00+00:00');
  });

  it('writes no value as None', () => {
    expect(pythonDateTime(null)).toBe('None');
  });
});

describe('tokenName (str(token))', () => {
  it('adds the expiry of an expiring token', () => {
    expect(tokenName(token())).toBe('ci (expires=2026-07-01 12:00:00.123456+00:00)');
    expect(tokenName(token({ expires: null }))).toBe('ci (expires=None)');
  });

  it('is the identifier of a token that does not expire', () => {
    expect(tokenName(token({ expiring: false }))).toBe('ci');
  });
});

describe('entities in event data', () => {
  it('a user becomes the user snapshot', () => {
    expect(sanitizeForJson({ user: user() })).toEqual({ user: { pk: 7, username: 'jane', email: 'jane@example.com' } });
  });

  it('a token and a role become model references, their UUID pk as hex', () => {
    expect(sanitizeForJson({ secret: token(), role: Object.assign(new Role(), { uuid: ROLE_UUID, name: 'auditors' }) })).toEqual({
      secret: {
        app: 'authentik_core',
        model_name: 'token',
        pk: 'e61e7677edb4424696b8e259dce9db82',
        name: 'ci (expires=2026-07-01 12:00:00.123456+00:00)',
      },
      role: { app: 'authentik_rbac', model_name: 'role', pk: '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b', name: 'auditors' },
    });
  });
});

describe('model states in a diff', () => {
  it('a user: Django field names, datetimes as ISO text, the password change date masked', () => {
    const later = JULY_1 + 1_000_000;
    expect(modelDiff(userState(user()), userState(user({ isActive: false, lastUpdated: later, passwordChangeDate: later })))).toEqual({
      is_active: { previous_value: true, new_value: false },
      password_change_date: { previous_value: MASKED_VALUE, new_value: MASKED_VALUE },
      last_updated: { previous_value: '2026-07-01T12:00:00.000000Z', new_value: '2026-07-01T12:00:01.000000Z' },
    });
  });

  it('a user with roles: compared as a set of hex pks', () => {
    const before = userState(user(), [ROLE_UUID]);
    expect(modelDiff(before, userState(user(), [ROLE_UUID, ROLE_UUID]))).toEqual({});
    expect(modelDiff(before, userState(user(), []))).toEqual({
      roles: { previous_value: ['0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b'], new_value: [] },
    });
  });

  it('a token whose key changed shows the key masked, never the key or its digest', () => {
    expect(modelDiff(tokenState(token()), tokenState(token({ keyDigest: 'digest-2', description: 'CI' })))).toEqual({
      key: { previous_value: MASKED_VALUE, new_value: MASKED_VALUE },
      description: { previous_value: '', new_value: 'CI' },
    });
  });
});
