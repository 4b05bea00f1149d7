import { EVENT_JSON_COLUMNS, eventEntitySchema, EventJsonColumn } from '../event.entity';
import { resolveDialect } from '../../database/sql/dialect';
import { fitsGeneratedColumn, generatedColumnDecidesString, generatedColumnHoldsNumber, generatedColumnIndex } from './generated-columns';

describe('generatedColumnDecidesString', () => {
  it.each(['authentik_core', 'user', 'akadmin', '', 'true', 'false', 'null', 'Inf', '{}', '[1]', ' 5', '+5', '.5', 'a'.repeat(99)])(
    '%p can only be the text of a JSON string',
    (value) => {
      expect(generatedColumnDecidesString('context_model_app', value)).toBe(true);
    },
  );

  it.each(['5', '0', '1', '-0', '-5', '1e2', '5.0', '12345678901234567890123', '-x', '9lives'])(
    '%p could be a number, true or false: the JSON type must be checked',
    (value) => {
      expect(generatedColumnDecidesString('context_model_app', value)).toBe(false);
    },
  );

  it('a value the column may have cut is not decided by it', () => {
    expect(generatedColumnDecidesString('context_model_app', 'a'.repeat(100))).toBe(false);
    expect(generatedColumnDecidesString('user_pk', 'a'.repeat(63))).toBe(true);
    expect(generatedColumnDecidesString('user_pk', 'a'.repeat(64))).toBe(false);
    expect(generatedColumnDecidesString('brand_name', '🎉'.repeat(190))).toBe(true); // 190 characters, 380 UTF-16 units
  });

  it('columns without dashes never decide', () => {
    for (const column of ['context_model_pk', 'context_authorized_app', 'context_device'] as const) {
      expect(generatedColumnDecidesString(column, 'abc')).toBe(false);
    }
  });
});

describe('generatedColumnIndex', () => {
  // The migrations create the same indexes as the entity declares (checked against a real
  // MariaDB by the e2e tests, whose queries FORCE these names).
  it.each(['mysql', 'sqlite'] as const)('%s: names the entity index that starts with the column', (dialect) => {
    const indices = eventEntitySchema(dialect).options.indices ?? [];
    for (const column of Object.keys(EVENT_JSON_COLUMNS) as EventJsonColumn[]) {
      const index = indices.find((candidate) => candidate.name === generatedColumnIndex(column));
      expect(index?.columns).toEqual([column, 'created', 'eventUuid', 'expires']);
    }
  });
});

describe('fitsGeneratedColumn', () => {
  it('counts characters, and a value as long as the column may be a cut one', () => {
    expect(fitsGeneratedColumn('context_model_app', 'a'.repeat(99))).toBe(true);
    expect(fitsGeneratedColumn('context_model_app', 'a'.repeat(100))).toBe(false);
    expect(fitsGeneratedColumn('context_model_app', '🎉'.repeat(99))).toBe(true);
  });
});

describe('generatedColumnHoldsNumber', () => {
  const sqlite = resolveDialect('sqlite');

  it('lists nothing on MariaDB, which keeps a number as written', () => {
    expect(generatedColumnHoldsNumber(resolveDialect('mysql'), 'user_pk', [5])).toBeUndefined();
  });

  it.each<[number, string[]]>([
    [1000, ['{"pk":1000}', '{"pk":1000.0}']],
    [-5, ['{"pk":-5}', '{"pk":-5.0}']],
    [0, ['{"pk":0}', '{"pk":0.0}', '{"pk":-0.0}']],
    [-0, ['{"pk":0}', '{"pk":0.0}', '{"pk":-0.0}']],
    [1.5, ['{"pk":1.5}']],
    [1e-7, ['{"pk":1e-7}']],
  ])('SQLite: %p is looked for as the column texts of %j', (value, documents) => {
    expect(generatedColumnHoldsNumber(sqlite, 'user_pk', [value])?.params).toEqual(documents);
  });

  it('SQLite: nests the document along the column path', () => {
    expect(generatedColumnHoldsNumber(sqlite, 'context_model_pk', [7])?.params).toEqual(['{"model":{"pk":7}}', '{"model":{"pk":7.0}}']);
  });

  it.each([2 ** 53, 1e21, Infinity, NaN])('SQLite: %p has no listed texts (no index, the full check alone)', (value) => {
    expect(generatedColumnHoldsNumber(sqlite, 'user_pk', [1, value])).toBeUndefined();
  });
});
