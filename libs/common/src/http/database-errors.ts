/**
 * Tells "the database is unreachable" (503, the client may retry) from every other failure
 * (500, a bug). Connection-level error codes of mysql2 and Node's sockets, plus SQLite's busy
 * and I/O errors.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  // Raised by src/database/bounded-mysql2.ts when a pool wait or a statement exceeds DATABASE_TIMEOUT_MS.
  'DATABASE_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);

// MariaDB-only error numbers that mysql2 has no code name for.
const UNAVAILABLE_ERRNOS = new Set([
  1927, // ER_CONNECTION_KILLED: the server is shutting down or killed the connection
  1969, // ER_STATEMENT_TIMEOUT: max_statement_time exceeded
]);

const UNAVAILABLE_MESSAGES = [
  /Connection lost/i,
  /connect ETIMEDOUT/i,
  /Pool is closed/i,
  /Can't add new command when connection is in closed state/i,
  /Queue limit reached/i,
  /acquire.*timeout/i,
  /The server closed the connection/i,
  /Cannot enqueue/i,
  /Connection is not established/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
    if (typeof candidate.errno === 'number' && UNAVAILABLE_ERRNOS.has(candidate.errno)) return true;
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(candidate.message as string))) {
      return true;
    }
    e = candidate.driverError ?? candidate.cause;
  }
  return false;
}
