import type { EventRecord } from '../event.types';
import { stateJson, stateOf } from './revision-builder';

describe('stateJson', () => {
  const event: EventRecord = {
    uuid: '0f8e4b5a-c1d2-4f0e-9a7b-3c2d1e0f9a8b',
    user: { username: 'zoë', pk: 4 },
    action: 'login',
    app: 'authentik.core',
    context: { b: [1, { d: null, c: 'x\u2028"' }], a: 'é', gone: undefined } as never,
    client_ip: null,
    created: 1_764_190_000_123_456,
    expires: 1_795_726_000_123_456,
    brand: { name: 'Brand' },
  };

  it('is the same state as stateOf, and its texts are what JSON.stringify writes of it', () => {
    const json = stateJson(event);
    expect(json.state).toEqual(stateOf(event));
    expect(json.text).toBe(JSON.stringify(stateOf(event)));
    expect(json.documents).toEqual({
      user: JSON.stringify(event.user),
      context: JSON.stringify(event.context),
      brand: JSON.stringify(event.brand),
    });
    expect(JSON.parse(json.documents.context)).toEqual({ b: [1, { d: null, c: 'x\u2028"' }], a: 'é' });
  });

  it('leaves out a member whose value is undefined, as JSON.stringify does', () => {
    const { brand: _brand, ...rest } = event;
    const json = stateJson({ ...rest, brand: undefined } as unknown as EventRecord);
    expect(json.text).not.toContain('brand');
    expect(json.state).toEqual(stateOf(rest as EventRecord));
  });

  it('copies: changing the event afterwards changes neither the state nor its texts', () => {
    const context = { a: 1 };
    const json = stateJson({ ...event, context });
    context.a = 2;
    expect(json.state.context).toEqual({ a: 1 });
    expect(json.text).toContain('"context":{"a":1}');
  });
});
