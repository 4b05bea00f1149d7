import type { DatabaseType } from '../../config/app-config';
import { FALSE, join, raw, RawSql, sql, SqlCondition, SqlExpression } from './sql-condition';

/**
 * The SQL that differs between MariaDB and SQLite, and nothing else. Every builder returns a
 * fragment whose user-supplied parts (values, JSON paths) are bound parameters.
 *
 * Two MariaDB facts shape this file: the tables use utf8mb4_unicode_ci, so a plain `=` ignores
 * case, accents and trailing spaces (SQLite compares bytes; authentik's PostgreSQL is exact too),
 * and JSON_VALUE turns `true` into `1`. Exact comparisons therefore compare bytes on MariaDB, and
 * JSON comparisons check the JSON type first so `"5"`, `5` and `true` stay distinct.
 */
export type SqlDialect = DatabaseType;

/** The JSON documents of an event. */
export type JsonSource = 'user' | 'context' | 'brand';

/** JSON value types, named once for both engines (see `JSON_KINDS`). */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export type ComparisonOperator = '=' | '<' | '<=' | '>' | '>=';

/**
 * The dialect of the configured database, chosen once from the connection type: the database
 * module provides it (inject `Dialect`); pure builders and their specs use `resolveDialect`.
 */
export abstract class Dialect {
  abstract readonly name: SqlDialect;
  /** `user` is a reserved word on both engines: every identifier is quoted. */
  abstract quote(identifier: string): string;
  /** A quoted column name, ready to interpolate into `sql```. */
  abstract column(name: string): RawSql;
  /** `expr op value`, comparing the UTF-8 bytes; `indexed` keeps an index-usable `=` in front. */
  abstract compareText(expr: SqlExpression, op: ComparisonOperator, value: string, indexed?: boolean): SqlCondition;
  /** `expr` equals one of `values`, byte for byte. */
  abstract textIn(expr: SqlExpression, values: readonly string[], indexed?: boolean): SqlCondition;
  /** Case-insensitive substring match, `%`, `_` and `\` in `needle` taken literally. */
  abstract containsInsensitive(expr: SqlExpression, needle: string): SqlCondition;
  /** `expr` starts with `prefix` (ignoring case on MariaDB), as an index range on `expr`. */
  abstract startsWith(expr: SqlExpression, prefix: string): SqlCondition;
  /** The JSON value at `path` is of one of these types (unknown when the path is missing). */
  abstract jsonKindIs(source: JsonSource, path: readonly string[], kinds: readonly JsonKind[]): SqlCondition;
  /** The path is missing or holds JSON `null`. */
  abstract jsonMissingOrNull(source: JsonSource, path: readonly string[]): SqlCondition;
  /** The value at `path` is the JSON boolean `value`. */
  abstract jsonBooleanIs(source: JsonSource, path: readonly string[], value: boolean): SqlCondition;
  /** A scalar as text: strings unquoted and unescaped, numbers as written. */
  abstract jsonScalarText(source: JsonSource, path: readonly string[]): SqlExpression;
  /** A number as a number (check `jsonKindIs(..., ['number'])` first). */
  abstract jsonNumber(source: JsonSource, path: readonly string[]): SqlExpression;
  /** The value as JSON text (objects and arrays serialised), e.g. to group by an object. */
  abstract jsonDocument(source: JsonSource, path: readonly string[]): SqlExpression;
  /** What `~` searches in: strings unquoted, anything else as JSON text. */
  abstract jsonSearchText(source: JsonSource, path: readonly string[]): SqlExpression;
  /** Lower-case hex of a binary column (the event UUID without dashes). */
  abstract hex(column: string): SqlExpression;
  /** Integer division by a positive constant (both operands non-negative here). */
  abstract floorDivide(expr: SqlExpression, divisor: number): SqlExpression;
  /** An ORDER BY key that sorts by bytes on both engines. */
  abstract byteOrder(expr: SqlExpression): SqlExpression;
  /** The texts joined with single spaces, NULLs skipped (not turning the whole text NULL). */
  abstract joinWithSpaces(parts: readonly SqlExpression[]): SqlExpression;
  /** Whether a condition on an indexed column is best asked of its index as a semijoin (see `conjunction`). */
  abstract readonly semijoinsOnIndexes: boolean;
  /**
   * Whether the planner chooses indexes without table statistics, so that `conjunction` tells it
   * which condition selects few rows (`likely()` on the others).
   */
  abstract readonly plansWithoutStatistics: boolean;
  /**
   * `query` (one SELECT) with its `IN (SELECT …)` semijoins checked row by row, as the rows are
   * walked: for a page that stops after its rows (see EventListService.semijoinsRowByRow).
   */
  abstract semijoinsRowByRow(query: SqlCondition): SqlCondition;
  /** Appended to a SELECT that locks its rows until the transaction ends (SQLite: the write transaction holds the database). */
  abstract lockRows(): RawSql;
  /** Like `lockRows`, but rows another transaction has locked are skipped, not waited for (work queues claimed by several instances). */
  abstract lockRowsSkippingLocked(): RawSql;
  /** After the table name: make the planner walk this index. */
  abstract useIndex(index: string): RawSql;
  /** The size in bytes of a text column's value. */
  abstract byteLength(expr: SqlExpression): SqlExpression;
  /** Deletes up to `limit` rows of `table` whose `column <= upTo`, lowest `column` first. */
  abstract deleteOldest(table: string, column: string, upTo: number, limit: number): SqlCondition;
  /** The isolation level of a batch that must not take gap locks (undefined: the engine's only one). */
  abstract readonly batchIsolation: 'READ COMMITTED' | undefined;
  /** Starts an INSERT that skips, instead of failing on, a row whose key exists already (0 rows affected). */
  abstract insertIgnoringDuplicates(): RawSql;
}

