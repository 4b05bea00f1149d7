import { ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, GiveUp, killWithThisProcess, waitFor } from './process-utils';

const ROOT = join(__dirname, '..', '..', '..');
/**
 * The real entry point, compiled on the fly (no build step, no type check: `npm test` runs tsc
 * first), by absolute paths: the process runs in a folder of the test's, so that a developer's
 * `.env` in the clone never reaches it.
 */
export const MAIN = [
  '-r',
  require.resolve('ts-node/register/transpile-only'),
  '-r',
  require.resolve('tsconfig-paths/register'),
  join(ROOT, 'src', 'main.ts'),
];
/** ts-node finds the project from any folder; no metrics listener, so parallel processes never collide on its port. */
export const MAIN_ENV = { TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), METRICS_PORT: 'off' };
const MAX_OUTPUT_CHARS = 200_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * eventlog as production runs it (`src/main.ts`) in a child process, on a free port of
 * 127.0.0.1. `kill()` in afterAll ends it whatever state the test left it in.
 */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-MAX_OUTPUT_CHARS));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Starts the service with `env` on top of this process' environment, in DATA_DIR, and waits until it is ready. */
  static async start(env: Record<string, string>, readyWithinMs = 120_000): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, MAIN, {
      cwd: env.DATA_DIR ?? tmpdir(),
      env: { ...process.env, ...MAIN_ENV, HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killWithThisProcess(child);
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`);
    try {
      await waitFor(
        'the service to be ready',
        async () => {
          if (service.exit) throw new GiveUp(`the service exited early (${JSON.stringify(service.exit)})`);
          const response = await fetch(`${service.baseUrl}/-/health/ready/`, { signal: AbortSignal.timeout(2000) });
          return response.status === 200;
        },
        readyWithinMs,
      );
    } catch (error) {
      service.kill();
      throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output.slice(-5000)}`);
    }
    return service;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** What the service wrote to stdout and stderr (the last 200 kB). */
  get log(): string {
    return this.output;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Waits for the process to exit; throws after `timeoutMs` (a shutdown that hangs). */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the service did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
