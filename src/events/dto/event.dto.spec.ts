import { toEventRecord } from '../event-row';
import type { EventRow } from '../event-row';
import { eventJson, serializeEvent } from './event.dto';
import { storedRow, TRICKY_ROWS } from './testing';

const viaRecord = (row: EventRow) => JSON.stringify(serializeEvent(toEventRecord(row)));

describe('eventJson', () => {
  it.each(TRICKY_ROWS)('writes %s exactly as serializeEvent and JSON.stringify do', (_name, row) => {
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
