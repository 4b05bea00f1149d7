import { ConfigError, loadConfig } from './app-config';

const secret = () => 'generated-secret-0123456789';

describe('loadConfig', () => {
  it('has working defaults: SQLite under ./data, port 9000, a year of retention', () => {
    const config = loadConfig({}, secret);
    expect(config.port).toBe(9000);
    expect(config.database).toMatchObject({ type: 'sqlite', url: './data/eventlog.sqlite', runMigrations: true });
    expect(config.eventRetentionMicros).toBe(365 * 86_400_000_000);
    expect(config.revisionRetentionMicros).toBe(2 * 365 * 86_400_000_000);
    expect(config.secretKey).toBe('generated-secret-0123456789');
  });

  it('keeps revisions twice EVENT_RETENTION unless REVISION_RETENTION says otherwise', () => {
    expect(loadConfig({ EVENT_RETENTION: 'days=10' }, secret).revisionRetentionMicros).toBe(20 * 86_400_000_000);
    expect(loadConfig({ EVENT_RETENTION: 'days=10', REVISION_RETENTION: 'weeks=1' }, secret).revisionRetentionMicros).toBe(
      7 * 86_400_000_000,
    );
    for (const bad of ['days=0', '7 days', 'days=-1']) {
      expect(() => loadConfig({ REVISION_RETENTION: bad }, secret)).toThrow('REVISION_RETENTION');
    }
  });

  it('sends email with authentik defaults unless AUTHENTIK_EMAIL__* say otherwise', () => {
    expect(loadConfig({}, secret).email).toEqual({
      host: 'localhost',
      port: 25,
      username: '',
      password: '',
      useTls: false,
      useSsl: false,
      timeoutSeconds: 10,
      from: 'authentik@localhost',
    });
    const custom = {
      AUTHENTIK_EMAIL__HOST: 'smtp.example.com',
      AUTHENTIK_EMAIL__PORT: '587',
      AUTHENTIK_EMAIL__USERNAME: 'mailer',
      AUTHENTIK_EMAIL__PASSWORD: 'p w',
      AUTHENTIK_EMAIL__USE_TLS: 'true',
      AUTHENTIK_EMAIL__TIMEOUT: '30',
      AUTHENTIK_EMAIL__FROM: 'Alerts <alerts@example.com>',
    };
    expect(loadConfig(custom, secret).email).toEqual({
      host: 'smtp.example.com',
      port: 587,
      username: 'mailer',
      password: 'p w',
      useTls: true,
      useSsl: false,
      timeoutSeconds: 30,
      from: 'Alerts <alerts@example.com>',
    });
    expect(loadConfig({}, secret).webhookTimeoutMs).toBe(30_000);
    expect(loadConfig({ AUTHENTIK_HTTP_TIMEOUT: '5' }, secret).webhookTimeoutMs).toBe(5_000);
    const bad: [Record<string, string>, string][] = [
      [{ AUTHENTIK_EMAIL__PORT: '0' }, 'AUTHENTIK_EMAIL__PORT'],
      [{ AUTHENTIK_EMAIL__USE_SSL: 'maybe' }, 'AUTHENTIK_EMAIL__USE_SSL'],
      [{ AUTHENTIK_EMAIL__USE_TLS: 'true', AUTHENTIK_EMAIL__USE_SSL: 'true' }, 'set at most one'],
      [{ AUTHENTIK_EMAIL__TIMEOUT: 'soon' }, 'AUTHENTIK_EMAIL__TIMEOUT'],
      [{ AUTHENTIK_EMAIL__FROM: 'not an address' }, 'AUTHENTIK_EMAIL__FROM'],
      [{ AUTHENTIK_HTTP_TIMEOUT: '0' }, 'AUTHENTIK_HTTP_TIMEOUT'],
    ];
    for (const [env, message] of bad) expect(() => loadConfig(env, secret)).toThrow(message);
  });

  it("delivers notifications with authentik's retry budget unless NOTIFICATION_* say otherwise", () => {
    expect(loadConfig({}, secret).notifications).toEqual({
      workers: true,
      pollMs: 1000,
      concurrency: 16,
      maxAttempts: 6,
      retryBaseMs: 15_000,
      retryMaxMs: 3_600_000,
      deliveryRetentionMicros: 30 * 86_400_000_000,
    });
    const custom = { NOTIFICATION_WORKERS: 'false', NOTIFICATION_MAX_ATTEMPTS: '3', NOTIFICATION_DELIVERY_RETENTION: 'days=1' };
    expect(loadConfig(custom, secret).notifications).toMatchObject({
      workers: false,
      maxAttempts: 3,
      deliveryRetentionMicros: 86_400_000_000,
    });
    for (const [name, bad] of [
      ['NOTIFICATION_WORKERS', 'maybe'],
      ['NOTIFICATION_POLL_MS', '0'],
      ['NOTIFICATION_CONCURRENCY', 'many'],
      ['NOTIFICATION_DELIVERY_RETENTION', 'forever'],
    ]) {
      expect(() => loadConfig({ [name]: bad }, secret)).toThrow(name);
    }
  });

  it('bounds running exports and keeps them a week unless told otherwise', () => {
    expect(loadConfig({}, secret).exports).toEqual({ maxRunningPerUser: 1, maxRunning: 4, retentionMicros: 7 * 86_400_000_000 });
    const custom = { EXPORT_MAX_RUNNING_PER_USER: '2', EXPORT_MAX_RUNNING: '8', EXPORT_RETENTION: 'hours=12' };
    expect(loadConfig(custom, secret).exports).toEqual({ maxRunningPerUser: 2, maxRunning: 8, retentionMicros: 12 * 3_600_000_000 });
    for (const [name, bad] of [
      ['EXPORT_MAX_RUNNING_PER_USER', '0'],
      ['EXPORT_MAX_RUNNING', 'many'],
      ['EXPORT_RETENTION', 'week=1'],
    ]) {
      expect(() => loadConfig({ [name]: bad }, secret)).toThrow(name);
    }
  });

  it('runs 4 heavy reads at once unless DATABASE_READ_CONCURRENCY says otherwise (1 to 64)', () => {
    expect(loadConfig({}, secret).database.readConcurrency).toBe(4);
    expect(loadConfig({ DATABASE_READ_CONCURRENCY: '2' }, secret).database.readConcurrency).toBe(2);
    for (const bad of ['0', '65', 'many']) {
      expect(() => loadConfig({ DATABASE_READ_CONCURRENCY: bad }, secret)).toThrow(/DATABASE_READ_CONCURRENCY/);
    }
  });

  it('selects MariaDB/MySQL from a mysql:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }, secret);
    expect(config.database.type).toBe('mysql');
    expect(config.database.hosts).toEqual([{ host: '127.0.0.1', port: 3306, url: 'mysql://root@127.0.0.1:3306/test' }]);
  });

  it('reads several MariaDB hosts, the first one serving as the URL until a failover', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app:pw@h1:3306,h2:3307/eventlog', DATABASE_FAILOVER_CHECK_MS: '500' }, secret);
    expect(config.database.url).toBe('mysql://app:pw@h1:3306/eventlog');
    expect(config.database.hosts.map(({ host, port }) => `${host}:${port}`)).toEqual(['h1:3306', 'h2:3307']);
    expect(config.database.failoverCheckMs).toBe(500);
  });

  it('explains a bad host list without showing the password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://app:hunter2@h1,,h2/eventlog' }, secret)).toThrow(
      'DATABASE_URL: host 2 of 3 is empty (two commas, or one at an end); expected mysql://user:pass@host:port/database or ' +
        'mysql://user:pass@host1:port,host2:port/database, got "mysql://app:****@h1,,h2/eventlog"',
    );
  });

  it('names every bad variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(
        {
          PORT: 'abc',
          EVENT_RETENTION: '3 days',
          LOG_LEVEL: 'loud',
          LOG_FORMAT: 'xml',
          TRUSTED_PROXIES: '10.0.0.0/99',
          DATABASE_URL: 'postgres://x',
        },
        secret,
      );
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const name of ['PORT', 'EVENT_RETENTION', 'LOG_LEVEL', 'LOG_FORMAT', 'TRUSTED_PROXIES', 'DATABASE_URL'])
      expect(text).toContain(name);
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

  it('logs pretty in development, JSON when told; LOG_FORMAT wins', () => {
    expect(loadConfig({ NODE_ENV: 'development' }, secret).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, secret).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'Pretty' }, secret).logFormat).toBe('pretty');
  });

  it('serves metrics on 0.0.0.0:9300 like authentik unless METRICS_PORT=off', () => {
    expect(loadConfig({}, secret).metrics).toEqual({ port: 9300, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' }, secret).metrics).toEqual({ port: 0, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: 'OFF' }, secret).metrics).toBeNull();
    for (const bad of ['9300x', '-1', '65536', 'no']) {
      expect(() => loadConfig({ METRICS_PORT: bad }, secret)).toThrow(/METRICS_PORT: expected a port from 0 to 65535 or "off"/);
    }
  });
});
