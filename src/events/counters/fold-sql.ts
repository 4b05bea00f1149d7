import { Dialect, join, raw, RawSql, sql, SqlCondition } from '../../database/sql';

/**
 * A counter's tables (migration 1796660000000): the totals, one row per key, and the deltas the
 * triggers add, one row per key and connection slot. `keys` identify a row; `carried` ride along
 * into the totals (MariaDB keys an app by its SHA-256 and keeps the text for `autocomplete`).
 */
export interface FoldedCounter {
  totals: string;
  deltas: string;
  keys: readonly string[];
  carried: readonly string[];
}

/** The counters of the configured database. */
export function foldedCounters(dialect: Dialect): FoldedCounter[] {
  return [
    { totals: 'event_counts', deltas: 'event_count_deltas', keys: ['action', 'context_model_app', 'context_model_name'], carried: [] },
    dialect.name === 'mysql'
      ? { totals: 'event_app_counts', deltas: 'event_app_count_deltas', keys: ['app_digest'], carried: ['app'] }
      : { totals: 'event_app_counts', deltas: 'event_app_count_deltas', keys: ['app'], carried: [] },
  ];
}

/** A delta row as read: its key and carried values by column, its slot and its delta. */
export type DeltaRow = Record<string, unknown> & { slot: number | string; n: number | string };

/** One key's folded delta: its values (keys then carried) and the sum of its slots. */
export interface KeyTotal {
  values: unknown[];
  n: number;
}

/**
 * The statements that fold a batch of delta rows the fold read (and, on MariaDB, locked). Built
 * from values only, so they run unchanged in a synchronous SQLite transaction or in an
 * asynchronous MariaDB one.
 */
export class FoldSql {
  constructor(private readonly dialect: Dialect) {}

  /**
   * Up to `limit` delta rows in key order. MariaDB: locked, skipping rows a writer holds (its
   * transaction has not committed them yet; a later fold takes them), so the fold never waits
   * for a writer and no writer can be waiting in a cycle with it.
   */
  selectBatch(counter: FoldedCounter, limit: number): SqlCondition {
    const d = this.dialect;
    const columns = this.columns([...counter.keys, ...counter.carried, 'slot', 'n']);
    const order = this.columns([...counter.keys, 'slot']);
    // MariaDB: walk the primary key (a small table would be scanned and sorted, locking every row read).
    const [walk, lock] = d.name === 'mysql' ? [raw(' FORCE INDEX (PRIMARY)'), raw(' FOR UPDATE SKIP LOCKED')] : [raw(''), raw('')];
    return sql`SELECT ${columns} FROM ${d.column(counter.deltas)}${walk} ORDER BY ${order} LIMIT ${positive(limit)}${lock}`;
  }

  /** Adds each key's delta to its total (creating it), in one statement. */
  addToTotals(counter: FoldedCounter, totals: readonly KeyTotal[]): SqlCondition {
    const d = this.dialect;
    const columns = [...counter.keys, ...counter.carried, 'n'];
    const rows = join(
      totals.map(
        ({ values, n }) =>
          sql`(${join(
            [...values, n].map((value) => sql`${value}`),
            ', ',
          )})`,
      ),
      ', ',
    );
    const n = d.column('n');
    const onConflict =
      d.name === 'mysql'
        ? sql`ON DUPLICATE KEY UPDATE ${n} = ${n} + VALUES(${n})`
        : sql`ON CONFLICT (${this.columns(counter.keys)}) DO UPDATE SET ${n} = ${n} + excluded.${n}`;
    return sql`INSERT INTO ${d.column(counter.totals)} (${this.columns(columns)}) VALUES ${rows} ${onConflict}`;
  }

  /** Totals of these keys that came to zero: no event has that key any more, so no row either. */
  deleteZeroTotals(counter: FoldedCounter, keys: readonly unknown[][]): SqlCondition {
    const d = this.dialect;
    return sql`DELETE FROM ${d.column(counter.totals)} WHERE ${d.column('n')} = 0 AND (${this.anyOf(counter.keys, keys)})`;
  }

  /**
   * The delta rows just folded, one statement per row, each by its whole primary key (key and
   * slot): a lookup of that one row, which the fold holds. One DELETE with an OR of the keys may
   * be planned as a scan (small tables are) and then waits for the rows writers hold: a deadlock.
   */
  deleteDeltas(counter: FoldedCounter, rows: readonly DeltaRow[]): SqlCondition[] {
    const columns = [...counter.keys, 'slot'];
    return rows.map(
      (row) => sql`DELETE FROM ${this.dialect.column(counter.deltas)} WHERE ${this.anyOf(columns, [columns.map((column) => row[column])])}`,
    );
  }

  /** `(a = ? AND b = ?) OR (...)`: an index range per key on both engines (the columns compare bytes). */
  private anyOf(columns: readonly string[], keys: readonly unknown[][]): SqlCondition {
    return join(
      keys.map(
        (values) =>
          sql`(${join(
            columns.map((column, i) => sql`${this.dialect.column(column)} = ${values[i]}`),
            ' AND ',
          )})`,
      ),
      ' OR ',
    );
  }

  private columns(names: readonly string[]): RawSql {
    return raw(names.map((name) => this.dialect.quote(name)).join(', '));
  }
}

/** Sums a batch's delta rows per key, in the order read (key order). */
export function sumByKey(counter: FoldedCounter, rows: readonly DeltaRow[]): KeyTotal[] {
  const byKey = new Map<string, KeyTotal>();
  for (const row of rows) {
    const id = JSON.stringify(counter.keys.map((key) => keyText(row[key])));
    const entry = byKey.get(id) ?? { values: [...counter.keys, ...counter.carried].map((column) => row[column]), n: 0 };
    entry.n += Number(row.n);
    byKey.set(id, entry);
  }
  return [...byKey.values()];
}

/** A key value as map key text: binary digests by their hex, text as itself. */
function keyText(value: unknown): string {
  return Buffer.isBuffer(value) ? `hex:${value.toString('hex')}` : `text:${String(value)}`;
}

function positive(limit: number): RawSql {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError(`batch size must be a positive integer, got ${limit}`);
  return raw(String(limit));
}
