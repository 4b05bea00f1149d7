import { isDatabaseUnavailable } from './database-errors';

describe('isDatabaseUnavailable', () => {
  it('knows the bounded pool timeout and MariaDB statement/connection kills, also wrapped by TypeORM', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('database timeout'), { code: 'DATABASE_TIMEOUT' }))).toBe(true);
    const statementTimeout = Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), { errno: 1969 });
    expect(isDatabaseUnavailable({ message: 'query failed', driverError: statementTimeout })).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Connection was killed'), { errno: 1927 }))).toBe(true);
  });

  it('leaves other failures to be 500s', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062 }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
