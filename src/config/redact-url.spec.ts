import { ConfigError, loadConfig } from './app-config';
import { redactPassword } from './redact-url';

describe('redactPassword', () => {
  it.each([
    ['mysql://root:s3cret@db:3306/eventlog', 'mysql://root:****@db:3306/eventlog'],
    ['mysql://root:p%40ss@db/eventlog', 'mysql://root:****@db/eventlog'],
    ['mysql://root:p@ss:w@rd@db/eventlog', 'mysql://root:****@db/eventlog'],
    ['mysql://root:@db/eventlog', 'mysql://root:****@db/eventlog'],
    ['mysql://root@db/eventlog', 'mysql://root@db/eventlog'],
    ['mysql://db/eventlog?x=a@b', 'mysql://db/eventlog?x=a@b'],
    ['postgres://u:hunter2@h/d', 'postgres://u:****@h/d'],
    ['sqlite:./data/eventlog.sqlite', 'sqlite:./data/eventlog.sqlite'],
  ])('%s → %s', (url, expected) => {
    expect(redactPassword(url)).toBe(expected);
  });

  it('a bad DATABASE_URL is reported without its password', () => {
    for (const url of ['mysql://root:hunter2@/nodb', 'postgres://root:hunter2@db/x', 'mysql://root:hunter2@db:99999/x']) {
      let error: unknown;
      try {
        loadConfig({ DATABASE_URL: url }, () => 'generated-secret-0123456789');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('DATABASE_URL');
      expect((error as Error).message).toContain('root:****@');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
