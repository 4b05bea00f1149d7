import { EVENT_JSON_COLUMNS, EventJsonColumn } from '../event.entity';
import type { Dialect, JsonSource } from '../../database/sql/dialect';
import { and, or, sql, SqlCondition } from '../../database/sql/sql-condition';

/**
 * The generated column equals one of `values`. The column holds the first `length` characters
 * of the JSON value, so a value that fills it could also be the cut-off start of a longer one:
 * such values are found by their truncation (still the index) and then checked against the
 * whole JSON value.
 */
export function generatedColumnEquals(dialect: Dialect, column: EventJsonColumn, values: readonly string[]): SqlCondition {
  const { length } = EVENT_JSON_COLUMNS[column];
  const short = values.filter((value) => fitsGeneratedColumn(column, value));
  const long = values.filter((value) => !fitsGeneratedColumn(column, value));
  const col = sql`${dialect.column(column)}`;
  return or(
    short.length === 1 ? dialect.compareText(col, '=', short[0], true) : dialect.textIn(col, short, true),
    ...long.map((value) =>
      and(dialect.compareText(col, '=', truncate(value, length), true), dialect.compareText(fullValue(dialect, column), '=', value)),
    ),
  );
}

/**
 * Whether `column = value` on its own proves "the JSON value at the column's path is the string
 * `value`", so that a search can be answered from the column's index (and the counters) without
 * reading any JSON. This holds for a condition that is used as it is; under NOT it does not (see
 * the compiler).
 *
 * Both databases compute the column the same way (MariaDB `LEFT(JSON_VALUE(doc, path), length)`,
 * SQLite the CASE of jsonColumnExpression since migration 1796690000000): a string's text, a
 * number's literal (always starting with `-` or a digit), `1` / `0` for true / false, and NULL for
 * null, objects, arrays and a missing path (SQLite also for a string holding a NUL, which its
 * substr would cut short). A value shorter than the column (so never cut) that does not start
 * with `-` or a digit can therefore only come from that very string. The JSON is always what the
 * app serialised, so it is valid (on a malformed document JSON_VALUE may still find a value that
 * the full check's JSON_TYPE refuses). Columns that drop dashes make different strings equal, so
 * they never qualify.
 */
export function generatedColumnDecidesString(column: EventJsonColumn, value: string): boolean {
  if (EVENT_JSON_COLUMNS[column].stripDashes) return false;
  return fitsGeneratedColumn(column, value) && !NUMBER_START.test(value);
}

/**
 * Whether the column holds `value` whole (it is shorter than the column), so that
 * `generatedColumnEquals` needs the column alone, not the JSON it comes from.
 */
export function fitsGeneratedColumn(column: EventJsonColumn, value: string): boolean {
  return codePointLength(value) < EVENT_JSON_COLUMNS[column].length;
}

/**
 * The index on a generated column, as the initial migrations and the entity name it: the column,
 * then the list keys (created, event_uuid, expires).
 */
export function generatedColumnIndex(column: EventJsonColumn): string {
  return `idx_events_${column}_created`;
}

/** How every JSON number literal starts, and `1` / `0` (a column's true / false). */
const NUMBER_START = /^[-0-9]/;

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
