import { deepFreeze } from '../testing/deep-freeze';
import { AS_MODEL_REF, AS_USER_SNAPSHOT, ModelEntity, ModelRef, UserEntity, UserSnapshot, Uuid } from './model-ref';
import { CIRCULAR_REFERENCE, MAX_ITERABLE_ITEMS, MAX_SANITIZE_DEPTH, sanitizeForJson, TOO_DEEP } from './sanitize-for-json';

class Role implements ModelEntity {
  constructor(
    readonly uuid: string,
    readonly name: string,
  ) {}
  [AS_MODEL_REF](): ModelRef {
    return { app: 'authentik_rbac', model_name: 'role', pk: this.uuid, name: this.name };
  }
}

class User implements ModelEntity, UserEntity {
  constructor(
    readonly id: number,
    readonly username: string,
    readonly email = `${username}@example.com`,
    readonly impersonating?: User,
  ) {}
  [AS_MODEL_REF](): ModelRef {
    return { app: 'authentik_core', model_name: 'user', pk: this.id, name: this.username };
  }
  [AS_USER_SNAPSHOT](): UserSnapshot & { extra?: string } {
    return { pk: this.id, username: this.username, email: this.email, on_behalf_of: this.impersonating, extra: 'dropped' };
  }
}

class Widget {
  size = 3;
}

const ROLE_UUID = '0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
const ROLE_HEX = '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b';

