import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './app-config';
import { loadEnvFile } from './env-file';

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'eventlog-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the variables of the file, but the process environment wins', () => {
    const path = join(dir, '.env');
    writeFileSync(path, '# a comment\nPORT=9100\nLOG_LEVEL=debug\nAUTHENTIK_SECRET_KEY=\nDATABASE_URL="sqlite:./my data/e.sqlite"\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', AUTHENTIK_SECRET_KEY: '' };
    expect(loadEnvFile(env, path)).toBe(path);
    expect(env).toEqual({ PORT: '9100', LOG_LEVEL: 'warn', AUTHENTIK_SECRET_KEY: '', DATABASE_URL: 'sqlite:./my data/e.sqlite' });
  });

  it('a missing file is fine', () => {
    const env = { PORT: '1' };
    expect(loadEnvFile(env, join(dir, '.env'))).toBeUndefined();
    expect(env).toEqual({ PORT: '1' });
  });

  it('a file it cannot read (here: a folder) is a configuration error naming it', () => {
    expect(() => loadEnvFile({}, dir)).toThrow(ConfigError);
    expect(() => loadEnvFile({}, dir)).toThrow(dir);
  });
});
