/**
 * A value that is expensive to compute and may be a little stale: loaded once, then served from
 * memory. After `ttlMs` the stale value is still served while one refresh runs in the background
 * (stale-while-revalidate), so only the very first caller ever waits. Concurrent callers share
 * one load; a failed background refresh keeps the old value.
 */
export class CachedValue<T> {
  private cached?: { value: T; loadedAt: number };
  private loading?: Promise<T>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const cached = this.cached;
    if (!cached) return this.refresh();
    if (this.clock() - cached.loadedAt >= this.ttlMs) this.refresh().catch(() => undefined);
    return Promise.resolve(cached.value);
  }

  private refresh(): Promise<T> {
    this.loading ??= this.load()
      .then((value) => {
        this.cached = { value, loadedAt: this.clock() };
        return value;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
