import { ConfigError, loadConfig } from './app-config';

const secret = () => 'generated-secret-0123456789';

describe('loadConfig', () => {
  it('has working defaults: SQLite under ./data, port 9000, a year of retention', () => {
    const config = loadConfig({}, secret);
    expect(config.port).toBe(9000);
    expect(config.database).toMatchObject({ type: 'sqlite', url: './data/eventlog.sqlite', runMigrations: true });
    expect(config.eventRetentionMicros).toBe(365 * 86_400_000_000);
    expect(config.secretKey).toBe('generated-secret-0123456789');
  });

  it('selects MariaDB/MySQL from a mysql:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }, secret);
    expect(config.database.type).toBe('mysql');
  });

  it('names every bad variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', EVENT_RETENTION: '3 days', LOG_LEVEL: 'loud', TRUSTED_PROXIES: '10.0.0.0/99', DATABASE_URL: 'postgres://x' }, secret);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const name of ['PORT', 'EVENT_RETENTION', 'LOG_LEVEL', 'TRUSTED_PROXIES', 'DATABASE_URL']) expect(text).toContain(name);
  });

  it('pages lists as authentik 2026.8 by default: 20, at most 100', () => {
    expect(loadConfig({}, secret).pagination).toEqual({ defaultPageSize: 20, maxPageSize: 100 });
    const config = loadConfig({ PAGINATION_DEFAULT_PAGE_SIZE: '50', PAGINATION_MAX_PAGE_SIZE: '500' }, secret);
    expect(config.pagination).toEqual({ defaultPageSize: 50, maxPageSize: 500 });
    // A maximum below 20 alone lowers the default with it rather than failing.
    expect(loadConfig({ PAGINATION_MAX_PAGE_SIZE: '10' }, secret).pagination).toEqual({ defaultPageSize: 10, maxPageSize: 10 });
  });

  it.each([
    [{ PAGINATION_DEFAULT_PAGE_SIZE: '0' }, 'PAGINATION_DEFAULT_PAGE_SIZE'],
    [{ PAGINATION_MAX_PAGE_SIZE: 'many' }, 'PAGINATION_MAX_PAGE_SIZE'],
    [{ PAGINATION_DEFAULT_PAGE_SIZE: '200' }, 'PAGINATION_DEFAULT_PAGE_SIZE: expected at most PAGINATION_MAX_PAGE_SIZE (100)'],
  ])('refuses bad page sizes %p', (env, message) => {
    expect(() => loadConfig(env, secret)).toThrow(message);
  });

  it('prefers AUTHENTIK_SECRET_KEY over the generated one', () => {
    expect(loadConfig({ AUTHENTIK_SECRET_KEY: 'from-environment-0123' }, secret).secretKey).toBe('from-environment-0123');
  });
});
