import { withRetries } from './with-retries';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
const lost = () => Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });

describe('withRetries', () => {
  const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };

  it('runs the work again after a retryable failure, telling why before each new attempt', async () => {
    const told: string[] = [];
    const failures = [deadlock(), lost()];
    const result = await withRetries(
      async (n) => {
        const failure = failures.shift();
        if (failure) throw failure;
        return `done on attempt ${n}`;
      },
      { ...policy, beforeRetry: (reason, attempt) => void told.push(`${reason} -> ${attempt}`) },
    );
    expect(result).toBe('done on attempt 3');
    expect(told).toEqual(['conflict -> 2', 'connection -> 3']);
  });

  it('gives up after the last attempt with its error', async () => {
    let attempts = 0;
    const failing = withRetries(async () => {
      attempts += 1;
      throw deadlock();
    }, policy);
    await expect(failing).rejects.toThrow('Deadlock');
    expect(attempts).toBe(4);
  });

  it('throws any other error at once', async () => {
    let attempts = 0;
    const failing = withRetries(async () => {
      attempts += 1;
      throw Object.assign(new Error('Duplicate entry'), { errno: 1062 });
    }, policy);
    await expect(failing).rejects.toThrow('Duplicate entry');
    expect(attempts).toBe(1);
  });

  it('pauses up to the exponential delay, capped', async () => {
    const delays: number[] = [];
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms: number) => {
      delays.push(ms);
      callback();
      return 0 as unknown as NodeJS.Timeout;
    }) as typeof setTimeout);
    try {
      await withRetries(
        async (n) => {
          if (n < 6) throw deadlock();
        },
        { attempts: 6, baseDelayMs: 10, maxDelayMs: 50, random: () => 1 },
      );
    } finally {
      spy.mockRestore();
    }
    expect(delays).toEqual([10, 20, 40, 50, 50]);
  });
});
