import { uuidToBytes } from '../event-row';
import type { EventRow } from '../event-row';

/** Test helpers for reading stored rows (imported by the specs only). */

/** The JSON documents of a row, given as values (the row stores their text). */
export type RowDocuments = Record<'user' | 'context' | 'brand', unknown>;

/** A row as the writers store it: each document as JSON.stringify wrote it. */
export function storedRow(overrides: Partial<RowDocuments> & Partial<Omit<EventRow, keyof RowDocuments>> = {}): EventRow {
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

/** Rows whose text a body must carry exactly: escapes in every field, MariaDB's BIGINTs as strings, a null IP, empty documents. */
export const TRICKY_ROWS: [string, EventRow][] = [
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
      context: { nested: [{ '': null, 'k"': [true, 1.5e-7, -0] }], emoji: '😀', lone: '\udfff', line: 'a,b\r\nc' },
      brand: {},
    }),
  ],
  ['empty documents', storedRow({ user: {}, context: {}, brand: {} })],
];
