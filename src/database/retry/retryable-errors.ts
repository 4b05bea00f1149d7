/**
 * Why a failed write may be run again from its first statement, or undefined when it may not:
 *  - `conflict`: the server rolled the whole transaction back because of a concurrent one. On
 *    Galera that is how a certification failure looks at COMMIT (another node's write set touched
 *    the same rows first), and how a transaction aborted by a replicated one looks at any statement;
 *    on one server, an InnoDB deadlock or lock wait timeout. Nothing was written: run it again.
 *  - `connection`: the connection broke or its node cannot serve (killed, restarting, outside the
 *    primary component). The transaction was rolled back unless the break came during COMMIT, when
 *    the outcome is unknown: the caller checks whether the write is there before running it again
 *    (mysql-event-writer.ts), and should move to another node first (failover/).
 * Everything else (a bad value, a duplicate key, a timeout of DATABASE_TIMEOUT_MS) is not retried:
 * a timeout already cost the client as long as it should wait.
 */
export type RetryReason = 'conflict' | 'connection';

const CONFLICT_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK: InnoDB deadlock, or Galera's certification failure / brute-force abort
  1205, // ER_LOCK_WAIT_TIMEOUT (the writer rolls the whole transaction back before retrying)
]);

const CONNECTION_ERRNOS = new Set([
  1047, // ER_UNKNOWN_COM_ERROR: Galera's "WSREP has not yet prepared node for application use"
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
]);

interface DriverError {
  errno?: unknown;
  code?: unknown;
  /** mysql2 marks an error that ended the connection. */
  fatal?: unknown;
  message?: unknown;
}

export function retryReason(error: unknown): RetryReason | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as DriverError;
  if (typeof e.errno === 'number' && CONFLICT_ERRNOS.has(e.errno)) return 'conflict';
  if (typeof e.errno === 'number' && CONNECTION_ERRNOS.has(e.errno)) return 'connection';
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return 'connection';
  // mysql2's "Can't add new command when connection is in closed state" (a pooled connection whose server died) is fatal and has no code.
  if (e.fatal === true && e.code !== 'DATABASE_TIMEOUT' && e.code !== 'ETIMEDOUT') return 'connection';
  return undefined;
}

/** ER_DUP_ENTRY: after an attempt whose outcome is unknown, the key may be our own earlier write. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as DriverError | undefined)?.errno === 1062;
}
