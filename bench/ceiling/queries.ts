/**
 * The ceiling's SQL: what a developer writes first, one plain statement per operation (text
 * protocol, parameters escaped client-side by mysql2), with no count tricks and no keyset pages.
 */

export const EVENT_FIELDS = 'event_uuid, `user`, action, app, context, client_ip, created, expires, brand';

export interface ListQuery {
  where: string;
  params: unknown[];
}

export type QueryParams = URLSearchParams;

/** WHERE clause of a list: the visible events plus the filters the benchmark uses. */
export function listWhere(query: QueryParams, now: number): ListQuery {
  const clauses = ['expires > ?'];
  const params: unknown[] = [now];
  const action = query.get('action');
  if (action) {
    clauses.push('action LIKE ?');
    params.push(`%${action}%`);
  }
  const username = query.get('username');
  if (username) {
    // docs/api-contract.md §3.3: the acting user, the context's username, or the user the event is about.
    // The unary `+` keeps the model's app and name out of index choice, so the last branch is found
    // through context_model_pk: SQLite has no statistics, and between equally good-looking indexes
    // it takes whichever it meets first, which depends on the order the indexes were created in.
    clauses.push(
      `(user_username = ? OR context_username = ? OR (+context_model_app = 'authentik_core' AND +context_model_name = 'user'
        AND context_model_pk = (SELECT CAST(id AS CHAR) FROM users WHERE username = ?)))`,
    );
    params.push(username, username, username);
  }
  const modelApp = query.get('context_model_app');
  if (modelApp) {
    clauses.push('context_model_app = ?');
    params.push(modelApp);
  }
  const search = query.get('search');
  if (search) {
    clauses.push('context LIKE ?');
    params.push(`%${search}%`);
  }
  return { where: clauses.join(' AND '), params };
}

export const COUNT_SQL = (where: string) => `SELECT COUNT(*) AS n FROM events WHERE ${where}`;
export const PAGE_SQL = (where: string) =>
  `SELECT ${EVENT_FIELDS} FROM events WHERE ${where} ORDER BY created DESC, event_uuid DESC LIMIT ? OFFSET ?`;
export const STREAM_SQL = `SELECT ${EVENT_FIELDS} FROM events WHERE expires > ? ORDER BY created ASC, event_uuid ASC LIMIT ? OFFSET ?`;
export const RETRIEVE_SQL = `SELECT ${EVENT_FIELDS} FROM events WHERE event_uuid = ? AND expires > ?`;
export const INSERT_SQL = `INSERT INTO events (${EVENT_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Columns a PATCH may set, and how the JSON value is stored. */
export const PATCHABLE: Record<string, (value: unknown) => unknown> = {
  user: (v) => JSON.stringify(v),
  action: (v) => v,
  app: (v) => v,
  context: (v) => JSON.stringify(v),
  client_ip: (v) => v,
  brand: (v) => JSON.stringify(v),
};
