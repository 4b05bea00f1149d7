import { parse } from 'csv-parse/sync';
import { serializeEvent } from '../dto/event.dto';
import { storedRow, TRICKY_ROWS } from '../dto/testing';
import { toEventRecord } from '../event-row';
import type { EventRow } from '../event-row';
import { csvHeaderLine, csvLines, EVENT_CSV_HEADER } from './event-csv';

/** The cells an event's line must hold: the API's fields, objects as JSON.stringify writes them, a null IP empty. */
function apiCells(row: EventRow): string[] {
  const e = serializeEvent(toEventRecord(row));
  const cell = (value: unknown) => (typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value));
  return EVENT_CSV_HEADER.map((field) => cell(e[field as keyof typeof e]));
}

describe('csvLines', () => {
  it.each(TRICKY_ROWS)('writes %s as the API fields, one RFC 4180 record each', (_name, row) => {
    const text = csvLines([row, row]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(csvHeaderLine() + text, { columns: false, record_delimiter: '\r\n' })).toEqual([
      EVENT_CSV_HEADER,
      apiCells(row),
      apiCells(row),
    ]);
  });

  it('writes a document that is not an object text again, as a read always did; broken JSON throws', () => {
    const array = { ...storedRow(), context: ' [1, 2] ' };
    expect((parse(csvLines([array])) as string[][])[0][4]).toBe('[1,2]');
    expect(() => csvLines([{ ...storedRow(), brand: '{"name"' }])).toThrow(SyntaxError);
  });
});
