import { EVENT_JSON_COLUMNS, EventJsonColumn, jsonColumnExpression } from '../event.entity';
import type { Dialect, JsonSource } from '../../database/sql/dialect';
import { and, join, or, raw, sql, SqlCondition } from '../../database/sql/sql-condition';

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
 * The generated column holds what a JSON number equal to one of `values` gives it: implied by
 * that number's exact check, so that the check is made on the rows the column's index finds
 * instead of on every row. Undefined where those texts cannot all be listed.
 *
 * SQLite computes a number's text from its value, not from how it is written: every integer
 * literal of 1000 gives "1000" and every real one (1000.0, 1e3) "1000.0". So a safe integer has
 * two texts (zero three, with -0.0) and any other finite number one, found by running the
 * column's own expression on a document holding that literal: they cannot differ from what the
 * column holds. MariaDB's JSON_VALUE keeps the number as written (1e3, 1000.00, ...): no list,
 * and no index for numbers there.
 */
export function generatedColumnHoldsNumber(dialect: Dialect, column: EventJsonColumn, values: readonly number[]): SqlCondition | undefined {
  if (dialect.name !== 'sqlite') return undefined;
  const literals = values.map(numberLiterals);
  if (literals.some((each) => each === undefined)) return undefined;
  const { source, path } = EVENT_JSON_COLUMNS[column];
  const expression = raw(jsonColumnExpression('sqlite', column));
  const documents = [...new Set(literals.flat() as string[])].map(
    (literal) => sql`SELECT ${documentAt(path, literal)} AS ${dialect.column(source)}`,
  );
  return sql`${dialect.column(column)} IN (SELECT ${expression} FROM (${join(documents, ' UNION ALL ')}))`;
}

/** The JSON literals of `value` that SQLite tells apart: an integer's and a real's. */
function numberLiterals(value: number): string[] | undefined {
  if (Number.isSafeInteger(value)) return value === 0 ? ['0', '0.0', '-0.0'] : [String(value), `${value}.0`];
  // Finite and not an integer: JSON.stringify writes a real (with `.` or an exponent).
  return Number.isFinite(value) && !Number.isInteger(value) ? [JSON.stringify(value)] : undefined;
}

/** A document with `literal` at the column's `path` (`$.model.pk` → `{"model":{"pk":…}}`). */
function documentAt(path: string, literal: string): string {
  return path
    .replace(/^\$\./, '')
    .split('.')
    .reduceRight((inner, key) => `{${JSON.stringify(key)}:${inner}}`, literal);
}

/**
 * Columns naming one thing (a user, an object, an application, a device): a value's events are
 * few next to an action's, an app's or a model kind's, so where the planner has no statistics
 * (SQLite) a condition found through their index is the one to walk (see `conjunction`).
 */
const FEW_ROWS_PER_VALUE: ReadonlySet<EventJsonColumn> = new Set([
  'user_pk',
  'user_username',
  'context_username',
  'context_model_pk',
  'context_authorized_app',
  'context_device',
]);

export function fewRowsPerValue(column: EventJsonColumn | undefined): boolean {
  return column !== undefined && FEW_ROWS_PER_VALUE.has(column);
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