describe('sanitizeForJson', () => {
  describe('scalars', () => {
    it.each([
      ['text', 'text'],
      [42, 42],
      [-1.5, -1.5],
      [true, true],
      [false, false],
      [null, null],
      [0, 0],
      ['', ''],
    ])('keeps %p', (value, expected) => {
      expect(sanitizeForJson(value)).toBe(expected);
    });

    it('removes NUL characters from strings', () => {
      expect(sanitizeForJson('a\0b\u0000c\0')).toBe('abc');
    });

    it('removes NUL characters from object keys', () => {
      expect(sanitizeForJson({ 'us\0er': 'x\0y' })).toEqual({ user: 'xy' });
    });

    it.each([NaN, Infinity, -Infinity])('writes the non-finite number %p as null', (value) => {
      expect(sanitizeForJson(value)).toBeNull();
    });

    it('writes a bigint as a number when it fits, else as its decimal string', () => {
      expect(sanitizeForJson({ small: 12n, big: 2n ** 64n })).toEqual({ small: 12, big: '18446744073709551616' });
    });

    it('leaves out undefined and symbols in objects and writes them as null in arrays', () => {
      expect(sanitizeForJson({ a: undefined, b: Symbol('s'), c: 1 })).toEqual({ c: 1 });
      expect(sanitizeForJson([undefined, Symbol('s'), 1])).toEqual([null, null, 1]);
      expect(sanitizeForJson(undefined)).toBeNull();
    });
  });

  describe('UUIDs', () => {
    it('writes a Uuid as 32 lowercase hex digits', () => {
      expect(sanitizeForJson({ id: new Uuid(ROLE_UUID.toUpperCase()) })).toEqual({ id: ROLE_HEX });
    });

    it('keeps a plain string that merely looks like a UUID (only Uuid values are UUIDs)', () => {
      expect(sanitizeForJson({ id: ROLE_UUID })).toEqual({ id: ROLE_UUID });
    });

    it('refuses to build a Uuid from text that is not one', () => {
      expect(() => new Uuid('not-a-uuid')).toThrow(TypeError);
      expect(new Uuid(ROLE_HEX).toString()).toBe(ROLE_UUID);
    });
  });

  describe('dates', () => {
    it('writes a Date as ISO 8601 in UTC with microseconds and Z', () => {
      expect(sanitizeForJson({ at: new Date(Date.UTC(2026, 6, 1, 12, 0, 0, 123)) })).toEqual({
        at: '2026-07-01T12:00:00.123000Z',
      });
    });

    it('writes an invalid Date as null', () => {
      expect(sanitizeForJson(new Date('nope'))).toBeNull();
    });
  });

  describe('entities', () => {
    it('writes an entity as {app, model_name, pk, name}, a UUID pk as hex', () => {
      expect(sanitizeForJson({ model: new Role(ROLE_UUID, 'auditors') })).toEqual({
        model: { app: 'authentik_rbac', model_name: 'role', pk: ROLE_HEX, name: 'auditors' },
      });
    });

    it('keeps an integer pk as a number', () => {
      const entity: ModelEntity = { [AS_MODEL_REF]: () => ({ app: 'a', model_name: 'm', pk: 7, name: 'n' }) };
      expect(sanitizeForJson(entity)).toEqual({ app: 'a', model_name: 'm', pk: 7, name: 'n' });
    });

    it('writes a user entity as the user snapshot with only its known keys', () => {
      expect(sanitizeForJson({ user: new User(4, 'akadmin') })).toEqual({
        user: { pk: 4, username: 'akadmin', email: 'akadmin@example.com' },
      });
    });

    it('writes the impersonated user of a snapshot as a snapshot too', () => {
      const admin = new User(1, 'admin', 'admin@example.com', new User(9, 'jane'));
      expect(sanitizeForJson(admin)).toEqual({
        pk: 1,
        username: 'admin',
        email: 'admin@example.com',
        on_behalf_of: { pk: 9, username: 'jane', email: 'jane@example.com' },
      });
    });

    it('keeps authenticated_as of a snapshot', () => {
      const pending: UserEntity = {
        [AS_USER_SNAPSHOT]: () => ({ pk: 2, username: 'p', email: '', authenticated_as: { pk: 1, username: 'a', email: '' } }),
      };
      expect(sanitizeForJson(pending)).toEqual({ pk: 2, username: 'p', email: '', authenticated_as: { pk: 1, username: 'a', email: '' } });
    });
  });

  describe('errors', () => {
    it('writes an error as its message', () => {
      expect(sanitizeForJson({ error: new TypeError('bad \0thing') })).toEqual({ error: 'bad thing' });
    });
  });

  describe('collections', () => {
    it('writes a Set as an array', () => {
      expect(sanitizeForJson(new Set(['a', new Date(0)]))).toEqual(['a', '1970-01-01T00:00:00.000000Z']);
    });

    it('writes a Map as an array of [key, value] pairs', () => {
      expect(
        sanitizeForJson(
          new Map<unknown, unknown>([
            ['a', 1],
            [new Uuid(ROLE_UUID), new Set([2])],
          ]),
        ),
      ).toEqual([
        ['a', 1],
        [ROLE_HEX, [2]],
      ]);
    });

    it('writes a generator as an array', () => {
      function* numbers() {
        yield 1;
        yield 2;
      }
      expect(sanitizeForJson({ n: numbers() })).toEqual({ n: [1, 2] });
    });

    it('reads an endless iterable up to MAX_ITERABLE_ITEMS', () => {
      function* forever() {
        for (let i = 0; ; i++) yield i;
      }
      const items = sanitizeForJson(forever()) as number[];
      expect(items).toHaveLength(MAX_ITERABLE_ITEMS);
      expect(items[MAX_ITERABLE_ITEMS - 1]).toBe(MAX_ITERABLE_ITEMS - 1);
    });

    it('keeps falsy array items (authentik drops them; an audit log should not)', () => {
      expect(sanitizeForJson([0, '', false, null, [], {}])).toEqual([0, '', false, null, [], {}]);
    });

    it('walks nested plain objects and arrays, also with a null prototype', () => {
      const bare = Object.assign(Object.create(null) as object, { when: new Date(0) });
      expect(sanitizeForJson({ a: [{ b: bare }] })).toEqual({ a: [{ b: { when: '1970-01-01T00:00:00.000000Z' } }] });
    });

    it('keeps a "__proto__" key as an ordinary key', () => {
      const input = JSON.parse('{"__proto__": {"polluted": true}}') as object;
      const output = sanitizeForJson(input) as Record<string, unknown>;
      expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
      expect(Object.keys(output)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('classes and functions', () => {
    it('writes an instance of another class as {type, module}', () => {
      expect(sanitizeForJson({ widget: new Widget() })).toEqual({ widget: { type: 'Widget', module: 'unknown' } });
    });

    it('names JavaScript classes as builtins', () => {
      expect(sanitizeForJson([Promise.resolve(1), new WeakMap()])).toEqual([
        { type: 'Promise', module: 'builtins' },
        { type: 'WeakMap', module: 'builtins' },
      ]);
    });

    it('writes a class or a function as {type, module}', () => {
      expect(
        sanitizeForJson({
          cls: Widget,
          fn: function handler() {},
          builtin: Map,
          arrow: (
            () => () =>
              1
          )(),
        }),
      ).toEqual({
        cls: { type: 'Widget', module: 'unknown' },
        fn: { type: 'handler', module: 'unknown' },
        builtin: { type: 'Map', module: 'builtins' },
        arrow: { type: 'anonymous', module: 'unknown' },
      });
    });

    it('writes a URL as its text', () => {
      expect(sanitizeForJson(new URL('https://example.com/a?b=c'))).toBe('https://example.com/a?b=c');
    });
  });

  describe('cycles and depth', () => {
    it('replaces a reference back to an enclosing object', () => {
      const node: Record<string, unknown> = { name: 'root' };
      node.self = node;
      node.children = [{ parent: node }];
      expect(sanitizeForJson(node)).toEqual({
        name: 'root',
        self: CIRCULAR_REFERENCE,
        children: [{ parent: CIRCULAR_REFERENCE }],
      });
    });

    it('copies a shared but not circular object each time it appears', () => {
      const shared = { x: 1 };
      expect(sanitizeForJson({ a: shared, b: [shared] })).toEqual({ a: { x: 1 }, b: [{ x: 1 }] });
    });

    it('handles a cycle through a Map', () => {
      const map = new Map<string, unknown>();
      map.set('me', map);
      expect(sanitizeForJson(map)).toEqual([['me', CIRCULAR_REFERENCE]]);
    });

    it('cuts nesting deeper than MAX_SANITIZE_DEPTH without overflowing the stack', () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < MAX_SANITIZE_DEPTH + 50; i++) deep = { d: deep };
      let node = sanitizeForJson(deep);
      let levels = 0;
      while (typeof node === 'object' && node !== null) {
        node = (node as { d: unknown }).d as typeof node;
        levels++;
      }
      expect(levels).toBe(MAX_SANITIZE_DEPTH);
      expect(node).toBe(TOO_DEEP);
    });
  });

  it('never modifies its input', () => {
    const input = deepFreeze({
      'k\0ey': 'v\0',
      list: [new Date(0), { nested: new Uuid(ROLE_UUID) }],
      role: new Role(ROLE_UUID, 'r'),
      error: new Error('e'),
    });
    const before = JSON.stringify(input);
    expect(sanitizeForJson(input)).toEqual({
      key: 'v',
      list: ['1970-01-01T00:00:00.000000Z', { nested: ROLE_HEX }],
      role: { app: 'authentik_rbac', model_name: 'role', pk: ROLE_HEX, name: 'r' },
      error: 'e',
    });
    expect(JSON.stringify(input)).toBe(before);
  });
});
