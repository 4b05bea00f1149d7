import { CachedValue } from './cached-value';

describe('CachedValue', () => {
  let now: number;
  let loads: number;
  let next: () => Promise<string>;
  const clock = () => now;

  beforeEach(() => {
    now = 0;
    loads = 0;
    next = () => Promise.resolve(`v${loads}`);
  });

  const cache = () =>
    new CachedValue(
      () => {
        loads += 1;
        return next();
      },
      1000,
      clock,
    );

  it('loads once, then serves from memory until the ttl has passed', async () => {
    const value = cache();
    expect(await value.get()).toBe('v1');
    now = 999;
    expect(await value.get()).toBe('v1');
    expect(loads).toBe(1);
  });

  it('shares one load between concurrent first callers', async () => {
    const value = cache();
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual(['v1', 'v1', 'v1']);
    expect(loads).toBe(1);
  });

  it('serves the stale value while one refresh runs, then the fresh one', async () => {
    const value = cache();
    await value.get();
    now = 1000;
    expect(await Promise.all([value.get(), value.get()])).toEqual(['v1', 'v1']);
    expect(loads).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await value.get()).toBe('v2');
  });

  it('keeps the old value when a background refresh fails, and tries again next time', async () => {
    const value = cache();
    await value.get();
    now = 2000;
    next = () => Promise.reject(new Error('database away'));
    expect(await value.get()).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    next = () => Promise.resolve('back');
    expect(await value.get()).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await value.get()).toBe('back');
  });

  it('lets the first caller see a failed first load, and loads again on the next call', async () => {
    next = () => Promise.reject(new Error('database away'));
    const value = cache();
    await expect(value.get()).rejects.toThrow('database away');
    next = () => Promise.resolve('ok');
    expect(await value.get()).toBe('ok');
  });
});
