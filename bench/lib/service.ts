import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mysql from 'mysql2/promise';
import { freePort, ManagedProcess, startProcess, stopProcess, waitUntilReady } from './processes';

const ROOT = join(__dirname, '..', '..');

/** Drops and creates the database a `mysql://` URL names, empty (the service migrates it when it starts). */
export async function emptyDatabase(databaseUrl: string, variable: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`${variable}: bad database name "${name}"`);
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
}

export interface RunningService {
  server: ManagedProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  stop(): Promise<void>;
}

/**
 * `npm run start:prod`'s node arguments (the heap limit, then dist/src/main.js), so a benchmark
 * runs the service exactly as production does, and its memory is the production process's.
 */
export function productionNodeArgs(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [command, ...args] = scripts['start:prod'].trim().split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod should run node directly, not: ${scripts['start:prod']}`);
  return args;
}

/**
 * The built service as production runs it (`productionNodeArgs`), on a free port and a data
 * directory of its own (removed when the process ends), ready to serve. `env` adds to or
 * overrides the defaults; `nodeArgs` go before the script's own; `logFile`: where its output goes
 * (default: the data directory, gone with it).
 */
export async function startBuiltService(options: {
  databaseUrl: string;
  token: string;
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  logFile?: string;
}): Promise<RunningService> {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nest build)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'eventlog-bench-'));
  const server = startProcess('eventlog', [...(options.nodeArgs ?? []), ...productionNodeArgs()], {
    cwd: ROOT,
    logFile: options.logFile ?? join(dataDir, 'eventlog.log'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl,
      AUTHENTIK_BOOTSTRAP_TOKEN: options.token,
      AUTHENTIK_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
      PURGE_ENABLED: 'false',
      METRICS_PORT: 'off',
      ...options.env,
    },
  });
  const removed = server.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(server);
    await removed;
  };
  try {
    await waitUntilReady(server, `${base}/-/health/ready/`, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, base, stop };
}
