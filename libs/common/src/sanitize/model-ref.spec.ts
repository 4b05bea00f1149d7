import { AS_MODEL_REF, AS_USER_SNAPSHOT, isModelEntity, isUserEntity, modelPk, Uuid } from './model-ref';

describe('Uuid', () => {
  it('accepts dashed or plain hex in any case and keeps lowercase hex', () => {
    expect(new Uuid('0B5E1A2C-3D4E-4F50-8A6B-7C8D9E0F1A2B').hex).toBe('0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b');
    expect(new Uuid('0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b').toString()).toBe('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b');
    expect(JSON.stringify({ id: new Uuid('0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b') })).toBe('{"id":"0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b"}');
  });

  it.each(['', 'abc', '0b5e1a2c-3d4e4f50-8a6b-7c8d9e0f1a2b', '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2', 'zb5e1a2c3d4e4f508a6b7c8d9e0f1a2b'])(
    'rejects %p',
    (text) => {
      expect(Uuid.isUuid(text)).toBe(false);
      expect(() => new Uuid(text)).toThrow(TypeError);
    },
  );
});

describe('modelPk', () => {
  it('writes UUID pks as hex and keeps other pks', () => {
    expect(modelPk('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b')).toBe('0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b');
    expect(modelPk(new Uuid('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b'))).toBe('0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b');
    expect(modelPk(12)).toBe(12);
    expect(modelPk('slug-pk')).toBe('slug-pk');
  });
});

describe('entity detection', () => {
  it('recognises only objects with the symbol methods', () => {
    const model = { [AS_MODEL_REF]: () => ({ app: 'a', model_name: 'm', pk: 1, name: 'n' }) };
    const user = { [AS_USER_SNAPSHOT]: () => ({ pk: 1, username: 'u', email: '' }) };
    expect([isModelEntity(model), isUserEntity(model)]).toEqual([true, false]);
    expect([isModelEntity(user), isUserEntity(user)]).toEqual([false, true]);
    expect([isModelEntity({ asModelRef: () => 1 }), isUserEntity(null), isModelEntity('x')]).toEqual([false, false, false]);
  });
});
