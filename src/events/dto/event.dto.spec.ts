import { toEventRecord, uuidToBytes } from '../event-row';
import type { EventRow } from '../event-row';
import { eventJson, serializeEvent } from './event.dto';

/** A row as the writers store it: each document as JSON.stringify wrote it. */
type Documents = Record<'user' | 'context' | 'brand', unknown>;

function storedRow(overrides: Partial<Documents> & Partial<Omit<EventRow, keyof Documents>> = {}): EventRow {
  const { user = { pk: 4, username: 'zoë' }, context = { a: 1 }, brand = { name: 'Brand' }, ...columns } = overrides;
  return {
    event_uuid: uuidToBytes('0f8e4b5a-c1d2-4f0e-9a7b-3c2d1e0f9a8b'),
    action: 'login',
    app: 'authentik.core',
    client_ip: '192.0.2.1',
    created: 1_764_190_000_123_456,
    expires: 1_795_726_000_000_001,
    ...columns,
    user: JSON.stringify(user),
    context: JSON.stringify(context),
    brand: JSON.stringify(brand),
  };
}

const viaRecord = (row: EventRow) => JSON.stringify(serializeEvent(toEventRecord(row)));

describe('eventJson', () => {
  it.each([
    ['a plain row', storedRow()],
    [
      'no client_ip, BIGINTs read as strings (MariaDB)',
      storedRow({ client_ip: null, created: '1764190000123456', expires: '1795726000000001' }),
    ],
    [
      'text that JSON escapes, in every field',
      storedRow({
        action: 'custom_"quoted"\\',
        app: 'app\u2028\n\u0001',
        user: { username: '"user":0', pk: '\ud800' },
        context: { nested: [{ '': null, 'k"': [true, 1.5e-7, -0] }], emoji: '😀', lone: '\udfff' },
        brand: {},
      }),
    ],
    ['empty documents', storedRow({ user: {}, context: {}, brand: {} })],
  ])('writes %s exactly as serializeEvent and JSON.stringify do', (_name, row) => {
    expect(eventJson(row)).toBe(viaRecord(row));
    expect(Object.keys(JSON.parse(eventJson(row)) as object)).toEqual([
      'pk',
      'user',
      'action',
      'app',
      'context',
      'client_ip',
      'created',
      'expires',
      'brand',
    ]);
  });

  it('parses a document that is not an object text, as a read always did: a JSON array is written again, broken JSON throws', () => {
    const array = { ...storedRow(), context: ' [1, 2] ' };
    expect(eventJson(array)).toBe(viaRecord(array));
    expect(JSON.parse(eventJson(array))).toMatchObject({ context: [1, 2] });
    expect(() => eventJson({ ...storedRow(), user: '{"pk": 1' })).toThrow(SyntaxError);
  });
});
