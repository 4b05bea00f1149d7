import { EVENT_JSON_COLUMNS, EventJsonColumn } from '../event.entity';
import type { Dialect, JsonSource } from './dialect';
import { and, or, sql, SqlCondition } from './sql-condition';

/**
 * The generated column equals one of `values`. The column holds the first `length` characters
 * of the JSON value, so a value that fills it could also be the cut-off start of a longer one:
 * such values are found by their truncation (still the index) and then checked against the
 * whole JSON value.
 */
export function generatedColumnEquals(dialect: Dialect, column: EventJsonColumn, values: readonly string[]): SqlCondition {
  const { length } = EVENT_JSON_COLUMNS[column];
  const short = values.filter((value) => codePointLength(value) < length);
  const long = values.filter((value) => codePointLength(value) >= length);
  const col = sql`${dialect.column(column)}`;
  return or(
    short.length === 1 ? dialect.compareText(col, '=', short[0], true) : dialect.textIn(col, short, true),
    ...long.map((value) =>
      and(
        dialect.compareText(col, '=', truncate(value, length), true),
        dialect.compareText(fullValue(dialect, column), '=', value),
      ),
    ),
  );
}

/**
 * The indexed generated column that materialises `source.path` (`context.model.app` →
 * `context_model_app`), if any, so that the search language can use its index too.
 */
export function generatedColumnFor(source: JsonSource, path: readonly string[]): EventJsonColumn | undefined {
  const jsonPath = `$.${path.join('.')}`;
  return (Object.keys(EVENT_JSON_COLUMNS) as EventJsonColumn[]).find(
    (column) => EVENT_JSON_COLUMNS[column].source === source && EVENT_JSON_COLUMNS[column].path === jsonPath,
  );
}

/** What the generated column is computed from, without the truncation. */
function fullValue(dialect: Dialect, column: EventJsonColumn): SqlCondition {
  const { source, path, stripDashes } = EVENT_JSON_COLUMNS[column];
  const text = dialect.jsonScalarText(source, path.replace(/^\$\./, '').split('.'));
  return stripDashes ? sql`REPLACE(${text}, '-', '')` : text;
}

// MariaDB's LEFT and SQLite's substr count characters (code points), not UTF-16 units.
const codePointLength = (value: string) => Array.from(value).length;
const truncate = (value: string, length: number) => Array.from(value).slice(0, length).join('');
