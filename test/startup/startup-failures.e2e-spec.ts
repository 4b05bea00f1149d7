import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort, killWithThisProcess } from '../faults/support/process-utils';
import { MAIN, MAIN_ENV } from '../faults/support/service-process';
import { createScratchDatabase, MARIADB_ADMIN_URL, ScratchDatabase, TEST_DB } from '../support/test-database';

/**
 * Issue 12 item 6: each start-up failure an operator can cause is one short message on stderr
 * naming the setting, a non-zero exit, and nothing done: no admin token written, no migration
 * run. The real entry point in a child process, in a folder of its own (where `.env` is read).
 */
const EXIT_WITHIN_MS = 90_000; // ts-node compiles on the fly, on a busy machine
jest.setTimeout(3 * EXIT_WITHIN_MS);
/** A message an operator reads at once; Nest's failures today were 42–76 lines of stack. */
const MAX_LINES = 5;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the test sets, plus what Node needs: no variable of the developer's shell leaks in. */
function runUntilExit(cwd: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, MAIN, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...MAIN_ENV, HOST: '127.0.0.1', AUTHENTIK_SECRET_KEY: 'test-secret-key-0123456789abcdef', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killWithThisProcess(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit within ${EXIT_WITHIN_MS} ms (it should have failed)\n${stdout}\n${stderr}`));
    }, EXIT_WITHIN_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One clear message: the named setting on the first line, a few lines, no stack, nothing on stdout. */
function expectOneClearMessage(run: Run, setting: string, ...says: (string | RegExp)[]): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect({ code: run.code, first: lines[0] }).toEqual({ code: 1, first: expect.stringContaining(`eventlog cannot start: ${setting}:`) });
  expect(lines.length).toBeLessThanOrEqual(MAX_LINES);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
  for (const text of says) expect(run.stderr).toMatch(text);
}

async function holdPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

/** The tables in the scratch database: none, if no migration ran. */
async function tablesIn(database: ScratchDatabase): Promise<string[]> {
  if (TEST_DB === 'sqlite') return []; // its file would be in DATA_DIR, which must stay empty
  const connection = await createConnection({ uri: database.url });
  try {
    const [rows] = await connection.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    return (rows as { name: string }[]).map((row) => row.name);
  } finally {
    await connection.end();
  }
}

describe(`start-up failures, the real process (${TEST_DB})`, () => {
  let database: ScratchDatabase;
  let cwd: string;
  let busy: Server;

  beforeAll(async () => {
    database = await createScratchDatabase();
    busy = await holdPort();
  });
  beforeEach(() => (cwd = mkdtempSync(join(tmpdir(), 'eventlog-start-'))));
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));
  afterAll(async () => {
    await new Promise((resolve) => busy?.close(resolve));
    await database?.drop();
  });

  /** Nothing of a start happened: no admin token, no migration, no file in DATA_DIR. */
  async function expectNothingDone(): Promise<void> {
    expect(readdirSync(database.dataDir)).toEqual([]);
    expect(await tablesIn(database)).toEqual([]);
  }

  it('a port in use: names PORT, before any migration or admin token', async () => {
    const port = portOf(busy);
    const run = await runUntilExit(cwd, { DATABASE_URL: database.url, DATA_DIR: database.dataDir, PORT: String(port) });
    expectOneClearMessage(run, 'PORT', `port ${port} on 127.0.0.1 is already in use`);
    await expectNothingDone();
  });

  it('a metrics port in use: names METRICS_PORT, before any migration or admin token', async () => {
    const port = portOf(busy);
    const run = await runUntilExit(cwd, {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      PORT: '0',
      METRICS_PORT: String(port),
      METRICS_HOST: '127.0.0.1',
    });
    expectOneClearMessage(run, 'METRICS_PORT', `port ${port} on 127.0.0.1 is already in use`, /set METRICS_PORT to a free port/);
    await expectNothingDone();
  });

  it('reads PORT from .env in the working directory, and the environment wins over the file', async () => {
    const other = await holdPort();
    try {
      writeFileSync(
        join(cwd, '.env'),
        `# as .env.example\nPORT=${portOf(busy)}\nDATABASE_URL=${database.url}\nDATA_DIR=${database.dataDir}\n`,
      );
      const fromFile = await runUntilExit(cwd, {});
      expectOneClearMessage(fromFile, 'PORT', `port ${portOf(busy)} `);
      const fromEnvironment = await runUntilExit(cwd, { PORT: String(portOf(other)) });
      expectOneClearMessage(fromEnvironment, 'PORT', `port ${portOf(other)} `);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    await expectNothingDone();
  });

  const sqliteOnly = TEST_DB === 'sqlite' ? it : it.skip;
  const mariadbOnly = TEST_DB === 'mariadb' ? it : it.skip;

  sqliteOnly('an SQLite file in a folder that does not exist: names DATABASE_URL and the folder', async () => {
    const folder = join(cwd, 'no', 'such');
    const run = await runUntilExit(cwd, {
      DATABASE_URL: `sqlite:${folder}/eventlog.sqlite`,
      DATA_DIR: database.dataDir,
      PORT: String(await freePort()),
    });
    expectOneClearMessage(run, 'DATABASE_URL', `the folder ${folder} of the SQLite file does not exist`, `mkdir -p ${folder}`);
    expect(existsSync(join(cwd, 'no'))).toBe(false);
    await expectNothingDone();
  });

  describe('MariaDB', () => {
    /** The test server's URL with another user, password, port or database. */
    function serverUrl(change: (url: URL) => void): string {
      const url = new URL(MARIADB_ADMIN_URL);
      change(url);
      return url.toString();
    }

    async function run(databaseUrl: string): Promise<Run> {
      return runUntilExit(cwd, { DATABASE_URL: databaseUrl, DATA_DIR: database.dataDir, PORT: String(await freePort()) });
    }

    mariadbOnly('unreachable: names DATABASE_URL and the server', async () => {
      const closed = await freePort();
      const result = await run(serverUrl((u) => ((u.hostname = '127.0.0.1'), (u.port = String(closed)), (u.pathname = '/eventlog'))));
      expectOneClearMessage(result, 'DATABASE_URL', `cannot reach the database server at 127.0.0.1:${closed} (ECONNREFUSED)`);
      await expectNothingDone();
    });

    mariadbOnly('several hosts, none usable: names every host tried and why', async () => {
      const [first, second] = [await freePort(), await freePort()];
      const result = await run(`mysql://root@127.0.0.1:${first},127.0.0.1:${second}/eventlog`);
      expectOneClearMessage(
        result,
        'DATABASE_URL',
        'none of its 2 hosts is usable',
        `127.0.0.1:${first}: cannot reach the database server at 127.0.0.1:${first} (ECONNREFUSED)`,
        `127.0.0.1:${second}: cannot reach the database server at 127.0.0.1:${second} (ECONNREFUSED)`,
      );
      await expectNothingDone();
    });

    mariadbOnly('a wrong password: says so, and prints DATABASE_URL without the password', async () => {
      const url = serverUrl((u) => ((u.password = 'wrong-pass-w0rd'), (u.pathname = new URL(database.url).pathname)));
      const result = await run(url);
      expectOneClearMessage(result, 'DATABASE_URL', 'wrong user or password', ':****@');
      expect(result.stderr).not.toContain('wrong-pass-w0rd');
      await expectNothingDone();
    });

    mariadbOnly('an unknown user: the same "wrong user or password" message', async () => {
      const url = serverUrl(
        (u) => ((u.username = 'eventlog_no_such_user'), (u.password = 'some-pass-w0rd'), (u.pathname = new URL(database.url).pathname)),
      );
      const result = await run(url);
      expectOneClearMessage(result, 'DATABASE_URL', 'refused user "eventlog_no_such_user": wrong user or password', ':****@');
      await expectNothingDone();
    });

    mariadbOnly('an unknown database: names it and says how to create it', async () => {
      const result = await run(serverUrl((u) => (u.pathname = '/eventlog_no_such_database')));
      expectOneClearMessage(
        result,
        'DATABASE_URL',
        'database "eventlog_no_such_database" does not exist',
        'CREATE DATABASE `eventlog_no_such_database` CHARACTER SET utf8mb4',
      );
      await expectNothingDone();
    });
  });
});