/** `$."a"."b"`: every segment quoted, `"` and `\` escaped, so any key text is a valid path. */
export function jsonPath(segments: readonly string[]): string {
  return '$' + segments.map((segment) => `."${segment.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join('');
}

/** Escapes LIKE's wildcards and its escape character (`\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The LIKE pattern for "contains `value`". */
export function likeContains(value: string): string {
  return `%${escapeLike(value)}%`;
}

// SQLite refuses LIKE patterns over 50 000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH); longer
// needles use instr(), which has no such limit and needs no escaping.
const SQLITE_LIKE_PATTERN_LIMIT = 40_000;

const JSON_KINDS: Record<SqlDialect, Record<JsonKind, readonly string[]>> = {
  mysql: {
    string: ['STRING'],
    number: ['INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL'],
    boolean: ['BOOLEAN'],
    null: ['NULL'],
    object: ['OBJECT'],
    array: ['ARRAY'],
  },
  sqlite: {
    string: ['text'],
    number: ['integer', 'real'],
    boolean: ['true', 'false'],
    null: ['null'],
    object: ['object'],
    array: ['array'],
  },
};

const stringLiterals = (values: readonly string[]): RawSql => raw(values.map((v) => `'${v}'`).join(', '));

/** `?, ?, ?` bound to the values. */
const bound = (values: readonly unknown[]): SqlCondition =>
  join(
    values.map((v) => sql`${v}`),
    ', ',
  );

function positiveIntegerLiteral(value: number): RawSql {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`not a positive integer: ${value}`);
  return raw(String(value));
}

class MysqlDialect implements Dialect {
  readonly name = 'mysql' as const;

  quote(identifier: string): string {
    return `\`${identifier.replace(/`/g, '``')}\``;
  }

  column(name: string): RawSql {
    return raw(this.quote(name));
  }

  compareText(expr: SqlExpression, op: ComparisonOperator, value: string, indexed = false): SqlCondition {
    const exact = sql`CAST(${expr} AS BINARY) ${raw(op)} CAST(${value} AS BINARY)`;
    // The collation-aware `=` finds the candidates through the index; the byte comparison keeps
    // only the exact ones.
    return indexed && op === '=' ? sql`${expr} = ${value} AND ${exact}` : exact;
  }

  textIn(expr: SqlExpression, values: readonly string[], indexed = false): SqlCondition {
    if (values.length === 0) return FALSE;
    const exact = sql`CAST(${expr} AS BINARY) IN (${join(
      values.map((v) => sql`CAST(${v} AS BINARY)`),
      ', ',
    )})`;
    return indexed ? sql`${expr} IN (${bound(values)}) AND ${exact}` : exact;
  }

  containsInsensitive(expr: SqlExpression, needle: string): SqlCondition {
    // LOWER on both sides + a binary collation: Unicode case folding without the collation's
    // accent folding (`e` must not find `é`); backslash is MariaDB's literal escape.
    return sql`LOWER(${expr}) LIKE LOWER(${likeContains(needle)}) COLLATE utf8mb4_bin ESCAPE '\\\\'`;
  }

  startsWith(expr: SqlExpression, prefix: string): SqlCondition {
    // A constant-prefix LIKE is an index range on MariaDB.
    return sql`${expr} LIKE ${`${escapeLike(prefix)}%`} ESCAPE '\\\\'`;
  }

  private extract(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`JSON_EXTRACT(${this.column(source)}, ${jsonPath(path)})`;
  }

  jsonKindIs(source: JsonSource, path: readonly string[], kinds: readonly JsonKind[]): SqlCondition {
    const names = kinds.flatMap((kind) => JSON_KINDS.mysql[kind]);
    return sql`JSON_TYPE(${this.extract(source, path)}) IN (${stringLiterals(names)})`;
  }

  jsonMissingOrNull(source: JsonSource, path: readonly string[]): SqlCondition {
    return sql`COALESCE(JSON_TYPE(${this.extract(source, path)}), 'NULL') = 'NULL'`;
  }

  jsonBooleanIs(source: JsonSource, path: readonly string[], value: boolean): SqlCondition {
    // MariaDB compares a JSON_EXTRACT result by JSON value, so `= 'true'` alone would also match
    // the string "true": the type is checked first.
    const extracted = this.extract(source, path);
    return sql`JSON_TYPE(${extracted}) = 'BOOLEAN' AND ${extracted} = ${raw(value ? "'true'" : "'false'")}`;
  }

  jsonScalarText(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`JSON_VALUE(${this.column(source)}, ${jsonPath(path)})`;
  }

  jsonNumber(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`CAST(${this.jsonScalarText(source, path)} AS DOUBLE)`;
  }

  jsonDocument(source: JsonSource, path: readonly string[]): SqlExpression {
    return this.extract(source, path);
  }

  jsonSearchText(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`JSON_UNQUOTE(${this.extract(source, path)})`;
  }

  hex(column: string): SqlExpression {
    return sql`LOWER(HEX(${this.column(column)}))`;
  }

  floorDivide(expr: SqlExpression, divisor: number): SqlExpression {
    return sql`(${expr} DIV ${positiveIntegerLiteral(divisor)})`;
  }

  byteOrder(expr: SqlExpression): SqlExpression {
    return sql`CAST(${expr} AS BINARY)`;
  }

  joinWithSpaces(parts: readonly SqlExpression[]): SqlExpression {
    return sql`CONCAT_WS(' ', ${join(parts, ', ')})`;
  }

  readonly semijoinsOnIndexes = true;
  // InnoDB keeps persistent statistics of every index up to date by itself.
  readonly plansWithoutStatistics = false;

  semijoinsRowByRow(query: SqlCondition): SqlCondition {
    // MariaDB's cost model ignores LIMIT: it copies a semijoin's whole index range into a
    // temporary table (or reads it first and sorts), even when the page's rows are the first
    // few of the walked index. Without semijoin strategies an IN subquery is an EXISTS lookup
    // per walked row, and the walk stops after the page (10.11, SET STATEMENT: this query only).
    return sql`${raw("SET STATEMENT optimizer_switch='semijoin=off,materialization=off' FOR ")}${query}`;
  }

  lockRows(): RawSql {
    return raw(' FOR UPDATE');
  }

  lockRowsSkippingLocked(): RawSql {
    // MariaDB 10.6+.
    return raw(' FOR UPDATE SKIP LOCKED');
  }

  useIndex(index: string): RawSql {
    return raw(`FORCE INDEX (${this.quote(index)})`);
  }

  byteLength(expr: SqlExpression): SqlExpression {
    // LENGTH counts bytes on MariaDB (CHAR_LENGTH counts characters).
    return sql`LENGTH(${expr})`;
  }

  deleteOldest(table: string, column: string, upTo: number, limit: number): SqlCondition {
    // A single-table DELETE may carry ORDER BY and LIMIT.
    const c = this.column(column);
    return sql`DELETE FROM ${this.column(table)} WHERE ${c} <= ${upTo} ORDER BY ${c} LIMIT ${limit}`;
  }

  readonly batchIsolation = 'READ COMMITTED' as const;

  insertIgnoringDuplicates(): RawSql {
    return raw('INSERT IGNORE INTO');
  }
}

