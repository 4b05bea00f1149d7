import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../faults/support/process-utils';
import { MAIN, MAIN_ENV } from '../faults/support/service-process';

/**
 * `npm run purge` reads the server's settings, so a database it cannot use gets the server's
 * one clear message (issue 12 item 6), not TypeORM's retries and a stack. The real CLI entry
 * point in a child process; a closed port and a missing folder need no database server, so the
 * file runs the same under either TEST_DB.
 */
const PURGE = [...MAIN.slice(0, -1), join(MAIN[MAIN.length - 1], '..', 'cli', 'purge.ts')];
const EXIT_WITHIN_MS = 90_000; // ts-node compiles on the fly, on a busy machine
jest.setTimeout(3 * EXIT_WITHIN_MS);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function purge(cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      PURGE,
      {
        cwd,
        timeout: EXIT_WITHIN_MS,
        env: { PATH: process.env.PATH ?? '', ...MAIN_ENV, AUTHENTIK_SECRET_KEY: 'test-secret-key-0123456789abcdef', ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function expectOneClearMessage(run: Run, ...says: string[]): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect({ code: run.code, first: lines[0], stdout: run.stdout }).toEqual({
    code: 1,
    first: expect.stringContaining('purge cannot run: DATABASE_URL:'),
    stdout: '',
  });
  expect(lines.length).toBeLessThanOrEqual(5);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  for (const text of says) expect(run.stderr).toContain(text);
}

describe('npm run purge with a database it cannot use', () => {
  let cwd: string;
  beforeEach(() => (cwd = mkdtempSync(join(tmpdir(), 'eventlog-purge-'))));
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('an unreachable MariaDB: names DATABASE_URL and the server, exits 1', async () => {
    const closed = await freePort();
    const run = await purge(cwd, { DATABASE_URL: `mysql://root:secret-pw@127.0.0.1:${closed}/eventlog`, DATA_DIR: join(cwd, 'data') });
    expectOneClearMessage(run, `cannot reach the database server at 127.0.0.1:${closed} (ECONNREFUSED)`, ':****@');
    expect(run.stderr).not.toContain('secret-pw');
  });

  it('an SQLite file in a folder that does not exist: names the folder and creates nothing', async () => {
    const folder = join(cwd, 'no', 'such');
    const run = await purge(cwd, { DATABASE_URL: `sqlite:${folder}/eventlog.sqlite`, DATA_DIR: join(cwd, 'data') });
    expectOneClearMessage(run, `the folder ${folder} of the SQLite file does not exist`);
    expect(readdirSync(cwd).filter((name) => name !== 'data')).toEqual([]);
  });
});
