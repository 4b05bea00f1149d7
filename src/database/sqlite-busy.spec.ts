import { DATABASE_TIMEOUT_CODE } from './bounded-mysql2';
import { isSqliteBusy, retryWhileBusy } from './sqlite-busy';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('isSqliteBusy', () => {
  it('knows SQLITE_BUSY and its extended codes, also wrapped in TypeORM QueryFailedError', () => {
    expect(isSqliteBusy(busy())).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(true);
    expect(isSqliteBusy({ message: 'query failed', driverError: busy() })).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(false);
    expect(isSqliteBusy(undefined)).toBe(false);
  });
});

describe('retryWhileBusy', () => {
  it('tries again while the lock is held, and answers what the first free attempt returns', async () => {
    let attempts = 0;
    const result = await retryWhileBusy(() => {
      if (++attempts < 4) throw busy();
      return 'done';
    }, 5_000);
    expect(result).toBe('done');
    expect(attempts).toBe(4);
  });

  it('gives up with a database timeout (503) once the bound is spent', async () => {
    let attempts = 0;
    const started = Date.now();
    const failure = retryWhileBusy(() => {
      attempts++;
      throw busy();
    }, 200);
    await expect(failure).rejects.toMatchObject({ code: DATABASE_TIMEOUT_CODE });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(attempts).toBeGreaterThan(2);
  });

  it('lets every other error through at once', async () => {
    let attempts = 0;
    const failure = retryWhileBusy(() => {
      attempts++;
      throw Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    }, 5_000);
    await expect(failure).rejects.toThrow('UNIQUE constraint failed');
    expect(attempts).toBe(1);
  });
});
