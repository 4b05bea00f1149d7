import type { Database } from 'better-sqlite3';

/**
 * `total_changes()`: every row an INSERT, UPDATE or DELETE of this connection touched since it
 * opened, in triggers too, committed or rolled back; `data_version`: moves whenever another
 * connection (another process, a thread) commits.
 */
const MARK_SQL = "SELECT total_changes() || ':' || (SELECT data_version FROM pragma_data_version())";

/**
 * A mark of what the SQLite database holds, as the app's connection sees it: two equal marks mean
 * that nothing was written between them, by this connection or by any other. Null inside an open
 * transaction, whose changes may yet be rolled back: nothing read then may be kept. About 3 µs a
 * read. `connection` is asked each time (TypeORM's driver opens it after start-up).
 */
export function sqliteContentMark(connection: () => Database): () => string | null {
  let marked: Database | undefined;
  let statement: { get(): unknown } | undefined;
  // A connection opened anew counts from zero again: its marks must not equal an earlier one's.
  let opened = 0;
  return () => {
    const current = connection();
    if (current.inTransaction) return null;
    if (current !== marked || !statement) {
      statement = current.prepare(MARK_SQL).pluck();
      marked = current;
      opened++;
    }
    return `${opened}:${String(statement.get())}`;
  };
}