class SqliteDialect implements Dialect {
  readonly name = 'sqlite' as const;

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  }

  column(name: string): RawSql {
    return raw(this.quote(name));
  }

  compareText(expr: SqlExpression, op: ComparisonOperator, value: string): SqlCondition {
    return sql`${expr} ${raw(op)} ${value}`;
  }

  textIn(expr: SqlExpression, values: readonly string[]): SqlCondition {
    if (values.length === 0) return FALSE;
    return sql`${expr} IN (${bound(values)})`;
  }

  containsInsensitive(expr: SqlExpression, needle: string): SqlCondition {
    const pattern = likeContains(needle);
    if (Buffer.byteLength(pattern) > SQLITE_LIKE_PATTERN_LIMIT) {
      return sql`instr(lower(${expr}), lower(${needle})) > 0`;
    }
    // SQLite's LIKE ignores case for ASCII letters only (no ICU in better-sqlite3).
    return sql`${expr} LIKE ${pattern} ESCAPE '\\'`;
  }

  startsWith(expr: SqlExpression, prefix: string): SqlCondition {
    // SQLite only turns LIKE into a range on NOCASE columns; a byte range works on any index.
    const chars = Array.from(prefix);
    const last = chars.pop();
    if (last === undefined) throw new Error('startsWith needs a prefix');
    const next = chars.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
    return sql`${expr} >= ${prefix} AND ${expr} < ${next}`;
  }

  private extract(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`json_extract(${this.column(source)}, ${jsonPath(path)})`;
  }

  jsonKindIs(source: JsonSource, path: readonly string[], kinds: readonly JsonKind[]): SqlCondition {
    const names = kinds.flatMap((kind) => JSON_KINDS.sqlite[kind]);
    return sql`json_type(${this.column(source)}, ${jsonPath(path)}) IN (${stringLiterals(names)})`;
  }

  jsonMissingOrNull(source: JsonSource, path: readonly string[]): SqlCondition {
    return sql`COALESCE(json_type(${this.column(source)}, ${jsonPath(path)}), 'null') = 'null'`;
  }

  jsonBooleanIs(source: JsonSource, path: readonly string[], value: boolean): SqlCondition {
    // json_extract gives 1/0 for booleans (indistinguishable from numbers); json_type does not.
    return sql`json_type(${this.column(source)}, ${jsonPath(path)}) = ${raw(value ? "'true'" : "'false'")}`;
  }

  jsonScalarText(source: JsonSource, path: readonly string[]): SqlExpression {
    return sql`CAST(${this.extract(source, path)} AS TEXT)`;
  }

  jsonNumber(source: JsonSource, path: readonly string[]): SqlExpression {
    return this.extract(source, path);
  }

  jsonDocument(source: JsonSource, path: readonly string[]): SqlExpression {
    return this.extract(source, path);
  }

  jsonSearchText(source: JsonSource, path: readonly string[]): SqlExpression {
    return this.extract(source, path);
  }

  hex(column: string): SqlExpression {
    return sql`lower(hex(${this.column(column)}))`;
  }

  floorDivide(expr: SqlExpression, divisor: number): SqlExpression {
    // Both operands are integers, so `/` is integer division.
    return sql`(${expr} / ${positiveIntegerLiteral(divisor)})`;
  }

  byteOrder(expr: SqlExpression): SqlExpression {
    return expr;
  }

  joinWithSpaces(parts: readonly SqlExpression[]): SqlExpression {
    return sql`concat_ws(' ', ${join(parts, ', ')})`;
  }

  // The semijoins name their index MariaDB's way (FORCE INDEX). SQLite counts the searches they
  // serve from the counters (generatedColumnDecidesString), and a page walks one index and stops.
  readonly semijoinsOnIndexes = false;
  // Nothing runs ANALYZE: at 1M events it takes seconds holding the write lock, and with an
  // analysis_limit it says every index has about that many rows per key, which tells nothing.
  readonly plansWithoutStatistics = true;

  semijoinsRowByRow(query: SqlCondition): SqlCondition {
    return query; // it writes no semijoins
  }

  lockRows(): RawSql {
    // The write transaction already holds the whole database.
    return raw('');
  }

  lockRowsSkippingLocked(): RawSql {
    return raw('');
  }

  useIndex(index: string): RawSql {
    return raw(`INDEXED BY ${this.quote(index)}`);
  }

  byteLength(expr: SqlExpression): SqlExpression {
    // LENGTH counts characters in a text; as a blob, bytes.
    return sql`LENGTH(CAST(${expr} AS BLOB))`;
  }

  deleteOldest(table: string, column: string, upTo: number, limit: number): SqlCondition {
    // DELETE … LIMIT needs a compile option SQLite builds usually lack: bound the rowids instead.
    const t = this.column(table);
    const c = this.column(column);
    return sql`DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE ${c} <= ${upTo} ORDER BY ${c} LIMIT ${limit})`;
  }

  readonly batchIsolation = undefined;

  insertIgnoringDuplicates(): RawSql {
    return raw('INSERT OR IGNORE INTO');
  }
}

const DIALECTS: Record<SqlDialect, Dialect> = { mysql: new MysqlDialect(), sqlite: new SqliteDialect() };

/** Builders accept the configured name (`config.database.type`) or a Dialect; the module provides `dialectFor(config.database.type)`. */
export function resolveDialect(dialect: SqlDialect | Dialect): Dialect {
  return typeof dialect === 'string' ? DIALECTS[dialect] : dialect;
}

export function dialectFor(database: SqlDialect): Dialect {
  return DIALECTS[database];
}
