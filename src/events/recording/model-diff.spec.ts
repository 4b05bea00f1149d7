import { MASKED_VALUE, Uuid } from '@app/common';
import { deepFreeze } from '@app/common/testing/deep-freeze';
import { modelDiff, sameJson } from './model-diff';

describe('modelDiff', () => {
  it('lists only the changed fields, with previous and new values', () => {
    expect(modelDiff({ id: 7, name: 'Jane', email: 'j@example.com' }, { id: 7, name: 'Jane Q', email: 'j@example.com' })).toEqual({
      name: { previous_value: 'Jane', new_value: 'Jane Q' },
    });
  });

  it('is empty when nothing changed', () => {
    expect(modelDiff({ id: 7, attributes: { a: 1, b: [1, 2] } }, { id: 7, attributes: { b: [1, 2], a: 1 } })).toEqual({});
  });

  it('treats a field missing on one side as null there', () => {
    expect(modelDiff({ a: 1, gone: null }, { a: 1, added: 'x' })).toEqual({ added: { previous_value: null, new_value: 'x' } });
    expect(modelDiff({ a: 1, gone: 'y' }, { a: 1 })).toEqual({ gone: { previous_value: 'y', new_value: null } });
  });

  it('compares arrays in order', () => {
    expect(modelDiff({ roles: ['a', 'b'] }, { roles: ['b', 'a'] })).toEqual({
      roles: { previous_value: ['a', 'b'], new_value: ['b', 'a'] },
    });
  });

  it('writes values JSON-safe (UUID hex, ISO dates)', () => {
    const before = { uuid: new Uuid('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b'), seen: new Date('2026-01-01T00:00:00Z') };
    const after = { uuid: new Uuid('1b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b'), seen: new Date('2026-01-01T00:00:00Z') };
    expect(modelDiff(before, after)).toEqual({
      uuid: { previous_value: '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b', new_value: '1b5e1a2c3d4e4f508a6b7c8d9e0f1a2b' },
    });
  });

  it('shows that a secret field changed without its values', () => {
    expect(modelDiff({ key: 'old-key', password: 'same' }, { key: 'new-key', password: 'same' })).toEqual({
      key: { previous_value: MASKED_VALUE, new_value: MASKED_VALUE },
    });
  });

  it('masks secrets nested in a changed field', () => {
    expect(modelDiff({ attributes: {} }, { attributes: { api_key: 'x', settings: { token: 't', theme: 'dark' } } })).toEqual({
      attributes: {
        previous_value: {},
        new_value: { api_key: MASKED_VALUE, settings: { token: MASKED_VALUE, theme: 'dark' } },
      },
    });
  });

  it('notices a change that only touches a nested secret', () => {
    expect(modelDiff({ attributes: { api_key: 'x' } }, { attributes: { api_key: 'y' } })).toEqual({
      attributes: { previous_value: { api_key: MASKED_VALUE }, new_value: { api_key: MASKED_VALUE } },
    });
  });

  it('never modifies the states it compares', () => {
    const before = deepFreeze({ key: 'a', attributes: { api_key: 'x' } });
    const after = deepFreeze({ key: 'b', attributes: { api_key: 'y' } });
    modelDiff(before, after);
    expect(before).toEqual({ key: 'a', attributes: { api_key: 'x' } });
  });
});

describe('sameJson', () => {
  it.each([
    [1, 1, true],
    [1, '1', false],
    [null, null, true],
    [null, {}, false],
    [[], {}, false],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: 1 }, { a: 1, b: undefined as unknown as null }, false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [[1, 2], [1, 2, 3], false],
  ])('%j and %j: %p', (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
  });
});
