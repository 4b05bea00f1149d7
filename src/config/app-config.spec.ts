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

  it('prefers AUTHENTIK_SECRET_KEY over the generated one', () => {
    expect(loadConfig({ AUTHENTIK_SECRET_KEY: 'from-environment-0123' }, secret).secretKey).toBe('from-environment-0123');
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
