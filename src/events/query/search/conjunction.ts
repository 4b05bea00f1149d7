import { EVENT_TABLE, EventJsonColumn } from '../../event.entity';
import type { Dialect } from '../../../database/sql/dialect';
import { fewRowsPerValue, generatedColumnIndex } from '../generated-columns';
import { and, raw, sql, SqlCondition, TRUE } from '../../../database/sql/sql-condition';

/**
 * One condition of a list query's top-level AND (a list filter, or a term of the search that is
 * not inside `or`), with what it reads:
 * - `indexed`: only the generated `column`, so that column's index answers it alone;
 * - `keys`: only `created` / `event_uuid`, which every list index holds;
 * - `other`: anything else (`action`, `client_ip`, `app`, the JSON documents).
 */
export type Conjunct = (
  | { kind: 'indexed'; column: EventJsonColumn; condition: SqlCondition }
  | {
      kind: 'keys' | 'other';
      condition: SqlCondition;
      /** The generated column whose index finds this condition's rows, which are then checked in full (`user.pk = 5`). */
      foundThrough?: EventJsonColumn;
    }
) & {
  /** Set when the event counters decide the condition exactly, so a list of such conditions is counted without reading events. */
  counted?: CounterTerm;
};

/** The keys `event_counts` counts by that a list or search can select on (a missing model key is ''). */
export type CounterKey = 'action' | 'context_model_app' | 'context_model_name';

/**
 * A condition in the counters' terms: a row matches exactly when its counter key's value (the
 * stored bytes; '' for a missing model key) `accepts`.
 */
export interface CounterTerm {
  key: CounterKey;
  accepts: (value: string) => boolean;
}

/**
 * All of the conditions, written so that MariaDB answers each `indexed` one from its index.
 *
 * MariaDB computes a virtual column from the row's JSON unless it reads it from the column's
 * index. Given `action = "model_updated" and context.model.app = "authentik_core"` it walks
 * idx_events_action_created and reads every candidate row whole to compute context_model_app
 * (455 000 rows for the benchmark's search on 10 million events). So, next to an `other`
 * condition, each `indexed` one becomes a semijoin on its own index (`semijoinOnIndex`): MariaDB
 * still chooses which index finds the rows, and checks the rest in their indexes, reading no row.
 *
 * Without an `other` condition the first `indexed` one stays as it is: its index answers it and
 * the `keys` conditions, and gives the query rows in list order (a page stops after its rows);
 * the further `indexed` ones become semijoins.
 *
 * Only the top-level AND: inside `or` a subquery cannot become a semijoin, and MariaDB would
 * test it row by row. SQLite keeps the plain AND (see SqliteDialect.semijoinsOnIndexes).
 */
export function conjunction(dialect: Dialect, conjuncts: readonly Conjunct[]): SqlCondition {
  const { present, semijoins } = plan(dialect, conjuncts);
  const hinted = dialect.plansWithoutStatistics && present.some(findsFewRows);
  return and(
    ...present.map((conjunct) => {
      if (conjunct.kind === 'indexed' && semijoins.includes(conjunct)) return semijoinOnIndex(dialect, conjunct.column, conjunct.condition);
      return hinted && !findsFewRows(conjunct) ? likely(conjunct.condition) : conjunct.condition;
    }),
  );
}

/**
 * Whether the condition is found through the index of a column naming one thing (a user, an
 * object): few rows. Without statistics SQLite prices every index equality alike, and for
 * `action = "login" and user.username = "jane"` it walked the 600 000 `login` entries, reading
 * each row's JSON (1.5-2.3 s at 1M events) instead of jane's 200 (2 ms). Marking the other
 * conditions `likely()` (true for most rows, SQLite's own hint) makes it walk the few.
 */
function findsFewRows(conjunct: Conjunct): boolean {
  return fewRowsPerValue(conjunct.kind === 'indexed' ? conjunct.column : conjunct.foundThrough);
}

/** `condition`, unchanged, with SQLite's hint that most rows satisfy it. */
function likely(condition: SqlCondition): SqlCondition {
  return sql`likely(${condition})`;
}

/** Whether `conjunction` writes any of these conditions as a semijoin (see Dialect.semijoinsRowByRow). */
export function hasSemijoins(dialect: Dialect, conjuncts: readonly Conjunct[]): boolean {
  return plan(dialect, conjuncts).semijoins.length > 0;
}

function plan(dialect: Dialect, conjuncts: readonly Conjunct[]): { present: Conjunct[]; semijoins: Conjunct[] } {
  const present = conjuncts.filter((conjunct) => conjunct.condition !== TRUE);
  const indexed = present.filter((conjunct) => conjunct.kind === 'indexed');
  if (!dialect.semijoinsOnIndexes) return { present, semijoins: [] };
  const walked = present.some((conjunct) => conjunct.kind === 'other') ? undefined : indexed[0];
  return { present, semijoins: indexed.filter((conjunct) => conjunct !== walked) };
}

/**
 * `condition`, which reads only `column`, asked of that column's index: the row's list keys are
 * among the index entries that satisfy it. Exactly `condition` outside NOT: `event_uuid` is the
 * primary key, so the only entry with the row's keys is the row's own; where `condition` is
 * NULL (a NULL column) this is FALSE, which a WHERE treats alike. Under NOT the two differ, so
 * `conjunction` only uses it for a top-level AND.
 *
 * How it reads, on MariaDB 10.11:
 * - FORCE INDEX: otherwise MariaDB finds the subquery's rows by primary key, reading them whole.
 * - The keys are (created, event_uuid), the order of every list index after its first column,
 *   so MariaDB can check a row with one lookup in the index (FirstMatch) and a page stops after
 *   its rows; with event_uuid alone it must first copy the whole index range into a temporary
 *   table.
 * - The row's own event_uuid goes through CAST(... AS BINARY(16)), the same 16 bytes, so that
 *   MariaDB cannot look the row up by primary key when it walks this index first: its cost model
 *   prices that like an index lookup, but it reads the whole row (JSON included) from disk. It
 *   then finds the row in another index that holds what the query needs (the keys, `expires`,
 *   and e.g. `action` in idx_events_action_created).
 */
function semijoinOnIndex(dialect: Dialect, column: EventJsonColumn, condition: SqlCondition): SqlCondition {
  const [created, uuid] = [dialect.quote('created'), dialect.quote('event_uuid')];
  const index = dialect.column(generatedColumnIndex(column));
  return sql`(${raw(`${created}, CAST(${uuid} AS BINARY(16))`)}) IN (SELECT ${raw(`${created}, ${uuid}`)} FROM ${dialect.column(
    EVENT_TABLE,
  )} FORCE INDEX (${index}) WHERE ${condition})`;
}
