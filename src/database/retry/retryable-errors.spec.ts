import { isDuplicateKey, retryReason } from './retryable-errors';

/** Errors shaped as mysql2 reports them. */
const serverError = (errno: number, code: string) => Object.assign(new Error(code), { errno, code, sqlState: 'HY000' });

describe('retryReason', () => {
  it('retries conflicts: deadlock (Galera certification failure) and lock wait timeout', () => {
    expect(retryReason(serverError(1213, 'ER_LOCK_DEADLOCK'))).toBe('conflict');
    expect(retryReason(serverError(1205, 'ER_LOCK_WAIT_TIMEOUT'))).toBe('conflict');
  });

  it('retries a node that cannot serve and a connection that broke', () => {
    expect(retryReason(serverError(1047, 'ER_UNKNOWN_COM_ERROR'))).toBe('connection');
    expect(retryReason(serverError(1927, 'ER_CONNECTION_KILLED'))).toBe('connection');
    expect(
      retryReason(
        Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      ),
    ).toBe('connection');
    expect(retryReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111, fatal: true }))).toBe(
      'connection',
    );
    expect(retryReason(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }))).toBe(
      'connection',
    );
  });

  it('does not retry what another attempt would not change, nor a timeout the client already waited for', () => {
    expect(retryReason(serverError(1062, 'ER_DUP_ENTRY'))).toBeUndefined();
    expect(retryReason(serverError(1406, 'ER_DATA_TOO_LONG'))).toBeUndefined();
    expect(retryReason(serverError(1064, 'ER_PARSE_ERROR'))).toBeUndefined();
    expect(retryReason(Object.assign(new Error('database timeout'), { code: 'DATABASE_TIMEOUT' }))).toBeUndefined();
    expect(retryReason(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT', fatal: true }))).toBeUndefined();
    expect(retryReason(new Error('a bug'))).toBeUndefined();
    expect(retryReason(undefined)).toBeUndefined();
    expect(retryReason('text')).toBeUndefined();
  });

  it('tells a duplicate key', () => {
    expect(isDuplicateKey(serverError(1062, 'ER_DUP_ENTRY'))).toBe(true);
    expect(isDuplicateKey(serverError(1213, 'ER_LOCK_DEADLOCK'))).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
  });
});
