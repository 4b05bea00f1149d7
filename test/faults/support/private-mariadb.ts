import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { ScratchDatabase } from '../../support/test-database';
import { freePort, GiveUp, killWithThisProcess, waitFor } from './process-utils';

const run = promisify(execFile);

// As root, both programs must be told to run as root.
const AS_USER = process.getuid?.() === 0 ? ['--user=root'] : [];

/**
 * A MariaDB server of the test's own: its own data directory (mariadb-install-db) and port,
 * started, killed, frozen and restarted by the test, so the shared server on 3306 is never
 * touched. `destroy()` kills it and removes its files; call it in afterAll.
 */
export class PrivateMariaDb {
  private process: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly serverOptions: readonly string[],
  ) {}

  /** `serverOptions` go to mariadbd at every start (e.g. `--sql-mode=NO_BACKSLASH_ESCAPES`). */
  static async create(serverOptions: readonly string[] = []): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'eventlog-mariadb-'));
    const server = new PrivateMariaDb(dir, await freePort(), serverOptions);
    try {
      await run(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${server.dataDir}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          '--skip-name-resolve',
          '--innodb-log-file-size=16M',
          ...AS_USER,
        ],
        { timeout: 60_000 },
      );
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** `mysql://root@127.0.0.1:<port>/<database>` */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server (again, on the same port and data) and waits until it answers. */
  async start(): Promise<void> {
    if (this.process) throw new Error('already running');
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        `--socket=${join(this.dir, 'mariadb.sock')}`,
        `--pid-file=${join(this.dir, 'mariadb.pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        ...this.serverOptions,
        ...AS_USER,
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    killWithThisProcess(child);
    child.once('exit', () => {
      if (this.process === child) this.process = null;
    });
    await waitFor(
      `MariaDB on port ${this.port}`,
      async () => {
        if (!this.process) throw new GiveUp('mariadbd exited');
        const connection = await createConnection({ uri: this.url(), connectTimeout: 1000 });
        await connection.end();
        return true;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.errorLogTail()}`);
    });
  }

  /** Ends the server with `signal` (SIGKILL: a crash; SIGTERM: a clean shutdown) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT'); // a frozen server could not act on SIGTERM
    child.kill(signal);
    // A clean shutdown that takes too long ends as a crash: the test stays bounded in time.
    const escalate = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(escalate);
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung or black-holed database). */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  /** A database on this server, in the shape `startTestApp` takes. */
  async createDatabase(name: string): Promise<ScratchDatabase> {
    const connection = await createConnection({ uri: this.url() });
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.end();
    // Dropped with the whole server in destroy().
    return { url: this.url(name), dataDir: this.dir, drop: async () => undefined };
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private errorLogTail(): string {
    try {
      return readFileSync(join(this.dir, 'error.log'), 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no error log)';
    }
  }
}
